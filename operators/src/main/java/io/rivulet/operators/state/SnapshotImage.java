package io.rivulet.operators.state;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Incremental snapshots for an operator that keeps its live state in its own structures: at each
 * barrier the operator hands over only what changed since its previous snapshot (a {@link Delta}),
 * so the barrier costs O(entries changed), not O(state), or O(1) with a hand-over (below). The image, a copy of the whole state as of
 * the newest barrier written, lives on the writer's side: a snapshot's {@link OperatorSnapshot#writeTo}
 * first applies every delta up to its own, in order, then writes the image per key group.
 *
 * <p><b>Only changed key groups.</b> The image is kept by key group, and remembers which key groups
 * changed (an entry put or removed; every key group holding entries of a removed slot) since the
 * base snapshot of the writer ({@link KeyGroupWriter#baseSnapshotId}): a write encodes only those,
 * and {@link KeyGroupWriter#keepKeyGroup keeps} the others that hold entries. Changes accumulate over
 * snapshots the runtime skipped, and over a write that never became durable (the writer's base is
 * then still the one before). A key group a snapshot's extras wrote into ({@link Delta#snapshot}) is
 * written whole in that snapshot (its entries first, then the extras) and again in the next one,
 * whose extras may differ. After a restore, a key group whose block held only the entries put back
 * ({@link #put}) is kept from the restored checkpoint; one that held other records too must be
 * reported ({@link #restoredOtherRecords}).
 *
 * <p>Entries are addressed by a {@code long} slot (a window's start; {@code 0} for state with one
 * slot) and a key. Values put into a delta must be immutable, or copies the operator never touches
 * again ({@link StateCodec#copy}): the writer reads them on another thread.
 *
 * <p><b>Hand-over (an O(1) barrier).</b> Instead of copying each changed value at the barrier, an
 * operator can hand its whole list of changed entries to the delta ({@link Delta#handOver}), each a
 * {@link SnapshotCell}, and go on with an empty list. The writer thread, applying the delta, reads
 * each entry's value as of the barrier ({@link SnapshotCell#valueAt}), copies it into the image
 * ({@link Freezer}), and when the whole delta is in publishes {@link #consumedSeq()} (volatile). Each
 * barrier has a sequence ({@link #seq()}, bumped by {@link #delta}); until the writer has consumed the
 * delta holding an entry, the owner copies the entry's value before changing it again
 * ({@link SnapshotCell#markChanged}, copy-on-write), so the barrier's version stays intact for the
 * writer. The barrier then costs O(1) on the owner thread; the copying moves to the writer, except
 * for entries the owner changes again before the writer got to them. Removals can travel in the same
 * list: an entry the {@link Freezer} freezes to {@code null} removes its (slot, key), one it says
 * {@linkplain Freezer#removesSlot removes its slot} removes the whole slot; the list is applied in
 * order, so an entry put and removed in one epoch ends up removed.
 *
 * <p><b>Threads.</b> {@link #delta} and {@link Delta#snapshot} are called on the operator's owner
 * thread; {@code writeTo} of the snapshots on the runtime's writer thread, one at a time, oldest
 * first (a snapshot the runtime skipped is not lost: its delta is applied by the next one written).
 * The first snapshot, unless the operator restored entries into the image ({@link #put}), must
 * carry the whole state: see {@link #isTracking} (an operator that hands over keeps its changed list
 * from the start, so its first list is the whole state).
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

    /**
     * Reads a handed-over entry on the writer thread, as it was at a barrier.
     *
     * @param <E> the operator's entry type
     * @param <K> key type
     * @param <V> the image's value type
     */
    public interface Freezer<E, K, V> {
        /**
         * @param entry a handed-over entry
         * @return its slot (from fields the owner never changes)
         */
        long slot(E entry);

        /**
         * @param entry a handed-over entry
         * @return its key as the image holds it (a key the owner never mutates, or a copy)
         */
        K key(E entry);

        /**
         * @param entry a handed-over entry
         * @param seq the sequence of the delta being applied: read the entry's
         *     {@link SnapshotCell#valueAt}{@code (seq)}
         * @return the image's value: immutable, or a copy the owner never sees; {@code null} if the
         *     entry stands for the removal of its (slot, key): the image then drops that entry
         */
        V freeze(E entry, long seq);

        /**
         * Whether a handed-over entry stands for the removal of its whole slot (every key of it, in
         * every key group: a window that closed), so that a removal costs the owner one list element,
         * not a call at the barrier. {@link #key} and {@link #freeze} are not called for it.
         *
         * @param entry a handed-over entry
         * @return whether it removes the slot {@link #slot} returns; {@code false} by default
         */
        default boolean removesSlot(E entry) {
            return false;
        }
    }

    private final EntryWriter<K, V> entryWriter;
    private final ConcurrentLinkedQueue<Delta<K, V>> pending = new ConcurrentLinkedQueue<>();
    /** Guards the image: writes run one at a time, and each sees the last one's image. */
    private final Object lock = new Object();
    /** The image by key group, then slot, then key; sized on the first write (by the writer's maxParallelism). */
    private Long2ObjectHashMap<Object2ObjectHashMap<K, V>>[] groups;
    /** Which key groups changed since the last write and since the base a write keeps from. */
    private final KeptKeyGroups kept = new KeptKeyGroups();
    /** Key groups this write wrote the entries of, and those its extras wrote into. Scratch of {@link #write}. */
    private final BitSet written = new BitSet();
    private final BitSet extrasWritten = new BitSet();
    private final ExtrasWriter extrasWriter = new ExtrasWriter();
    private boolean tracking;
    /** Entries restored, not yet queued: they go ahead of the first delta. Owner thread. */
    private Delta<K, V> restoring;
    private long lastApplied = Long.MIN_VALUE;
    /** The sequence of the epoch in progress: its barrier's delta gets it. Owner thread. */
    private long seq = 1;
    /** The sequence of the newest delta the writer applied in full. */
    private volatile long consumedSeq;
    /** A handed-over list the writer emptied, for the owner's next epoch. */
    private final AtomicReference<ArrayList<?>> spareList = new AtomicReference<>();

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
     * The sequence of the epoch in progress: {@code 1} until the first barrier, then bumped by each
     * {@link #delta}. An entry changed in this epoch goes into the delta of this sequence. Owner
     * thread.
     *
     * @return the current epoch's sequence, {@code >= 1}
     */
    public long seq() {
        return seq;
    }

    /**
     * The sequence of the newest delta the writer thread has applied in full ({@code 0} before the
     * first): entries handed over at that barrier or before are copied into the image, and the owner
     * may change their values in place. Any thread.
     *
     * @return the newest sequence applied
     */
    public long consumedSeq() {
        return consumedSeq;
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
        restoring().put(slot, key, value);
        tracking = true;
    }

    /**
     * Reports that a restored key group's block held records beside the entries put back
     * ({@link #put}), such as the extras a snapshot wrote into it: the image would not write those
     * bytes, so the first snapshot after the restore writes the key group instead of keeping the
     * restored block. Owner thread, while restoring, before any snapshot.
     *
     * @param keyGroup the key group restored
     */
    public void restoredOtherRecords(int keyGroup) {
        if (keyGroup < 0) {
            throw new IllegalArgumentException("keyGroup must be >= 0, got " + keyGroup);
        }
        restoring().otherRecords.addInt(keyGroup);
    }

    private Delta<K, V> restoring() {
        if (restoring == null) {
            restoring = new Delta<>(this, Long.MIN_VALUE, 0, false);
            restoring.restored = true;
        }
        return restoring;
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
        return new Delta<>(this, epochId, seq++, !tracking);
    }

    /**
     * Writer thread: applies the pending deltas up to {@code delta} in order, then writes the key
     * groups that changed since the writer's base, keeps the other ones that hold entries, and writes
     * the extras.
     */
    private void write(Delta<K, V> delta, KeyGroupWriter writer) {
        synchronized (lock) {
            if (delta.applied && delta.epochId != lastApplied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId
                    + " written after the image moved on to epoch " + lastApplied);
            }
            int maxParallelism = writer.maxParallelism();
            sizeGroups(maxParallelism);
            Delta<K, V> next;
            while (!delta.applied && (next = pending.poll()) != null) {
                apply(next, maxParallelism);
            }
            if (!delta.applied) {
                throw new IllegalStateException("snapshot of epoch " + delta.epochId + " is not this image's");
            }
            boolean keeping = kept.beginWrite(writer.baseSnapshotId());
            written.clear();
            extrasWritten.clear();
            for (int g = 0; g < maxParallelism; g++) {
                if (holds(g) && (!keeping || kept.mustWrite(g))) {
                    writeGroup(g, writer);
                }
            }
            if (delta.extras != null) {
                extrasWriter.target = writer;
                try {
                    delta.extras.accept(extrasWriter);
                } finally {
                    extrasWriter.target = null;
                }
            }
            if (keeping) {
                for (int g = 0; g < maxParallelism; g++) {
                    if (holds(g) && !written.get(g)) {
                        writer.keepKeyGroup(g);
                    }
                }
            }
            kept.endWrite(writer.snapshotId(), extrasWritten);
        }
    }

    private void writeGroup(int keyGroup, KeyGroupWriter writer) {
        written.set(keyGroup);
        SnapshotOutput out = writer.forKeyGroup(keyGroup);
        groups[keyGroup].forEachLong((slot, entries) ->
            entries.forEach((key, value) -> entryWriter.write(slot, key, value, out)));
    }

    private boolean holds(int keyGroup) {
        Long2ObjectHashMap<Object2ObjectHashMap<K, V>> slots = groups[keyGroup];
        return slots != null && !slots.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private void sizeGroups(int maxParallelism) {
        if (groups == null) {
            groups = new Long2ObjectHashMap[KeyGroups.checkMaxParallelism(maxParallelism)];
        } else if (groups.length != maxParallelism) {
            throw new IllegalStateException("the writer has maxParallelism " + maxParallelism
                + " but this image was written with " + groups.length + ": the number of key groups cannot change");
        }
    }

    private Object2ObjectHashMap<K, V> slotMap(int keyGroup, long slot) {
        Long2ObjectHashMap<Object2ObjectHashMap<K, V>> slots = groups[keyGroup];
        if (slots == null) {
            slots = new Long2ObjectHashMap<>();
            groups[keyGroup] = slots;
        }
        Object2ObjectHashMap<K, V> map = slots.get(slot);
        if (map == null) {
            map = new Object2ObjectHashMap<>();
            slots.put(slot, map);
        }
        return map;
    }

    private void apply(Delta<K, V> delta, int maxParallelism) {
        if (delta.full) {
            for (int g = 0; g < maxParallelism; g++) {
                if (holds(g)) {
                    kept.changed(g);
                    groups[g].clear();
                }
            }
        }
        if (delta.handedOver != null) {
            applyHandedOver(delta, maxParallelism);
        }
        for (int i = 0, n = delta.removedSlots.size(); i < n; i++) {
            removeSlot(delta.removedSlots.getLong(i), maxParallelism);
        }
        for (int i = 0, n = delta.removedKeys.size(); i < n; i++) {
            K key = delta.removedKeys.get(i);
            removeKey(KeyGroups.keyGroupOf(key, maxParallelism), delta.removedKeySlots.getLong(i), key);
        }
        for (int i = 0, n = delta.putKeys.size(); i < n; i++) {
            K key = delta.putKeys.get(i);
            int g = KeyGroups.keyGroupOf(key, maxParallelism);
            slotMap(g, delta.putSlots.getLong(i)).put(key, delta.putValues.get(i));
            if (!delta.restored) {
                kept.changed(g);
            }
        }
        if (delta.restored) {
            kept.restored();
            for (int i = 0, n = delta.otherRecords.size(); i < n; i++) {
                kept.changed(delta.otherRecords.getInt(i));
            }
            delta.otherRecords.clear();
        }
        delta.applied = true;
        delta.release();
        lastApplied = delta.epochId;
        if (delta.seq > 0) {
            consumedSeq = delta.seq;
        }
    }

    private void removeSlot(long slot, int maxParallelism) {
        for (int g = 0; g < maxParallelism; g++) {
            Long2ObjectHashMap<Object2ObjectHashMap<K, V>> slots = groups[g];
            if (slots != null && slots.remove(slot) != null) {
                kept.changed(g);
            }
        }
    }

    private void removeKey(int keyGroup, long slot, K key) {
        Long2ObjectHashMap<Object2ObjectHashMap<K, V>> slots = groups[keyGroup];
        Object2ObjectHashMap<K, V> map = slots == null ? null : slots.get(slot);
        if (map != null && map.remove(key) != null) {
            kept.changed(keyGroup);
            if (map.isEmpty()) {
                slots.remove(slot);
            }
        }
    }

    /**
     * Copies each handed-over entry as of the barrier into the image (or applies the removal it stands
     * for), in list order, then recycles the list.
     */
    @SuppressWarnings("unchecked")
    private void applyHandedOver(Delta<K, V> delta, int maxParallelism) {
        ArrayList<Object> entries = (ArrayList<Object>) delta.handedOver;
        Freezer<Object, K, V> freezer = (Freezer<Object, K, V>) delta.freezer;
        long seq = delta.seq;
        for (int i = 0, n = entries.size(); i < n; i++) {
            Object entry = entries.get(i);
            long slot = freezer.slot(entry);
            if (freezer.removesSlot(entry)) {
                removeSlot(slot, maxParallelism);
                continue;
            }
            K key = freezer.key(entry);
            int g = KeyGroups.keyGroupOf(key, maxParallelism);
            V value = freezer.freeze(entry, seq);
            if (value == null) {
                removeKey(g, slot, key);
            } else {
                slotMap(g, slot).put(key, value);
                kept.changed(g);
            }
        }
        entries.clear();
        spareList.lazySet(entries);
        delta.handedOver = null;
        delta.freezer = null;
    }

    /**
     * What a snapshot's extras write through: the first record into a key group that holds entries
     * not written in this snapshot writes those entries first (a key group's block is whole: the
     * entries, then the extras), and every key group it goes to is remembered as changed for the next
     * snapshot. Writer thread, within {@link #write}.
     */
    private final class ExtrasWriter implements KeyGroupWriter {
        private KeyGroupWriter target;

        @Override
        public SnapshotOutput forKey(Object key) {
            return forKeyGroup(KeyGroups.keyGroupOf(key, target.maxParallelism()));
        }

        @Override
        public SnapshotOutput forKeyGroup(int keyGroup) {
            if (keyGroup >= 0 && keyGroup < groups.length && !extrasWritten.get(keyGroup)) {
                extrasWritten.set(keyGroup);
                if (holds(keyGroup) && !written.get(keyGroup)) {
                    writeGroup(keyGroup, target);
                }
            }
            return target.forKeyGroup(keyGroup);
        }

        @Override
        public SnapshotOutput operatorState() {
            return target.operatorState();
        }

        @Override
        public int maxParallelism() {
            return target.maxParallelism();
        }

        @Override
        public void keepKeyGroup(int keyGroup) {
            throw new UnsupportedOperationException("a snapshot's extras cannot keep key group " + keyGroup
                + ": the image keeps the key groups that did not change");
        }
    }

    /**
     * What changed at one barrier: entries handed over (changed or new, {@link #handOver}), slots
     * removed whole, entries removed, entries put (new or changed), in that order of application;
     * plus anything the snapshot writes beside the image (operator state, transient lists). Filled on
     * the owner thread, then sealed by {@link #snapshot}.
     *
     * @param <K> key type
     * @param <V> value type
     */
    public static final class Delta<K, V> {
        private final SnapshotImage<K, V> image;
        private final long epochId;
        private final long seq;
        private final boolean full;
        private final LongArrayList removedSlots = new LongArrayList();
        private final LongArrayList removedKeySlots = new LongArrayList();
        private final ArrayList<K> removedKeys = new ArrayList<>();
        private final LongArrayList putSlots = new LongArrayList();
        private final ArrayList<K> putKeys = new ArrayList<>();
        private final ArrayList<V> putValues = new ArrayList<>();
        /** Key groups restored with records beside the entries put back (the restoring delta only). */
        private final IntArrayList otherRecords = new IntArrayList();
        private Consumer<KeyGroupWriter> extras;
        /** Whether this delta holds restored entries: as in the restored checkpoint, not changed since it. */
        private boolean restored;
        private ArrayList<?> handedOver;
        private Freezer<?, K, V> freezer;
        private volatile boolean applied;

        private Delta(SnapshotImage<K, V> image, long epochId, long seq, boolean full) {
            this.image = image;
            this.epochId = epochId;
            this.seq = seq;
            this.full = full;
        }

        /**
         * @return this barrier's sequence: the entries of its epoch have {@link SnapshotCell#changedSeq()}
         *     equal to it
         */
        public long seq() {
            return seq;
        }

        /**
         * Hands the entries changed in the epoch over as they are, O(1): the writer thread reads each
         * as of this barrier ({@link Freezer#freeze}, {@link SnapshotCell#valueAt}) and puts it into
         * the image before this delta's removals, so an entry whose slot was removed in the same epoch
         * is put, then removed. Once the delta is handed over, the owner must change an entry's value
         * only as {@link SnapshotCell} allows (copy-on-write while {@link #consumedSeq()} is below
         * {@link #seq()}) and must not change the fields {@code freezer} reads for slot and key.
         * Once per delta.
         *
         * @param changed the entries changed in the epoch, each once; the delta owns the list from now
         * @param freezer reads an entry on the writer thread
         * @param <E> the entry type
         * @return an empty list for the next epoch's changes (one the writer emptied, or a new one)
         * @throws IllegalStateException if this delta already has a hand-over
         */
        @SuppressWarnings("unchecked")
        public <E> ArrayList<E> handOver(ArrayList<E> changed, Freezer<? super E, K, V> freezer) {
            if (handedOver != null) {
                throw new IllegalStateException("delta of epoch " + epochId + " already has its hand-over");
            }
            this.handedOver = Objects.requireNonNull(changed, "changed");
            this.freezer = Objects.requireNonNull(freezer, "freezer");
            ArrayList<E> spare = (ArrayList<E>) image.spareList.getAndSet(null);
            return spare != null && spare != changed ? spare : new ArrayList<>();
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
         *     entries) after the image's entries; it must only read data it owns. A key group it writes
         *     into is written whole in this snapshot and changed for the next one; operator state is
         *     written by every snapshot
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
