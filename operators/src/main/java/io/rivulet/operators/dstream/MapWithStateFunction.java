package io.rivulet.operators.dstream;

import java.util.Optional;

/**
 * Spark's {@code mapWithState} function ({@code StateSpec.function}): called once per record with its
 * key, the value and the key's {@link State}; and, with a timeout, once more for a key idle longer
 * than the timeout, with no value and {@link State#isTimingOut()}.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <S> state type
 * @param <R> mapped type
 */
@FunctionalInterface
public interface MapWithStateFunction<K, V, S, R> {
    /**
     * @param key the key
     * @param value the record's value; empty when the key is timing out
     * @param state the key's state: read, update or remove it; valid only during this call
     * @return the mapped record, or {@code null} to emit nothing
     * @throws Exception to fail the query
     */
    R call(K key, Optional<V> value, State<S> state) throws Exception;
}
