package io.rivulet.operators.join;

/**
 * Builds one output record of a join from the key and the two rows.
 *
 * <p>Called on the operator's owner thread, once per output row. For a row of an outer join's
 * outer side that never matched, the other side is {@code null}; a left semi join passes the left
 * row and {@code null} for the right (Spark's semi join outputs the left row only). The rows passed
 * in are the ones the operator holds in state: the function must not mutate them. Returning
 * {@code null} emits nothing. An exception thrown here propagates to the runtime, which fails the
 * query with it.
 *
 * @param <K> key type
 * @param <L> left row type
 * @param <R> right row type
 * @param <O> output type
 */
@FunctionalInterface
public interface JoinFunction<K, L, R, O> {
    /**
     * @param key the join key; never {@code null}
     * @param left the left row, or {@code null} (an unmatched right row of a right or full outer join)
     * @param right the right row, or {@code null} (an unmatched left row of a left or full outer join,
     *     or any row of a left semi join)
     * @return the output record, or {@code null} for none
     */
    O join(K key, L left, R right);
}
