package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.checkpoint.Checkpoint;
import io.rivulet.engine.internal.checkpoint.CheckpointStorage;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotImage;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The coordinator driven by hand on the test thread (as the micro-batch driver drives it). */
class CheckpointCoordinatorTest {
    @TempDir
    Path dir;
    /** Copies of {@link #dir} restarted from. */
    @TempDir
    Path copies;

    private final List<Long> committed = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean sinksFinished;
    /** When set, each sink call records the checkpoints and commits the storage holds at that moment. */
    private CheckpointStorage observed;

    @Test
    void shouldCommitAnEpochOnlyWhenEveryParticipantEndedIt() {
        CheckpointCoordinator coordinator = coordinator(null);
        CheckpointCoordinator.Participant source = coordinator.source("source-0", 0);
        CheckpointCoordinator.Participant writer0 = coordinator.writer("sink", 0);
        CheckpointCoordinator.Participant writer1 = coordinator.writer("sink", 1);

        coordinator.epochEnded(source, 0, null, null);
        coordinator.epochEnded(writer0, 0, null, null);
        coordinator.completeReady();
        assertThat(committed).isEmpty();

        coordinator.epochEnded(writer1, 0, null, null);
        coordinator.epochEnded(source, 1, null, null);
        coordinator.completeReady();
        assertThat(committed).containsExactly(0L);
        assertThat(events).containsExactly("sink.prepareCommit 0", "sink.commit 0");
    }

    @Test
    void shouldLetAFinishedParticipantStandForEveryLaterEpoch() {
        CheckpointCoordinator coordinator = coordinator(null);
        CheckpointCoordinator.Participant source = coordinator.source("source-0", 0);
        CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
        coordinator.epochEnded(source, 0, null, null);
        coordinator.finished(source);
        coordinator.epochEnded(writer, 0, null, null);
        coordinator.epochEnded(writer, 1, null, null);
        coordinator.completeReady();
        assertThat(committed).containsExactly(0L, 1L);
        assertThat(sinksFinished).isFalse();
        coordinator.finished(writer);
        coordinator.completeReady();
        assertThat(sinksFinished).isTrue();
    }

