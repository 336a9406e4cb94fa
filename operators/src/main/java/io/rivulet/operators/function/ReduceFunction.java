package io.rivulet.operators.function;

/**
 * Combines two values of one type into one, as in a running per-key reduce.
 *
 * @param <T> value type
 */
@FunctionalInterface
public interface ReduceFunction<T> {
    /**
     * Combines the reduced value so far with a new value.
     *
     * @param accumulated the value reduced so far for this key
     * @param value the new value
     * @return the new reduced value; never {@code null}
     * @throws Exception to fail the query
     */
    T reduce(T accumulated, T value) throws Exception;
}
