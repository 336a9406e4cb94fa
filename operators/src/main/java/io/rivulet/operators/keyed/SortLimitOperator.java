package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateFormatException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Objects;

/**
 * Sorts the rows of each epoch and emits the first {@code limit} at the epoch's end: Spark's
 * {@code orderBy(..).limit(n)} over an aggregation's result table in complete mode, where each
 * epoch carries the whole table. Runs in a single partition.
 *
 * <p>Checkpointed with an empty snapshot: rows are held only within an epoch, and {@link #onEpoch}
 * emits and drops them all, so right after it (where the runtime snapshots) the operator holds
 * nothing; an epoch cut short by a failure is replayed from the sources whole. A snapshot asked for
 * while rows are held is a bug in the caller and fails.
 *
 * <p>Not thread-safe; owned by its partition worker.
 *
 * @param <T> row type
 */
public final class SortLimitOperator<T> implements KeyedOperator<Object, T, T>, CheckpointedOperator {
    private final Comparator<? super T> order;
    private final long limit;
    private final ArrayList<T> rows = new ArrayList<>();

    /**
     * @param order the sort order
     * @param limit most rows emitted per epoch, at least 1 ({@code Long.MAX_VALUE}: all)
     */
    public SortLimitOperator(Comparator<? super T> order, long limit) {
        this.order = Objects.requireNonNull(order, "order");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        this.limit = limit;
    }

    @Override
    public void process(Object key, T record, Output<T> out) {
        rows.add(record);
    }

    @Override
    public void onEpoch(long epochId, Output<T> out) {
        flush(out);
    }

    @Override
    public void onEnd(Output<T> out) {
        flush(out);
    }

    /**
     * @param epochId the epoch that just ended
     * @return {@link OperatorSnapshot#EMPTY}: nothing outlives an epoch
     * @throws IllegalStateException if called with rows held, i.e. not right after {@link #onEpoch}
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("snapshot of epoch " + epochId + " asked for while " + rows.size()
                + " rows of the current epoch are held: SortLimitOperator is snapshotted only right after onEpoch");
        }
        return OperatorSnapshot.EMPTY;
    }

    /**
     * Nothing to restore: the snapshot is empty.
     *
     * @param keyGroup the key group
     * @param in its bytes; must be empty
     * @throws StateFormatException if there are bytes
     */
    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        if (in.hasRemaining()) {
            throw new StateFormatException("SortLimitOperator holds no keyed state, but key group " + keyGroup + " has "
                + in.remaining() + " bytes");
        }
    }

    private void flush(Output<T> out) {
        rows.sort(order);
        for (int i = 0, n = (int) Math.min(rows.size(), limit); i < n; i++) {
            out.emit(rows.get(i));
        }
        rows.clear();
    }
}
