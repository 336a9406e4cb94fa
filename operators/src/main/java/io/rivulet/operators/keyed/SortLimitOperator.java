package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateFormatException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

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
 * <p><b>Queryable state</b> is the result last emitted (the sorted, limited table of the last epoch
 * that ended with rows), keyed by position: key {@code 1} reads the first row, and a scan reads every row by
 * position. Rows of the epoch in progress are not read (they are not sorted yet), and the result is
 * not checkpointed: after a restart nothing reads until the first epoch ends. Rows are returned as
 * held (they are kept for a whole epoch already, so they are immutable or copies).
 *
 * <p>Not thread-safe; owned by its partition worker.
 *
 * @param <T> row type
 */
public final class SortLimitOperator<T> implements KeyedOperator<Object, T, T>, CheckpointedOperator,
    QueryableOperator<Integer, T> {
    private final Comparator<? super T> order;
    private final long limit;
    private ArrayList<T> rows = new ArrayList<>();
    /** The rows last emitted, by position (the rows of the previous epoch, sorted, cut at the limit). */
    private ArrayList<T> emitted = new ArrayList<>();

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

    /**
     * Owner thread, between records; see {@link QueryableOperator} and the class comment.
     *
     * @param position a 1-based position in the result last emitted
     * @return the row at that position, or {@code null} if the result has fewer rows
     */
    @Override
    public T queryValue(Integer position) {
        int p = position;
        return p >= 1 && p <= emitted.size() ? emitted.get(p - 1) : null;
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: the result last emitted, by position.
     *
     * @param keys which positions to read
     * @param into receives each 1-based position and its row
     */
    @Override
    public void scanValues(Predicate<? super Integer> keys, BiConsumer<? super Integer, ? super T> into) {
        for (int i = 0; i < emitted.size(); i++) {
            if (keys.test(i + 1)) {
                into.accept(i + 1, emitted.get(i));
            }
        }
    }

    private void flush(Output<T> out) {
        if (rows.isEmpty()) {
            return; // an epoch without rows emits nothing: the result last emitted stays the one read
        }
        rows.sort(order);
        int n = (int) Math.min(rows.size(), limit);
        for (int i = 0; i < n; i++) {
            out.emit(rows.get(i));
        }
        // The sorted rows become the result read by queries; the previous result's list takes the next epoch's rows.
        ArrayList<T> previous = emitted;
        emitted = rows;
        emitted.subList(n, emitted.size()).clear();
        previous.clear();
        rows = previous;
    }
}
