package io.rivulet.operators.join;

import java.util.Arrays;

/**
 * The long-key join's state: {@code long} key → that key's buffered rows of each side, in one
 * open-addressing table (linear probing, multiply-shift hash, backward-shift delete, at most
 * {@value #LOAD_PERCENT}% of the slots used) whose slot is four adjacent {@code long}s: the key, the
 * left side's first and last row, the right side's first and last row (two {@code int}s each, indexes
 * into the side's {@link JoinSlab}) and the two sides' row counts. A lookup touches one slot (half a
 * cache line); a key's rows are a doubly linked list in arrival order in its side's slab, and each row
 * names its key, so a row the watermark evicts unlinks with one probe and no boxed key anywhere.
 *
 * <p>A slot is empty when both counts are zero: a key is held while it has a row on either side and
 * removed, with a backward shift (no tombstones), when its last row goes. The table doubles when full
 * and never shrinks; slab indexes never move, slots move on growth and deletion (callers hold rows, not
 * slots, across changes).
 *
 * <p>Not thread-safe; owned by the join operator's partition worker ({@link StreamStreamLongJoinOperator}).
 */
final class LongJoinTable {
    /** No slot: {@link #find} of an absent key. */
    static final int ABSENT = -1;
    private static final int LOAD_PERCENT = 65;
    private static final long PHI = 0x9E3779B97F4A7C15L;
    private static final int STRIDE = 4;
    private static final int KEY = 0;
    private static final int LEFT = 1;
    private static final int RIGHT = 2;
    private static final int COUNTS = 3;
    private static final long NO_LINKS = links(JoinSlab.NONE, JoinSlab.NONE);

    private final JoinSlab left;
    private final JoinSlab right;
    private long[] slots;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;

    /**
     * @param left the left side's rows
     * @param right the right side's rows
     * @param initialCapacity slots before the first growth; rounded up to a power of two, at least 8
     * @throws IllegalArgumentException if {@code initialCapacity} is not in {@code 1 .. 2^28}
     */
    LongJoinTable(JoinSlab left, JoinSlab right, int initialCapacity) {
        if (initialCapacity < 1 || initialCapacity > 1 << 28) {
            throw new IllegalArgumentException("initialCapacity: must be in 1 .. 2^28; was " + initialCapacity);
        }
        this.left = left;
        this.right = right;
        allocate(Math.max(8, Integer.highestOneBit(initialCapacity - 1) << 1));
    }

    private void allocate(int capacity) {
        slots = new long[capacity * STRIDE];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        resizeAt = (int) ((long) capacity * LOAD_PERCENT / 100);
    }

    private static long links(int first, int last) {
        return (long) first << 32 | (last & 0xFFFF_FFFFL);
    }

    private static int first(long links) {
        return (int) (links >> 32);
    }

    private static int last(long links) {
        return (int) links;
    }

