package io.rivulet.operators.state;

/**
 * Where a snapshot's bytes go: one output per key group, and one for the operator's own state.
 * An operator may interleave key groups (a window operator walks its state by time, not by key);
 * each output receives its key group's entries in the order written.
 *
 * <p><b>Keeping key groups.</b> A runtime that stores snapshots durably may let an operator say that
 * a key group did not change since its base snapshot ({@link #keepKeyGroup}), so the bytes are not
 * encoded and written again. The base ({@link #baseSnapshotId}) is the newest snapshot of this
 * operator partition that the runtime wrote <em>and made durable</em>: a snapshot the runtime skipped
 * (superseded before it was written) or whose write was aborted is never a base, so an operator
 * accumulates what changed since the base over every snapshot in between. Snapshots are identified
 * by {@link #snapshotId}, increasing from one write to the next. A writer that does not keep key
 * groups (an in-memory {@link KeyGroupBuffers}) reports {@link #NO_SNAPSHOT} as the base: the operator
 * then writes every key group.
 *
 * <p>Not thread-safe: one snapshot writes into it, on the runtime's writer thread.
 */
public interface KeyGroupWriter {
    /** The base of a write that may not keep key groups; also the id of a writer that does not number writes. */
    long NO_SNAPSHOT = Long.MIN_VALUE;

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
     * @return the output for the operator's non-keyed state; written in full by every snapshot
     */
    SnapshotOutput operatorState();

    /**
     * @return the number of key groups (the query's max parallelism)
     */
    int maxParallelism();

    /**
     * Identifies the snapshot being written among this operator partition's writes: larger than the
     * id of every earlier write in this run (the runtime uses the checkpoint's epoch). An operator
     * remembers it to recognise its write when it later comes back as {@link #baseSnapshotId}.
     *
     * @return the id, or {@link #NO_SNAPSHOT} if this writer never keeps key groups
     */
    default long snapshotId() {
        return NO_SNAPSHOT;
    }

    /**
     * The snapshot whose key group blocks {@link #keepKeyGroup} reuses: the newest snapshot of this
     * operator partition the runtime wrote and made durable (its {@link #snapshotId} at the time). For
     * the first write after a restore, it is the id of the checkpoint restored from (an id this
     * operator never saw as a {@code snapshotId}), as long as that checkpoint is still the base; after
     * a start without a restore, it is {@link #NO_SNAPSHOT} until a write became durable.
     *
     * @return the base's id, or {@link #NO_SNAPSHOT}: then {@link #keepKeyGroup} must not be called
     */
    default long baseSnapshotId() {
        return NO_SNAPSHOT;
    }

    /**
     * Keeps a key group's bytes as the base snapshot ({@link #baseSnapshotId}) holds them, instead of
     * writing them: the operator promises that what it would write for the key group now restores
     * exactly as the base's block does. That holds when nothing the operator writes for the key group
     * changed since the base: no entry put or removed, and no other record written beside the entries
     * (records a snapshot writes only at its barrier, such as a changed-rows list, make the key group
     * differ in the next snapshot too). After a restore, a key group restored from the base holds what
     * it restored, so it may be kept if the operator would write back the same records (in any order
     * its restore does not depend on). Call it at most once per key group, for a key group of this
     * partition's range that held something in the base, and never for a key group written in this
     * snapshot (before or after); key groups neither written nor kept hold nothing in the new snapshot.
     *
     * @param keyGroup a key group of this partition's range
     * @throws UnsupportedOperationException if this writer does not keep key groups
     *     ({@link #baseSnapshotId} is {@link #NO_SNAPSHOT})
     * @throws IllegalStateException if the key group is outside the range, or was already written or kept
     *     in this snapshot
     */
    default void keepKeyGroup(int keyGroup) {
        throw new UnsupportedOperationException("this writer does not keep key groups (key group " + keyGroup
            + "): write it; baseSnapshotId() is NO_SNAPSHOT");
    }
}
