package io.rivulet.operators.topn;

import io.rivulet.operators.window.Window;

import java.util.Objects;

/**
 * One row of a top-N ranking: rank {@code rank} of {@code window} (or of the running ranking) is held
 * by {@code key} with {@code value}. In update output a row replaces the previous row of the same
 * (window, rank).
 *
 * @param window the event-time window ranked, or {@code null} for a running (unwindowed) ranking
 * @param rank 1 = the greatest value
 * @param key the key at this rank; never {@code null}
 * @param value its value
 * @param <K> key type
 * @param <V> value type
 */
public record RankedValue<K, V>(Window window, int rank, K key, V value) {
    /**
     * Creates a row.
     *
     * @param window the window, or {@code null} for a running ranking
     * @param rank at least 1
     * @param key never {@code null}
     * @param value the value
     * @throws IllegalArgumentException if {@code rank < 1}
     */
    public RankedValue {
        Objects.requireNonNull(key, "key");
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
    }

    @Override
    public String toString() {
        return (window == null ? "" : window + " ") + "#" + rank + " " + key + "=" + value;
    }
}
