package io.rivulet.operators.state;

/**
 * Where a keyed operator (or its user function) obtains state handles. A handle reads and writes the
 * entry of the current key, which the operator sets before user code runs.
 *
 * <p>Not thread-safe; owned by the partition worker.
 */
public interface KeyedStateStore {
    /**
     * Returns the handle of a state, registering the state on first use. Asking again with an equal
     * descriptor returns the same handle.
     *
     * @param descriptor the state's name, kind, codecs and TTL
     * @param <S> handle type ({@link ValueState}, {@link ListState}, {@link MapState}, {@link LongValueState})
     * @return the handle
     * @throws IllegalArgumentException if a state of the same name was registered with a different
     *     kind, codec or TTL
     */
    <S> S state(StateDescriptor<S> descriptor);
}
