package io.rivulet.kafka;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.sink.Sinks;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.rivulet.kafka.KafkaScaleOutTest.assertRunningCountsExactlyOnce;
import static io.rivulet.kafka.KafkaScaleOutTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KafkaScaleOut} over {@link KafkaSource#subscribePattern}: two instances share every matching
 * topic's partitions as tasks (partition {@code p} of each topic together), a matching topic created
 * while they run becomes part of the tasks (and new tasks, having more partitions), output stays
 * exactly-once; and what the group refuses.
 */
class KafkaScaleOutPatternTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldShareEveryMatchingTopicBetweenTwoInstancesAndTakeANewMatchingTopicExactlyOnce() throws Exception {
        BROKER.createTopic("sop-in-a", 4);
        BROKER.createTopic("sop-in-b", 4);
        BROKER.createTopic("sop-other", 4);
        BROKER.createTopic("sop-out", 2);
        Path root = dir.resolve("root");
        Map<String, Integer> sent = new TreeMap<>();
        // Same keys in both co-partitioned topics: a key's records of both land in one task, which counts them together.
        produce("sop-in-a", "k", 12, 0, 200, sent);
        produce("sop-in-b", "k", 12, 200, 400, sent);
        produce("sop-other", "k", 12, 0, 100, new TreeMap<>());
        try (Rivulet first = Rivulet.create(); Rivulet second = Rivulet.create()) {
            ScaleOutInstance a = query(first, root).start();
            ScaleOutInstance b = query(second, root).start();
            try {
                awaitTrue("the four tasks are divided between a and b", () -> a.runningTasks().size() == 2
                    && b.runningTasks().size() == 2 && union(a.runningTasks(), b.runningTasks()).size() == 4, a, b);
                awaitRows(400, a, b);

                // Six partitions: its partitions 0..3 join the running tasks, 4 and 5 are new tasks.
                BROKER.createTopic("sop-in-c", 6);
                produce("sop-in-c", "c", 9, 0, 300, sent);
                awaitTrue("tasks 4 and 5 run", () -> union(a.runningTasks(), b.runningTasks()).equals(Set.of(0, 1, 2, 3, 4, 5)), a, b);
                awaitRows(700, a, b);
                produce("sop-in-a", "k", 12, 400, 500, sent);
                awaitRows(800, a, b);
                assertThat(a.runningTasks().size() + b.runningTasks().size()).as("each task runs once").isEqualTo(6);
            } finally {
                a.close();
                b.close();
            }
            assertThat(a.failure()).isEmpty();
            assertThat(b.failure()).isEmpty();
        }
        Map<String, Integer> input = inputCountsPerKey();
        assertThat(input.keySet()).as("the keys sent are in the input").isEqualTo(sent.keySet());
        sent.forEach((key, n) -> assertThat(input.get(key)).as("records of %s in the input", key).isGreaterThanOrEqualTo(n));
        assertRunningCountsExactlyOnce("sop-out", input);
        assertThat(Files.readString(root.resolve("scale-out.properties"))).isEqualTo("name=patterned\nsubscribePattern=sop-in-.*\n");
    }

    @Test
    void shouldRefuseACheckpointRootCreatedForAnotherSubscription() {
        BROKER.createTopic("sop-root", 1);
        try (Rivulet rivulet = Rivulet.create()) {
            KafkaSource<byte[], byte[]> source = KafkaSource.bytes(BROKER.bootstrapServers());
            ScaleOutInstance topics = KafkaScaleOut.of(rivulet, "resub", source.subscribe("sop-root"), dir,
                (records, task) -> records.writeStream(Sinks.collecting())).start();
            topics.close();
            KafkaScaleOut<byte[], byte[]> pattern = KafkaScaleOut.of(rivulet, "resub", source.subscribePattern("sop-ro.*"), dir,
                (records, task) -> records.writeStream(Sinks.collecting()));
            assertThatThrownBy(pattern::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("written for [name=resub topics=sop-root tasks=1], not for [name=resub subscribePattern=sop-ro.*]")
                .hasMessageContaining("use a new checkpoint root");
        }
    }

    @Test
    void shouldRefuseAGroupProtocolOrAssignorThatCannotKeepATasksPartitionsTogether() {
        try (Rivulet rivulet = Rivulet.create()) {
            KafkaScaleOut<byte[], byte[]> scaleOut = KafkaScaleOut.of(rivulet, "proto",
                KafkaSource.bytes(BROKER.bootstrapServers()).subscribePattern("sop-none-.*"), dir,
                (records, task) -> records.writeStream(Sinks.collecting()));
            assertThatThrownBy(() -> scaleOut.option("group.protocol", "consumer").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group.protocol=consumer")
                .hasMessageContaining("classic");
            assertThatThrownBy(() -> scaleOut.option("partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.RangeAssignor").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition.assignment.strategy")
                .hasMessageContaining("partition p of every matching topic");
        }
    }

    @Test
    void shouldRefuseAssignNamingTheRuleAndTheAlternative() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> KafkaScaleOut.of(rivulet, "x", KafkaSource.bytes("h:1").assign("{\"t\":[0,1]}"), dir,
                (records, task) -> records.writeStream(Sinks.collecting())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must subscribe(topics...) or subscribePattern(regex)")
                .hasMessageContaining("'assign' names fixed partitions with no group")
                .hasMessageContaining("rivulet.readStream(source) with a checkpointLocation");
        }
    }

    @Test
    void shouldListOneTaskPerPartitionNumberUpToTheLargestMatchingTopic() {
        BROKER.createTopic("sop-list-x", 2);
        BROKER.createTopic("sop-list-y", 3);
        try (Rivulet rivulet = Rivulet.create()) {
            List<ScaleOutTask> tasks = KafkaScaleOut.of(rivulet, "listed",
                    KafkaSource.bytes(BROKER.bootstrapServers()).subscribePattern("sop-list-.*"), dir,
                    (records, task) -> records.writeStream(Sinks.collecting()))
                .tasks();
            assertThat(tasks).extracting(task -> task.partitions().toString())
                .containsExactly("[sop-list-x-0, sop-list-y-0]", "[sop-list-x-1, sop-list-y-1]", "[sop-list-y-2]");
        }
    }

    private KafkaScaleOut<String, String> query(Rivulet rivulet, Path root) {
        KafkaSource<String, String> source = KafkaSource.of(BROKER.bootstrapServers(), StringDeserializer::new,
                StringDeserializer::new)
            .subscribePattern("sop-in-.*").startingOffsets("earliest").partitionDiscoveryInterval(Duration.ofMillis(300));
        return KafkaScaleOutQueryMain.counts(rivulet, "patterned", BROKER.bootstrapServers(), source, "sop-out", root, 0);
    }

    /** Sends records {@code from..to-1}, key {@code <prefix><i % keys>}, through the default partitioner; counts them per key. */
    private static void produce(String topic, String prefix, int keys, int from, int to, Map<String, Integer> sent)
        throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // Not idempotent: with Kafka 4.3's idempotent producer, a partition created a moment ago and read at once
        // (here by a new task) can refuse the producer's first batches until delivery.timeout.ms (reproduced with a
        // plain KafkaConsumer). A retry may then duplicate an input record: the expected counts come from the input.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String key = prefix + (i % keys);
                acks.add(producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8))));
                sent.merge(key, 1, Integer::sum);
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits (bounded) until the output holds {@code rows} committed rows; says which keys lag if it does not. */
    private static void awaitRows(int rows, ScaleOutInstance... instances) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> output = BROKER.readCommitted("sop-out");
            if (output.size() >= rows) {
                return;
            }
            for (ScaleOutInstance instance : instances) {
                assertThat(instance.failure()).as("instance failure while waiting for %s rows", rows).isEmpty();
            }
            if (System.nanoTime() > deadline) {
                Map<String, Integer> last = new TreeMap<>();
                for (ConsumerRecord<byte[], byte[]> record : output) {
                    String[] row = new String(record.value(), StandardCharsets.UTF_8).split("=");
                    last.merge(row[0], Integer.parseInt(row[1]), Math::max);
                }
                Map<String, Integer> input = new TreeMap<>();
                for (String topic : List.of("sop-in-a", "sop-in-b", "sop-in-c")) {
                    for (ConsumerRecord<byte[], byte[]> record : BROKER.readCommitted(topic)) {
                        input.merge(topic + "-" + record.partition(), 1, Integer::sum);
                    }
                }
                String running = "";
                for (ScaleOutInstance instance : instances) {
                    running += " " + instance.runningTasks() + instance.assignedTasks();
                }
                throw new AssertionError("within 60 s: sop-out holds " + output.size() + " committed rows, not " + rows
                    + "; each key's last count: " + last + "; input records per partition: " + input + "; running/assigned:"
                    + running);
            }
            Thread.sleep(50);
        }
    }

    /** Records per key in the matching input topics (what the query must have counted). */
    private static Map<String, Integer> inputCountsPerKey() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : List.of("sop-in-a", "sop-in-b", "sop-in-c")) {
            for (ConsumerRecord<byte[], byte[]> record : BROKER.readCommitted(topic)) {
                counts.merge(new String(record.key(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
