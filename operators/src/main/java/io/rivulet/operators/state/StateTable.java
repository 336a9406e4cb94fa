package io.rivulet.operators.state;

import java.util.function.Consumer;

/**
 * One registered state of a {@link KeyedStateBackend}: its entries per key group, copy-on-write.
 *
 * <p>The live structures ({@code live[g]}) belong to the data thread. {@link #freeze} hands the current
 * ones to a snapshot and marks them shared; the data thread copies a shared key group before its first
 * write ({@code writable}), so a frozen structure is never mutated again and the writer thread can read
 * it without locks. Not thread-safe otherwise; owned by the partition worker.
 */
abstract class StateTable {
    final StateDescriptor<?> descriptor;
    final KeyedStateBackend<?> backend;
    final boolean[] shared;
    long rows;
    long updated;
    long removed;

    StateTable(StateDescriptor<?> descriptor, KeyedStateBackend<?> backend) {
        this.descriptor = descriptor;
        this.backend = backend;
        this.shared = new boolean[backend.groupCount()];
    }

    /** @return the current structures, one per key group, now shared with a snapshot */
    abstract Object[] freeze();

    /**
     * @param frozen a key group's structure from {@link #freeze}, or {@code null}
     * @return whether it holds no entry
     */
    abstract boolean isEmpty(Object frozen);

    /**
     * Writes a frozen key group's live entries. Runs on the writer thread; only reads.
     *
     * @param frozen the key group's frozen structure
     * @param nowMs processing time at the snapshot: entries expired by then are left out
     * @param body where the entries go
     * @return entries written
     */
    abstract int write(Object frozen, long nowMs, SnapshotOutput body);

    /**
     * Loads entries written by {@link #write} into key group index {@code i}.
     *
     * @param i key group index in the backend's range
     * @param count entries
     * @param in the entries
     */
    abstract void restore(int i, int count, SnapshotInput in);

    /**
     * Reads one key's entry for queryable state: a copy the caller may keep, without refreshing a TTL
     * or taking the entry over from a snapshot (nothing changes). Owner thread.
     *
     * @param i the key's key group index in the backend's range
     * @param key the key (boxed if {@code long})
     * @return a copy of the key's live value, or {@code null} if it has none
     */
    abstract Object query(int i, Object key);

    /**
     * Passes every key with a live entry (boxed if {@code long}) to {@code action}. Owner thread.
     *
     * @param action receives each key once
     */
    abstract void forEachKey(Consumer<Object> action);

    /** @return rough bytes held */
    abstract long memoryEstimate();
}
