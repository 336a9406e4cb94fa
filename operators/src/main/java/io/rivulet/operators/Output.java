package io.rivulet.operators;

/**
 * Where an operator sends what it produces.
 *
 * <p>Not thread-safe; owned by the thread that runs the operator chain. An implementation either
 * accepts the record or blocks its caller until it can (back-pressure); it never drops a record.
 *
 * @param <T> type of the records emitted
 */
@FunctionalInterface
public interface Output<T> {
    /**
     * Sends one record downstream.
     *
     * @param record the record; never {@code null}
     */
    void emit(T record);
}
