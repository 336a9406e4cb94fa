package io.rivulet.kafka;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.sql.Row;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka source against a real broker: Spark's options, its row shape, and restarts from checkpointed offsets. */
class KafkaSourceTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();

    @TempDir
    Path dir;

    private static KafkaSource<String, String> strings() {
        return KafkaSource.of(BROKER.bootstrapServers(), StringDeserializer::new, StringDeserializer::new);
    }

    /** Runs a bounded source to its end: {@code topic/partition/offset=key:value} per record. */
    private List<String> run(KafkaSource<String, String> source, Path checkpoint) throws Exception {
        MemorySink<String> sink = Sinks.memory("out");
        try (Rivulet rivulet = Rivulet.create()) {
            var writer = rivulet.readStream(source)
                .map(r -> r.topic() + "/" + r.partition() + "/" + r.offset() + "=" + r.key() + ":" + r.value())
                .writeStream(sink).queryName("kafka-source").trigger(Trigger.continuous(Duration.ofMillis(20)));
            StreamingQuery query = (checkpoint == null ? writer : writer.checkpointLocation(checkpoint)).start();
            assertThat(query.awaitTermination(60_000)).as("bounded query ends").isTrue();
            query.exception().ifPresent(e -> {
                throw new AssertionError("query failed", e);
            });
        }
        return new ArrayList<>(sink.rows());
    }

    @Test
    void shouldReadEveryPartitionFromEarliestToTheLatestOffsetsOfTheStart() throws Exception {
        BROKER.createTopic("earliest", 3);
        BROKER.produce("earliest", 0, -1, "a", "1", "b", "2");
        BROKER.produce("earliest", 2, -1, "c", "3");
        List<String> rows = run(strings().subscribe("earliest").startingOffsets("earliest").endingOffsets("latest"), null);
        assertThat(rows).containsExactlyInAnyOrder("earliest/0/0=a:1", "earliest/0/1=b:2", "earliest/2/0=c:3");
    }

    @Test
    void shouldStartAtJsonStartingOffsetsAndStopBeforeJsonEndingOffsets() throws Exception {
        BROKER.createTopic("json", 2);
        BROKER.produce("json", 0, -1, "k", "0", "k", "1", "k", "2", "k", "3");
        BROKER.produce("json", 1, -1, "k", "10", "k", "11", "k", "12");
        List<String> rows = run(strings().assign("{\"json\":[0,1]}")
            .startingOffsets("{\"json\":{\"0\":1,\"1\":-2}}")
            .endingOffsets("{\"json\":{\"0\":3,\"1\":-1}}"), null);
        assertThat(rows).containsExactlyInAnyOrder("json/0/1=k:1", "json/0/2=k:2", "json/1/0=k:10", "json/1/1=k:11",
            "json/1/2=k:12");
    }

    @Test
    void shouldStartAtTheFirstRecordAtOrAfterTheStartingTimestamp() throws Exception {
        BROKER.createTopic("timestamps", 1);
        BROKER.produce("timestamps", 0, 1_000, "k", "old");
        BROKER.produce("timestamps", 0, 2_000, "k", "new", "k", "newer");
        List<String> rows = run(strings().subscribePattern("timest.*").startingTimestamp(1_500).endingOffsets("latest"), null);
        assertThat(rows).containsExactly("timestamps/0/1=k:new", "timestamps/0/2=k:newer");
    }

    @Test
    void shouldResumeAfterTheLastCommittedEpochWhenRestartedFromItsCheckpoint() throws Exception {
        BROKER.createTopic("resume", 2);
        BROKER.produce("resume", 0, -1, "a", "1", "a", "2");
        BROKER.produce("resume", 1, -1, "b", "1");
        Path checkpoint = dir.resolve("checkpoint");
        KafkaSource<String, String> source = strings().subscribe("resume").startingOffsets("earliest").endingOffsets("latest");
        assertThat(run(source, checkpoint)).containsExactlyInAnyOrder("resume/0/0=a:1", "resume/0/1=a:2", "resume/1/0=b:1");

        BROKER.produce("resume", 0, -1, "a", "3");
        BROKER.produce("resume", 1, -1, "b", "2", "b", "3");
        // startingOffsets applies to a first start only: the restart goes on from the checkpointed offsets.
        assertThat(run(source, checkpoint)).containsExactlyInAnyOrder("resume/0/2=a:3", "resume/1/1=b:2", "resume/1/2=b:3");
    }

    @Test
    void shouldFailOnDataLossWhenTheCheckpointedOffsetWasDeletedAndGoOnFromEarliestWithoutIt() throws Exception {
        BROKER.createTopic("lossy", 1);
        BROKER.produce("lossy", 0, -1, "k", "0", "k", "1");
        Path checkpoint = dir.resolve("checkpoint");
        KafkaSource<String, String> source = strings().subscribe("lossy").startingOffsets("earliest").endingOffsets("latest");
        assertThat(run(source, checkpoint)).containsExactly("lossy/0/0=k:0", "lossy/0/1=k:1");
        BROKER.produce("lossy", 0, -1, "k", "2", "k", "3", "k", "4");
        try (Admin admin = BROKER.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition("lossy", 0), RecordsToDelete.beforeOffset(4))).all()
                .get(30, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> run(source, checkpoint))
            .hasStackTraceContaining("offsets [2, 4) of topic-partition lossy-0 were lost")
            .hasStackTraceContaining("set the option failOnDataLoss to false");
        assertThat(run(source.failOnDataLoss(false), checkpoint)).containsExactly("lossy/0/4=k:4");
    }

    @Test
    void shouldFailOnDataLossWhenTheStartingOffsetWasDeletedAndGoOnFromEarliestWithoutIt() throws Exception {
        BROKER.createTopic("lossy-start", 1);
        BROKER.produce("lossy-start", 0, -1, "k", "0", "k", "1", "k", "2", "k", "3");
        deleteBefore("lossy-start", 3);
        KafkaSource<String, String> source = strings().assign("{\"lossy-start\":[0]}")
            .startingOffsets("{\"lossy-start\":{\"0\":1}}").endingOffsets("latest");
        assertThatThrownBy(() -> run(source, null))
            .hasStackTraceContaining("offsets [1, 3) of topic-partition lossy-start-0 were lost")
            .hasStackTraceContaining("failOnDataLoss");
        assertThat(run(source.failOnDataLoss(false), null)).containsExactly("lossy-start/0/3=k:3");
    }

    /** Moves the partition's log start offset to {@code offset} at once (no retention wait). */
    static void deleteBefore(String topic, long offset) throws Exception {
        try (Admin admin = BROKER.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset))).all()
                .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldNotLetAnIdleKafkaPartitionHoldTheWatermarkBackWithAnIdleInputTimeout() throws Exception {
        BROKER.createTopic("idle", 2);
        BROKER.produce("idle", 1, 500, "b", "x");
        MemorySink<String> sink = Sinks.memory("windows");
        try (Rivulet rivulet = Rivulet.create()) {
            // One source partition (task, watermark) per Kafka partition.
            StreamingQuery query = rivulet.readStream(strings().subscribe("idle").startingOffsets("earliest"))
                .withWatermark(ConsumerRecord::timestamp, Duration.ZERO)
                .keyBy(ConsumerRecord::key)
                .window(Windows.tumbling(Duration.ofSeconds(10)), ConsumerRecord::timestamp)
                .count()
                .map(w -> w.key() + "@" + w.window().startMs() + "=" + w.value())
                .writeStream(sink).queryName("idle").idleInputTimeout(Duration.ofMillis(200))
                .trigger(Trigger.continuous(Duration.ofMillis(20))).start();
            awaitInputRows(query, 1);
            // Partition 1 has said its watermark (500 ms) and falls silent; partition 0 moves on to 12 s.
            BROKER.produce("idle", 0, 1_000, "a", "x", "a", "x");
            BROKER.produce("idle", 0, 12_000, "a", "x");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.rows().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            query.stop();
        }
        // Without the timeout partition 1's watermark would hold the [0, 10 s) window open: no row at all.
        assertThat(sink.rows()).containsExactlyInAnyOrder("a@0=2", "b@0=1");
    }

    private static void awaitInputRows(StreamingQuery query, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (query.recentProgress().stream().mapToLong(p -> p.numInputRows()).sum() < rows) {
            assertThat(System.nanoTime()).as("%d input rows within 30 s", rows).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void shouldReadPartitionsAddedSinceTheCheckpointFromEarliestOnARestart() throws Exception {
        BROKER.createTopic("grown", 1);
        BROKER.produce("grown", 0, -1, "k", "0");
        Path checkpoint = dir.resolve("checkpoint");
        KafkaSource<String, String> source = strings().subscribe("grown").startingOffsets("earliest").endingOffsets("latest");
        assertThat(run(source, checkpoint)).containsExactly("grown/0/0=k:0");
        try (Admin admin = BROKER.admin()) {
            admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(2))).all()
                .get(30, TimeUnit.SECONDS);
        }
        BROKER.produce("grown", 1, -1, "k", "new");
        BROKER.produce("grown", 0, -1, "k", "1");
        // Two source partitions now; grown-0 resumes from the checkpoint, grown-1 (unknown to it) from earliest.
        assertThat(run(strings().subscribe("grown").startingOffsets("latest").endingOffsets("latest"), checkpoint))
            .containsExactlyInAnyOrder("grown/0/1=k:1", "grown/1/0=k:new");
    }

    @Test
    void shouldReadPartitionsAndTopicsAddedWhileAContinuousQueryRunsFromEarliest() throws Exception {
        BROKER.createTopic("cgrow-a", 2);
        BROKER.produce("cgrow-a", 0, -1, "k", "a0");
        MemorySink<String> sink = Sinks.memory("cgrow");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(strings().subscribePattern("cgrow-.*").startingOffsets("earliest")
                    .partitionDiscoveryInterval(Duration.ofMillis(100)))
                .map(r -> r.topic() + "/" + r.partition() + "/" + r.offset() + "=" + r.value())
                .writeStream(sink).queryName("cgrow").trigger(Trigger.continuous(Duration.ofMillis(20))).start();
            awaitRows(sink, 1);
            try (Admin admin = BROKER.admin()) {
                admin.createPartitions(Map.of("cgrow-a", NewPartitions.increaseTo(4))).all().get(30, TimeUnit.SECONDS);
            }
            BROKER.createTopic("cgrow-b", 1);
            // Written before a reader may have seen the new partitions: they are read from earliest.
            BROKER.produce("cgrow-a", 2, -1, "k", "new2");
            BROKER.produce("cgrow-a", 3, -1, "k", "new3");
            BROKER.produce("cgrow-b", 0, -1, "k", "b0");
            awaitRows(sink, 4);
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder("cgrow-a/0/0=a0", "cgrow-a/2/0=new2", "cgrow-a/3/0=new3",
            "cgrow-b/0/0=b0");
    }

    @Test
    void shouldEndTheDiscoveryThreadAndCloseItsConsumerWhenTheQueryStops() throws Exception {
        BROKER.createTopic("dstop", 1);
        BROKER.produce("dstop", 0, -1, "k", "a");
        MemorySink<String> sink = Sinks.memory("dstop");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(strings().subscribePattern("dstop").startingOffsets("earliest")
                    .partitionDiscoveryInterval(Duration.ofMillis(50)))
                .map(ConsumerRecord::value)
                .writeStream(sink).queryName("dstop").trigger(Trigger.continuous(Duration.ofMillis(20))).start();
            awaitRows(sink, 1);
            awaitDiscovery("dstop");
            query.stop();
            assertThat(discoveryLeftovers("dstop")).as("discovery thread and consumer after stop()").isEmpty();
        }
    }

    @Test
    void shouldEndTheDiscoveryThreadAndCloseItsConsumerWhenTheQueryFails() throws Exception {
        BROKER.createTopic("dfails", 1);
        BROKER.produce("dfails", 0, -1, "k", "a");
        MemorySink<String> sink = Sinks.memory("dfails");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(strings().subscribePattern("dfails").startingOffsets("earliest")
                    .partitionDiscoveryInterval(Duration.ofMillis(50)))
                .map(r -> {
                    if (r.value().equals("boom")) {
                        throw new IllegalArgumentException("boom");
                    }
                    return r.value();
                })
                .writeStream(sink).queryName("dfails").trigger(Trigger.continuous(Duration.ofMillis(20))).start();
            awaitRows(sink, 1);
            awaitDiscovery("dfails");
            BROKER.produce("dfails", 0, -1, "k", "boom");
            assertThatThrownBy(() -> query.awaitTermination(60_000)).hasStackTraceContaining("boom");
            assertThat(discoveryLeftovers("dfails")).as("discovery thread and consumer after the failure").isEmpty();
        }
    }

    /** Waits until the query's discovery thread and its consumer exist. */
    private static void awaitDiscovery(String query) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (discoveryLeftovers(query).size() < 2) {
            assertThat(System.nanoTime()).as("discovery of %s within 30 s", query).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The query's live discovery threads and registered discovery consumers (Kafka's app-info MBean of its client id). */
    private static List<String> discoveryLeftovers(String query) throws Exception {
        List<String> found = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().equals("rivulet-" + query + "-kafka-discovery")) {
                found.add("thread " + thread.getName());
            }
        }
        ObjectName client = new ObjectName("kafka.consumer:type=app-info,id=rivulet-" + query + "-source-discovery");
        for (ObjectName name : ManagementFactory.getPlatformMBeanServer().queryNames(client, null)) {
            found.add("consumer " + name);
        }
        return found;
    }

    private static void awaitRows(MemorySink<String> sink, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sink.rows().size() < rows) {
            assertThat(System.nanoTime()).as("%d rows within 30 s", rows).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void shouldReadSparksRowShapeWithHeadersThroughFormatKafka() throws Exception {
        BROKER.createTopic("rows", 1);
        try (KafkaProducer<byte[], byte[]> producer = BROKER.producer()) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("rows", 0, 5_000L, bytes("key"), bytes("value"));
            record.headers().add("h", bytes("hv"));
            producer.send(record).get();
            producer.send(new ProducerRecord<>("rows", 0, 6_000L, null, bytes("no key"))).get();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream().format("kafka")
                .option("kafka.bootstrap.servers", BROKER.bootstrapServers())
                .option("subscribe", "rows").option("startingOffsets", "earliest").option("endingOffsets", "latest")
                .option("includeHeaders", "true").option("kafka.isolation.level", "read_committed").load()
                .writeStream().format("memory").queryName("kafkarows").start();
            assertThat(query.awaitTermination(60_000)).isTrue();
            List<Row> rows = rivulet.table("kafkarows");
            assertThat(rows).hasSize(2);
            Row first = rows.get(0);
            assertThat(first.schema()).isEqualTo(KafkaRows.SCHEMA_WITH_HEADERS);
            assertThat(new String(first.getBinary(0), StandardCharsets.UTF_8)).isEqualTo("key");
            assertThat(new String(first.getBinary(1), StandardCharsets.UTF_8)).isEqualTo("value");
            assertThat(first.getString(2)).isEqualTo("rows");
            assertThat(first.getInt(3)).isZero();
            assertThat(first.getLong(4)).isZero();
            assertThat(first.getTimestampMicros(5)).isEqualTo(5_000_000L);
            assertThat(first.getInt(6)).isZero();
            List<Row> headers = first.getList(7);
            assertThat(headers).hasSize(1);
            assertThat(headers.get(0).getString(0)).isEqualTo("h");
            assertThat(new String(headers.get(0).getBinary(1), StandardCharsets.UTF_8)).isEqualTo("hv");
            assertThat(rows.get(1).isNullAt(0)).isTrue();
            assertThat(rows.get(1).getLong(4)).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectAnUnknownOptionNamingTheKnownOnesAndRequireBootstrapServers() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").option("kafka.bootstrap.servers", "x:1")
                .option("subscribe", "t").option("startingOffset", "earliest").load())
                .hasMessageContaining("unknown option 'startingOffset'").hasMessageContaining("startingOffsets")
                .hasMessageContaining("kafka.*");
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").option("subscribe", "t").load())
                .hasMessageContaining("'kafka.bootstrap.servers' must be specified");
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").option("kafka.bootstrap.servers", "x:1")
                .option("subscribe", "t").option("assign", "{\"t\":[0]}").load())
                .hasMessageContaining("only one of assign, subscribe, subscribePattern");
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").option("kafka.bootstrap.servers", "x:1")
                .option("subscribe", "t").option("kafka.auto.offset.reset", "earliest").load())
                .hasMessageContaining("'kafka.auto.offset.reset' is not supported");
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").option("kafka.bootstrap.servers", "x:1")
                .option("subscribe", "t").option("startingOffsets", "{\"t\":{\"0\":\"x\"}}").load())
                .hasMessageContaining("option 'startingOffsets' must be JSON");
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").option("kafka.bootstrap.servers", "x:1")
                .option("subscribe", "t").option("minOffsetsPerTrigger", "5").option("maxTriggerDelay", "soon").load())
                .hasMessageContaining("option 'maxTriggerDelay' must be a duration such as 15m");
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").option("kafka.bootstrap.servers", "x:1")
                .option("subscribe", "t").option("minPartitions", "0").load())
                .hasMessageContaining("minPartitions must be at least 1");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static String text(ConsumerRecord<String, String> r) {
        return r.value();
    }
}
