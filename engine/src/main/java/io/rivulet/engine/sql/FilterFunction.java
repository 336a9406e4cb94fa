package io.rivulet.engine.sql;

/**
 * A predicate on the elements of a {@link Dataset}: Spark's Java {@code FilterFunction}. Threads and
 * errors as {@link MapFunction}.
 *
 * @param <T> element type
 */
@FunctionalInterface
public interface FilterFunction<T> {
    /**
     * @param value the element
     * @return whether to keep it
     * @throws Exception fails the element
     */
    boolean call(T value) throws Exception;
}
