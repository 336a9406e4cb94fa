package io.rivulet.kafka;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once from Kafka to Kafka across crashes: {@link KafkaExactlyOnceQueryMain} runs in a child JVM
 * that is killed with SIGKILL at random moments (once the run has committed output, then 0 to 300 ms later:
 * mid-epoch, mid-checkpoint, between a checkpoint and its commit or mid-transaction, as it falls) and started again on the same checkpoint and
 * staging directories, until one run finishes its input. A {@code read_committed} consumer of the output
 * topic then sees every input record exactly once, transformed. The broker is the shared
 * {@link EmbeddedKafkaBroker} in this JVM; only the Rivulet JVM dies.
 *
 * <p>CI runs {@value #DEFAULT_KILLS} kills; a long run: {@code mvn -B -pl kafka -am verify
 * -Dtest=KafkaExactlyOnceKillTest -Dsurefire.failIfNoSpecifiedTests=false -Drivulet.kills=20
 * -Drivulet.kafka.records=100000} (the kills stop early, reported as "finished before its kill", when a run
 * finishes the input first).
 */
class KafkaExactlyOnceKillTest {
    static final int DEFAULT_KILLS = 2;
    /** Input records; a long run needs more so that the input outlasts its kills. */
    private static final int RECORDS = Integer.getInteger("rivulet.kafka.records", 4_000);
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryRecordExactlyOnceToReadCommittedConsumersWhenKilledAtRandomMoments() throws Exception {
        int kills = Integer.getInteger("rivulet.kills", DEFAULT_KILLS);
        long seed = Long.getLong("rivulet.kills.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        BROKER.createTopic("kill-in", 3);
        BROKER.createTopic("kill-out", 2);
        Map<String, Long> expected = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = BROKER.producer()) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "k" + i;
                producer.send(new ProducerRecord<>("kill-in", i % 3, bytes(key), bytes("v" + i)));
                expected.put(key + "=V" + i, 1L);
            }
            producer.flush();
        }
        warmUpTransactions();
        Path checkpoints = dir.resolve("checkpoints");
        Path staging = dir.resolve("staging");
        List<String> tally = new ArrayList<>();
        int killed = 0;
        while (true) {
            long before = outputEnd();
            Process child = startChild(checkpoints, staging);
            if (killed < kills) {
                // Kill once this run has committed something (its output's end offsets moved), somewhere in the
                // next 300 ms: mid-epoch, mid-checkpoint, between a checkpoint and its commit, or mid-commit.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                // Every other kill also waits for a checkpoint of the new run, so that kills land past its recovery too.
                long checkpointAtStart = newestCheckpoint(checkpoints);
                boolean pastRecovery = killed % 2 == 1;
                while (child.isAlive() && (outputEnd() <= before
                    || pastRecovery && newestCheckpoint(checkpoints) <= checkpointAtStart) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long delayMs = random.nextInt(300);
                if (!child.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                    child.waitFor();
                    killed++;
                    tally.add("run " + killed + ": SIGKILL " + delayMs + " ms after checkpoint " + newestCheckpoint(checkpoints)
                        + ", " + BROKER.readCommitted("kill-out").size() + " rows committed");
                    continue;
                }
                tally.add("finished before its kill");
            } else {
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("last run finishes").isTrue();
                tally.add("finished");
            }
            assertThat(child.exitValue()).as("child exit").isZero();
            break;
        }
        Map<String, Long> actual = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : BROKER.readCommitted("kill-out")) {
            actual.merge(new String(record.value(), StandardCharsets.UTF_8), 1L, Long::sum);
        }
        System.out.println("KafkaExactlyOnceKillTest seed " + seed + ": " + killed + " kills; " + String.join("; ", tally));
        Map<String, Long> duplicated = new HashMap<>(actual);
        duplicated.values().removeIf(count -> count == 1);
        assertThat(duplicated).as("records seen more than once (seed %d)", seed).isEmpty();
        List<String> missing = expected.keySet().stream().filter(k -> !actual.containsKey(k)).sorted().toList();
        List<String> extra = actual.keySet().stream().filter(k -> !expected.containsKey(k)).sorted().toList();
        assertThat(missing).as("records never committed (seed %d)", seed).isEmpty();
        assertThat(extra).as("records committed that the input does not hold (seed %d)", seed).isEmpty();
    }

    /** The broker's first transaction creates its transaction log: done here, so the kills land on the query's work. */
    static void warmUpTransactions() {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-up"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
            // InitProducerId creates the transaction log; nothing is written (an aborted record in the input would be
            // read by the source, which reads uncommitted as Spark's does).
            producer.initTransactions();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return the sum of the output topic's last stable offsets, what a {@code read_committed} consumer reads up to: it
     *     grows with each transaction the query commits (or aborts), not with records sent into one still open (the sink
     *     sends an epoch's records before its checkpoint and commits them after)
     */
    private static long outputEnd() {
        try (var admin = BROKER.admin()) {
            var partitions = Map.of(new TopicPartition("kill-out", 0),
                OffsetSpec.latest(), new TopicPartition("kill-out", 1),
                OffsetSpec.latest());
            return admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long newestCheckpoint(Path checkpoints) throws IOException {
        Path offsets = checkpoints.resolve("offsets");
        if (!Files.isDirectory(offsets)) {
            return -1;
        }
        try (var files = Files.list(offsets)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.matches("\\d+"))
                .mapToLong(Long::parseLong).max().orElse(-1);
        }
    }

    private static Process startChild(Path checkpoints, Path staging) throws IOException {
        List<String> command = ChildJvm.command(KafkaExactlyOnceQueryMain.class, BROKER.bootstrapServers(), "kill-in",
            "kill-out", checkpoints.toString(), staging.toString());
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
