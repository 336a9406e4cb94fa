package io.rivulet.engine.sql;

import java.util.Iterator;

/**
 * A function from each element of a {@link Dataset} to zero or more results: Spark's Java
 * {@code FlatMapFunction}. Threads and errors as {@link MapFunction}.
 *
 * @param <T> input type
 * @param <U> output type
 */
@FunctionalInterface
public interface FlatMapFunction<T, U> {
    /**
     * @param value the element
     * @return the results, none {@code null}
     * @throws Exception fails the element
     */
    Iterator<U> call(T value) throws Exception;
}
