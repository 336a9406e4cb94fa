package io.rivulet.operators.state;

/**
 * One value per key, of the backend's current key.
 *
 * <p>Not thread-safe; owned by the partition worker. Every call reads or writes the entry of the key
 * the operator set with {@link KeyedStateBackend#setCurrentKey}; calling it with no current key is an
 * {@link IllegalStateException}. A value returned may be mutated in place: the backend copies it
 * first if a pending snapshot still refers to it.
 *
 * @param <V> value type
 */
public interface ValueState<V> {
    /**
     * @return the current key's value, or {@code null} if it has none (or it expired)
     */
    V value();

    /**
     * @param value the current key's new value; {@code null} clears it
     */
    void update(V value);

    /** Removes the current key's value. */
    void clear();

    /**
     * @return whether the current key has a (non-expired) value
     */
    boolean exists();
}
