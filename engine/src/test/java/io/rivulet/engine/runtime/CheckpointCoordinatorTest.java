package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.checkpoint.Checkpoint;
import io.rivulet.engine.internal.checkpoint.CheckpointStorage;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The coordinator driven by hand on the test thread (as the micro-batch driver drives it). */
class CheckpointCoordinatorTest {
    @TempDir
    Path dir;

    private final List<Long> committed = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean sinksFinished;
    /** When set, each sink commit records the checkpoints and commits the storage holds at that moment. */
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
        assertThat(events).containsExactly("sink.commit 0");
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
            assertThat(events).containsExactly("sink.commit 0", "complete [0], committed -1");
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
        return new Sink<>() {
            @Override
            public String description() {
                return "sink";
            }

            @Override
            public SinkWriter<Object> createWriter(int writerIndex) {
                return record -> { };
            }

            @Override
            public void commit(long epochId) {
                events.add("sink.commit " + epochId);
                if (observed != null) {
                    events.add("complete " + observed.completeEpochs() + ", committed " + observed.lastCommittedEpoch());
                }
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
        Map<String, Long> state = new java.util.HashMap<>();
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
