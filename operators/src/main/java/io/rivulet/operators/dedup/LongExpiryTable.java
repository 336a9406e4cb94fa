package io.rivulet.operators.dedup;

import org.agrona.collections.LongLongConsumer;

import java.util.Arrays;

/**
 * The deduplication state's {@code long} keys: key → expiry (epoch ms) in one open-addressing table
 * with linear probing, key and expiry side by side in one {@code long[]} (a lookup touches one cache
 * line), a multiply-shift hash and one probe for find-or-insert.
 *
 * <p><b>Lazy expiry.</b> The table knows the watermark ({@link #advance}): an entry whose expiry is
 * {@code <=} it is expired and reads as absent, but stays in its slot until a find-or-insert of any
 * key reuses the slot or the sweep removes it. Evicting a key therefore costs no random memory
 * access: while more than {@value #SWEEP_ABOVE_PERCENT}% of the slots are used, the sweep walks the
 * slots in order, {@value #SWEEP_SLOTS_PER_EXPIRY} slots per key the caller reports expired, empties
 * expired slots and places the rest of each cluster it touched again, in one pass (no tombstones, so
 * probe chains stay short). That bounds the expired entries still in slots to about
 * {@value #SWEEP_ABOVE_PERCENT}% of the slots or capacity / {@value #SWEEP_SLOTS_PER_EXPIRY}, whichever
 * is more. {@link #remove} deletes with a backward shift.
 *
 * <p>A slot is empty when its expiry is {@link #MISSING}; that value is therefore no valid expiry.
 * Capacity is a power of two. Once more than {@value #LOAD_PERCENT}% of the slots are used (live or
 * expired), the whole table is swept if anything expired since the last full sweep, and doubled if
 * more than {@value #GROW_LIVE_PERCENT}% are still used; it never shrinks. Not thread-safe; owned by
 * its operator.
 */
final class LongExpiryTable {
    /** Marks an empty slot, and is what lookups return for an absent key. */
    static final long MISSING = DedupImage.REMOVED;
    /** Sweep work per key reported expired; bounds the expired entries left in slots to ≈ capacity / this. */
    static final int SWEEP_SLOTS_PER_EXPIRY = 8;
    private static final int LOAD_PERCENT = 70;
    /** The sweep runs only while more slots than this are used: below it, inserts reusing expired slots suffice. */
    private static final int SWEEP_ABOVE_PERCENT = 55;
    private static final int GROW_LIVE_PERCENT = 50;
    private static final long PHI = 0x9E3779B97F4A7C15L;

    /** Slot {@code i}: key at {@code 2i}, expiry at {@code 2i + 1}. */
    private long[] entries;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;
    private int sweepAbove;
    private long watermarkMs = Long.MIN_VALUE;
    /** Slots the sweep still owes. */
    private long sweepBudget;
    /** The next slot the sweep looks at. */
    private int sweepAt;
    /** Keys reported expired since the last full sweep (or rehash): whether a full sweep can free anything. */
    private long expiredSinceFullSweep;

    LongExpiryTable() {
        allocate(64);
    }

    private void allocate(int capacity) {
        entries = new long[capacity * 2];
        Arrays.fill(entries, MISSING);
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        resizeAt = (int) ((long) capacity * LOAD_PERCENT / 100);
        sweepAbove = (int) ((long) capacity * SWEEP_ABOVE_PERCENT / 100);
        sweepAt = 0;
    }