    @Test
    void shouldMakeTheCheckpointDurableBeforeTheSinkCommitsAndLogTheCommitAfter() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            observed = storage;
            CheckpointCoordinator coordinator = coordinator(storage);
            CheckpointCoordinator.Participant source = coordinator.source("source-0", 0);
            CheckpointCoordinator.Participant operator = coordinator.operator("keyed-1", 0, 1);
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);

            coordinator.epochEnded(source, 0, new byte[] {7}, null);
            coordinator.epochEnded(operator, 0, null, snapshot(Map.of("a", 1L, "b", 2L), 99));
            coordinator.epochEnded(writer, 0, null, null);
            coordinator.completeReady();
            assertThat(committed).containsExactly(0L);
            assertThat(events).containsExactly("sink.prepareCommit 0: complete [], committed -1",
                "sink.commit 0: complete [0], committed -1");
            assertThat(storage.lastCommittedEpoch()).isEqualTo(0);
        }
        try (CheckpointStorage reopened = CheckpointStorage.open(dir, 8, "plan")) {
            Checkpoint checkpoint = reopened.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isZero();
            assertThat(checkpoint.sourcePosition("source-0", 0)).containsExactly(7);
            assertThat(readAll(checkpoint, "keyed-1", 8)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", 2L));
            assertThat(checkpoint.operatorStates("keyed-1")).hasSize(1);
            assertThat(new SnapshotInput(checkpoint.operatorStates("keyed-1").get(0)).readLong()).isEqualTo(99);
        }
    }

    @Test
    void shouldCoverSeveralReadyEpochsWithOneCheckpointOfTheNewest() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            CheckpointCoordinator coordinator = coordinator(storage);
            CheckpointCoordinator.Participant source = coordinator.source("source-0", 0);
            CheckpointCoordinator.Participant operator = coordinator.operator("keyed-1", 0, 1);
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
            for (long e = 0; e < 3; e++) {
                coordinator.epochEnded(source, e, new byte[] {(byte) e}, null);
                coordinator.epochEnded(operator, e, null, snapshot(Map.of("k", e), e));
                coordinator.epochEnded(writer, e, null, null);
            }
            coordinator.completeReady();
            assertThat(committed).containsExactly(0L, 1L, 2L);
            assertThat(storage.completeEpochs()).containsExactly(2L);
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.sourcePosition("source-0", 0)).containsExactly(2);
            assertThat(readAll(checkpoint, "keyed-1", 8)).containsExactly(Map.entry("k", 2L));
        }
    }

    @Test
    void shouldPrepareEveryReadyEpochInEverySinkInEpochOrderBeforeTheCheckpointCoveringThemIsWritten() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            observed = storage;
            CheckpointCoordinator coordinator = coordinator(storage);
            coordinator.addSink(sink("late", -1));
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
            coordinator.epochEnded(writer, 0, null, null);
            coordinator.completeReady();
            events.clear();
            for (long e = 1; e <= 3; e++) {
                coordinator.epochEnded(writer, e, null, null);
            }
            coordinator.completeReady();
            assertThat(events).containsExactly(
                "sink.prepareCommit 1: complete [0], committed 0", "late.prepareCommit 1: complete [0], committed 0",
                "sink.prepareCommit 2: complete [0], committed 0", "late.prepareCommit 2: complete [0], committed 0",
                "sink.prepareCommit 3: complete [0], committed 0", "late.prepareCommit 3: complete [0], committed 0",
                "sink.commit 1: complete [0, 3], committed 0", "late.commit 1: complete [0, 3], committed 0",
                "sink.commit 2: complete [0, 3], committed 0", "late.commit 2: complete [0, 3], committed 0",
                "sink.commit 3: complete [0, 3], committed 0", "late.commit 3: complete [0, 3], committed 0");
            assertThat(storage.lastCommittedEpoch()).isEqualTo(3);
        }
    }

    @Test
    void shouldFailNamingTheSinkAndTheEpochAndWriteNoCheckpointCoveringItWhenASinkFailsToPrepareIt() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            CheckpointCoordinator coordinator = coordinator(storage);
            coordinator.addSink(sink("disk-full", 2));
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
            coordinator.epochEnded(writer, 0, null, null);
            coordinator.completeReady();
            coordinator.epochEnded(writer, 1, null, null);
            coordinator.epochEnded(writer, 2, null, null);
            assertThatThrownBy(coordinator::completeReady).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sink disk-full failed to prepare epoch 2 for its commit")
                .hasMessageContaining("no space left on the staging disk").hasCauseInstanceOf(IOException.class);
            assertThat(storage.completeEpochs()).as("no checkpoint covers epochs 1 and 2").containsExactly(0L);
            assertThat(committed).containsExactly(0L);
            assertThat(events).doesNotContain("sink.commit 1", "disk-full.commit 1", "sink.commit 2", "disk-full.commit 2");
        }
    }

    @Test
    void shouldKeepAFinishedOperatorsStateInLaterCheckpoints() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            CheckpointCoordinator coordinator = coordinator(storage);
            CheckpointCoordinator.Participant operator = coordinator.operator("keyed-1", 0, 1);
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
            coordinator.epochEnded(operator, 0, null, snapshot(Map.of("x", 5L), 1));
            coordinator.finished(operator);
            coordinator.epochEnded(writer, 0, null, null);
            coordinator.completeReady();
            coordinator.epochEnded(writer, 1, null, null);
            coordinator.completeReady();
            assertThat(storage.completeEpochs()).containsExactly(0L, 1L);
            assertThat(readAll(storage.latestComplete().orElseThrow(), "keyed-1", 8)).containsExactly(Map.entry("x", 5L));
        }
    }

    @Test
    void shouldResumeEpochNumbersAfterTheRestoredCheckpoint() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            CheckpointCoordinator first = coordinator(storage);
            CheckpointCoordinator.Participant writer = first.writer("sink", 0);
            first.epochEnded(writer, 0, null, null);
            first.epochEnded(writer, 1, null, null);
            first.completeReady();
        }
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            Optional<Checkpoint> restored = storage.latestComplete();
            CheckpointCoordinator second = new CheckpointCoordinator(List.of(sink()), storage, restored.orElseThrow(), 8,
                10, Map.of(), listener());
            assertThat(second.firstEpoch()).isEqualTo(2);
        }
    }

    /** What one write of an operator's snapshot saw: its base and the key groups it kept. */
    private record Seen(long snapshotId, long base, List<Integer> kept) {
    }

    /** An image-backed operator partition: a key's value, written as (key, value). */
    private static SnapshotImage<String, Long> image() {
        return new SnapshotImage<>((slot, key, value, out) -> out.writeString(key).writeLong(value));
    }

    /** Hands the image a delta and records, when the snapshot is written, what the writer offered and what was kept. */
    private static OperatorSnapshot recorded(SnapshotImage<String, Long> image, long epochId, Map<String, Long> puts,
                                             List<Seen> seen) {
        SnapshotImage.Delta<String, Long> delta = image.delta(epochId);
        puts.forEach((k, v) -> delta.put(0, k, v));
        OperatorSnapshot snapshot = delta.snapshot(w -> w.operatorState().writeLong(epochId));
        return writer -> {
            List<Integer> kept = new ArrayList<>();
            snapshot.writeTo(new KeyGroupWriter() {
                @Override
                public SnapshotOutput forKey(Object key) {
                    return writer.forKey(key);
                }

                @Override
                public SnapshotOutput forKeyGroup(int keyGroup) {
                    return writer.forKeyGroup(keyGroup);
                }

                @Override
                public SnapshotOutput operatorState() {
                    return writer.operatorState();
                }

                @Override
                public int maxParallelism() {
                    return writer.maxParallelism();
                }

                @Override
                public long snapshotId() {
                    return writer.snapshotId();
                }

                @Override
                public long baseSnapshotId() {
                    return writer.baseSnapshotId();
                }

                @Override
                public void keepKeyGroup(int keyGroup) {
                    kept.add(keyGroup);
                    writer.keepKeyGroup(keyGroup);
                }
            });
            seen.add(new Seen(writer.snapshotId(), writer.baseSnapshotId(), kept));
        };
    }

    private static Map<String, Long> keys(int n, long value) {
        Map<String, Long> keys = new HashMap<>();
        for (int i = 0; i < n; i++) {
            keys.put("k" + i, value);
        }
        return keys;
    }

    private static int groupsHolding(Map<String, Long> state, KeyGroupRange range) {
        return (int) state.keySet().stream().mapToInt(k -> KeyGroups.keyGroupOf(k, 8)).filter(range::contains).distinct().count();
    }

    @Test
    void shouldKeepTheKeyGroupsAnImageDidNotChangeAndRestoreTheSameStateFromChainedCheckpointsInAnyPartitionCount() {
        Map<String, Long> state = keys(200, 1L);
        List<Seen> seen = new ArrayList<>();
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            CheckpointCoordinator coordinator = coordinator(storage);
            CheckpointCoordinator.Participant operator = coordinator.operator("keyed-1", 0, 1);
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
            SnapshotImage<String, Long> image = image();
            coordinator.epochEnded(operator, 0, null, recorded(image, 0, state, seen));
            coordinator.epochEnded(writer, 0, null, null);
            coordinator.completeReady();
            // Epochs 1 and 2 end before the coordinator gets to them: one checkpoint, of epoch 2, covers
            // both; the snapshot of epoch 1 is skipped and its change carried by epoch 2's write.
            coordinator.epochEnded(operator, 1, null, recorded(image, 1, Map.of("k1", 10L), seen));
            coordinator.epochEnded(operator, 2, null, recorded(image, 2, Map.of("k2", 20L), seen));
            coordinator.epochEnded(writer, 1, null, null);
            coordinator.epochEnded(writer, 2, null, null);
            coordinator.completeReady();
            state.put("k1", 10L);
            state.put("k2", 20L);
            assertThat(seen.get(0)).isEqualTo(new Seen(0, KeyGroupWriter.NO_SNAPSHOT, List.of()));
            assertThat(seen.get(1).snapshotId()).isEqualTo(2);
            assertThat(seen.get(1).base()).isEqualTo(0);
            List<Integer> changed = List.of(KeyGroups.keyGroupOf("k1", 8), KeyGroups.keyGroupOf("k2", 8));
            assertThat(seen.get(1).kept()).hasSize(8 - (int) changed.stream().distinct().count())
                .doesNotContainAnyElementsOf(changed);
            assertThat(readAll(storage.latestComplete().orElseThrow(), "keyed-1", 8)).isEqualTo(state);
        }
        for (int partitions : new int[] {1, 2, 3}) {
            seen.clear();
            Map<String, Long> after = new HashMap<>(state);
            after.put("k3", 30L);
            Path copy = copies.resolve("restart-" + partitions);
            copyTree(dir, copy);
            try (CheckpointStorage storage = CheckpointStorage.open(copy, 8, "plan")) {
                Checkpoint restored = storage.latestComplete().orElseThrow();
                CheckpointCoordinator coordinator = new CheckpointCoordinator(List.of(sink()), storage, restored, 8, 10,
                    Map.of(), listener());
                CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
                for (int p = 0; p < partitions; p++) {
                    KeyGroupRange range = KeyGroups.rangeOf(p, 8, partitions);
                    CheckpointCoordinator.Participant operator = coordinator.operator("keyed-1", p, partitions);
                    SnapshotImage<String, Long> image = image();
                    for (int g : restored.keyGroups("keyed-1")) {
                        SnapshotInput in = new SnapshotInput(restored.readKeyGroup("keyed-1", g));
                        while (range.contains(g) && in.hasRemaining()) {
                            image.put(0, in.readString(), in.readLong());
                        }
                    }
                    Map<String, Long> puts = range.contains(KeyGroups.keyGroupOf("k3", 8)) ? Map.of("k3", 30L) : Map.of();
                    coordinator.epochEnded(operator, 3, null, recorded(image, 3, puts, seen));
                }
                coordinator.epochEnded(writer, 3, null, null);
                coordinator.completeReady();
                int kept = 0;
                for (Seen s : seen) {
                    assertThat(s.base()).as("the restored checkpoint is the base").isEqualTo(2);
                    kept += s.kept().size();
                }
                assertThat(kept).as("every key group holding state but k3's is kept, %d partitions", partitions)
                    .isEqualTo(groupsHolding(state, new KeyGroupRange(0, 8)) - 1);
                assertThat(readAll(storage.latestComplete().orElseThrow(), "keyed-1", 8)).isEqualTo(after);
            }
        }
    }

    @Test
    void shouldFailACheckpointWhoseOperatorKeptAKeyGroupTheBaseDoesNotHold() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            CheckpointCoordinator coordinator = coordinator(storage);
            CheckpointCoordinator.Participant operator = coordinator.operator("keyed-1", 0, 1);
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
            int a = KeyGroups.keyGroupOf("a", 8);
            coordinator.epochEnded(operator, 0, null, snapshot(Map.of("a", 1L), 0));
            coordinator.epochEnded(writer, 0, null, null);
            coordinator.completeReady();
            coordinator.epochEnded(operator, 1, null, w -> w.keepKeyGroup((a + 1) % 8));
            coordinator.epochEnded(writer, 1, null, null);
            assertThatThrownBy(coordinator::completeReady).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kept key group " + (a + 1) % 8).hasMessageContaining("holds nothing for it");
            assertThat(storage.completeEpochs()).containsExactly(0L);
        }
    }

    @Test
    void shouldRefuseToKeepAKeyGroupInTheFirstCheckpoint() {
        try (CheckpointStorage storage = CheckpointStorage.open(dir, 8, "plan")) {
            CheckpointCoordinator coordinator = coordinator(storage);
            CheckpointCoordinator.Participant operator = coordinator.operator("keyed-1", 0, 1);
            CheckpointCoordinator.Participant writer = coordinator.writer("sink", 0);
            coordinator.epochEnded(operator, 0, null, w -> w.keepKeyGroup(0));
            coordinator.epochEnded(writer, 0, null, null);
            assertThatThrownBy(coordinator::completeReady).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no base checkpoint");
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!path.getFileName().toString().equals("lock")) {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CheckpointCoordinator coordinator(CheckpointStorage storage) {
        return new CheckpointCoordinator(List.of(sink()), storage, null, 8, 10, Map.of("runId", "r"), listener());
    }

    private CheckpointCoordinator.Listener listener() {
        return new CheckpointCoordinator.Listener() {
            @Override
            public void onEpochCommitted(long epochId) {
                committed.add(epochId);
            }

            @Override
            public void onSinksFinished() {
                sinksFinished = true;
            }

            @Override
            public void onFailure(Throwable cause) {
                throw new AssertionError("the coordinator failed", cause);
            }
        };
    }

    private Sink<Object> sink() {
        return sink("sink", -1);
    }

    /**
     * A sink recording its prepares and commits in {@link #events}, each with what the storage holds then if
     * {@link #observed} is set.
     *
     * @param failPrepareOf the epoch whose prepareCommit throws, or -1
     */
    private Sink<Object> sink(String name, long failPrepareOf) {
        return new Sink<>() {
            @Override
            public String description() {
                return name;
            }

            @Override
            public SinkWriter<Object> createWriter(int writerIndex) {
                return record -> { };
            }

            @Override
            public void prepareCommit(long epochId) throws IOException {
                if (epochId == failPrepareOf) {
                    throw new IOException("no space left on the staging disk");
                }
                record("prepareCommit", epochId);
            }

            @Override
            public void commit(long epochId) {
                record("commit", epochId);
            }

            private void record(String call, long epochId) {
                events.add(name + "." + call + " " + epochId + (observed == null ? ""
                    : ": complete " + observed.completeEpochs() + ", committed " + observed.lastCommittedEpoch()));
            }
        };
    }

    private static OperatorSnapshot snapshot(Map<String, Long> state, long operatorState) {
        return writer -> {
            state.forEach((key, value) -> writer.forKey(key).writeString(key).writeLong(value));
            writer.operatorState().writeLong(operatorState);
        };
    }

    private static Map<String, Long> readAll(Checkpoint checkpoint, String operatorId, int maxParallelism) {
        Map<String, Long> state = new HashMap<>();
        for (int g : checkpoint.keyGroups(operatorId)) {
            SnapshotInput in = new SnapshotInput(checkpoint.readKeyGroup(operatorId, g));
            while (in.hasRemaining()) {
                String key = in.readString();
                KeyGroups.checkRestoredKey(key, g, maxParallelism);
                state.put(key, in.readLong());
            }
        }
        return state;
    }
}
