package io.rivulet.operators.window;

import java.util.Objects;

/**
 * One output row of a windowed aggregation: the group's key, its window and the aggregate's result.
 *
 * @param key the grouping key; never {@code null}
 * @param window the window; never {@code null}
 * @param value the aggregate's result for the key in the window
 * @param <K> key type
 * @param <R> result type
 */
public record WindowedValue<K, R>(K key, Window window, R value) {
    /**
     * Creates a row.
     *
     * @param key the grouping key; never {@code null}
     * @param window the window; never {@code null}
     * @param value the result
     */
    public WindowedValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(window, "window");
    }

    @Override
    public String toString() {
        return "(" + window + ", " + key + ", " + value + ")";
    }
}
