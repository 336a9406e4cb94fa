package io.rivulet.operators.join;

import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Joins each record of a stream with a static table (Spark's stream-static join): stateless, one
 * input, inner or left outer.
 *
 * <p>For each record, the key {@code keyOf} gives it is looked up in the current
 * {@link StaticTable}: every static row with that key is passed with the record to the
 * {@link JoinFunction} (stream record as the left side, static row as the right), in the table's order;
 * a record with no static row (or a {@code null} key) is dropped by an inner join and passed with
 * {@code null} by a left outer join. Watermarks are ignored: a stateless join never drops a late row
 * (Spark's f3). Spark's other combinations (static left outer stream, stream right or full outer
 * static, semi) need the static side's unmatched rows and are rejected here.
 *
 * <p><b>Refreshing the static side.</b> The operator holds the {@link AtomicReference} it was given
 * and reads it once per record: whoever owns the reference (the runtime's refresh task, on any thread)
 * swaps in a newly built, immutable table with {@code set}; the next record joins with it. A record
 * never sees a mix of two tables, and the operator does no I/O. The reference must never hold
 * {@code null} (use {@link StaticTable#empty()}).
 *
 * <p>Not thread-safe as an operator (owned by one worker); the table reference may be swapped from any
 * thread.
 *
 * @param <K> key type
 * @param <T> stream record type
 * @param <R> static row type
 * @param <O> output type
 */
public final class StreamStaticJoinOperator<K, T, R, O> implements Operator<T, O> {
    private final JoinType type;
    private final boolean outer;
    private final Function<? super T, ? extends K> keyOf;
    private final AtomicReference<StaticTable<K, R>> table;
    private final JoinFunction<K, T, R, O> function;

    private StreamStaticJoinOperator(JoinType type, Function<? super T, ? extends K> keyOf,
                                     AtomicReference<StaticTable<K, R>> table, JoinFunction<K, T, R, O> function) {
        this.type = Objects.requireNonNull(type, "type");
        if (type != JoinType.INNER && type != JoinType.LEFT_OUTER) {
            throw new IllegalArgumentException("type " + type + ": a stream-static join is INNER or LEFT_OUTER with"
                + " the stream on the left (Spark rejects static LEFT OUTER stream and stream RIGHT OUTER static;"
                + " full outer and semi need the static side's unmatched rows, which a stateless join never knows)");
        }
        this.outer = type == JoinType.LEFT_OUTER;
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        this.table = Objects.requireNonNull(table, "table");
        if (table.get() == null) {
            throw new IllegalArgumentException("table holds null: give StaticTable.empty() for a table with no rows");
        }
        this.function = Objects.requireNonNull(function, "function");
    }

    /**
     * Builds the operator.
     *
     * @param type {@link JoinType#INNER} or {@link JoinType#LEFT_OUTER}
     * @param keyOf a stream record's key (the same key type as the table's)
     * @param table the current static table; swapped (by {@code set}) to refresh it; never holds {@code null}
     * @param function builds each output row: (key, stream record, static row or {@code null})
     * @param <K> key type
     * @param <T> stream record type
     * @param <R> static row type
     * @param <O> output type
     * @return the operator
     * @throws IllegalArgumentException if {@code type} is another join type, or {@code table} holds {@code null}
     */
    public static <K, T, R, O> StreamStaticJoinOperator<K, T, R, O> of(JoinType type, Function<? super T, ? extends K> keyOf,
                                                                       AtomicReference<StaticTable<K, R>> table,
                                                                       JoinFunction<K, T, R, O> function) {
        return new StreamStaticJoinOperator<>(type, keyOf, table, function);
    }

    /** @return the join type */
    public JoinType type() {
        return type;
    }

    @Override
    public void process(T record, Output<O> out) {
        StaticTable<K, R> current = table.get();
        K key = keyOf.apply(record);
        List<R> rows = current.rows(key);
        int n = rows.size();
        if (n == 0) {
            if (outer) {
                emit(function.join(key, record, null), out);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            emit(function.join(key, record, rows.get(i)), out);
        }
    }

    private void emit(O result, Output<O> out) {
        if (result != null) {
            out.emit(result);
        }
    }
}
