package io.rivulet.engine.sql;

/**
 * A function applied to each element of a {@link Dataset}: Spark's Java {@code MapFunction}. Called on
 * the threads of the task that produces the element; must be thread-safe if the stage has several
 * partitions. A throw goes to the query's error policy (by default it fails the query).
 *
 * @param <T> input type
 * @param <U> output type
 */
@FunctionalInterface
public interface MapFunction<T, U> {
    /**
     * @param value the element; a row may be reused after the call returns
     * @return the result, never {@code null}
     * @throws Exception fails the element
     */
    U call(T value) throws Exception;
}
