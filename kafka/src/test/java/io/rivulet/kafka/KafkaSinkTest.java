package io.rivulet.kafka;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Delivery;
import io.rivulet.engine.source.Sources;
import io.rivulet.kafka.internal.TransactionalEpochs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka sink against a real broker: both deliveries, and the exactly-once recovery protocol driven by hand. */
class KafkaSinkTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();

    @TempDir
    Path dir;

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8));
    }

    private void runQuery(KafkaSink<String> sink, int rows, Path checkpoint) throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            var writer = rivulet.readStream(Sources.generator(rows, i -> "row-" + i).numPartitions(2))
                .writeStream(sink).queryName("kafka-sink").trigger(Trigger.continuous(Duration.ofMillis(20)));
            StreamingQuery query = (checkpoint == null ? writer : writer.checkpointLocation(checkpoint)).start();
            assertThat(query.awaitTermination(60_000)).isTrue();
        }
    }

    @Test
    void shouldWriteEveryRowAtLeastOnceThroughIdempotentProducers() throws Exception {
        BROKER.createTopic("alo", 2);
        KafkaSink<String> sink = KafkaSink.strings(BROKER.bootstrapServers(), "alo").option("linger.ms", "1");
        assertThat(sink.delivery()).isEqualTo(Delivery.AT_LEAST_ONCE);
        runQuery(sink, 1_000, null);
        assertThat(values(BROKER.readCommitted("alo")))
            .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1_000).mapToObj(i -> "row-" + i).toList());
    }

    @Test
    void shouldCommitEachEpochInOneTransactionPerWriterAndLeaveNothingStaged() throws Exception {
        BROKER.createTopic("eos", 2);
        Path staging = dir.resolve("staging");
        KafkaSink<String> sink = KafkaSink.strings(BROKER.bootstrapServers(), "eos").exactlyOnce(staging);
        assertThat(sink.delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
        assertThat(sink.requiresCheckpointLocation()).isTrue();
        runQuery(sink, 2_000, dir.resolve("checkpoint"));
        assertThat(values(BROKER.readCommitted("eos")))
            .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 2_000).mapToObj(i -> "row-" + i).toList());
        try (var files = Files.list(staging)) {
            assertThat(files.toList()).isEmpty();
        }
        TransactionalEpochs epochs = new TransactionalEpochs(staging, "rivulet-kafka-sink",
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()));
        // -1 is no marker; the rows may all fall in epoch 0 on a fast machine, so 0 is a committed epoch too.
        assertThat(epochs.committedEpoch(0)).as("writer 0's marker").isNotNegative();
        assertThat(epochs.committedEpoch(1)).as("writer 1's marker").isNotNegative();
    }

    @Test
    void shouldRefuseAnExactlyOnceQueryWithoutCheckpointLocation() {
        KafkaSink<String> sink = KafkaSink.strings(BROKER.bootstrapServers(), "x").exactlyOnce(dir.resolve("s"));
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream(Sources.of("a")).writeStream(sink).start())
                .hasMessageContaining("checkpoint");
        }
    }

    @Test
    void shouldPublishCheckpointedEpochsDropLaterOnesAndAbortTheDeadRunsOpenTransactionOnRecovery() throws Exception {
        BROKER.createTopic("recover", 1);
        Path staging = dir.resolve("staging");
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        TransactionalEpochs dead = new TransactionalEpochs(staging, "rivulet-recover", configs);
        TransactionalEpochs.Writer writer = dead.writer(0);
        for (long epoch = 1; epoch <= 4; epoch++) {
            writer.write(record("recover", "e" + epoch));
            writer.endEpoch(epoch);
        }
        writer.write(record("recover", "never-ended"));
        dead.commit(1);
        // The dead run was in the middle of publishing epoch 2: its transaction is open, with records sent.
        KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            BROKER.bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, dead.transactionalId(0)),
            new ByteArraySerializer(), new ByteArraySerializer());
        zombie.initTransactions();
        zombie.beginTransaction();
        zombie.send(record("recover", "e2-half")).get();
        // The restart: the checkpoint covers epoch 3, the commit log says 1.
        TransactionalEpochs restarted = new TransactionalEpochs(staging, "rivulet-recover", configs);
        restarted.recover(3);
        assertThat(values(BROKER.readCommitted("recover"))).containsExactly("e1", "e2", "e3");
        assertThat(restarted.committedEpoch(0)).isEqualTo(3L);
        assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
        zombie.close(Duration.ZERO);
        try (var files = Files.list(staging)) {
            assertThat(files.toList()).as("epoch 4 and the open file are dropped").isEmpty();
        }
        // A second recovery from the same checkpoint publishes nothing again: Kafka's marker says 3.
        new TransactionalEpochs(staging, "rivulet-recover", configs).recover(3);
        assertThat(values(BROKER.readCommitted("recover"))).containsExactly("e1", "e2", "e3");
        restarted.close();
        dead.close();
    }

    /** Waits (at most 30 s) until Kafka reports transactional id {@code id}'s transaction ongoing with a partition of {@code topic}. */
    private static void awaitOngoingTransaction(String id, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                TransactionDescription description = admin.describeTransactions(List.of(id)).all().get(30, TimeUnit.SECONDS).get(id);
                if (description.state() == TransactionState.ONGOING
                    && description.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(topic))) {
                    return;
                }
                assertThat(System.nanoTime()).as("transaction of " + id + " ongoing within 30 s").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    @Test
    void shouldBeginAStagedEpochsTransactionBeforeItsCommitAndShowItsRecordsOnlyAtTheCommit() throws Exception {
        BROKER.createTopic("ahead", 1);
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        TransactionalEpochs epochs = new TransactionalEpochs(dir.resolve("staging"), "rivulet-ahead", configs);
        epochs.prepare(1);
        TransactionalEpochs.Writer writer = epochs.writer(0);
        for (long epoch = 1; epoch <= 3; epoch++) {
            writer.write(record("ahead", "e" + epoch));
            writer.endEpoch(epoch);
        }
        awaitOngoingTransaction(epochs.transactionalId(0), "ahead");
        assertThat(values(BROKER.readCommitted("ahead"))).as("begun, sent, not committed").isEmpty();
        epochs.commit(1);
        assertThat(values(BROKER.readCommitted("ahead"))).containsExactly("e1");
        epochs.commit(3);
        assertThat(values(BROKER.readCommitted("ahead"))).containsExactly("e1", "e2", "e3");
        assertThat(epochs.committedEpoch(0)).isEqualTo(3L);
        try (var files = Files.list(dir.resolve("staging"))) {
            assertThat(files.toList()).isEmpty();
        }
        epochs.close();
    }

    @Test
    void shouldFailTheCommitAndKeepTheStagedEpochWhenItsBegunTransactionWasFenced() throws Exception {
        BROKER.createTopic("fenced", 1);
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        Path staging = dir.resolve("staging");
        TransactionalEpochs epochs = new TransactionalEpochs(staging, "rivulet-fenced", configs);
        epochs.prepare(1);
        TransactionalEpochs.Writer writer = epochs.writer(0);
        writer.write(record("fenced", "e1"));
        writer.endEpoch(1);
        awaitOngoingTransaction(epochs.transactionalId(0), "fenced");
        try (KafkaProducer<byte[], byte[]> other = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            BROKER.bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, epochs.transactionalId(0)),
            new ByteArraySerializer(), new ByteArraySerializer())) {
            other.initTransactions();
        }
        assertThatThrownBy(() -> epochs.commit(1)).isInstanceOf(ProducerFencedException.class);
        assertThat(values(BROKER.readCommitted("fenced"))).isEmpty();
        try (var files = Files.list(staging)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("left for the next run's recovery")
                .containsExactly("epoch-00000000000000000001-w00000.stage");
        }
        epochs.close();
    }

    @Test
    void shouldCopyATopicThroughFormatKafkaExactlyOnceWithKeyValueAndTopicColumns() throws Exception {
        BROKER.createTopic("fmt-in", 2);
        BROKER.createTopic("fmt-out", 1);
        BROKER.produce("fmt-in", 0, -1, "a", "one", "b", "two");
        BROKER.produce("fmt-in", 1, -1, "c", "three");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream().format("kafka")
                .option("kafka.bootstrap.servers", BROKER.bootstrapServers()).option("subscribe", "fmt-in")
                .option("startingOffsets", "earliest").option("endingOffsets", "latest").load()
                .selectExpr("CAST(key AS STRING) AS key", "upper(CAST(value AS STRING)) AS value", "'fmt-out' AS topic")
                .writeStream().format("kafka").option("kafka.bootstrap.servers", BROKER.bootstrapServers())
                .option("stagingLocation", dir.resolve("staging").toString()).option("kafka.linger.ms", "0")
                .option("checkpointLocation", dir.resolve("checkpoint").toString()).queryName("fmt").start();
            assertThat(query.awaitTermination(60_000)).isTrue();
        }
        List<ConsumerRecord<byte[], byte[]>> out = BROKER.readCommitted("fmt-out");
        assertThat(out).extracting(r -> new String(r.key(), StandardCharsets.UTF_8) + "=" + new String(r.value(),
            StandardCharsets.UTF_8)).containsExactlyInAnyOrder("a=ONE", "b=TWO", "c=THREE");
    }

    @Test
    void shouldRejectAFormatKafkaWriteWithoutValueColumnTopicOrBootstrapServers() {
        try (Rivulet rivulet = Rivulet.create()) {
            var rates = rivulet.readStream().format("rate").load();
            assertThatThrownBy(() -> rates.selectExpr("CAST(value AS STRING) AS key").writeStream().format("kafka")
                .option("kafka.bootstrap.servers", "x:1").option("topic", "t").start())
                .hasMessageContaining("Required attribute 'value' not found");
            assertThatThrownBy(() -> rates.selectExpr("CAST(value AS STRING) AS value").writeStream().format("kafka")
                .option("kafka.bootstrap.servers", "x:1").start())
                .hasMessageContaining("topic option required when no 'topic' attribute is present");
            assertThatThrownBy(() -> rates.selectExpr("CAST(value AS STRING) AS value").writeStream().format("kafka")
                .option("topic", "t").start())
                .hasMessageContaining("'kafka.bootstrap.servers' must be specified");
            assertThatThrownBy(() -> rates.selectExpr("CAST(value AS STRING) AS value").writeStream().format("kafka")
                .option("kafka.bootstrap.servers", "x:1").option("topic", "t").option("stagingDir", "/tmp/x").start())
                .hasMessageContaining("unknown option 'stagingDir'").hasMessageContaining("stagingLocation");
        }
    }
}