    private int slot(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /**
     * @return the slots in use: live entries and expired ones not yet reused or swept
     */
    int size() {
        return size;
    }

    /**
     * @return the number of slots
     */
    int capacity() {
        return mask + 1;
    }

    /**
     * @return the watermark last {@link #advance}d to, {@code Long.MIN_VALUE} before any
     */
    long watermarkMs() {
        return watermarkMs;
    }

    /**
     * Moves the watermark on: entries whose expiry is {@code <=} it now read as absent. Then sweeps
     * {@value #SWEEP_SLOTS_PER_EXPIRY} slots per key that just expired.
     *
     * @param watermarkMs the new watermark, epoch ms; a smaller one than the current is ignored
     * @param expiredKeys how many held keys the caller knows expired by this watermark (paces the sweep)
     */
    void advance(long watermarkMs, long expiredKeys) {
        if (watermarkMs > this.watermarkMs) {
            this.watermarkMs = watermarkMs;
        }
        if (expiredKeys > 0) {
            expiredSinceFullSweep += expiredKeys;
            if (size > sweepAbove) {
                sweepBudget = Math.min(sweepBudget + expiredKeys * SWEEP_SLOTS_PER_EXPIRY, capacity());
                sweep();
            }
        }
    }

    /**
     * Walks {@link #sweepBudget} slots from {@link #sweepAt} (and on to the end of the cluster it is
     * in), emptying expired slots. Once a cluster has a new hole, every later live entry of the
     * cluster is placed again at the first empty slot from its home (at most where it is): one pass,
     * no shift per removal, all in lines the walk just read.
     */
    private void sweep() {
        long[] entries = this.entries;
        int mask = this.mask;
        long watermarkMs = this.watermarkMs;
        int i = sweepAt;
        long n = sweepBudget;
        while (n > 0) {
            // Most slots are empty or live: skip them with one well-predicted test per slot
            // (MISSING is Long.MIN_VALUE, so value - 1 wraps to Long.MAX_VALUE for an empty slot).
            if (entries[2 * i + 1] - 1 < watermarkMs) {
                int end = sweepCluster(entries, mask, watermarkMs, i);
                n -= (end - i) & mask;
                i = end;
            } else {
                i = (i + 1) & mask;
                n--;
            }
        }
        sweepAt = i;
        sweepBudget = 0;
    }

    /**
     * Empties the expired slot {@code first} and every later expired slot of its cluster; every live
     * entry after the first hole is placed again at the first empty slot from its home (at most
     * where it is): one pass, no shift per removal, all in lines the walk just read.
     *
     * @return the empty slot that ends the cluster
     */
    private int sweepCluster(long[] entries, int mask, long watermarkMs, int first) {
        int i = first;
        long value;
        while ((value = entries[2 * i + 1]) != MISSING) {
            if (value <= watermarkMs) {
                entries[2 * i] = MISSING;
                entries[2 * i + 1] = MISSING;
                size--;
            } else {
                long key = entries[2 * i];
                int p = slot(key);
                while (p != i && entries[2 * p + 1] != MISSING) {
                    p = (p + 1) & mask;
                }
                if (p != i) {
                    entries[2 * p] = key;
                    entries[2 * p + 1] = value;
                    entries[2 * i] = MISSING;
                    entries[2 * i + 1] = MISSING;
                }
            }
            i = (i + 1) & mask;
        }
        return i;
    }

    /**
     * @param key a key
     * @return its expiry, or {@link #MISSING} if absent or expired
     */
    long get(long key) {
        long[] entries = this.entries;
        int mask = this.mask;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long value = entries[2 * i + 1];
            if (value == MISSING) {
                return MISSING;
            }
            if (entries[2 * i] == key) {
                return value > watermarkMs ? value : MISSING;
            }
        }
    }

    /**
     * @param key a key
     * @return whether it is held and not expired
     */
    boolean containsKey(long key) {
        return get(key) != MISSING;
    }

    /**
     * Find-or-insert in one probe. An absent key goes into the first expired slot of its probe
     * chain if there is one (or its own expired entry), else into the empty slot that ends the chain.
     *
     * @param key a key
     * @param expiryMs its expiry if it is absent; not {@link #MISSING} (not checked here: the hot path)
     * @return the live expiry already held, or {@link #MISSING} if the key was absent (or expired) and is now held
     */
    long putIfAbsent(long key, long expiryMs) {
        long[] entries = this.entries;
        int mask = this.mask;
        long watermarkMs = this.watermarkMs;
        int i = slot(key);
        long value;
        // MISSING is Long.MIN_VALUE, so "empty or expired" is one test: two branches per probed slot.
        while ((value = entries[2 * i + 1]) > watermarkMs) {
            if (entries[2 * i] == key) {
                return value;
            }
            i = (i + 1) & mask;
        }
        if (value != MISSING) {
            return putPastExpired(key, expiryMs, i);
        }
        entries[2 * i] = key;
        entries[2 * i + 1] = expiryMs;
        if (++size > resizeAt) {
            rebalance();
        }
        return MISSING;
    }

