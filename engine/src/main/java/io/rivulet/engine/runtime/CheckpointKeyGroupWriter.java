package io.rivulet.engine.runtime;

import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.BitSet;

/**
 * What an operator partition's snapshot is written into at a checkpoint: its key groups' bytes in
 * memory ({@link KeyGroupBuffers}, reused from one checkpoint to the next), and the key groups it
 * kept ({@link #keepKeyGroup}), which the coordinator turns into references to the base
 * checkpoint's blocks. The snapshot id is the checkpoint's epoch; the base is the storage's latest
 * complete checkpoint (every complete checkpoint holds the newest write of every operator
 * partition, or, before the first, the checkpoint the query restored from).
 *
 * <p>Not thread-safe; owned by the coordinator's thread.
 */
final class CheckpointKeyGroupWriter implements KeyGroupWriter {
    private final KeyGroupBuffers buffers;
    private final BitSet kept = new BitSet();
    private long snapshotId = NO_SNAPSHOT;
    private long baseSnapshotId = NO_SNAPSHOT;

    /**
     * @param maxParallelism the number of key groups
     * @param range the key groups the operator partition owns
     */
    CheckpointKeyGroupWriter(int maxParallelism, KeyGroupRange range) {
        this.buffers = new KeyGroupBuffers(maxParallelism, range);
    }

    /**
     * Empties the writer for the next snapshot.
     *
     * @param snapshotId the checkpoint's epoch
     * @param baseSnapshotId the epoch of the checkpoint kept key groups come from, or {@link #NO_SNAPSHOT}
     */
    void begin(long snapshotId, long baseSnapshotId) {
        buffers.reset();
        kept.clear();
        this.snapshotId = snapshotId;
        this.baseSnapshotId = baseSnapshotId;
    }

    /** @return the key groups this writer accepts */
    KeyGroupRange range() {
        return buffers.range();
    }

    /**
     * @param keyGroup a key group of the range
     * @return its bytes as written (bytes {@code [0, length())}), or {@code null} if never used
     */
    SnapshotOutput written(int keyGroup) {
        return buffers.written(keyGroup);
    }

    /**
     * @param keyGroup a key group
     * @return whether the snapshot kept it
     */
    boolean kept(int keyGroup) {
        return kept.get(keyGroup);
    }

    @Override
    public SnapshotOutput forKey(Object key) {
        return forKeyGroup(KeyGroups.keyGroupOf(key, buffers.maxParallelism()));
    }

    @Override
    public SnapshotOutput forKeyGroup(int keyGroup) {
        if (keyGroup >= 0 && kept.get(keyGroup)) {
            throw new IllegalStateException("key group " + keyGroup + " is written after it was kept in the snapshot"
                + " of epoch " + snapshotId + ": a key group is either written or kept");
        }
        return buffers.forKeyGroup(keyGroup);
    }

    @Override
    public SnapshotOutput operatorState() {
        return buffers.operatorState();
    }

    @Override
    public int maxParallelism() {
        return buffers.maxParallelism();
    }

    @Override
    public long snapshotId() {
        return snapshotId;
    }

    @Override
    public long baseSnapshotId() {
        return baseSnapshotId;
    }

    @Override
    public void keepKeyGroup(int keyGroup) {
        if (baseSnapshotId == NO_SNAPSHOT) {
            throw new UnsupportedOperationException("key group " + keyGroup + " cannot be kept in the snapshot of epoch "
                + snapshotId + ": there is no base checkpoint (baseSnapshotId() is NO_SNAPSHOT), so write it");
        }
        if (!buffers.range().contains(keyGroup)) {
            throw new IllegalStateException("key group " + keyGroup + " is outside this partition's range "
                + buffers.range() + ": only a key group of the range can be kept");
        }
        SnapshotOutput out = buffers.written(keyGroup);
        if (kept.get(keyGroup) || (out != null && out.length() > 0)) {
            throw new IllegalStateException("key group " + keyGroup + " is already " + (kept.get(keyGroup) ? "kept" : "written")
                + " in the snapshot of epoch " + snapshotId + ": keep a key group at most once, and only one not written");
        }
        kept.set(keyGroup);
    }
}
