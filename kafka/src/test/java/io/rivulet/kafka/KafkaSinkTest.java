package io.rivulet.kafka;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Delivery;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.source.Sources;
import io.rivulet.kafka.internal.TransactionalEpochs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The Kafka sink against a real broker: both deliveries, and the exactly-once recovery protocol driven by hand. */
class KafkaSinkTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();

    private static final String MARKER_TOPIC_FILE = "epoch-marker-topic.properties";

    @TempDir
    Path dir;

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the staging directory's files but the marker topic's record */
    private static List<String> stagedFiles(Path staging) throws Exception {
        try (var files = Files.list(staging)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> !name.equals(MARKER_TOPIC_FILE)).sorted().toList();
        }
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
    void shouldFlushAtLeastOnceRecordsInPrepareCommitNotAtTheWritersEpochEnd() throws Exception {
        BROKER.createTopic("alo-prepare", 1);
        // A minute's linger: a record reaches the broker before then only through a flush.
        KafkaSink<String> sink = KafkaSink.strings(BROKER.bootstrapServers(), "alo-prepare").option("linger.ms", "60000");
        sink.open("alo-prepare", 1);
        SinkWriter<String> writer = sink.createWriter(0);
        writer.write("row-0");
        writer.endEpoch(0);
        assertThat(endOffset("alo-prepare")).as("records on the broker after the writer's epoch end").isZero();
        sink.prepareCommit(0);
        assertThat(endOffset("alo-prepare")).as("records on the broker after prepareCommit").isEqualTo(1);
        sink.commit(0);
        writer.close();
        // A writer closed before the commit thread prepares (the query stopping) was flushed by its close.
        SinkWriter<String> closing = sink.createWriter(0);
        closing.write("row-1");
        closing.endEpoch(1);
        closing.close();
        sink.prepareCommit(1);
        assertThat(endOffset("alo-prepare")).isEqualTo(2);
        sink.close();
    }

    private static long endOffset(String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = BROKER.admin()) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get(30, TimeUnit.SECONDS).offset();
        }
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
        assertThat(stagedFiles(staging)).isEmpty();
        TransactionalEpochs epochs = new TransactionalEpochs(staging, "rivulet-kafka-sink",
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()));
        // -1 is no marker; the rows may all fall in epoch 0 on a fast machine, so 0 is a committed epoch too.
        assertThat(epochs.committedEpoch(0)).as("writer 0's marker").isNotNegative();
        assertThat(epochs.committedEpoch(1)).as("writer 1's marker").isNotNegative();
        epochs.close();
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
        dead.prepare(1);
        TransactionalEpochs.Writer writer = dead.writer(0);
        for (long epoch = 1; epoch <= 4; epoch++) {
            writer.write(record("recover", "e" + epoch));
            writer.endEpoch(epoch);
        }
        writer.write(record("recover", "never-ended"));
        dead.prepareCommit(1);
        dead.commit(1);
        // Epochs 2 and 3 prepared, the checkpoint of 3 written: the run dies before committing them.
        dead.prepareCommit(3);
        // The dead run was in the middle of publishing epoch 2: its transaction is open, with records sent.
        KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            BROKER.bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, dead.transactionalId(0)),
            new ByteArraySerializer(), new ByteArraySerializer());
        zombie.initTransactions();
        zombie.beginTransaction();
        zombie.send(record("recover", "e2-half")).get();
        // The restart: the checkpoint covers epoch 3, the commit log says 1.
        TransactionalEpochs restarted = new TransactionalEpochs(staging, "rivulet-recover", configs);
        restarted.recover(3, 1);
        assertThat(values(BROKER.readCommitted("recover"))).containsExactly("e1", "e2", "e3");
        assertThat(restarted.committedEpoch(0)).isEqualTo(3L);
        assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
        zombie.close(Duration.ZERO);
        assertThat(stagedFiles(staging)).as("epoch 4 and the open file are dropped").isEmpty();
        // A second recovery from the same checkpoint publishes nothing again: Kafka's marker says 3.
        TransactionalEpochs again = new TransactionalEpochs(staging, "rivulet-recover", configs);
        again.recover(3, 1);
        again.close();
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
        TransactionalEpochs epochs = preparedEpochs("ahead", "rivulet-ahead");
        TransactionalEpochs.Writer writer = epochs.writer(0);
        for (long epoch = 1; epoch <= 3; epoch++) {
            writer.write(record("ahead", "e" + epoch));
            writer.endEpoch(epoch);
        }
        awaitOngoingTransaction(epochs.transactionalId(0), "ahead");
        assertThat(values(BROKER.readCommitted("ahead"))).as("begun, sent, not committed").isEmpty();
        epochs.prepareCommit(1);
        epochs.commit(1);
        assertThat(values(BROKER.readCommitted("ahead"))).containsExactly("e1");
        epochs.prepareCommit(3);
        epochs.commit(3);
        assertThat(values(BROKER.readCommitted("ahead"))).containsExactly("e1", "e2", "e3");
        assertThat(epochs.committedEpoch(0)).isEqualTo(3L);
        assertThat(stagedFiles(dir.resolve("staging"))).isEmpty();
        epochs.close();
    }

    @Test
    void shouldSendAnEpochsRecordsIntoItsTransactionBeforeTheEpochEndsAndShowThemOnlyAtItsCommit() throws Exception {
        TransactionalEpochs epochs = preparedEpochs("live", "rivulet-live");
        TransactionalEpochs.Writer writer = epochs.writer(0);
        // An empty epoch 1: the transaction begun at "a" is marked early with epoch 2 at least, and its end with 3.
        writer.endEpoch(1);
        writer.write(record("live", "a"));
        writer.write(record("live", "b"));
        assertThat(values(BROKER.readUncommitted("live", 2))).as("in Kafka before the epoch ends").containsExactly("a", "b");
        assertThat(values(BROKER.readCommitted("live"))).as("in an open transaction").isEmpty();
        writer.write(record("live", "c"));
        writer.endEpoch(3);
        assertThat(values(BROKER.readUncommitted("live", 3))).containsExactly("a", "b", "c");
        assertThat(values(BROKER.readCommitted("live"))).as("ended, not committed").isEmpty();
        epochs.prepareCommit(3);
        epochs.commit(3);
        assertThat(values(BROKER.readCommitted("live"))).containsExactly("a", "b", "c");
        assertThat(epochs.committedEpoch(0)).isEqualTo(3L);
        assertThat(stagedFiles(dir.resolve("staging"))).isEmpty();
        epochs.close();
    }

    @Test
    void shouldSendTheRecordsAFullRingRefusedFromTheStagingFileOnceEachInOrder() throws Exception {
        TransactionalEpochs epochs = preparedEpochs("spill", "rivulet-spill");
        TransactionalEpochs.Writer writer = epochs.writer(0);
        writer.write(record("spill", "first"));
        writer.endEpoch(1);
        awaitOngoingTransaction(epochs.transactionalId(0), "spill");
        // Epoch 1's transaction holds the producer until its commit: epoch 2's records wait in the ring, which
        // takes 8192 of them; the rest go from epoch 2's staging file.
        List<String> second = IntStream.range(0, 20_000).mapToObj(i -> "r" + i).toList();
        for (String value : second) {
            writer.write(record("spill", value));
        }
        writer.endEpoch(2);
        epochs.prepareCommit(1);
        epochs.commit(1);
        assertThat(values(BROKER.readCommitted("spill"))).containsExactly("first");
        epochs.prepareCommit(2);
        epochs.commit(2);
        List<String> all = new ArrayList<>(List.of("first"));
        all.addAll(second);
        assertThat(values(BROKER.readCommitted("spill"))).containsExactlyElementsOf(all);
        assertThat(epochs.committedEpoch(0)).isEqualTo(2L);
        epochs.close();
    }

    @Test
    void shouldAbortTheRecordsSentOfAnEpochItsWriterDroppedAndCommitTheNextWritersEpoch() throws Exception {
        TransactionalEpochs epochs = preparedEpochs("dropped", "rivulet-dropped");
        TransactionalEpochs.Writer writer = epochs.writer(0);
        writer.write(record("dropped", "never-ended"));
        assertThat(values(BROKER.readUncommitted("dropped", 1))).containsExactly("never-ended");
        writer.close();
        TransactionalEpochs.Writer next = epochs.writer(0);
        next.write(record("dropped", "e1"));
        next.endEpoch(1);
        epochs.prepareCommit(1);
        epochs.commit(1);
        assertThat(values(BROKER.readCommitted("dropped"))).containsExactly("e1");
        epochs.close();
    }

    @Test
    void shouldCommitAnEarlierEpochWhileAnEpochDroppedMidWayWaitsBehindAnUncommittedTransaction() throws Exception {
        TransactionalEpochs epochs = preparedEpochs("dropped-behind", "rivulet-dropped-behind");
        TransactionalEpochs.Writer writer = epochs.writer(0);
        writer.write(record("dropped-behind", "e7"));
        writer.endEpoch(7);
        awaitOngoingTransaction(epochs.transactionalId(0), "dropped-behind");
        writer.write(record("dropped-behind", "dropped"));
        writer.close();
        // Epoch 7's transaction holds the producer, the dropped epoch waits behind it: committing epoch 5 (none of
        // this writer's) must not wait for either.
        epochs.prepareCommit(5);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> epochs.commit(5));
        epochs.prepareCommit(7);
        epochs.commit(7);
        assertThat(values(BROKER.readCommitted("dropped-behind"))).containsExactly("e7");
        epochs.close();
    }

    @Test
    void shouldLeaveNothingOfAnEpochSentBeforeTheRunDiedVisibleAndPublishTheRerunEpochOnce() throws Exception {
        BROKER.createTopic("midepoch", 1);
        Path staging = dir.resolve("staging");
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        TransactionalEpochs dead = new TransactionalEpochs(staging, "rivulet-midepoch", configs);
        dead.prepare(1);
        TransactionalEpochs.Writer writer = dead.writer(0);
        writer.write(record("midepoch", "e1"));
        writer.endEpoch(1);
        dead.prepareCommit(1);
        dead.commit(1);
        writer.write(record("midepoch", "e2-a"));
        writer.write(record("midepoch", "e2-b"));
        assertThat(values(BROKER.readUncommitted("midepoch", 3))).as("epoch 2 sent, its transaction open")
            .containsExactly("e1", "e2-a", "e2-b");
        // The run dies mid-epoch 2 (its threads stay, as a zombie's would); the restart from checkpoint 1 fences it.
        TransactionalEpochs restarted = new TransactionalEpochs(staging, "rivulet-midepoch", configs);
        restarted.recover(1, 1);
        assertThat(values(BROKER.readCommitted("midepoch"))).as("the dead run's open transaction aborted")
            .containsExactly("e1");
        restarted.prepare(1);
        TransactionalEpochs.Writer rerun = restarted.writer(0);
        rerun.write(record("midepoch", "e2-a"));
        rerun.write(record("midepoch", "e2-b"));
        rerun.endEpoch(2);
        restarted.prepareCommit(2);
        restarted.commit(2);
        assertThat(values(BROKER.readCommitted("midepoch"))).containsExactly("e1", "e2-a", "e2-b");
        restarted.close();
        dead.close();
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
        epochs.prepareCommit(1);
        assertThatThrownBy(() -> epochs.commit(1)).isInstanceOf(ProducerFencedException.class);
        assertThat(values(BROKER.readCommitted("fenced"))).isEmpty();
        assertThat(stagedFiles(staging)).as("left for the next run's recovery")
            .containsExactly("epoch-00000000000000000001-w00000.stage");
        epochs.close();
    }

    @Test
    void shouldPublishExactlyTheCheckpointedEpochsThatTheMarkerTopicDoesNotShowCommittedWhenRecovering() throws Exception {
        BROKER.createTopic("marked", 1);
        Path staging = dir.resolve("staging");
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        TransactionalEpochs dead = new TransactionalEpochs(staging, "rivulet-marked", configs);
        dead.prepare(2);
        TransactionalEpochs.Writer w0 = dead.writer(0);
        TransactionalEpochs.Writer w1 = dead.writer(1);
        Path kept = dir.resolve("kept");
        Files.createDirectories(kept);
        for (long epoch = 1; epoch <= 4; epoch++) {
            w0.write(record("marked", "w0-e" + epoch));
            w0.endEpoch(epoch);
            if (epoch % 2 == 1) {
                w1.write(record("marked", "w1-e" + epoch));
                w1.endEpoch(epoch);
            }
        }
        // Copies of files the commit deletes: put back, they are a crash between commitTransaction and the delete.
        Path w0e2 = staging.resolve("epoch-00000000000000000002-w00000.stage");
        Path w1e1 = staging.resolve("epoch-00000000000000000001-w00001.stage");
        Files.copy(w0e2, kept.resolve(w0e2.getFileName()));
        Files.copy(w1e1, kept.resolve(w1e1.getFileName()));
        dead.prepareCommit(2);
        dead.commit(2);
        Files.copy(kept.resolve(w0e2.getFileName()), w0e2);
        Files.copy(kept.resolve(w1e1.getFileName()), w1e1);
        dead.prepareCommit(3);
        awaitOngoingTransaction(dead.transactionalId(0), "marked");
        // The run is abandoned here (killed), epoch 3's transaction open; its checkpoint covers 3 and the commit
        // log is empty, so only the markers tell that w0's epochs 1-2 and w1's epoch 1 are in Kafka.
        TransactionalEpochs restarted = new TransactionalEpochs(staging, "rivulet-marked", configs);
        restarted.prepare(2);
        restarted.recover(3, -1);
        assertThat(values(BROKER.readCommitted("marked")))
            .containsExactlyInAnyOrder("w0-e1", "w0-e2", "w0-e3", "w1-e1", "w1-e3");
        assertThat(stagedFiles(staging)).isEmpty();
        assertThat(restarted.committedEpoch(0)).isEqualTo(3L);
        assertThat(restarted.committedEpoch(1)).isEqualTo(3L);
        assertThat(BROKER.readCommitted("rivulet-marked-epochs"))
            .extracting(r -> r.partition() + ":" + new String(r.key(), StandardCharsets.UTF_8) + "="
                + new String(r.value(), StandardCharsets.UTF_8))
            .as("one committed marker per committed transaction, in partition 0; the killed run's epoch 3 aborted")
            .containsExactlyInAnyOrder("0:rivulet-marked-0=1", "0:rivulet-marked-0=2", "0:rivulet-marked-1=1",
                "0:rivulet-marked-0=3", "0:rivulet-marked-1=3");
        try (Admin admin = BROKER.admin()) {
            var config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "rivulet-marked-epochs")))
                .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        restarted.close();
        dead.close();
    }

    @Test
    void shouldRecoverFromTheConsumerGroupMarkerOfTheEarlierVersionWhenTheMarkerTopicHasNone() throws Exception {
        BROKER.createTopic("legacy", 1);
        Path staging = dir.resolve("staging");
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        TransactionalEpochs dead = new TransactionalEpochs(staging, "rivulet-legacy", configs);
        dead.prepare(1);
        TransactionalEpochs.Writer writer = dead.writer(0);
        for (long epoch = 2; epoch <= 3; epoch++) {
            writer.write(record("legacy", "e" + epoch));
            writer.endEpoch(epoch);
        }
        dead.prepareCommit(3);
        // The earlier version marked epoch 2 committed as the offset of group <prefix>-0.
        try (Admin admin = BROKER.admin()) {
            admin.alterConsumerGroupOffsets(dead.transactionalId(0), Map.of(new TopicPartition("legacy", 0),
                new OffsetAndMetadata(2))).all().get(30, TimeUnit.SECONDS);
        }
        TransactionalEpochs restarted = new TransactionalEpochs(staging, "rivulet-legacy", configs);
        restarted.recover(3, -1);
        assertThat(values(BROKER.readCommitted("legacy"))).containsExactly("e3");
        assertThat(restarted.committedEpoch(0)).as("now a marker record").isEqualTo(3L);
        restarted.close();
        dead.close();
    }

    @Test
    void shouldRefuseToStartWhenTheEpochMarkerTopicIsAbsentAndCannotBeCreated() {
        // The broker refuses a topic whose name differs from an existing one's only in '.' and '_'.
        BROKER.createTopic("markers_taken", 1);
        KafkaSink<String> sink = KafkaSink.strings(BROKER.bootstrapServers(), "x").exactlyOnce(dir.resolve("staging"))
            .epochMarkerTopic("markers.taken");
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream(Sources.of("a")).writeStream(sink)
                .checkpointLocation(dir.resolve("checkpoint")).start())
                .hasMessageContaining("epoch marker topic 'markers.taken' does not exist and cannot be created")
                .hasMessageContaining("epochMarkerTopic");
        }
    }

    @Test
    void shouldRefuseAnEpochMarkerTopicThatIsNotCompacted() {
        BROKER.createTopic("markers-deleting", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
        TransactionalEpochs epochs = new TransactionalEpochs(dir.resolve("staging"), "rivulet-deleting", "markers-deleting",
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()));
        assertThatThrownBy(() -> epochs.prepare(1)).hasMessageContaining("'markers-deleting' has cleanup.policy=delete")
            .hasMessageContaining("must include compact");
        epochs.close();
    }

    @Test
    void shouldRefuseToGuessWhenTheMarkerTopicWasRecreatedWhileAnEpochIsInDoubt() throws Exception {
        BROKER.createTopic("recreated", 1);
        Path staging = dir.resolve("staging");
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        TransactionalEpochs dead = new TransactionalEpochs(staging, "rivulet-recreated", configs);
        dead.prepare(1);
        TransactionalEpochs.Writer writer = dead.writer(0);
        writer.write(record("recreated", "e1"));
        writer.endEpoch(1);
        dead.prepareCommit(1);
        dead.close();
        try (Admin admin = BROKER.admin()) {
            admin.deleteTopics(List.of("rivulet-recreated-epochs")).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("rivulet-recreated-epochs")) {
                assertThat(System.nanoTime()).as("topic deleted within 30 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        TransactionalEpochs restarted = new TransactionalEpochs(staging, "rivulet-recreated", configs);
        restarted.prepare(1);
        assertThatThrownBy(() -> restarted.recover(1, -1))
            .hasMessageContaining("'rivulet-recreated-epochs' was deleted and re-created")
            .hasMessageContaining("epoch-00000000000000000001-w00000.stage");
        assertThat(stagedFiles(staging)).containsExactly("epoch-00000000000000000001-w00000.stage");
        assertThat(values(BROKER.readCommitted("recreated"))).isEmpty();
        restarted.close();
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
                .option("epochMarkerTopic", "fmt-markers")
                .option("checkpointLocation", dir.resolve("checkpoint").toString()).queryName("fmt").start();
            assertThat(query.awaitTermination(60_000)).isTrue();
        }
        List<ConsumerRecord<byte[], byte[]>> out = BROKER.readCommitted("fmt-out");
        assertThat(out).extracting(r -> new String(r.key(), StandardCharsets.UTF_8) + "=" + new String(r.value(),
            StandardCharsets.UTF_8)).containsExactlyInAnyOrder("a=ONE", "b=TWO", "c=THREE");
        assertThat(BROKER.readCommitted("fmt-markers")).as("the named marker topic, created by the sink").isNotEmpty();
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

    /** A one-partition topic and one writer's exactly-once epochs, prepared, staging under {@code dir}. */
    private TransactionalEpochs preparedEpochs(String topic, String transactionalIdPrefix) throws Exception {
        BROKER.createTopic(topic, 1);
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        TransactionalEpochs epochs = new TransactionalEpochs(dir.resolve("staging"), transactionalIdPrefix, configs);
        epochs.prepare(1);
        return epochs;
    }
}
