package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Objects;

/**
 * Sorts the rows of each epoch and emits the first {@code limit} at the epoch's end: Spark's
 * {@code orderBy(..).limit(n)} over an aggregation's result table in complete mode, where each
 * epoch carries the whole table. Runs in a single partition.
 *
 * <p>Not thread-safe; owned by its partition worker.
 *
 * @param <T> row type
 */
public final class SortLimitOperator<T> implements KeyedOperator<Object, T, T> {
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

    private void flush(Output<T> out) {
        rows.sort(order);
        for (int i = 0, n = (int) Math.min(rows.size(), limit); i < n; i++) {
            out.emit(rows.get(i));
        }
        rows.clear();
    }
}
