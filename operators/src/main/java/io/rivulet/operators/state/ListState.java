package io.rivulet.operators.state;

import java.util.List;

/**
 * A list of values per key, of the backend's current key.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <V> element type
 */
public interface ListState<V> {
    /**
     * @return the current key's list (empty if it has none); a live view, valid until the next state
     *     call or key change: do not keep it
     */
    List<V> get();

    /**
     * @param value appended to the current key's list; never {@code null}
     */
    void add(V value);

    /**
     * @param values appended in order; no {@code null} element
     */
    void addAll(List<? extends V> values);

    /**
     * @param values the current key's new list (copied); empty clears it
     */
    void update(List<? extends V> values);

    /** Removes the current key's list. */
    void clear();
}
