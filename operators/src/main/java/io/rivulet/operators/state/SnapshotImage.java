package io.rivulet.operators.state;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Incremental snapshots for an operator that keeps its live state in its own structures: at each
 * barrier the operator hands over only what changed since its previous snapshot (a {@link Delta}),
 * so the barrier costs O(entries changed), not O(state). The image, a copy of the whole state as of
 * the newest barrier written, lives on the writer's side: a snapshot's {@link OperatorSnapshot#writeTo}
 * first applies every delta up to its own, in order, then writes the image per key group.
 *
 * <p>Entries are addressed by a {@code long} slot (a window's start; {@code 0} for state with one
 * slot) and a key. Values put into a delta must be immutable, or copies the operator never touches
 * again ({@link StateCodec#copy}): the writer reads them on another thread.
 *
 * <p><b>Threads.</b> {@link #delta} and {@link Delta#snapshot} are called on the operator's owner
 * thread; {@code writeTo} of the snapshots on the runtime's writer thread, one at a time, oldest
 * first (a snapshot the runtime skipped is not lost: its delta is applied by the next one written).
 * The first snapshot, unless the operator restored entries into the image ({@link #put}), must
 * carry the whole state: see {@link #isTracking}.
 *
 * @param <K> key type
 * @param <V> value type (immutable or an untouched copy)
 */
public final class SnapshotImage<K, V> {
    /** Writes one image entry into its key group. */
    @FunctionalInterface
    public interface EntryWriter<K, V> {
        /**
         * @param slot the entry's slot
         * @param key its key
         * @param value its value
         * @param out the output of the key's key group
         */
        void write(long slot, K key, V value, SnapshotOutput out);
    }

    /** Deltas with fewer puts grow the slot maps they create one rehash at a time. */
    private static final int PRESIZE_MIN_PUTS = 4096;
    /** Load factor of the slot maps (Agrona's default). */
    private static final float LOAD_FACTOR = 0.65f;

    private final EntryWriter<K, V> entryWriter;
    private final ConcurrentLinkedQueue<Delta<K, V>> pending = new ConcurrentLinkedQueue<>();
    private final Long2ObjectHashMap<Object2ObjectHashMap<K, V>> slots = new Long2ObjectHashMap<>();
    private boolean tracking;
    /** Entries restored, not yet queued: they go ahead of the first delta. Owner thread. */
    private Delta<K, V> restoring;
    private long lastApplied = Long.MIN_VALUE;

    /**
     * @param entryWriter writes an entry of the image into a snapshot
     */
    public SnapshotImage(EntryWriter<K, V> entryWriter) {
        this.entryWriter = Objects.requireNonNull(entryWriter, "entryWriter");
    }

    /**
     * Whether the image follows the operator: false until the first delta (which must then hold the
     * whole state) or the first restored entry. While false, the operator need not record what
     * changes (no cost without checkpoints). Owner thread.
     *
     * @return whether deltas are incremental
     */
    public boolean isTracking() {
        return tracking;
    }

    /**
     * Puts a restored entry into the image (owner thread, while restoring, before any snapshot), so
     * the first snapshot after a restore is incremental too. Cheap on the restoring thread: the
     * entries are queued and go into the image on the writer's thread, with the first snapshot
     * written.
     *
     * @param slot the entry's slot
     * @param key its key
     * @param value an immutable value or a copy the operator does not touch
     */
    public void put(long slot, K key, V value) {
        if (restoring == null) {
            restoring = new Delta<>(this, Long.MIN_VALUE, false);
        }
        restoring.put(slot, key, value);
        tracking = true;
    }

    /**
     * Starts the delta of a barrier. Owner thread.
     *
     * @param epochId the epoch that just ended
     * @return the delta to fill, then {@link Delta#snapshot}
     */
    public Delta<K, V> delta(long epochId) {
        if (restoring != null) {
            pending.add(restoring);
            restoring = null;
        }
        return new Delta<>(this, epochId, !tracking);
    }

    private Object2ObjectHashMap<K, V> slotMap(long slot) {
        Object2ObjectHashMap<K, V> map = slots.get(slot);
        if (map == null) {
            map = new Object2ObjectHashMap<>();
            slots.put(slot, map);
        }
        return map;
    }

    /**
     * Creates each slot map a large delta (a full one, the restored entries) brings, sized for its
     * puts: one allocation instead of a rehash at every doubling. Puts come in runs of one slot.
     */
    private void presizeNewSlots(LongArrayList putSlots) {
        Long2LongHashMap counts = new Long2LongHashMap(0);
        int n = putSlots.size();
        for (int i = 0; i < n; ) {
            long slot = putSlots.getLong(i);
            int runEnd = i + 1;
            while (runEnd < n && putSlots.getLong(runEnd) == slot) {
                runEnd++;
            }
            counts.put(slot, counts.get(slot) + runEnd - i);
            i = runEnd;
        }
        counts.forEachLong((slot, puts) -> {
            if (!slots.containsKey(slot)) {
                slots.put(slot, new Object2ObjectHashMap<>((int) Math.min(1 << 30, (long) (puts / LOAD_FACTOR) + 1),
                    LOAD_FACTOR));
            }
        });
    }

    /** Writer thread: applies the pending deltas up to {@code delta} in order, then writes the image. */
    private void write(Delta<K, V> delta, KeyGroupWriter writer) {
        synchronized (slots) {
            if (delta.applied && delta.epochId != lastApplied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId
                    + " written after the image moved on to epoch " + lastApplied);
            }
            Delta<K, V> next;
            while (!delta.applied && (next = pending.poll()) != null) {
                apply(next);
            }
            if (!delta.applied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId + " is not this image's");
            }
            slots.forEachLong((slot, entries) ->
                entries.forEach((key, value) -> entryWriter.write(slot, key, value, writer.forKey(key))));
            if (delta.extras != null) {
                delta.extras.accept(writer);
            }
        }
    }

    private void apply(Delta<K, V> delta) {
        if (delta.full) {
            slots.clear();
        }
        for (int i = 0, n = delta.removedSlots.size(); i < n; i++) {
            slots.remove(delta.removedSlots.getLong(i));
        }
        for (int i = 0, n = delta.removedKeys.size(); i < n; i++) {
            long slot = delta.removedKeySlots.getLong(i);
            Object2ObjectHashMap<K, V> map = slots.get(slot);
            if (map != null) {
                map.remove(delta.removedKeys.get(i));
                if (map.isEmpty()) {
                    slots.remove(slot);
                }
            }
        }
        if (delta.putKeys.size() >= PRESIZE_MIN_PUTS) {
            presizeNewSlots(delta.putSlots);
        }
        for (int i = 0, n = delta.putKeys.size(); i < n; i++) {
            slotMap(delta.putSlots.getLong(i)).put(delta.putKeys.get(i), delta.putValues.get(i));
        }
        delta.applied = true;
        delta.release();
        lastApplied = delta.epochId;
    }

    /**
     * What changed at one barrier: slots removed whole, entries removed, entries put (new or
     * changed), in that order of application; plus anything the snapshot writes beside the image
     * (operator state, transient lists). Filled on the owner thread, then sealed by
     * {@link #snapshot}.
     *
     * @param <K> key type
     * @param <V> value type
     */
    public static final class Delta<K, V> {
        private final SnapshotImage<K, V> image;
        private final long epochId;
        private final boolean full;
        private final LongArrayList removedSlots = new LongArrayList();
        private final LongArrayList removedKeySlots = new LongArrayList();
        private final ArrayList<K> removedKeys = new ArrayList<>();
        private final LongArrayList putSlots = new LongArrayList();
        private final ArrayList<K> putKeys = new ArrayList<>();
        private final ArrayList<V> putValues = new ArrayList<>();
        private Consumer<KeyGroupWriter> extras;
        private volatile boolean applied;

        private Delta(SnapshotImage<K, V> image, long epochId, boolean full) {
            this.image = image;
            this.epochId = epochId;
            this.full = full;
        }

        /**
         * @return whether this delta must hold the whole state (the image is not tracking yet)
         */
        public boolean isFull() {
            return full;
        }

        /**
         * @param slot a slot whose every entry is gone
         * @return this delta
         */
        public Delta<K, V> removeSlot(long slot) {
            removedSlots.addLong(slot);
            return this;
        }

        /**
         * @param slot the entry's slot
         * @param key the key of an entry that is gone
         * @return this delta
         */
        public Delta<K, V> remove(long slot, K key) {
            removedKeySlots.addLong(slot);
            removedKeys.add(key);
            return this;
        }

        /**
         * @param slot the entry's slot
         * @param key its key (not mutated afterwards)
         * @param value its value: immutable, or a copy the operator never touches again
         * @return this delta
         */
        public Delta<K, V> put(long slot, K key, V value) {
            putSlots.addLong(slot);
            putKeys.add(key);
            putValues.add(value);
            return this;
        }

        /**
         * Seals the delta and returns the barrier's snapshot. Owner thread.
         *
         * @param extras writes what the snapshot holds beside the image (operator state, transient
         *     entries) after the image's entries; it must only read data it owns
         * @return the snapshot
         */
        public OperatorSnapshot snapshot(Consumer<KeyGroupWriter> extras) {
            this.extras = extras;
            image.pending.add(this);
            image.tracking = true;
            return new OperatorSnapshot() {
                @Override
                public void writeTo(KeyGroupWriter writer) {
                    image.write(Delta.this, writer);
                }
            };
        }

        private void release() {
            removedSlots.clear();
            removedKeySlots.clear();
            removedKeys.clear();
            putSlots.clear();
            putKeys.clear();
            putValues.clear();
        }
    }
}
