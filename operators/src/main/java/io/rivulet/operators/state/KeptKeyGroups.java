package io.rivulet.operators.state;

import java.util.BitSet;

/**
 * The bookkeeping of an incremental snapshot image that keeps unchanged key groups
 * ({@link KeyGroupWriter#keepKeyGroup}): which key groups changed since the last write, and which
 * since the base a write keeps from. One place for the rule every image follows (the object-keyed
 * {@link SnapshotImage} and the {@code long}-keyed images):
 * <ul>
 *   <li>a write whose base is the previous write (it became durable) encodes the key groups changed
 *       since that write;</li>
 *   <li>a write whose base is the base the previous write kept from (the previous write was not made
 *       durable: skipped or aborted) encodes the key groups changed since that base, the two writes'
 *       changes added up;</li>
 *   <li>the first write after a restore may keep from the restored checkpoint;</li>
 *   <li>any other base, or none, keeps nothing: the write encodes every key group.</li>
 * </ul>
 *
 * <p>Not thread-safe: used under the image's write lock (the writer thread), and by restore, which
 * runs before any write.
 */
public final class KeptKeyGroups {
    /** Key groups whose bytes differ from the last write's: changed since, or the last write's extras went there. */
    private final BitSet changed = new BitSet();
    /** Key groups whose bytes differ from the base's as of the current write. */
    private final BitSet changedSinceBase = new BitSet();
    private long lastWriteId = KeyGroupWriter.NO_SNAPSHOT;
    private long baseId = KeyGroupWriter.NO_SNAPSHOT;
    /** Restored entries were applied and no write happened since: a writer's base may be the restored checkpoint. */
    private boolean restoredBase;

    /**
     * Remembers that a key group's bytes changed (an entry put or removed in it).
     *
     * @param keyGroup the key group
     */
    public void changed(int keyGroup) {
        changed.set(keyGroup);
    }

    /** Restored entries were applied: until the next write, the restored checkpoint may be the base. */
    public void restored() {
        restoredBase = true;
    }

    /**
     * Starts a write: decides whether it may keep key groups from the writer's base (see the class
     * comment).
     *
     * @param base the writer's {@link KeyGroupWriter#baseSnapshotId}
     * @return whether key groups for which {@link #mustWrite} is {@code false} may be kept
     */
    public boolean beginWrite(long base) {
        if (base == KeyGroupWriter.NO_SNAPSHOT) {
            baseId = KeyGroupWriter.NO_SNAPSHOT;
            return false;
        }
        if (base == lastWriteId) {
            changedSinceBase.clear();
            changedSinceBase.or(changed);
        } else if (base == baseId || (restoredBase && lastWriteId == KeyGroupWriter.NO_SNAPSHOT)) {
            changedSinceBase.or(changed);
        } else {
            baseId = KeyGroupWriter.NO_SNAPSHOT;
            return false;
        }
        baseId = base;
        return true;
    }

    /**
     * During a write that {@linkplain #beginWrite keeps}: whether a key group differs from the base.
     *
     * @param keyGroup the key group
     * @return {@code true} if it must be written, {@code false} if it may be kept
     */
    public boolean mustWrite(int keyGroup) {
        return changedSinceBase.get(keyGroup);
    }

    /**
     * Ends a write.
     *
     * @param snapshotId the writer's {@link KeyGroupWriter#snapshotId}
     * @param extrasWritten key groups this write's extras went into (they differ from the image's own
     *     bytes, so the next write rewrites them), or {@code null} for none
     */
    public void endWrite(long snapshotId, BitSet extrasWritten) {
        lastWriteId = snapshotId;
        restoredBase = false;
        changed.clear();
        if (extrasWritten != null) {
            changed.or(extrasWritten);
        }
    }
}
