package io.rivulet.kafka;

import io.rivulet.engine.RestartStrategy;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.TreeSet;

/**
 * {@link KafkaScaleOut} in one JVM: instances join and leave a group (each with its own engine), the
 * tasks move with their keyed state, output stays exactly-once; and what the group refuses.
 */
class KafkaScaleOutTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldMoveTasksWithTheirKeyedStateWhenAnInstanceJoinsAndAnotherLeaves() throws Exception {
        BROKER.createTopic("so-join-in", 4);
        BROKER.createTopic("so-join-out", 2);
        Path root = dir.resolve("root");
        Map<String, Integer> sent = new TreeMap<>();
        try (Rivulet first = Rivulet.create(); Rivulet second = Rivulet.create()) {
            produce("so-join-in", 0, 400, sent);
            ScaleOutInstance a = KafkaScaleOutQueryMain.counts(first, "joins", BROKER.bootstrapServers(), "so-join-in", "so-join-out",
                root, 0).start();
            ScaleOutInstance b = null;
            try {
                awaitTrue("instance a runs every task", () -> a.runningTasks().size() == 4, a);
                awaitOutput("so-join-out", 400, a);

                b = KafkaScaleOutQueryMain.counts(second, "joins", BROKER.bootstrapServers(), "so-join-in", "so-join-out", root, 0).start();
                ScaleOutInstance joined = b;
                awaitTrue("the tasks are divided between a and b", () -> a.runningTasks().size() == 2
                    && joined.runningTasks().size() == 2, a, joined);
                assertThat(union(a.runningTasks(), b.runningTasks())).containsExactlyInAnyOrder(0, 1, 2, 3);
                produce("so-join-in", 400, 800, sent);
                awaitOutput("so-join-out", 800, a, joined);

                a.close();
                assertThat(a.failure()).isEmpty();
                awaitTrue("b runs every task once a left", () -> joined.runningTasks().size() == 4, joined);
                produce("so-join-in", 800, 1200, sent);
                awaitOutput("so-join-out", 1200, joined);
                assertThat(b.failure()).isEmpty();
            } finally {
                a.close();
                if (b != null) {
                    b.close();
                }
            }
        }
        assertRunningCountsExactlyOnce("so-join-out", sent);
    }

    @Test
    void shouldStartATaskOnlyOnceItsPreviousOwnerReleasedItsCheckpoint() throws Exception {
        BROKER.createTopic("so-lock", 1);
        BROKER.produce("so-lock", 0, -1, "a", "1");
        try (Rivulet rivulet = Rivulet.create()) {
            KafkaSource<byte[], byte[]> source = KafkaSource.bytes(BROKER.bootstrapServers()).startingOffsets("earliest");
            KafkaScaleOut<byte[], byte[]> scaleOut = KafkaScaleOut.of(rivulet, "locked", source.subscribe("so-lock"),
                    dir.resolve("lock"), (records, task) -> records.writeStream(Sinks.collecting()))
                .option("session.timeout.ms", "3000")
                .option("heartbeat.interval.ms", "500")
                .startRetryInterval(Duration.ofMillis(20));
            // A previous owner of task 0 that has not let go: a query running on the task's checkpoint location.
            StreamingQuery holder = rivulet.readStream(source.assign("{\"so-lock\":[0]}")).writeStream(Sinks.collecting())
                .queryName("previous-owner").checkpointLocation(scaleOut.tasks().get(0).checkpointLocation()).start();
            ScaleOutInstance instance = scaleOut.start();
            try {
                awaitTrue("task 0 assigned", () -> instance.assignedTasks().contains(0), instance);
                assertThat(instance.runningTasks()).as("the task waits while its checkpoint is held").isEmpty();
                holder.stop();
                awaitTrue("task 0 runs once its checkpoint is free", () -> instance.runningTasks().contains(0), instance);
            } finally {
                holder.stop();
                instance.close();
            }
            assertThat(instance.failure()).isEmpty();
        }
    }

    @Test
    void shouldFailTheInstanceWhenARecordIsNotInThePartitionOfItsKey() throws Exception {
        BROKER.createTopic("so-verify", 2);
        String key = "a";
        int home = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
        BROKER.produce("so-verify", 1 - home, -1, key, "misplaced");
        try (Rivulet rivulet = Rivulet.create()) {
            ScaleOutInstance instance = KafkaScaleOut.of(rivulet, "verify",
                    KafkaSource.of(BROKER.bootstrapServers(), StringDeserializer::new, StringDeserializer::new)
                        .subscribe("so-verify").startingOffsets("earliest"),
                    dir.resolve("verify"),
                    (records, task) -> records.keyBy("kafkaKey", ConsumerRecord::key).count()
                        .writeStream(Sinks.collecting()).outputMode("update").restartStrategy(RestartStrategy.none())
                        .trigger(Trigger.continuous(Duration.ofMillis(20))))
                .verifyKeyPartitioning(new StringSerializer())
                .option("session.timeout.ms", "1000")
                .option("heartbeat.interval.ms", "250")
                .start();
            try {
                assertThat(instance.awaitTermination(60_000)).as("instance ends").isTrue();
                assertThat(instance.failure()).get().extracting(Throwable::getMessage).asString()
                    .contains("task " + (1 - home)).contains("default partitioner puts its key in partition " + home);
                assertThat(instance.runningTasks()).isEmpty();
            } finally {
                instance.close();
            }
        }
    }

    @Test
    void shouldRefuseTopicsWithDifferentPartitionCounts() {
        BROKER.createTopic("so-two", 2);
        BROKER.createTopic("so-three", 3);
        try (Rivulet rivulet = Rivulet.create()) {
            KafkaScaleOut<byte[], byte[]> scaleOut = KafkaScaleOut.of(rivulet, "uneven",
                KafkaSource.bytes(BROKER.bootstrapServers()).subscribe("so-two", "so-three"), dir,
                (records, task) -> records.writeStream(Sinks.collecting()));
            assertThatThrownBy(scaleOut::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not co-partitioned").hasMessageContaining("so-two=2").hasMessageContaining("so-three=3");
        }
    }

    @Test
    void shouldListOneTaskPerPartitionNumberOverCoPartitionedTopics() {
        BROKER.createTopic("so-left", 3);
        BROKER.createTopic("so-right", 3);
        try (Rivulet rivulet = Rivulet.create()) {
            List<ScaleOutTask> tasks = KafkaScaleOut.of(rivulet, "joined",
                    KafkaSource.bytes(BROKER.bootstrapServers()).subscribe("so-left", "so-right"), dir.resolve("r"),
                    (records, task) -> records.writeStream(Sinks.collecting()))
                .tasks();
            assertThat(tasks).hasSize(3);
            assertThat(tasks.get(2).partitions()).extracting(Object::toString).containsExactly("so-left-2", "so-right-2");
            assertThat(tasks.get(2).queryName()).isEqualTo("joined-task-2");
            assertThat(tasks.get(2).checkpointLocation()).isEqualTo(dir.resolve("r").resolve("task-2").resolve("checkpoint")
                .toAbsolutePath());
        }
    }

    @Test
    void shouldRefuseACheckpointRootWrittenForAnotherQuery() {
        BROKER.createTopic("so-root", 1);
        try (Rivulet rivulet = Rivulet.create()) {
            KafkaSource<byte[], byte[]> source = KafkaSource.bytes(BROKER.bootstrapServers()).subscribe("so-root");
            ScaleOutInstance first = KafkaScaleOut.of(rivulet, "first", source, dir,
                (records, task) -> records.writeStream(Sinks.collecting())).start();
            first.close();
            KafkaScaleOut<byte[], byte[]> other = KafkaScaleOut.of(rivulet, "other", source, dir,
                (records, task) -> records.writeStream(Sinks.collecting()));
            assertThatThrownBy(other::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("written for [name=first").hasMessageContaining("use a new checkpoint root");
        }
    }

    @Test
    void shouldRefuseSourcesThatAreNotSubscriptionsAndBadNames() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> KafkaScaleOut.of(rivulet, "x", KafkaSource.bytes("h:1").assign("{\"t\":[0]}"), dir,
                (records, task) -> records.writeStream(Sinks.collecting())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must subscribe");
            assertThatThrownBy(() -> KafkaScaleOut.of(rivulet, "a b", KafkaSource.bytes("h:1").subscribe("t"), dir,
                (records, task) -> records.writeStream(Sinks.collecting())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b'");
            assertThatThrownBy(() -> KafkaScaleOut.of(rivulet, "x", KafkaSource.bytes("h:1").subscribe("t"), dir,
                (records, task) -> records.writeStream(Sinks.collecting())).option("group.id", "mine"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group.id");
        }
    }

    /** Sends records {@code from..to-1}, key {@code k<i % 12>}, through the default partitioner; counts them per key. */
    static void produce(String topic, int from, int to, Map<String, Integer> sent) {
        try (KafkaProducer<byte[], byte[]> producer = BROKER.producer()) {
            for (int i = from; i < to; i++) {
                String key = "k" + (i % 12);
                producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8)));
                sent.merge(key, 1, Integer::sum);
            }
            producer.flush();
        }
    }

    /** Waits (bounded) until the output topic holds {@code rows} committed rows. */
    static void awaitOutput(String topic, int rows, ScaleOutInstance... instances) throws InterruptedException {
        awaitTrue(topic + " holds " + rows + " committed rows", () -> BROKER.readCommitted(topic).size() >= rows, instances);
    }

    static void awaitTrue(String what, BooleanSupplier condition, ScaleOutInstance... instances) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            for (ScaleOutInstance instance : instances) {
                assertThat(instance.failure()).as("instance failure while waiting until " + what).isEmpty();
            }
            assertThat(System.nanoTime() < deadline).as("within 90 s: " + what).isTrue();
            Thread.sleep(50);
        }
    }

    /** Every key's running counts 1..n appear exactly once among the committed rows, and nothing else. */
    static void assertRunningCountsExactlyOnce(String topic, Map<String, Integer> sent) {
        Map<String, Long> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : BROKER.readCommitted(topic)) {
            seen.merge(new String(record.value(), StandardCharsets.UTF_8), 1L, Long::sum);
        }
        Map<String, Long> duplicated = new TreeMap<>(seen);
        duplicated.values().removeIf(count -> count == 1);
        assertThat(duplicated.size()).as("rows seen more than once (a replay, or a count restarted without its state); "
            + "the first: %s", duplicated.entrySet().stream().limit(10).toList()).isZero();
        List<String> expected = new ArrayList<>();
        sent.forEach((key, n) -> {
            for (int c = 1; c <= n; c++) {
                expected.add(key + "=" + c);
            }
        });
        assertThat(seen.keySet()).as("each key's running counts").containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
