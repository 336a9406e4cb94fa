package io.rivulet.operators.keyed;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongLongConsumer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The live state of a running {@code long}-key aggregation: key → {@code long} value in one
 * open-addressing table with linear probing, everything of a key in four adjacent {@code long}s (a
 * record touches one slot: one cache miss for a key not in cache), a multiply-shift hash. Keys are
 * never removed, so an entry never moves within a table: the slot index identifies it until the
 * table grows.
 *
 * <p><b>Snapshots (the {@code SnapshotCell} protocol, unboxed).</b> Each slot remembers the snapshot
 * sequence of its last change ({@code changedSeq}, {@link LongSnapshotImage#seq()}); its first change
 * in a sequence puts its index on the dirty list, which the barrier hands over as is (O(1)), with the
 * table array it indexes (a {@link Generation}). The writer thread reads each handed-over slot as of
 * the barrier ({@link #valueAt}). Until the writer has applied the delta that holds a slot
 * ({@link LongSnapshotImage#consumedSeq()}), the owner's first change of it in a later sequence first
 * pushes the barrier's value on the slot's version list (copy-on-write: one 32-byte {@link Version},
 * the only allocation, and only while the writer lags). Values are written with release stores and
 * versions are published before the value they replace, so a writer that sees a new value sees the
 * version. When the table grows, the old generation is never written again: a writer still reading it
 * sees the values as of the growth, and versions pushed before it; a slot first changed after it had
 * not changed since the barrier, so the old generation holds the barrier's value.
 *
 * <p>Slot {@code i}, at {@code b = BASE + 4i}: key at {@code b}, value at {@code b + 1}, {@code changedSeq}
 * at {@code b + 2} ({@link #EMPTY} for an empty slot; {@code 0} for a restored entry the image already
 * holds), the emission epoch of its last change at {@code b + 3} (for {@link EmitPolicy#ON_EPOCH}: a
 * short epoch lists its changed slots, a busy one is found by scanning these). Capacity is
 * a power of two, doubled once more than {@value #LOAD_PERCENT}% of the slots are used; 32 bytes per
 * slot, so about 50 to 100 bytes per key.
 *
 * <p>Not thread-safe; owned by the operator's partition worker, except {@link #keyAt} and
 * {@link #valueAt}, which the snapshot writer calls on a handed-over generation.
 */
final class LongRunningTable {
    /** The {@code changedSeq} of an empty slot. */
    static final long EMPTY = -1;
    static final int STRIDE = 4;
    /**
     * Longs before slot 0: a table large enough to matter is a humongous G1 object, which starts on a region
     * boundary, and its elements 16 bytes after it, so six longs of padding put every 32-byte slot inside one 64-byte
     * cache line (without it every other slot straddles two lines: two misses for one key).
     */
    static final int BASE = 6;
    /**
     * The epoch's changed slots are listed only up to capacity / this; past it the flush scans the table for the
     * slots whose emission epoch is the current one (sequential, prefetched) instead of walking a list of random
     * slots, one cache miss each (see {@link #changedInEpochListed}). Measured on a 2^21-slot table (K1L, Zipf
     * keys, docs/benchmarks.md session 6): the list wins at capacity / 73 keys changed, the scan at capacity / 20.
     */
    static final int SCAN_DIVISOR = 32;
    private static final int LOAD_PERCENT = 65;
    private static final int MAX_CAPACITY = 1 << 28;
    private static final long PHI = 0x9E3779B97F4A7C15L;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle REFS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final LongSnapshotImage image;
    private Generation generation;
    /** {@code generation.slots}, read per record. */
    private long[] slots;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;
    /** Indices of the slots changed since the last hand-over, each once (from the start: the first delta is the whole state). */
    private IntArrayList dirty = new IntArrayList();
    /** Indices of the slots changed in the current emission epoch, each once, while there are at most {@link #listLimit}. */
    private final IntArrayList changedInEpoch = new IntArrayList();
    /** Slots changed in the current emission epoch. */
    private int changedInEpochCount;
    /** {@code capacity / SCAN_DIVISOR}: the changed slots listed at most per epoch. */
    private int listLimit;

    /**
     * @param image gives the current sequence and the writer's progress
     */
    LongRunningTable(LongSnapshotImage image) {
        this.image = image;
        allocate(64);
    }

    /** One table array and the version lists of its slots; a table that grew never writes its old generation again. */
    static final class Generation {
        final long[] slots;
        final Object[] versions;

        Generation(int capacity) {
            slots = new long[BASE + capacity * STRIDE];
            versions = new Object[capacity];
        }
    }

    /** A slot's value as it was at the barrier of snapshot sequence {@code seq}, kept for a writer that has not copied it yet. */
    private static final class Version {
        final long seq;
        final long value;
        /** Older versions (lower sequences); unlinked by the owner once the writer is past them. */
        Version older;

        Version(long seq, long value, Version older) {
            this.seq = seq;
            this.value = value;
            this.older = older;
        }
    }

    private void allocate(int capacity) {
        generation = new Generation(capacity);
        slots = generation.slots;
        for (int i = BASE + 2; i < slots.length; i += STRIDE) {
            slots[i] = EMPTY;
        }
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        resizeAt = (int) ((long) capacity * LOAD_PERCENT / 100);
        listLimit = capacity / SCAN_DIVISOR;
    }

    private int home(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /**
     * Records the first change of an existing slot in the current sequence (dirty list; copy-on-write
     * of a value the writer may still need). The caller then sets the value with {@link #value(int, long)}.
     *
     * @param i a slot index from {@link #indexOf}
     */
    void beforeChange(int i) {
        long seq = image.seq();
        long changedSeq = slots[BASE + STRIDE * i + 2];
        if (changedSeq != seq) {
            markChanged(i, changedSeq, seq);
        }
    }

    /**
     * Inserts an absent key, as changed in the current sequence.
     *
     * @param key a key not held
     * @param value its value
     * @return its slot index
     */
    int insert(long key, long value) {
        int i = freeSlot(key);
        dirty.addInt(i);
        return insert(i, key, value, image.seq());
    }

    /** Fills an empty slot; grows the table (moving the dirty list's indices) if it is now too full. */
    private int insert(int i, long key, long initial, long seq) {
        slots[BASE + STRIDE * i] = key;
        slots[BASE + STRIDE * i + 1] = initial;
        slots[BASE + STRIDE * i + 3] = 0; // no emission epoch: the operator counts them from 1
        slots[BASE + STRIDE * i + 2] = seq;
        if (++size > resizeAt) {
            grow();
            return indexOf(key);
        }
        return i;
    }

    /** The slot's first change in sequence {@code seq}: copy-on-write if the writer has not applied the delta holding it. */
    private void markChanged(int i, long last, long seq) {
        slots[BASE + STRIDE * i + 2] = seq;
        dirty.addInt(i);
        long consumedSeq = image.consumedSeq();
        if (last > consumedSeq) {
            pushVersion(i, last, consumedSeq);
        }
    }

    private void pushVersion(int i, long last, long consumedSeq) {
        Object[] versions = generation.versions;
        Version head = (Version) versions[i];
        if (head != null) {
            if (head.seq <= consumedSeq) {
                head = null;
            } else {
                for (Version v = head; v.older != null; v = v.older) {
                    if (v.older.seq <= consumedSeq) {
                        v.older = null; // a writer still walking past here never needs what follows
                        break;
                    }
                }
            }
        }
        REFS.setRelease(versions, i, new Version(last, slots[BASE + STRIDE * i + 1], head));
    }

    /**
     * @param i a slot index from {@link #indexOf} or {@link #insert}
     * @return its value
     */
    long value(int i) {
        return slots[BASE + STRIDE * i + 1];
    }

    /**
     * Sets a slot's value (a release store, for the snapshot writer). Call {@link #beforeChange} first.
     *
     * @param i a slot index from {@link #indexOf}
     * @param value the new value
     */
    void value(int i, long value) {
        LONGS.setRelease(slots, BASE + STRIDE * i + 1, value);
    }

    /**
     * @param i a slot index
     * @return its key
     */
    long key(int i) {
        return slots[BASE + STRIDE * i];
    }

    /**
     * Marks the slot as changed in emission epoch {@code epoch}. Its first change in the epoch counts it
     * and, while no more than capacity / {@value #SCAN_DIVISOR} slots changed, lists it.
     *
     * @param i a slot index
     * @param epoch the emission epoch, {@code >= 1}
     */
    void changedInEpoch(int i, long epoch) {
        if (slots[BASE + STRIDE * i + 3] != epoch) {
            slots[BASE + STRIDE * i + 3] = epoch;
            if (++changedInEpochCount <= listLimit) {
                changedInEpoch.addInt(i);
            }
        }
    }

    /**
     * @return the number of slots changed in the current emission epoch
     */
    int changedInEpochCount() {
        return changedInEpochCount;
    }

    /**
     * @return whether {@link #changedInEpoch()} lists every slot changed in the current emission epoch;
     *     if not, find them with {@link #nextChangedInEpoch}
     */
    boolean changedInEpochListed() {
        return changedInEpoch.size() == changedInEpochCount;
    }

    /**
     * @return the slots changed in the current emission epoch, in first-change order (re-indexed when
     *     the table grows), complete only if {@link #changedInEpochListed()}
     */
    IntArrayList changedInEpoch() {
        return changedInEpoch;
    }

    /**
     * The scan for the slots changed in an epoch: reads the table in slot order, a sequential pass the
     * hardware prefetches, where walking a long list of random slots costs a cache miss per slot.
     *
     * @param from the slot index to start at, {@code >= 0}
     * @param epoch the emission epoch
     * @return the first slot index {@code >= from} whose last change was in {@code epoch}, or {@code -1}
     */
    int nextChangedInEpoch(int from, long epoch) {
        long[] slots = this.slots;
        for (int s = BASE + STRIDE * from + 3; s < slots.length; s += STRIDE) {
            if (slots[s] == epoch) {
                return (s - BASE) / STRIDE;
            }
        }
        return -1;
    }

    /** Starts the next emission epoch's tracking: the caller has emitted the slots changed in this one. */
    void clearChangedInEpoch() {
        changedInEpoch.clear();
        changedInEpochCount = 0;
    }

    /**
     * Reads the home slot of each of the keys, so that the cache misses of a batch of lookups overlap
     * (the loads are independent); the lookups that follow then hit the cache.
     *
     * @param keys the keys
     * @param n how many of them
     * @return a value derived from the slots read, for the caller to keep (so the loads are not removed)
     */
    long touch(long[] keys, int n) {
        long[] slots = this.slots;
        long acc = 0;
        for (int k = 0; k < n; k++) {
            acc += slots[BASE + STRIDE * home(keys[k])];
        }
        return acc;
    }

    /**
     * @param key a key
     * @return its slot index, or {@code -1} if absent
     */
    int indexOf(long key) {
        long[] slots = this.slots;
        int mask = this.mask;
        for (int i = home(key); ; i = (i + 1) & mask) {
            if (slots[BASE + STRIDE * i + 2] == EMPTY) {
                return -1;
            }
            if (slots[BASE + STRIDE * i] == key) {
                return i;
            }
        }
    }

    /**
     * Puts a restored entry: held by the image already, so not dirty. Owner thread, before the first snapshot.
     *
     * @param key the key
     * @param value its value
     */
    void restore(long key, long value) {
        int i = indexOf(key);
        if (i < 0) {
            // Sequence 0 and not dirty: the image holds a restored entry already.
            insert(freeSlot(key), key, value, 0);
        } else {
            slots[BASE + STRIDE * i + 1] = value;
        }
    }

    private int freeSlot(long key) {
        int i = home(key);
        while (slots[BASE + STRIDE * i + 2] != EMPTY) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /**
     * Hands the dirty list over (to the barrier's delta) and goes on with {@code spare}. Owner thread.
     *
     * @param spare an empty list
     * @return the slots changed since the previous hand-over, indices into {@link #generation()}
     */
    IntArrayList handOver(IntArrayList spare) {
        IntArrayList handed = dirty;
        dirty = spare;
        return handed;
    }

    /**
     * @return the table array the current slot indices point into
     */
    Generation generation() {
        return generation;
    }

    /**
     * @return the keys held
     */
    int size() {
        return size;
    }

    /**
     * @return the slots allocated
     */
    int capacity() {
        return mask + 1;
    }

    /**
     * @param consumer gets every (key, value) held, in slot order
     */
    void forEach(LongLongConsumer consumer) {
        long[] slots = this.slots;
        for (int i = BASE; i < slots.length; i += STRIDE) {
            if (slots[i + 2] != EMPTY) {
                consumer.accept(slots[i], slots[i + 1]);
            }
        }
    }

    /**
     * Writer thread: a handed-over slot's key (written before the hand-over, never changed).
     *
     * @param generation the generation the delta's indices point into
     * @param i a handed-over slot index
     * @return its key
     */
    static long keyAt(Generation generation, int i) {
        return generation.slots[BASE + STRIDE * i];
    }

    /**
     * Writer thread, while it applies the delta of sequence {@code seq}, which holds slot {@code i}:
     * the slot's value as of that barrier.
     *
     * @param generation the generation the delta's indices point into
     * @param i a handed-over slot index
     * @param seq the delta's sequence
     * @return the value at the barrier
     */
    static long valueAt(Generation generation, int i, long seq) {
        long current = (long) LONGS.getAcquire(generation.slots, BASE + STRIDE * i + 1);
        for (Version v = (Version) REFS.getAcquire(generation.versions, i); v != null; v = v.older) {
            if (v.seq == seq) {
                return v.value;
            }
            if (v.seq < seq) {
                break;
            }
        }
        return current;
    }

    /** Doubles the capacity into a new generation; the indices on the dirty and epoch lists move with their keys. */
    private void grow() {
        Generation old = generation;
        long[] oldSlots = old.slots;
        int capacity = (mask + 1) * 2;
        if (capacity > MAX_CAPACITY) {
            throw new IllegalStateException("running long-key aggregation: more than " + size
                + " keys in one partition; use more partitions");
        }
        allocate(capacity);
        long[] slots = this.slots;
        Object[] versions = generation.versions;
        for (int s = BASE, o = 0; s < oldSlots.length; s += STRIDE, o++) {
            if (oldSlots[s + 2] != EMPTY) {
                int i = freeSlot(oldSlots[s]);
                System.arraycopy(oldSlots, s, slots, BASE + STRIDE * i, STRIDE);
                versions[i] = old.versions[o];
            }
        }
        reindex(dirty, oldSlots);
        reindex(changedInEpoch, oldSlots); // a partial list is re-indexed too, and stays partial
    }

    private void reindex(IntArrayList indices, long[] oldSlots) {
        for (int k = 0, n = indices.size(); k < n; k++) {
            indices.setInt(k, indexOf(oldSlots[BASE + STRIDE * indices.getInt(k)]));
        }
    }
}
