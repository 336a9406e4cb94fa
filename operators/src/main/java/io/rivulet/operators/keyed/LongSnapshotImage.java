package io.rivulet.operators.keyed;

import io.rivulet.operators.state.KeptKeyGroups;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotOutput;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Incremental snapshots of a running {@code long}-key aggregation, unboxed: the scheme of
 * {@code state.SnapshotImage} with a hand-over (the barrier hands the {@link LongRunningTable}'s dirty
 * list over as is, O(1) on the owner thread; the writer thread reads each slot as of the barrier and
 * keeps a copy of the whole state, by key group, in Agrona {@code Long2LongHashMap}s), and the same
 * key-group keeping rules: a write encodes only the key groups changed since the writer's base
 * ({@link KeyGroupWriter#baseSnapshotId}) and keeps the others. Entries are only ever put (a running
 * aggregation never removes a key), so a key group block is a list of
 * {@code ENTRY (byte), key (long), value (long)}.
 *
 * <p><b>Threads.</b> {@link #seq}, {@link #putRestored}, {@link #snapshot} and {@link #spareList} on
 * the operator's owner thread; a snapshot's {@code writeTo} on the runtime's writer thread, one at a
 * time, oldest first (one the runtime skipped is applied by the next one written);
 * {@link #consumedSeq} from any thread.
 */
final class LongSnapshotImage {
    /** The tag of an entry in a key group block. */
    static final byte ENTRY = 1;

    private final ConcurrentLinkedQueue<Delta> pending = new ConcurrentLinkedQueue<>();
    /** Guards the image: writes run one at a time, and each sees the last one's image. */
    private final Object lock = new Object();
    private Group[] groups;
    /** Which key groups changed since the last write and since the base a write keeps from. */
    private final KeptKeyGroups kept = new KeptKeyGroups();
    private boolean tracking;
    /** Entries restored, not yet queued: they go ahead of the first delta. Owner thread. */
    private Delta restoring;
    private long lastApplied = Long.MIN_VALUE;
    /** The sequence of the epoch in progress. Owner thread. */
    private long seq = 1;
    private volatile long consumedSeq;
    /** A handed-over list the writer emptied, for the owner's next epoch. */
    private final AtomicReference<IntArrayList> spareList = new AtomicReference<>();

    /**
     * @return the sequence of the snapshot interval in progress: {@code 1} until the first barrier,
     *     then bumped by each {@link #snapshot}. Owner thread
     */
    long seq() {
        return seq;
    }

    /**
     * @return the sequence of the newest delta the writer applied in full ({@code 0} before the
     *     first): slots handed over at that barrier or before may be changed in place. Any thread
     */
    long consumedSeq() {
        return consumedSeq;
    }

    /**
     * Puts a restored entry into the image (with the first snapshot written). Owner thread, while
     * restoring, before any snapshot.
     *
     * @param key the key
     * @param value its value
     */
    void putRestored(long key, long value) {
        if (restoring == null) {
            restoring = new Delta(Long.MIN_VALUE, 0, false, null, null);
        }
        restoring.restoredKeys.addLong(key);
        restoring.restoredValues.addLong(value);
        tracking = true;
    }

    /**
     * @return an empty list for the owner's next dirty list: one the writer emptied, or a new one. Owner thread
     */
    IntArrayList spareList() {
        IntArrayList spare = spareList.getAndSet(null);
        return spare != null ? spare : new IntArrayList();
    }

    /**
     * Seals the barrier's delta: the slots changed since the previous barrier, handed over as they are.
     * Owner thread.
     *
     * @param epochId the epoch that just ended
     * @param generation the table array {@code changedSlots} indexes
     * @param changedSlots the slots changed (or created) since the previous barrier, each once; the
     *     image owns the list from now on. The first snapshot's list must hold every key (unless
     *     entries were restored)
     * @return the snapshot
     */
    OperatorSnapshot snapshot(long epochId, LongRunningTable.Generation generation, IntArrayList changedSlots) {
        if (restoring != null) {
            pending.add(restoring);
            restoring = null;
        }
        Delta delta = new Delta(epochId, seq++, !tracking, generation, changedSlots);
        pending.add(delta);
        tracking = true;
        return writer -> write(delta, writer);
    }

    /** Writer thread: applies the pending deltas up to {@code delta}, then writes or keeps each key group. */
    private void write(Delta delta, KeyGroupWriter writer) {
        synchronized (lock) {
            if (delta.applied && delta.epochId != lastApplied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId
                    + " written after the image moved on to epoch " + lastApplied);
            }
            int maxParallelism = writer.maxParallelism();
            sizeGroups(maxParallelism);
            Delta next;
            while (!delta.applied && (next = pending.poll()) != null) {
                apply(next, maxParallelism);
            }
            if (!delta.applied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId + " is not this image's");
            }
            boolean keeping = kept.beginWrite(writer.baseSnapshotId());
            for (int g = 0; g < maxParallelism; g++) {
                if (holds(g)) {
                    if (!keeping || kept.mustWrite(g)) {
                        groups[g].writeTo(writer.forKeyGroup(g));
                    } else {
                        writer.keepKeyGroup(g);
                    }
                }
            }
            kept.endWrite(writer.snapshotId(), null);
        }
    }

    private boolean holds(int keyGroup) {
        return groups[keyGroup] != null && !groups[keyGroup].isEmpty();
    }

    private void sizeGroups(int maxParallelism) {
        if (groups == null) {
            groups = new Group[KeyGroups.checkMaxParallelism(maxParallelism)];
        } else if (groups.length != maxParallelism) {
            throw new IllegalStateException("the writer has maxParallelism " + maxParallelism
                + " but this image was written with " + groups.length + ": the number of key groups cannot change");
        }
    }

    private Group group(int keyGroup) {
        Group group = groups[keyGroup];
        if (group == null) {
            group = new Group();
            groups[keyGroup] = group;
        }
        return group;
    }

    private void apply(Delta delta, int maxParallelism) {
        if (delta.full) {
            for (int g = 0; g < maxParallelism; g++) {
                if (holds(g)) {
                    kept.changed(g);
                    groups[g].clear();
                }
            }
        }
        if (delta.changedSlots != null) {
            IntArrayList slots = delta.changedSlots;
            LongRunningTable.Generation generation = delta.generation;
            for (int k = 0, n = slots.size(); k < n; k++) {
                int i = slots.getInt(k);
                long key = LongRunningTable.keyAt(generation, i);
                int g = KeyGroups.keyGroupOf(key, maxParallelism);
                group(g).put(key, LongRunningTable.valueAt(generation, i, delta.seq));
                kept.changed(g);
            }
            slots.clear();
            spareList.lazySet(slots);
            delta.changedSlots = null;
            delta.generation = null;
        }
        for (int k = 0, n = delta.restoredKeys.size(); k < n; k++) {
            long key = delta.restoredKeys.getLong(k);
            group(KeyGroups.keyGroupOf(key, maxParallelism)).put(key, delta.restoredValues.getLong(k));
            kept.restored();
        }
        delta.restoredKeys.clear();
        delta.restoredValues.clear();
        delta.applied = true;
        lastApplied = delta.epochId;
        if (delta.seq > 0) {
            consumedSeq = delta.seq;
        }
    }

    /**
     * One key group of the image: key → value. Agrona's map cannot hold its missing value as a value,
     * so the keys whose value is {@code Long.MIN_VALUE} are kept aside.
     */
    private static final class Group {
        private final Long2LongHashMap values = new Long2LongHashMap(Long.MIN_VALUE);
        private final LongHashSet minValueKeys = new LongHashSet();

        void put(long key, long value) {
            if (value == Long.MIN_VALUE) {
                values.remove(key);
                minValueKeys.add(key);
            } else {
                if (!minValueKeys.isEmpty()) {
                    minValueKeys.remove(key);
                }
                values.put(key, value);
            }
        }

        boolean isEmpty() {
            return values.isEmpty() && minValueKeys.isEmpty();
        }

        void clear() {
            values.clear();
            minValueKeys.clear();
        }

        void writeTo(SnapshotOutput out) {
            values.forEachLong((key, value) -> out.writeByte(ENTRY).writeLong(key).writeLong(value));
            LongHashSet.LongIterator keys = minValueKeys.iterator();
            while (keys.hasNext()) {
                out.writeByte(ENTRY).writeLong(keys.nextValue()).writeLong(Long.MIN_VALUE);
            }
        }
    }

    /** What changed at one barrier (slots handed over) or was restored; filled on the owner thread. */
    private static final class Delta {
        private final long epochId;
        private final long seq;
        private final boolean full;
        private LongRunningTable.Generation generation;
        private IntArrayList changedSlots;
        private final LongArrayList restoredKeys = new LongArrayList();
        private final LongArrayList restoredValues = new LongArrayList();
        private volatile boolean applied;

        Delta(long epochId, long seq, boolean full, LongRunningTable.Generation generation, IntArrayList changedSlots) {
            this.epochId = epochId;
            this.seq = seq;
            this.full = full;
            this.generation = generation;
            this.changedSlots = changedSlots;
        }
    }
}
