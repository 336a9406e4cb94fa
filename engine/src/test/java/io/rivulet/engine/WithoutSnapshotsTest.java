package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.Output;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner tells a checkpointable operator when no snapshot will be taken, and only then. */
class WithoutSnapshotsTest {
    @TempDir
    Path checkpoints;

    /** Passes records through; records, per instance, whether it was told that no snapshot comes. */
    private static final class Recording implements KeyedOperator<Long, Long, Long>, CheckpointedOperator {
        private final Queue<String> calls;
        private boolean snapshotted;

        Recording(Queue<String> calls) {
            this.calls = calls;
        }

        @Override
        public void process(Long key, Long record, Output<Long> out) {
            out.emit(record);
        }

        @Override
        public OperatorSnapshot snapshotState(long epochId) {
            if (!snapshotted) {
                snapshotted = true;
                calls.add("snapshot");
            }
            return OperatorSnapshot.EMPTY;
        }

        @Override
        public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        }

        @Override
        public void withoutSnapshots() {
            calls.add("withoutSnapshots");
        }
    }

    private static Queue<String> run(Path checkpointLocation) throws Exception {
        Queue<String> calls = new ConcurrentLinkedQueue<>();
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<Long> writer = rivulet.readStream(Sources.generator(1_000, i -> i))
                .keyBy(i -> i % 5, 2)
                .process("recording", () -> new Recording(calls))
                .writeStream(Sinks.<Long>collecting());
            if (checkpointLocation != null) {
                writer.checkpointLocation(checkpointLocation);
            }
            StreamingQuery query = writer.start();
            assertThat(query.awaitTermination(60_000)).isTrue();
        }
        return calls;
    }

    @Test
    void shouldTellEveryPartitionsOperatorOfAQueryWithoutCheckpointLocationThatNoSnapshotComes() throws Exception {
        assertThat(run(null)).containsExactly("withoutSnapshots", "withoutSnapshots");
    }

    @Test
    void shouldNotTellItWhenTheQueryCheckpoints() throws Exception {
        assertThat(run(checkpoints)).isNotEmpty().allMatch("snapshot"::equals);
    }
}
