package io.rivulet.operators.state;

import java.util.Map;

/**
 * A map per key, of the backend's current key.
 *
 * <p>Not thread-safe; owned by the partition worker. Iteration views are live, valid until the next
 * state call or key change; their order is unspecified.
 *
 * @param <UK> user key type
 * @param <UV> user value type
 */
public interface MapState<UK, UV> {
    /**
     * @param userKey a user key; never {@code null}
     * @return its value, or {@code null}
     */
    UV get(UK userKey);

    /**
     * @param userKey a user key; never {@code null}
     * @param value its value; never {@code null}
     */
    void put(UK userKey, UV value);

    /**
     * @param userKey a user key
     */
    void remove(UK userKey);

    /**
     * @param userKey a user key
     * @return whether the current key's map holds it
     */
    boolean contains(UK userKey);

    /**
     * @return the current key's entries (empty if none); mutating an entry's value is allowed
     */
    Iterable<Map.Entry<UK, UV>> entries();

    /**
     * @return the current key's user keys
     */
    Iterable<UK> keys();

    /**
     * @return the current key's values
     */
    Iterable<UV> values();

    /**
     * @return whether the current key's map is empty (or absent)
     */
    boolean isEmpty();

    /** Removes the current key's map. */
    void clear();
}
