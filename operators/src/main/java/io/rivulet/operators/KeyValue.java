package io.rivulet.operators;

import java.util.Objects;

/**
 * A key and a value, as emitted by keyed aggregations such as a running count.
 *
 * @param key the key; never {@code null}
 * @param value the value for the key
 * @param <K> key type
 * @param <V> value type
 */
public record KeyValue<K, V>(K key, V value) {
    /**
     * Creates a pair.
     *
     * @param key the key; never {@code null}
     * @param value the value
     */
    public KeyValue {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "(" + key + ", " + value + ")";
    }
}
