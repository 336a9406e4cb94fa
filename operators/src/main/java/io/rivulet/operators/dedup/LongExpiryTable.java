package io.rivulet.operators.dedup;

import org.agrona.collections.LongLongConsumer;

import java.util.Arrays;

/**
 * The deduplication state's {@code long} keys: key → expiry (epoch ms) in one open-addressing table
 * with linear probing, key and expiry side by side in one {@code long[]} (a lookup touches one cache
 * line), a multiply-shift hash, one probe for find-or-insert and backward-shift deletion (no
 * tombstones, so probe chains stay short under steady insert and evict).
 *
 * <p>A slot is empty when its expiry is {@link #MISSING}; that value is therefore no valid expiry.
 * Capacity is a power of two, doubled once more than {@value #LOAD_PERCENT}% of the slots are used;
 * it never shrinks. Not thread-safe; owned by its operator.
 */
final class LongExpiryTable {
    /** Marks an empty slot, and is what lookups return for an absent key. */
    static final long MISSING = DedupImage.REMOVED;
    private static final int LOAD_PERCENT = 65;
    private static final long PHI = 0x9E3779B97F4A7C15L;

    /** Slot {@code i}: key at {@code 2i}, expiry at {@code 2i + 1}. */
    private long[] entries;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;

    LongExpiryTable() {
        allocate(64);
    }

    private void allocate(int capacity) {
        entries = new long[capacity * 2];
        Arrays.fill(entries, MISSING);
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        resizeAt = (int) ((long) capacity * LOAD_PERCENT / 100);
    }

    private int slot(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /**
     * @return the keys held
     */
    int size() {
        return size;
    }

    /**
     * @param key a key
     * @return its expiry, or {@link #MISSING} if absent
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
                return value;
            }
        }
    }

    /**
     * @param key a key
     * @return whether it is held
     */
    boolean containsKey(long key) {
        return get(key) != MISSING;
    }

    /**
     * Find-or-insert in one probe.
     *
     * @param key a key
     * @param expiryMs its expiry if it is absent; not {@link #MISSING}
     * @return the expiry already held, or {@link #MISSING} if the key was absent and is now held
     */
    long putIfAbsent(long key, long expiryMs) {
        long[] entries = this.entries;
        int mask = this.mask;
        int i = slot(key);
        while (true) {
            long value = entries[2 * i + 1];
            if (value == MISSING) {
                break;
            }
            if (entries[2 * i] == key) {
                return value;
            }
            i = (i + 1) & mask;
        }
        checkExpiry(expiryMs);
        entries[2 * i] = key;
        entries[2 * i + 1] = expiryMs;
        if (++size > resizeAt) {
            grow();
        }
        return MISSING;
    }

    /**
     * @param key a key
     * @param expiryMs its expiry; not {@link #MISSING}
     * @return the expiry it replaced, or {@link #MISSING} if the key was absent
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
                return value;
            }
            i = (i + 1) & mask;
        }
        entries[2 * i] = key;
        entries[2 * i + 1] = expiryMs;
        if (++size > resizeAt) {
            grow();
        }
        return MISSING;
    }

    /**
     * @param key a key
     * @return its expiry, or {@link #MISSING} if it was absent
     */
    long remove(long key) {
        long[] entries = this.entries;
        int mask = this.mask;
        int i = slot(key);
        long value;
        while (true) {
            value = entries[2 * i + 1];
            if (value == MISSING) {
                return MISSING;
            }
            if (entries[2 * i] == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        // Backward shift: move later entries of the chain into the hole when their home slot allows.
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
        return value;
    }

    /**
     * @param consumer gets every (key, expiry) held, in slot order
     */
    void forEachLong(LongLongConsumer consumer) {
        long[] entries = this.entries;
        for (int i = 1; i < entries.length; i += 2) {
            if (entries[i] != MISSING) {
                consumer.accept(entries[i - 1], entries[i]);
            }
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
        for (int s = 1; s < old.length; s += 2) {
            long value = old[s];
            if (value != MISSING) {
                long key = old[s - 1];
                int i = slot(key);
                while (entries[2 * i + 1] != MISSING) {
                    i = (i + 1) & mask;
                }
                entries[2 * i] = key;
                entries[2 * i + 1] = value;
            }
        }
    }

    private static void checkExpiry(long expiryMs) {
        if (expiryMs == MISSING) {
            throw new IllegalArgumentException("expiryMs must not be " + MISSING + " (marks an empty slot)");
        }
    }
}
