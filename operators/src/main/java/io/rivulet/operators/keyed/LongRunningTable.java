package io.rivulet.operators.keyed;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongLongConsumer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The live state of a running {@code long}-key aggregation: key → {@code long} value in one
 * open-addressing table with linear probing, a key and its value in two adjacent {@code long}s (16-byte
 * slots, four to a cache line: a record touches one slot, one cache miss for a key not in cache), a
 * multiply-shift hash. Keys are never removed, so an entry never moves within a table: the slot index
 * identifies it until the table grows. Key {@value #EMPTY_KEY} marks an empty slot; that key itself lives
 * in one extra slot after the probed ones (index {@link #capacity()}).
 *
 * <p><b>Flags.</b> The per-slot bookkeeping is in a side array of bit words, one block of four words per
 * 64 slots (32 bytes, so a line holds the flags of 128 slots): the block's snapshot sequence stamp, the
 * slots changed in that sequence, the slots changed in the sequence before it, and the slots changed in
 * the current emission epoch. At 2^21 slots the flags take 1 MB against the slots' 32 MB, so they stay
 * in the caches while the slots miss. A block is brought up to the current sequence lazily, when a slot
 * of it changes ({@link #roll}), so a barrier touches no flag.
 *
 * <p><b>Snapshots (the {@code SnapshotCell} protocol, unboxed).</b> A slot's first change in a snapshot
 * sequence ({@link LongSnapshotImage#seq()}) sets its bit and puts its index on the dirty list, which the
 * barrier hands over as is (O(1)), with the table array it indexes (a {@link Generation}). The writer
 * thread reads each handed-over slot as of the barrier ({@link #valueAt}). A slot changed for the first
 * time in sequence {@code s} last changed in {@code s - 1} (its bit in the previous word) or at most in
 * {@code s - 2}; until the writer has applied that sequence's delta ({@link LongSnapshotImage#consumedSeq()}),
 * the change first pushes the slot's value as of barrier {@code s - 1} on the slot's version list
 * (copy-on-write: one 32-byte {@link Version}, the only allocation, and only while the writer lags; when
 * the writer lags by two sequences or more, the second bound may copy a value it no longer needs). The
 * value at a barrier is the oldest version taken at or after it, or the slot's value if none. Values are
 * written with release stores and versions are published before the value they replace, so a writer that
 * sees a new value sees the version. When the table grows, the old generation is never written again: a
 * writer still reading it sees the values as of the growth, and versions pushed before it; a slot first
 * changed after it had not changed since the barrier, so the old generation holds the barrier's value.
 *
 * <p><b>Emission.</b> For {@link EmitPolicy#ON_EPOCH}, a slot's first change in an epoch sets its emission
 * bit; a short epoch also lists its changed slots, a busy one is found by scanning the emission words
 * (64 slots per word read; the slots are read only where a bit is set).
 *
 * <p>Capacity is a power of two, doubled once more than {@value #LOAD_PERCENT}% of the slots are used; 16
 * bytes per slot and 0.5 byte of flags, so about 25 to 50 bytes per key.
 *
 * <p>Not thread-safe; owned by the operator's partition worker, except {@link #keyAt} and
 * {@link #valueAt}, which the snapshot writer calls on a handed-over generation.
 */
final class LongRunningTable {
    /** The key that marks an empty slot; held, it lives in the extra slot at index {@link #capacity()}. */
    static final long EMPTY_KEY = 0;
    static final int STRIDE = 2;
    /**
     * Longs before slot 0: a table large enough to matter is a humongous G1 object, which starts on a region
     * boundary, and its elements 16 bytes after it, so six longs of padding put every four slots in one 64-byte
     * cache line (without it one slot in four straddles two lines: two misses for one key).
     */
    static final int BASE = 6;
    /** Flag words per block of 64 slots. */
    static final int FLAG_STRIDE = 4;
    /** Longs before the first flag block: two, so that each 32-byte block of a humongous flag array lies in one line. */
    static final int FLAG_BASE = 2;
    /** Block word: the snapshot sequence its {@link #CHANGED} and {@link #PREVIOUS} words are as of. */
    private static final int STAMP = 0;
    /** Block word: the slots changed in the stamp's sequence. */
    private static final int CHANGED = 1;
    /** Block word: the slots changed in the sequence before the stamp's. */
    private static final int PREVIOUS = 2;
    /** Block word: the slots changed in the current emission epoch. */
    private static final int EMITTING = 3;
    /**
     * The epoch's changed slots are listed only up to capacity / this; past it the flush scans the emission
     * words for them (sequential, prefetched) instead of walking a list of random slots, one cache miss each
     * (see {@link #changedInEpochListed}). Measured with the 32-byte slots that carried their own flags, on a
     * 2^21-slot table (K1L, Zipf keys, docs/benchmarks.md session 6): the list won at capacity / 73 keys changed,
     * the scan at capacity / 20.
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
    /** The flag blocks of the current generation's slots (owner thread only). */
    private long[] flags;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;
    /** Whether key {@value #EMPTY_KEY} is held (in slot {@link #capacity()}). */
    private boolean emptyKeyHeld;
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
            slots = new long[BASE + (capacity + 1) * STRIDE];
            versions = new Object[capacity + 1];
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
        flags = new long[FLAG_BASE + FLAG_STRIDE * (capacity / 64 + 1)];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        resizeAt = (int) ((long) capacity * LOAD_PERCENT / 100);
        listLimit = capacity / SCAN_DIVISOR;
        emptyKeyHeld = false;
    }

    private int home(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /** @return the index of the first word of slot {@code i}'s flag block */
    private static int block(int i) {
        return FLAG_BASE + FLAG_STRIDE * (i >>> 6);
    }

    /** Brings a block whose stamp is older than {@code seq} up to it: no slot of it changed in {@code seq} yet. */
    private void roll(int b, long seq) {
        long[] flags = this.flags;
        flags[b + PREVIOUS] = flags[b + STAMP] == seq - 1 ? flags[b + CHANGED] : 0;
        flags[b + CHANGED] = 0;
        flags[b + STAMP] = seq;
    }

    /**
     * Records the first change of an existing slot in the current sequence (dirty list; copy-on-write
     * of a value the writer may still need). The caller then sets the value with {@link #value(int, long)}.
     *
     * @param i a slot index from {@link #indexOf}
     */
    void beforeChange(int i) {
        long seq = image.seq();
        long[] flags = this.flags;
        int b = block(i);
        if (flags[b + STAMP] != seq) {
            roll(b, seq);
        }
        long changed = flags[b + CHANGED];
        long bit = 1L << i;
        if ((changed & bit) == 0) {
            flags[b + CHANGED] = changed | bit;
            markChanged(i, (flags[b + PREVIOUS] & bit) != 0, seq);
        }
    }

    /**
     * The slot's first change in sequence {@code seq}: dirty, and copy-on-write if the writer may not have
     * applied the delta holding its last change (in {@code seq - 1} if {@code changedInPrevious}, else at
     * most in {@code seq - 2}).
     */
    private void markChanged(int i, boolean changedInPrevious, long seq) {
        dirty.addInt(i);
        long lastAtMost = changedInPrevious ? seq - 1 : seq - 2;
        long consumedSeq = image.consumedSeq();
        if (lastAtMost > consumedSeq) {
            pushVersion(i, seq - 1, consumedSeq);
        }
    }

    /** Pushes the slot's value as of barrier {@code barrierSeq}; unlinks the versions the writer is past. */
    private void pushVersion(int i, long barrierSeq, long consumedSeq) {
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
        REFS.setRelease(versions, i, new Version(barrierSeq, slots[BASE + STRIDE * i + 1], head));
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

    /**
     * Fills an empty slot, as changed in sequence {@code seq} ({@code 0}: a restored entry, not changed);
     * grows the table (moving the lists' indices and the flags) if it is now too full.
     */
    private int insert(int i, long key, long initial, long seq) {
        slots[BASE + STRIDE * i] = key;
        slots[BASE + STRIDE * i + 1] = initial;
        if (key == EMPTY_KEY) {
            emptyKeyHeld = true;
        }
        if (seq > 0) {
            int b = block(i);
            if (flags[b + STAMP] != seq) {
                roll(b, seq);
            }
            flags[b + CHANGED] |= 1L << i;
        }
        if (++size > resizeAt) {
            grow();
            return indexOf(key);
        }
        return i;
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
     * Marks the slot as changed in the current emission epoch. Its first change in the epoch counts it
     * and, while no more than capacity / {@value #SCAN_DIVISOR} slots changed, lists it.
     *
     * @param i a slot index
     */
    void changedInEpoch(int i) {
        int w = block(i) + EMITTING;
        long word = flags[w];
        long bit = 1L << i;
        if ((word & bit) == 0) {
            flags[w] = word | bit;
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
     * The scan for the slots changed in the epoch: reads the emission words in slot order (64 slots
     * each, a sequential pass the hardware prefetches), where walking a long list of random slots costs
     * a cache miss per slot.
     *
     * @param from the slot index to start at, {@code >= 0}
     * @return the first slot index {@code >= from} changed in the current emission epoch, or {@code -1}
     */
    int nextChangedInEpoch(int from) {
        long[] flags = this.flags;
        int b = block(from);
        if (b >= flags.length) {
            return -1;
        }
        long word = flags[b + EMITTING] & (-1L << from);
        while (word == 0) {
            b += FLAG_STRIDE;
            if (b >= flags.length) {
                return -1;
            }
            word = flags[b + EMITTING];
        }
        return ((b - FLAG_BASE) / FLAG_STRIDE << 6) + Long.numberOfTrailingZeros(word);
    }

    /** Starts the next emission epoch's tracking: the caller has emitted the slots changed in this one. */
    void clearChangedInEpoch() {
        long[] flags = this.flags;
        if (changedInEpochListed()) {
            for (int k = 0, n = changedInEpoch.size(); k < n; k++) {
                int i = changedInEpoch.getInt(k);
                flags[block(i) + EMITTING] &= ~(1L << i);
            }
        } else {
            for (int w = FLAG_BASE + EMITTING; w < flags.length; w += FLAG_STRIDE) {
                flags[w] = 0;
            }
        }
        changedInEpoch.clear();
        changedInEpochCount = 0;
    }

    /**
     * Reads the home slot of each of the keys and its flag block, so that the cache misses of a batch of
     * lookups overlap (the loads are independent); the lookups that follow then hit the cache.
     *
     * @param keys the keys
     * @param n how many of them
     * @return a value derived from the slots read, for the caller to keep (so the loads are not removed)
     */
    long touch(long[] keys, int n) {
        long[] slots = this.slots;
        long[] flags = this.flags;
        long acc = 0;
        for (int k = 0; k < n; k++) {
            int i = home(keys[k]);
            acc += slots[BASE + STRIDE * i] + flags[block(i)];
        }
        return acc;
    }

    /**
     * @param key a key
     * @return its slot index, or {@code -1} if absent
     */
    int indexOf(long key) {
        if (key == EMPTY_KEY) {
            return emptyKeyHeld ? mask + 1 : -1;
        }
        long[] slots = this.slots;
        int mask = this.mask;
        for (int i = home(key); ; i = (i + 1) & mask) {
            long held = slots[BASE + STRIDE * i];
            if (held == key) {
                return i;
            }
            if (held == EMPTY_KEY) {
                return -1;
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
            insert(freeSlot(key), key, value, 0);
        } else {
            slots[BASE + STRIDE * i + 1] = value;
        }
    }

    private int freeSlot(long key) {
        if (key == EMPTY_KEY) {
            return mask + 1;
        }
        int i = home(key);
        while (slots[BASE + STRIDE * i] != EMPTY_KEY) {
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
     * @return the slots probed (a power of two); the key {@value #EMPTY_KEY} has one more, at this index
     */
    int capacity() {
        return mask + 1;
    }

    /**
     * @return the bytes of the slot and flag arrays
     */
    long memoryBytes() {
        return ((long) slots.length + flags.length) * Long.BYTES;
    }

    /**
     * @param consumer gets every (key, value) held, in slot order
     */
    void forEach(LongLongConsumer consumer) {
        long[] slots = this.slots;
        int end = BASE + STRIDE * (mask + 1);
        for (int s = BASE; s < end; s += STRIDE) {
            if (slots[s] != EMPTY_KEY) {
                consumer.accept(slots[s], slots[s + 1]);
            }
        }
        if (emptyKeyHeld) {
            consumer.accept(EMPTY_KEY, slots[end + 1]);
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
     * the slot's value as of that barrier: the oldest version taken at or after it (pushed at the slot's
     * first change after that barrier), else the slot's value.
     *
     * @param generation the generation the delta's indices point into
     * @param i a handed-over slot index
     * @param seq the delta's sequence
     * @return the value at the barrier
     */
    static long valueAt(Generation generation, int i, long seq) {
        long value = (long) LONGS.getAcquire(generation.slots, BASE + STRIDE * i + 1);
        for (Version v = (Version) REFS.getAcquire(generation.versions, i); v != null && v.seq >= seq; v = v.older) {
            value = v.value;
        }
        return value;
    }

    /**
     * Doubles the capacity into a new generation; the entries, their versions and their flags (brought up
     * to the current sequence) move with their keys, and so do the indices on the dirty and epoch lists.
     */
    private void grow() {
        Generation old = generation;
        long[] oldSlots = old.slots;
        long[] oldFlags = flags;
        int oldCapacity = mask + 1;
        boolean emptyKey = emptyKeyHeld;
        int capacity = oldCapacity * 2;
        if (capacity > MAX_CAPACITY) {
            throw new IllegalStateException("running long-key aggregation: more than " + size
                + " keys in one partition; use more partitions");
        }
        long seq = image.seq();
        allocate(capacity);
        long[] slots = this.slots;
        long[] flags = this.flags;
        for (int b = FLAG_BASE; b < flags.length; b += FLAG_STRIDE) {
            flags[b + STAMP] = seq;
        }
        Object[] versions = generation.versions;
        for (int o = 0; o <= oldCapacity; o++) {
            long key = oldSlots[BASE + STRIDE * o];
            if (key == EMPTY_KEY && (o < oldCapacity || !emptyKey)) {
                continue;
            }
            int i = freeSlot(key);
            slots[BASE + STRIDE * i] = key;
            slots[BASE + STRIDE * i + 1] = oldSlots[BASE + STRIDE * o + 1];
            versions[i] = old.versions[o];
            if (key == EMPTY_KEY) {
                emptyKeyHeld = true;
            }
            int ob = block(o);
            long oldBit = 1L << o;
            long stamp = oldFlags[ob + STAMP];
            boolean changed = stamp == seq && (oldFlags[ob + CHANGED] & oldBit) != 0;
            boolean previous = stamp == seq ? (oldFlags[ob + PREVIOUS] & oldBit) != 0
                : stamp == seq - 1 && (oldFlags[ob + CHANGED] & oldBit) != 0;
            int b = block(i);
            long bit = 1L << i;
            if (changed) {
                flags[b + CHANGED] |= bit;
            }
            if (previous) {
                flags[b + PREVIOUS] |= bit;
            }
            if ((oldFlags[ob + EMITTING] & oldBit) != 0) {
                flags[b + EMITTING] |= bit;
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
