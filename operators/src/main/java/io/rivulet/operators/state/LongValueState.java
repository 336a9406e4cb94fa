package io.rivulet.operators.state;

/**
 * One primitive {@code long} per key, for {@code long} keys set with
 * {@link KeyedStateBackend#setCurrentKey(long)} (or {@code Long} keys): no boxing, no allocation per
 * update. Backed by an Agrona {@code Long2LongHashMap} per key group. Has no TTL.
 *
 * <p>Not thread-safe; owned by the partition worker.
 */
public interface LongValueState {
    /**
     * @return the current key's value, or the descriptor's default value if it has none
     */
    long value();

    /**
     * @param value the current key's new value (any long, {@code Long.MIN_VALUE} included)
     */
    void update(long value);

    /**
     * Adds to the current key's value (the default value if it has none) and returns the sum.
     *
     * @param delta what to add
     * @return the new value
     */
    long addAndGet(long delta);

    /** Removes the current key's value. */
    void clear();

    /**
     * @return whether the current key has a value
     */
    boolean exists();
}
