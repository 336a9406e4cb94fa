package io.rivulet.kafka;

import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka source in micro-batch modes against a real broker: Spark's {@code maxOffsetsPerTrigger},
 * {@code minOffsetsPerTrigger}, {@code minPartitions}, {@code Trigger.availableNow} and {@code once},
 * and partitions added while the query runs.
 */
class KafkaMicroBatchTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();
    /** A processing-time trigger that never fires by itself after the first: batches run on processAllAvailable. */
    private static final Trigger BY_HAND = Trigger.processingTime(Duration.ofHours(1));

    @TempDir
    Path dir;

    private static KafkaSource<String, String> strings() {
        return KafkaSource.of(BROKER.bootstrapServers(), StringDeserializer::new, StringDeserializer::new);
    }

    private static String text(ConsumerRecord<String, String> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset() + "=" + r.value();
    }

    private static void produce(String topic, int partition, int count, String prefix) {
        String[] keyValues = new String[count * 2];
        for (int i = 0; i < count; i++) {
            keyValues[2 * i] = "k";
            keyValues[2 * i + 1] = prefix + i;
        }
        BROKER.produce(topic, partition, -1, keyValues);
    }

    private static List<Long> batchSizes(StreamingQuery query) {
        List<Long> sizes = new ArrayList<>();
        for (QueryProgress progress : query.recentProgress()) {
            if (progress.numInputRows() > 0) {
                sizes.add(progress.numInputRows());
            }
        }
        return sizes;
    }

    /** Runs an availableNow micro-batch query to its end (optionally from/with a checkpoint): its rows. */
    private static List<String> runAvailableNow(KafkaSource<String, String> source, Path checkpoint) throws Exception {
        MemorySink<String> sink = Sinks.memory("available");
        try (Rivulet rivulet = Rivulet.create()) {
            var writer = rivulet.readStream(source).map(KafkaMicroBatchTest::text)
                .writeStream(sink).queryName("available-now").trigger(Trigger.availableNow());
            StreamingQuery query = (checkpoint == null ? writer : writer.checkpointLocation(checkpoint)).start();
            assertThat(query.awaitTermination(60_000)).as("availableNow stops by itself").isTrue();
            query.exception().ifPresent(e -> {
                throw new AssertionError("query failed", e);
            });
        }
        return new ArrayList<>(sink.rows());
    }

    @Test
    void shouldFailOnDataLossInAMicroBatchRestartWhoseCheckpointedOffsetWasDeletedAndGoOnFromEarliestWithoutIt()
            throws Exception {
        BROKER.createTopic("mb-lossy", 1);
        produce("mb-lossy", 0, 2, "v");
        Path checkpoint = dir.resolve("checkpoint");
        KafkaSource<String, String> source = strings().subscribe("mb-lossy").startingOffsets("earliest");
        assertThat(runAvailableNow(source, checkpoint)).containsExactly("mb-lossy/0/0=v0", "mb-lossy/0/1=v1");
        produce("mb-lossy", 0, 3, "w"); // offsets 2, 3, 4
        KafkaSourceTest.deleteBefore("mb-lossy", 4);
        assertThatThrownBy(() -> runAvailableNow(source, checkpoint))
            .hasStackTraceContaining("offsets [2, 4) of topic-partition mb-lossy-0 were lost")
            .hasStackTraceContaining("set the option failOnDataLoss to false");
        assertThat(runAvailableNow(source.failOnDataLoss(false), checkpoint)).containsExactly("mb-lossy/0/4=w2");
    }

    @Test
    void shouldFailOnDataLossInAMicroBatchWhoseStartingOffsetWasDeletedAndGoOnFromEarliestWithoutIt() throws Exception {
        BROKER.createTopic("mb-lossy-start", 1);
        produce("mb-lossy-start", 0, 4, "v");
        KafkaSourceTest.deleteBefore("mb-lossy-start", 3);
        KafkaSource<String, String> source = strings().subscribe("mb-lossy-start")
            .startingOffsets("{\"mb-lossy-start\":{\"0\":1}}");
        assertThatThrownBy(() -> runAvailableNow(source, null))
            .hasStackTraceContaining("offsets [1, 3) of topic-partition mb-lossy-start-0 were lost")
            .hasStackTraceContaining("failOnDataLoss");
        assertThat(runAvailableNow(source.failOnDataLoss(false), null)).containsExactly("mb-lossy-start/0/3=v3");
    }

    @Test
    void shouldReadWhatWasAvailableAtStartInBatchesOfSparksProportionalMaxOffsetsThenStop() throws Exception {
        BROKER.createTopic("capped", 3);
        produce("capped", 0, 30, "a");
        produce("capped", 1, 10, "b");
        MemorySink<String> sink = Sinks.memory("capped");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(strings().subscribe("capped").startingOffsets("earliest")
                    .maxOffsetsPerTrigger(10))
                .map(r -> {
                    if (r.offset() == 0 && r.partition() == 0) {
                        produce("capped", 0, 5, "late"); // after the start: availableNow must not read these
                    }
                    return text(r);
                })
                .writeStream(sink).queryName("capped").trigger(Trigger.availableNow()).start();
            assertThat(query.awaitTermination(60_000)).as("availableNow stops by itself").isTrue();
            assertThat(query.exception()).isEmpty();
            // Spark's rateLimit over (30, 10, 0) available, 10 per trigger: 7 + 2, then 7 + 2 of (23, 8),
            // 7 + 2 of (16, 6), 6 + 3 of (9, 4), and the last 3 + 1.
            assertThat(batchSizes(query)).containsExactly(9L, 9L, 9L, 9L, 4L);
        }
        assertThat(sink.rows()).hasSize(40).doesNotHaveDuplicates().noneMatch(row -> row.contains("late"));
    }

    @Test
    void shouldReadEverythingInOneBatchWithTriggerOnceIgnoringMaxOffsetsPerTrigger() throws Exception {
        BROKER.createTopic("once", 2);
        produce("once", 0, 20, "a");
        produce("once", 1, 5, "b");
        MemorySink<String> sink = Sinks.memory("once");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(strings().subscribe("once").startingOffsets("earliest")
                    .maxOffsetsPerTrigger(10))
                .map(KafkaMicroBatchTest::text).writeStream(sink).queryName("once").trigger(Trigger.once()).start();
            assertThat(query.awaitTermination(60_000)).isTrue();
            assertThat(batchSizes(query)).containsExactly(25L);
        }
        assertThat(sink.rows()).hasSize(25).doesNotHaveDuplicates();
    }

    @Test
    void shouldDelayABatchBelowMinOffsetsPerTriggerUntilEnoughOffsetsArrive() throws Exception {
        BROKER.createTopic("floor", 2);
        produce("floor", 0, 3, "a");
        MemorySink<String> sink = Sinks.memory("floor");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(strings().subscribe("floor").startingOffsets("earliest")
                    .minOffsetsPerTrigger(5).maxTriggerDelay(Duration.ofHours(1)))
                .map(KafkaMicroBatchTest::text).writeStream(sink).queryName("floor").trigger(BY_HAND).start();
            query.processAllAvailable();
            assertThat(sink.rows()).as("the first trigger runs whatever it finds, as in Spark").hasSize(3);
            produce("floor", 1, 2, "b");
            query.processAllAvailable();
            assertThat(sink.rows()).as("2 new offsets < minOffsetsPerTrigger 5, maxTriggerDelay not passed").hasSize(3);
            produce("floor", 0, 3, "c");
            query.processAllAvailable();
            assertThat(sink.rows()).hasSize(8).doesNotHaveDuplicates();
            assertThat(batchSizes(query)).containsExactly(3L, 5L);
            query.stop();
        }
    }

    @Test
    void shouldSplitAPartitionOverMinPartitionsSourcePartitionsAndReadEachRecordOnceAcrossARestart() throws Exception {
        BROKER.createTopic("split", 2);
        produce("split", 0, 100, "a");
        produce("split", 1, 10, "b");
        Path checkpoint = dir.resolve("checkpoint");
        KafkaSource<String, String> source = strings().subscribe("split").startingOffsets("earliest").minPartitions(4)
            .maxOffsetsPerTrigger(50);
        assertThat(source.numPartitions()).isEqualTo(4);
        MemorySink<String> sink = Sinks.memory("split");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(source).map(KafkaMicroBatchTest::text).writeStream(sink)
                .queryName("split").checkpointLocation(checkpoint).trigger(Trigger.availableNow()).start();
            assertThat(query.awaitTermination(60_000)).isTrue();
            assertThat(query.exception()).isEmpty();
            // 50 per trigger over (100, 10): 45 + 4, 45 + 4, 10 + 2.
            assertThat(batchSizes(query)).containsExactly(49L, 49L, 12L);
        }
        produce("split", 0, 7, "c");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(source).map(KafkaMicroBatchTest::text).writeStream(sink)
                .queryName("split").checkpointLocation(checkpoint).trigger(Trigger.availableNow()).start();
            assertThat(query.awaitTermination(60_000)).isTrue();
            assertThat(query.exception()).isEmpty();
        }
        assertThat(sink.rows()).hasSize(117).doesNotHaveDuplicates();
    }

    @Test
    void shouldRefuseMinPartitionsInContinuousModeNamingTheOption() {
        BROKER.createTopic("split-continuous", 1);
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream(strings().subscribe("split-continuous").minPartitions(4))
                .writeStream(Sinks.memory("never")).queryName("split-continuous")
                .trigger(Trigger.continuous(Duration.ofMillis(20))).start())
                .hasStackTraceContaining("option 'minPartitions' (4) applies to micro-batch triggers only");
        }
    }

    @Test
    void shouldReadPartitionsAndTopicsAddedWhileTheQueryRunsFromEarliestEachRecordOnce() throws Exception {
        BROKER.createTopic("grow-a", 1);
        produce("grow-a", 0, 2, "a");
        Path checkpoint = dir.resolve("checkpoint");
        KafkaSource<String, String> source = strings().subscribePattern("grow-.*").startingOffsets("earliest");
        MemorySink<String> sink = Sinks.memory("grow");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(source).map(KafkaMicroBatchTest::text).writeStream(sink)
                .queryName("grow").checkpointLocation(checkpoint).trigger(BY_HAND).start();
            query.processAllAvailable();
            assertThat(sink.rows()).containsExactlyInAnyOrder("grow-a/0/0=a0", "grow-a/0/1=a1");
            try (Admin admin = BROKER.admin()) {
                admin.createPartitions(Map.of("grow-a", NewPartitions.increaseTo(2))).all().get(30, TimeUnit.SECONDS);
            }
            BROKER.createTopic("grow-b", 1);
            produce("grow-a", 1, 2, "new");
            produce("grow-b", 0, 1, "b");
            produce("grow-a", 0, 1, "more");
            query.processAllAvailable();
            assertThat(sink.rows()).containsExactlyInAnyOrder("grow-a/0/0=a0", "grow-a/0/1=a1", "grow-a/1/0=new0",
                "grow-a/1/1=new1", "grow-b/0/0=b0", "grow-a/0/2=more0");
            query.stop();
        }
        produce("grow-a", 1, 1, "after");
        produce("grow-b", 0, 1, "after");
        try (Rivulet rivulet = Rivulet.create()) {
            // Planned over 3 partitions now (3 source partitions): each offset comes from the checkpoint.
            StreamingQuery query = rivulet.readStream(source).map(KafkaMicroBatchTest::text).writeStream(sink)
                .queryName("grow").checkpointLocation(checkpoint).trigger(Trigger.availableNow()).start();
            assertThat(query.awaitTermination(60_000)).isTrue();
            assertThat(query.exception()).isEmpty();
        }
        assertThat(sink.rows()).hasSize(8).doesNotHaveDuplicates().contains("grow-a/1/2=after0", "grow-b/0/1=after0");
    }
}
