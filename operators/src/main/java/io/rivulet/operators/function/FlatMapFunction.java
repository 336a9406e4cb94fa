package io.rivulet.operators.function;

import io.rivulet.operators.Output;

/**
 * Turns one record into zero or more records, emitted to {@code out} without building a collection.
 *
 * @param <T> input type
 * @param <R> output type
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> {
    /**
     * Emits the records {@code value} expands to.
     *
     * @param value the input record
     * @param out receives each result; valid only during this call
     * @throws Exception to fail the query
     */
    void flatMap(T value, Output<R> out) throws Exception;
}
