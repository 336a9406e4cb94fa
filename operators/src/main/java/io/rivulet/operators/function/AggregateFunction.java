package io.rivulet.operators.function;

/**
 * A user-defined aggregate: create an accumulator, add values, merge accumulators, read the result.
 *
 * <p>{@code add} and {@code merge} may mutate and return their first argument (cheapest: no
 * allocation per record) or return a new accumulator. {@code merge} must leave its second argument
 * unchanged: one pane of a sliding window is merged into several windows. {@code result} must not
 * mutate the accumulator: the aggregate goes on after a result is read.
 *
 * @param <T> input value type
 * @param <A> accumulator type
 * @param <R> result type
 */
public interface AggregateFunction<T, A, R> {
    /**
     * Creates the accumulator of an empty group.
     *
     * @return a fresh accumulator
     */
    A createAccumulator();

    /**
     * Adds one value.
     *
     * @param accumulator the group's accumulator
     * @param value the value to add
     * @return the updated accumulator (may be {@code accumulator} itself)
     * @throws Exception to fail the query
     */
    A add(A accumulator, T value) throws Exception;

    /**
     * Merges two accumulators of the same group (e.g. two panes or two merged sessions).
     *
     * @param a first accumulator; may be modified
     * @param b second accumulator; left unchanged
     * @return the merged accumulator (may be {@code a} itself)
     */
    A merge(A a, A b);

    /**
     * Reads the result of a group.
     *
     * @param accumulator the group's accumulator
     * @return the result
     */
    R result(A accumulator);
}