    /**
     * {@link #putIfAbsent} once its probe met an expired slot: looks on for a live entry of the key;
     * if there is none, the key goes into its own expired entry if the chain holds one, else into
     * the first expired slot. Kept apart so the common probe loop stays short.
     */
    private long putPastExpired(long key, long expiryMs, int firstExpired) {
        long[] entries = this.entries;
        int mask = this.mask;
        long watermarkMs = this.watermarkMs;
        int at = firstExpired;
        long value;
        for (int i = firstExpired; (value = entries[2 * i + 1]) != MISSING; i = (i + 1) & mask) {
            if (entries[2 * i] == key) {
                if (value > watermarkMs) {
                    return value;
                }
                at = i;
                break;
            }
        }
        entries[2 * at] = key;
        entries[2 * at + 1] = expiryMs;
        return MISSING;
    }

    /**
     * @param key a key
     * @param expiryMs its expiry; not {@link #MISSING}
     * @return the live expiry it replaced, or {@link #MISSING} if the key was absent or expired
     */
    long put(long key, long expiryMs) {
        checkExpiry(expiryMs);
        long[] entries = this.entries;
        int mask = this.mask;
        int i = slot(key);
        while (true) {
            long value = entries[2 * i + 1];
            if (value == MISSING) {
                break;
            }
            if (entries[2 * i] == key) {
                entries[2 * i + 1] = expiryMs;
                return value > watermarkMs ? value : MISSING;
            }
            i = (i + 1) & mask;
        }
        entries[2 * i] = key;
        entries[2 * i + 1] = expiryMs;
        if (++size > resizeAt) {
            rebalance();
        }
        return MISSING;
    }

    /**
     * @param key a key
     * @return its expiry, or {@link #MISSING} if it was absent or expired (an expired entry is removed too)
     */
    long remove(long key) {
        long[] entries = this.entries;
        int mask = this.mask;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long value = entries[2 * i + 1];
            if (value == MISSING) {
                return MISSING;
            }
            if (entries[2 * i] == key) {
                removeAt(i);
                return value > watermarkMs ? value : MISSING;
            }
        }
    }

    /** Empties slot {@code i} by backward shift: later entries of the chain move into the hole when their home slot allows. */
    private void removeAt(int i) {
        long[] entries = this.entries;
        int mask = this.mask;
        int hole = i;
        for (int j = (i + 1) & mask; ; j = (j + 1) & mask) {
            long v = entries[2 * j + 1];
            if (v == MISSING) {
                break;
            }
            long k = entries[2 * j];
            int home = slot(k);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                entries[2 * hole] = k;
                entries[2 * hole + 1] = v;
                hole = j;
            }
        }
        entries[2 * hole] = MISSING;
        entries[2 * hole + 1] = MISSING;
        size--;
    }

    /**
     * @param consumer gets every live (key, expiry), in slot order; expired entries are skipped
     */
    void forEachLong(LongLongConsumer consumer) {
        long[] entries = this.entries;
        long watermarkMs = this.watermarkMs;
        for (int i = 1; i < entries.length; i += 2) {
            long value = entries[i];
            if (value != MISSING && value > watermarkMs) {
                consumer.accept(entries[i - 1], value);
            }
        }
    }

    /** Full: sweep everything if anything expired since the last full sweep, then grow if still crowded. */
    private void rebalance() {
        if (expiredSinceFullSweep > 0) {
            expiredSinceFullSweep = 0;
            sweepBudget = capacity();
            sweep();
        }
        if (size > (long) capacity() * GROW_LIVE_PERCENT / 100) {
            grow();
        }
    }

    private void grow() {
        long[] old = entries;
        int capacity = (mask + 1) * 2;
        if (capacity <= 0 || capacity > (1 << 29)) {
            throw new IllegalStateException("deduplication state: more than " + size + " long keys in one partition");
        }
        allocate(capacity);
        long[] entries = this.entries;
        int mask = this.mask;
        long watermarkMs = this.watermarkMs;
        int live = 0;
        for (int s = 1; s < old.length; s += 2) {
            long value = old[s];
            if (value != MISSING && value > watermarkMs) {
                long key = old[s - 1];
                int i = slot(key);
                while (entries[2 * i + 1] != MISSING) {
                    i = (i + 1) & mask;
                }
                entries[2 * i] = key;
                entries[2 * i + 1] = value;
                live++;
            }
        }
        size = live;
        expiredSinceFullSweep = 0;
        sweepBudget = 0;
    }

    private static void checkExpiry(long expiryMs) {
        if (expiryMs == MISSING) {
            throw new IllegalArgumentException("expiryMs must not be " + MISSING + " (marks an empty slot)");
        }
    }
}
