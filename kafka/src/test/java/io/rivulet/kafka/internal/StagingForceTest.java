package io.rivulet.kafka.internal;

import io.rivulet.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the exactly-once sink forces its staging files: never on a writer's thread at the epoch's end, always in
 * {@link TransactionalEpochs#prepareCommit} on the thread that calls it, each ended file once, then the directory.
 */
class StagingForceTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();

    @TempDir
    Path dir;

    /** Each force: the file's name (or "directory") and the thread that forced it. */
    private final List<String> forced = new ArrayList<>();
    private final List<Thread> forcedOn = new ArrayList<>();
    private TransactionalEpochs epochs;

    @AfterEach
    void close() {
        if (epochs != null) {
            epochs.close();
        }
    }

    private TransactionalEpochs epochs(String topic, int writers) throws Exception {
        BROKER.createTopic(topic, 1);
        Path staging = dir.resolve("staging");
        epochs = new TransactionalEpochs(staging, "rivulet-" + topic, null,
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()), path -> {
                synchronized (forced) {
                    forced.add(path.equals(staging) ? "directory" : path.getFileName().toString());
                    forcedOn.add(Thread.currentThread());
                }
                StagedRecords.Force.DISK.force(path);
            });
        epochs.prepare(writers);
        return epochs;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String staged(long epoch, int writer) {
        return String.format(Locale.ROOT, "epoch-%020d-w%05d.stage", epoch, writer);
    }

    private List<String> forcedSoFar() {
        synchronized (forced) {
            return List.copyOf(forced);
        }
    }

    @Test
    void shouldForceNoFileWhenAnEpochEndsAndEachEndedFileOnceThenTheDirectoryInPrepareCommitOnItsThread() throws Exception {
        TransactionalEpochs run = epochs("forced", 3);
        TransactionalEpochs.Writer w0 = run.writer(0);
        TransactionalEpochs.Writer w1 = run.writer(1);
        for (long epoch = 1; epoch <= 3; epoch++) {
            w0.write(record("forced", "w0-e" + epoch));
            w0.endEpoch(epoch);
            if (epoch != 2) {
                w1.write(record("forced", "w1-e" + epoch));
            }
            w1.endEpoch(epoch);
        }
        TransactionalEpochs.Writer dropped = run.writer(2);
        dropped.write(record("forced", "dropped"));
        dropped.close();
        assertThat(forcedSoFar()).as("three epochs ended, one dropped: nothing forced").isEmpty();

        run.prepareCommit(2);
        List<String> first = forcedSoFar();
        assertThat(first).hasSize(4).endsWith("directory")
            .containsExactlyInAnyOrder(staged(1, 0), staged(2, 0), staged(1, 1), "directory");
        assertThat(first.indexOf(staged(1, 0))).as("a writer's epochs oldest first").isLessThan(first.indexOf(staged(2, 0)));
        run.prepareCommit(2);
        assertThat(forcedSoFar()).as("nothing forced twice").hasSize(4);
        run.commit(2);

        run.prepareCommit(3);
        assertThat(forcedSoFar().subList(4, forcedSoFar().size()))
            .containsExactlyInAnyOrder(staged(3, 0), staged(3, 1), "directory").endsWith("directory");
        synchronized (forced) {
            assertThat(forcedOn).as("every force on the thread calling prepareCommit").containsOnly(Thread.currentThread());
        }
        run.commit(3);
        assertThat(BROKER.readCommitted("forced")).extracting(StagingForceTest::value)
            .containsExactlyInAnyOrder("w0-e1", "w0-e2", "w0-e3", "w1-e1", "w1-e3");

        run.prepareCommit(4);
        assertThat(forcedSoFar()).as("no file ended since, no directory force").hasSize(7);
    }

    @Test
    void shouldRefuseToCommitAnEpochWhoseStagedFileWasNotPrepared() throws Exception {
        TransactionalEpochs run = epochs("unprepared", 1);
        TransactionalEpochs.Writer writer = run.writer(0);
        writer.write(record("unprepared", "e1"));
        writer.endEpoch(1);
        assertThatThrownBy(() -> run.commit(1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("commit epoch 1 before its prepareCommit forced writer 0's staged epoch 1")
            .hasMessageContaining("must pass prepareCommit on");
        assertThat(BROKER.readCommitted("unprepared")).isEmpty();
        run.prepareCommit(1);
        run.commit(1);
        assertThat(BROKER.readCommitted("unprepared")).extracting(StagingForceTest::value).containsExactly("e1");
    }

    private static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
