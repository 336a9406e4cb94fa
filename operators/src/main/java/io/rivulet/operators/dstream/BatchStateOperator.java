package io.rivulet.operators.dstream;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;

/**
 * What the DStream operators share: per-key state in a {@link KeyedStateBackend} (snapshotted per key
 * group, restored into any partition count), the {@link BatchClock} that numbers batches from the
 * processing time passed in (its last batch index is the operator state), and whether any key holds
 * state, which decides if a batch is due without records.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <O> output type
 */
abstract class BatchStateOperator<K, V, O> implements KeyedOperator<K, V, O>, CheckpointedOperator, StatefulOperator {
    final BatchClock clock;
    final KeyedStateBackend<K> backend;
    /** Whether any key may hold state: set when one gets some, recomputed at each batch. */
    boolean hasState;

    BatchStateOperator(DStreamSettings<K, V> settings) {
        this.clock = new BatchClock(settings.batchIntervalMs());
        this.backend = new KeyedStateBackend<>(settings.keyCodec(), settings.maxParallelism(), settings.keyGroups());
    }

    /**
     * @return the keyed state (for tests and metrics)
     */
    public KeyedStateBackend<K> backend() {
        return backend;
    }

    /** Batches are numbered from processing time. */
    @Override
    public boolean usesProcessingTime() {
        return true;
    }

    @Override
    public void onProcessingTime(long nowMs, Output<O> out) {
        clock.onProcessingTime(nowMs);
    }

    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        return backend.snapshotState(epochId, clock.lastIndex());
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        backend.restoreKeyGroup(keyGroup, in);
        hasState = true;
    }

    /** The last batch index: the largest over the old partitions. */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        clock.restore(in);
    }

    @Override
    public void stateMetrics(StateMetrics into) {
        backend.stateMetrics(into);
    }
}
