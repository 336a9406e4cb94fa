package io.rivulet.operators.dedup;

import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2LongHashMap;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Incremental snapshots of the deduplication state, with primitive keys kept primitive: the same
 * scheme as {@code SnapshotImage} (the operator hands over what changed since its previous barrier,
 * O(changes); the writer's side keeps a copy of the whole state and writes it per key group), but
 * with {@code long} keys and expiry times unboxed. A dedup entry is only ever added or removed, so a
 * delta is an ordered log of adds ({@code key → expiry}) and removals ({@link #REMOVED}). {@code long}
 * keys expire lazily in the operator, which logs no removal for them: a write leaves out, and drops
 * from the image, every {@code long} entry whose expiry is {@code <=} the snapshot's watermark (the
 * ones the operator had evicted by then; a key admitted again is logged as a new add).
 *
 * <p><b>Threads.</b> {@link #open}, the {@link Delta}'s adds and {@link Delta#snapshot} run on the
 * operator's owner thread; a snapshot's {@code writeTo} on the runtime's writer thread, oldest first
 * (one the runtime skipped is applied by the next one written). The hand-off of the snapshot to the
 * writer is the happens-before edge for the delta's contents; the queue and the lock order the rest.
 */
final class DedupImage {
    /** An entry tag in a key group block: a {@code long} key and its expiry. */
    static final byte LONG_ENTRY = 1;
    /** An entry tag: an object key (key codec) and its expiry. */
    static final byte OBJECT_ENTRY = 2;
    /** An entry tag: an event-time key: the record's key (key codec) and its event time, which is its expiry. */
    static final byte TIMED_ENTRY = 3;
    /** The operator-state tag: watermark, rows dropped as late. */
    static final byte OPERATOR_STATE = 9;
    /** The expiry of a removal in a delta; no entry has it. */
    static final long REMOVED = Long.MIN_VALUE;

    private final StateCodec<Object> keyCodec;
    private final ConcurrentLinkedQueue<Delta> pending = new ConcurrentLinkedQueue<>();
    private final Long2LongHashMap longs = new Long2LongHashMap(REMOVED);
    private final Object2LongHashMap<Object> objects = new Object2LongHashMap<>(REMOVED);
    /** Writer thread: the long keys a write found expired, removed after it. */
    private final LongArrayList expired = new LongArrayList();
    private Delta restoring;

    DedupImage(StateCodec<Object> keyCodec) {
        this.keyCodec = keyCodec;
    }

    /** Owner thread, while restoring: an entry restored goes into the image with the first snapshot written. */
    void restoredLong(long key, long expiryMs) {
        restoring().addLong(key, expiryMs);
    }

    /** Owner thread, while restoring: see {@link #restoredLong}. */
    void restoredObject(Object key, long expiryMs) {
        restoring().addObject(key, expiryMs);
    }

    private Delta restoring() {
        if (restoring == null) {
            restoring = new Delta(this, false);
        }
        return restoring;
    }

    /**
     * Owner thread: a log of changes, sealed at the next barrier.
     *
     * @param full whether it must hold the whole state (the first snapshot, unless restored)
     * @return an empty delta
     */
    Delta open(boolean full) {
        return new Delta(this, full);
    }

    private void write(Delta delta, KeyGroupWriter writer) {
        synchronized (longs) {
            Delta next;
            while (!delta.applied && (next = pending.poll()) != null) {
                apply(next);
            }
            if (!delta.applied) {
                throw new IllegalStateException("dedup snapshot of epoch " + delta.epochId + " is not this image's");
            }
            int maxParallelism = writer.maxParallelism();
            long watermarkMs = delta.watermarkMs;
            LongArrayList expired = this.expired;
            expired.clear();
            longs.forEachLong((key, expiryMs) -> {
                if (expiryMs <= watermarkMs) {
                    expired.addLong(key); // expired in the operator's table, which logs no removal
                } else {
                    writer.forKeyGroup(KeyGroups.keyGroupOf(key, maxParallelism))
                        .writeByte(LONG_ENTRY).writeLong(key).writeLong(expiryMs);
                }
            });
            for (int i = 0, n = expired.size(); i < n; i++) {
                longs.remove(expired.getLong(i));
            }
            expired.clear();
            objects.forEachLong((key, expiryMs) -> {
                if (key instanceof TimedKey timed) {
                    SnapshotOutput out = writer.forKey(timed.key).writeByte(TIMED_ENTRY);
                    keyCodec.write(timed.key, out);
                    out.writeLong(timed.eventTimeMs);
                } else {
                    SnapshotOutput out = writer.forKey(key).writeByte(OBJECT_ENTRY);
                    keyCodec.write(key, out);
                    out.writeLong(expiryMs);
                }
            });
            writer.operatorState().writeByte(OPERATOR_STATE).writeLong(delta.watermarkMs).writeLong(delta.droppedRows);
        }
    }

    private void apply(Delta delta) {
        if (delta.full) {
            longs.clear();
            objects.clear();
        }
        for (int i = 0, n = delta.longKeys.size(); i < n; i++) {
            long expiryMs = delta.longExpiries.getLong(i);
            if (expiryMs == REMOVED) {
                longs.remove(delta.longKeys.getLong(i));
            } else {
                longs.put(delta.longKeys.getLong(i), expiryMs);
            }
        }
        for (int i = 0, n = delta.objectKeys.size(); i < n; i++) {
            long expiryMs = delta.objectExpiries.getLong(i);
            if (expiryMs == REMOVED) {
                objects.removeKey(delta.objectKeys.get(i));
            } else {
                objects.put(delta.objectKeys.get(i), expiryMs);
            }
        }
        delta.applied = true;
        delta.longKeys.clear();
        delta.longExpiries.clear();
        delta.objectKeys.clear();
        delta.objectExpiries.clear();
    }

    /** What changed between two barriers, in order; filled on the owner thread. */
    static final class Delta {
        private final DedupImage image;
        private long epochId;
        final boolean full;
        private final LongArrayList longKeys = new LongArrayList();
        private final LongArrayList longExpiries = new LongArrayList();
        private final ArrayList<Object> objectKeys = new ArrayList<>();
        private final LongArrayList objectExpiries = new LongArrayList();
        private long watermarkMs;
        private long droppedRows;
        private volatile boolean applied;

        private Delta(DedupImage image, boolean full) {
            this.image = image;
            this.full = full;
        }

        void addLong(long key, long expiryMs) {
            longKeys.addLong(key);
            longExpiries.addLong(expiryMs);
        }

        void addObject(Object key, long expiryMs) {
            objectKeys.add(key);
            objectExpiries.addLong(expiryMs);
        }

        /**
         * Seals the delta (owner thread); add nothing to it afterwards.
         *
         * @param epochId the epoch that just ended
         * @param watermarkMs the operator's watermark at the barrier
         * @param droppedRows rows dropped as late so far
         * @return the barrier's snapshot
         */
        OperatorSnapshot snapshot(long epochId, long watermarkMs, long droppedRows) {
            this.epochId = epochId;
            this.watermarkMs = watermarkMs;
            this.droppedRows = droppedRows;
            if (image.restoring != null) {
                image.pending.add(image.restoring);
                image.restoring = null;
            }
            image.pending.add(this);
            return writer -> image.write(this, writer);
        }
    }
}