    private int home(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /** @return the keys held (with at least one row on either side) */
    int size() {
        return size;
    }

    /** @return the slots */
    int capacity() {
        return mask + 1;
    }

    /** @return the left side's rows */
    JoinSlab left() {
        return left;
    }

    /** @return the right side's rows */
    JoinSlab right() {
        return right;
    }

    /**
     * @param key a key
     * @return its slot, valid until the next change of the table, or {@link #ABSENT}
     */
    int find(long key) {
        long[] slots = this.slots;
        for (int i = home(key); ; i = (i + 1) & mask) {
            int at = i * STRIDE;
            if (slots[at + COUNTS] == 0) {
                return ABSENT;
            }
            if (slots[at + KEY] == key) {
                return i;
            }
        }
    }

    /**
     * @param slot a slot from {@link #find}
     * @param isLeft which side
     * @return the side's first row of the slot's key (arrival order), or {@link JoinSlab#NONE}
     */
    /**
     * Reads the line of {@code key}'s home slot: a look-ahead touch, so a later {@link #find} hits the cache.
     *
     * @param key any key
     * @return the home slot's row counts (any value; the caller only keeps it alive)
     */
    long touch(long key) {
        return slots[home(key) * STRIDE + COUNTS];
    }

    int firstRow(int slot, boolean isLeft) {
        return first(slots[slot * STRIDE + (isLeft ? LEFT : RIGHT)]);
    }

    /**
     * @param slot a slot from {@link #find}
     * @param isLeft which side
     * @return the side's rows of the slot's key
     */
    int rowCount(int slot, boolean isLeft) {
        long counts = slots[slot * STRIDE + COUNTS];
        return isLeft ? (int) (counts >>> 32) : (int) counts;
    }

    /**
     * Buffers a row: takes a slab row, appends it to the key's list of that side (inserting the key if
     * absent). The caller then writes the row's payload into the side's slab.
     *
     * @param isLeft which side
     * @param key the row's key
     * @param timeMs its event time, epoch ms
     * @param seq its arrival sequence number, {@code >= 0}
     * @param matched whether it matched on arrival
     * @return the row's slab index
     */
    int addRow(boolean isLeft, long key, long timeMs, long seq, boolean matched) {
        JoinSlab slab = isLeft ? left : right;
        int row = slab.allocate(key, timeMs, seq, matched);
        long[] slots = this.slots;
        int i = home(key);
        int at;
        while (true) {
            at = i * STRIDE;
            if (slots[at + COUNTS] == 0) {
                slots[at + KEY] = key;
                slots[at + LEFT] = NO_LINKS;
                slots[at + RIGHT] = NO_LINKS;
                size++;
                break;
            }
            if (slots[at + KEY] == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        int side = at + (isLeft ? LEFT : RIGHT);
        long links = slots[side];
        int last = last(links);
        if (last == JoinSlab.NONE) {
            slots[side] = links(row, row);
        } else {
            slab.next(last, row);
            slab.prev(row, last);
            slots[side] = links(first(links), row);
        }
        slots[at + COUNTS] += isLeft ? 1L << 32 : 1L;
        if (size > resizeAt) {
            rehash(capacity() * 2);
        }
        return row;
    }

    /**
     * Drops a buffered row: unlinks it from its key's list, frees it in the slab and removes the key
     * when it has no row left on either side.
     *
     * @param isLeft which side
     * @param row a row held by that side
     * @return the rows that side still holds for the row's key (0: the key has none left on that side)
     * @throws IllegalStateException if the row's key is not in the table (a corrupt table)
     */
    int removeRow(boolean isLeft, int row) {
        JoinSlab slab = isLeft ? left : right;
        long key = slab.key(row);
        int slot = find(key);
        if (slot == ABSENT) {
            throw new IllegalStateException("row " + row + ": its key " + key + " is not in the join table");
        }
        int at = slot * STRIDE;
        int side = at + (isLeft ? LEFT : RIGHT);
        int prev = slab.prev(row);
        int next = slab.next(row);
        long links = slots[side];
        int first = prev == JoinSlab.NONE ? next : first(links);
        int last = next == JoinSlab.NONE ? prev : last(links);
        if (prev != JoinSlab.NONE) {
            slab.next(prev, next);
        }
        if (next != JoinSlab.NONE) {
            slab.prev(next, prev);
        }
        slots[side] = links(first, last);
        slab.free(row);
        long counts = slots[at + COUNTS] - (isLeft ? 1L << 32 : 1L);
        slots[at + COUNTS] = counts;
        if (counts == 0) {
            size--;
            deleteSlot(slot);
        }
        return isLeft ? (int) (counts >>> 32) : (int) counts;
    }

    /** Backward-shift delete: later entries of the cluster that may move into the hole do, one by one. */
    private void deleteSlot(int hole) {
        long[] slots = this.slots;
        int i = hole;
        for (int j = (i + 1) & mask; slots[j * STRIDE + COUNTS] != 0; j = (j + 1) & mask) {
            int home = home(slots[j * STRIDE + KEY]);
            // j's entry may fill the hole at i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                System.arraycopy(slots, j * STRIDE, slots, i * STRIDE, STRIDE);
                i = j;
            }
        }
        int at = i * STRIDE;
        slots[at + KEY] = 0;
        slots[at + LEFT] = 0;
        slots[at + RIGHT] = 0;
        slots[at + COUNTS] = 0;
    }

    private void rehash(int capacity) {
        long[] old = slots;
        allocate(capacity);
        long[] slots = this.slots;
        for (int at = 0; at < old.length; at += STRIDE) {
            if (old[at + COUNTS] != 0) {
                int i = home(old[at + KEY]);
                while (slots[i * STRIDE + COUNTS] != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, at, slots, i * STRIDE, STRIDE);
            }
        }
    }

    /**
     * @param slot a slot index, {@code 0 .. capacity() - 1}
     * @return whether it holds a key (for walking every key: slots move on any change, so walk between changes)
     */
    boolean used(int slot) {
        return slots[slot * STRIDE + COUNTS] != 0;
    }

    /**
     * @param slot a used slot
     * @return its key
     */
    long key(int slot) {
        return slots[slot * STRIDE + KEY];
    }

    /** Drops every key and row (before a restore). */
    void clear() {
        for (int at = 0; at < slots.length; at += STRIDE) {
            if (slots[at + COUNTS] != 0) {
                freeAll(left, first(slots[at + LEFT]));
                freeAll(right, first(slots[at + RIGHT]));
            }
        }
        Arrays.fill(slots, 0);
        size = 0;
    }

    private static void freeAll(JoinSlab slab, int row) {
        while (row != JoinSlab.NONE) {
            int next = slab.next(row);
            slab.free(row);
            row = next;
        }
    }
}
