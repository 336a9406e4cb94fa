package io.rivulet.operators.state;

/**
 * Where a snapshot's bytes go: one output per key group, and one for the operator's own state.
 * An operator may interleave key groups (a window operator walks its state by time, not by key);
 * each output receives its key group's entries in the order written.
 */
public interface KeyGroupWriter {
    /**
     * @param key a key held in the state
     * @return the output of the key group the key belongs to
     * @throws IllegalStateException if the key belongs to a key group this partition does not own
     */
    SnapshotOutput forKey(Object key);

    /**
     * @param keyGroup a key group of this partition's range
     * @return its output
     */
    SnapshotOutput forKeyGroup(int keyGroup);

    /**
     * @return the output for the operator's non-keyed state
     */
    SnapshotOutput operatorState();

    /**
     * @return the number of key groups (the query's max parallelism)
     */
    int maxParallelism();
}
