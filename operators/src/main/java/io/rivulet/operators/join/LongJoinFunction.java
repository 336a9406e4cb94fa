package io.rivulet.operators.join;

/**
 * Builds one output record of a long-key join from the key and the two rows: {@link JoinFunction}
 * with the key unboxed.
 *
 * <p>Called on the operator's owner thread, once per output row, with the same contract as
 * {@link JoinFunction}: for an unmatched row of an outer join's outer side the other side is
 * {@code null}; a left semi join passes {@code null} for the right; the rows must not be mutated (with
 * {@link JoinRowLayout column rows} they are the operator's reused instances, valid only during the
 * call); returning {@code null} emits nothing; an exception propagates to the runtime, which fails the
 * query with it.
 *
 * @param <L> left row type
 * @param <R> right row type
 * @param <O> output type
 */
@FunctionalInterface
public interface LongJoinFunction<L, R, O> {
    /**
     * @param key the join key
     * @param left the left row, or {@code null} (an unmatched right row of a right or full outer join)
     * @param right the right row, or {@code null} (an unmatched left row of a left or full outer join,
     *     or any row of a left semi join)
     * @return the output record, or {@code null} for none
     */
    O join(long key, L left, R right);
}
