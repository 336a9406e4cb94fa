package io.rivulet.operators.state;

/**
 * An operator's state captured at a barrier, written when the runtime is ready, possibly on another
 * thread. It must not change when the operator goes on processing.
 */
public interface OperatorSnapshot {
    /** A snapshot of an operator that holds nothing. */
    OperatorSnapshot EMPTY = writer -> { };

    /**
     * Writes the state: each key's entries to {@link KeyGroupWriter#forKey} (or
     * {@link KeyGroupWriter#forKeyGroup}), operator state to {@link KeyGroupWriter#operatorState}.
     * Called at most once.
     *
     * @param writer where the bytes go
     */
    void writeTo(KeyGroupWriter writer);

    /** The runtime is done with this snapshot (written or abandoned): release what it holds. */
    default void release() {
    }
}
