package io.rivulet.operators.state;

/**
 * An operator whose state is saved at epoch barriers and restored after a restart.
 *
 * <p>Keyed state is written per key group, so a snapshot taken by one partition can be restored by
 * whichever partition owns each key group in the next run (a checkpoint taken with 2 partitions
 * restores into 1 or 3). State that belongs to the operator instance rather than to keys (its
 * watermark, cumulative counters) is written separately and merged on restore.
 *
 * <p>Called on the thread that owns the operator.
 * <ul>
 *   <li>{@link #snapshotState} at an aligned barrier, after the operator's {@code onEpoch} for that
 *       epoch: the snapshot holds exactly the effect of the records of every epoch up to it. It must
 *       return quickly: the write happens later, possibly on another thread, so the returned
 *       {@link OperatorSnapshot} may not change when the operator goes on processing (copy the
 *       state, serialise it now, or copy on write).</li>
 *   <li>{@link #restoreKeyGroup} and {@link #restoreOperatorState} on a fresh instance, before its
 *       first record: once per key group of the partition's range that has state, and once per
 *       partition of the previous run that saved operator state.</li>
 *   <li>{@link #withoutSnapshots} instead, before its first record, when the query has no checkpoint
 *       location.</li>
 * </ul>
 */
public interface CheckpointedOperator {
    /**
     * Captures the operator's state at a barrier.
     *
     * @param epochId the epoch that just ended
     * @return the state as of now; written later by the runtime
     */
    OperatorSnapshot snapshotState(long epochId);

    /**
     * Loads one key group's state, as written by {@link OperatorSnapshot#writeTo}.
     *
     * @param keyGroup the key group
     * @param in its bytes
     * @throws StateFormatException if the bytes are not this operator's state
     */
    void restoreKeyGroup(int keyGroup, SnapshotInput in);

    /**
     * Merges one previous partition's operator state (watermark, counters) into this instance. After
     * rescaling, called once for each old partition.
     *
     * @param in its bytes
     */
    default void restoreOperatorState(SnapshotInput in) {
    }

    /**
     * Says that no snapshot will be taken of this instance ({@link #snapshotState} is never called): the
     * runtime calls it before the first record in a query without a checkpoint location. An operator may
     * then drop what it keeps only for snapshots (the window aggregate keeps no changed list); it may
     * fail a later {@link #snapshotState}.
     */
    default void withoutSnapshots() {
    }
}
