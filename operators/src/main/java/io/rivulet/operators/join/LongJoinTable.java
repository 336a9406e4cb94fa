package io.rivulet.operators.join;

import java.util.Arrays;

/**
 * The long-key join's state: {@code long} key → that key's buffered rows of each side, in one
 * open-addressing table (linear probing, multiply-shift hash, backward-shift delete, at most
 * {@value #LOAD_PERCENT}% of the slots used) whose slot is adjacent {@code long}s: the key, the two
 * sides' row counts, and per side either its first and last row (two {@code int}s, indexes into the
 * side's {@link JoinSlab}; a key's rows are a doubly linked list in arrival order there, and each row
 * names its key, so a row the watermark evicts unlinks with one probe and no boxed key anywhere) or,
 * for an <em>inline</em> side, that side's one row itself: its event time, arrival sequence with its
 * matched flag, and its {@code long} columns.
 *
 * <p>A side is inline when its keys are unique ({@link JoinSettings#withUniqueKeys}) and its rows are
 * columns: at most one row per key, so it needs no list, and a probe from the other side finds the row
 * it matches in the line it probed instead of one more cache miss in a slab (W5: the order a trade
 * matches). With an inline side the slot is a whole number of 64-byte lines, key, counts and inline rows
 * first: G1 starts a large (humongous) array at a region boundary, 16 bytes into a line, so the first
 * six {@code long}s of every slot share a line. An inline row has no stable index (slots move on growth
 * and deletion): it is named by its key.
 *
 * <p>A slot is empty when both counts are zero: a key is held while it has a row on either side and
 * removed, with a backward shift (no tombstones), when its last row goes. The table doubles when full
 * and never shrinks; slab indexes never move, slots move on growth and deletion (callers hold rows or
 * keys, not slots, across changes).
 *
 * <p>Not thread-safe; owned by the join operator's partition worker ({@link StreamStreamLongJoinOperator}).
 */
final class LongJoinTable {
    /** No slot: {@link #find} of an absent key. */
    static final int ABSENT = -1;
    private static final int LOAD_PERCENT = 65;
    private static final long PHI = 0x9E3779B97F4A7C15L;
    private static final int KEY = 0;
    private static final int COUNTS = 1;
    /** An inline row's fields, from its side's offset: time, then sequence {@code << 1} with the matched bit, then columns. */
    private static final int ROW_TIME = 0;
    private static final int ROW_SEQ = 1;
    private static final int ROW_COLUMNS = 2;
    private static final int NO_FIELD = -1;
    private static final int LINE_LONGS = 8;
    private static final long NO_LINKS = links(JoinSlab.NONE, JoinSlab.NONE);

    private final JoinSlab left;
    private final JoinSlab right;
    /** {@code long}s per slot. */
    private final int stride;
    /** Offsets in a slot of each side's links ({@link #NO_FIELD} if the side is inline) ... */
    private final int leftLinks;
    private final int rightLinks;
    /** ... and of each side's inline row ({@link #NO_FIELD} if its rows are in its slab). */
    private final int leftInline;
    private final int rightInline;
    private long[] slots;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;

    /**
     * A table whose rows all live in the two slabs.
     *
     * @param left the left side's rows
     * @param right the right side's rows
     * @param initialCapacity slots before the first growth; rounded up to a power of two, at least 8
     * @throws IllegalArgumentException if {@code initialCapacity} is not in {@code 1 .. 2^28}
     */
    LongJoinTable(JoinSlab left, JoinSlab right, int initialCapacity) {
        this(left, right, false, false, initialCapacity);
    }

    /**
     * @param left the left side's rows (not used for rows if the side is inline, only its {@link JoinSlab#width()})
     * @param right the right side's rows (likewise)
     * @param inlineLeft whether the left side keeps its one row per key in the slot
     * @param inlineRight whether the right side does
     * @param initialCapacity slots before the first growth; rounded up to a power of two, at least 8
     * @throws IllegalArgumentException if {@code initialCapacity} is not in {@code 1 .. 2^28}, or an inline
     *     side's slab holds objects (an inline row is {@code long} columns)
     */
    LongJoinTable(JoinSlab left, JoinSlab right, boolean inlineLeft, boolean inlineRight, int initialCapacity) {
        if (initialCapacity < 1 || initialCapacity > 1 << 28) {
            throw new IllegalArgumentException("initialCapacity: must be in 1 .. 2^28; was " + initialCapacity);
        }
        if ((inlineLeft && left.width() == 0) || (inlineRight && right.width() == 0)) {
            throw new IllegalArgumentException("inlineLeft/inlineRight: an inline side's rows must be long columns"
                + " (a width of at least 1)");
        }
        this.left = left;
        this.right = right;
        int at = COUNTS + 1;
        this.leftInline = inlineLeft ? at : NO_FIELD;
        at += inlineLeft ? ROW_COLUMNS + left.width() : 0;
        this.rightInline = inlineRight ? at : NO_FIELD;
        at += inlineRight ? ROW_COLUMNS + right.width() : 0;
        this.leftLinks = inlineLeft ? NO_FIELD : at++;
        this.rightLinks = inlineRight ? NO_FIELD : at++;
        this.stride = inlineLeft || inlineRight ? (at + LINE_LONGS - 1) / LINE_LONGS * LINE_LONGS : at;
        allocate(Math.max(8, Integer.highestOneBit(initialCapacity - 1) << 1));
    }

    private void allocate(int capacity) {
        slots = new long[capacity * stride];
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

    /**
     * @param isLeft which side
     * @return whether the side keeps its one row per key in the slot
     */
    boolean inline(boolean isLeft) {
        return (isLeft ? leftInline : rightInline) != NO_FIELD;
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
        int stride = this.stride;
        for (int i = home(key); ; i = (i + 1) & mask) {
            int at = i * stride;
            if (slots[at + COUNTS] == 0) {
                return ABSENT;
            }
            if (slots[at + KEY] == key) {
                return i;
            }
        }
    }

    /**
     * Reads the line of {@code key}'s home slot: a look-ahead touch, so a later {@link #find} hits the cache.
     *
     * @param key any key
     * @return the home slot's row counts (any value; the caller only keeps it alive)
     */
    long touch(long key) {
        return slots[home(key) * stride + COUNTS];
    }

    /**
     * @param slot a slot from {@link #find}
     * @param isLeft which side, not inline
     * @return the side's first row of the slot's key (arrival order), or {@link JoinSlab#NONE}
     */
    int firstRow(int slot, boolean isLeft) {
        return first(slots[slot * stride + (isLeft ? leftLinks : rightLinks)]);
    }

    /**
     * @param slot a slot from {@link #find}
     * @param isLeft which side
     * @return the side's rows of the slot's key
     */
    int rowCount(int slot, boolean isLeft) {
        long counts = slots[slot * stride + COUNTS];
        return isLeft ? (int) (counts >>> 32) : (int) counts;
    }

    /**
     * Buffers a row of a side that is not inline: takes a slab row, appends it to the key's list of that
     * side (inserting the key if absent). The caller then writes the row's payload into the side's slab.
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
        int at = insert(key) * stride;
        long[] slots = this.slots;
        int side = at + (isLeft ? leftLinks : rightLinks);
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
     * Buffers the one row of an inline side's key (inserting the key if absent); the caller has checked
     * that the key holds no row on that side, and then writes the row's columns at
     * {@link #inlineColumnsAt} in {@link #slots()}.
     *
     * @param isLeft which side, inline
     * @param key the row's key
     * @param timeMs its event time, epoch ms
     * @param seq its arrival sequence number, {@code >= 0}
     * @param matched whether it matched on arrival
     * @return the key's slot, valid until the next change of the table
     */
    int addInline(boolean isLeft, long key, long timeMs, long seq, boolean matched) {
        int slot = insert(key);
        int at = slot * stride;
        long[] slots = this.slots;
        int row = at + (isLeft ? leftInline : rightInline);
        slots[row + ROW_TIME] = timeMs;
        slots[row + ROW_SEQ] = seq << 1 | (matched ? 1 : 0);
        slots[at + COUNTS] += isLeft ? 1L << 32 : 1L;
        if (size > resizeAt) {
            rehash(capacity() * 2);
            return find(key);
        }
        return slot;
    }

    /** The key's slot, a new one (links empty) if absent; the caller adds a row before any other change. */
    private int insert(long key) {
        long[] slots = this.slots;
        int stride = this.stride;
        for (int i = home(key); ; i = (i + 1) & mask) {
            int at = i * stride;
            if (slots[at + COUNTS] == 0) {
                slots[at + KEY] = key;
                if (leftLinks != NO_FIELD) {
                    slots[at + leftLinks] = NO_LINKS;
                }
                if (rightLinks != NO_FIELD) {
                    slots[at + rightLinks] = NO_LINKS;
                }
                size++;
                return i;
            }
            if (slots[at + KEY] == key) {
                return i;
            }
        }
    }

    /** @return the slots' array (inline rows' columns at {@link #inlineColumnsAt}); replaced on growth */
    long[] slots() {
        return slots;
    }

    /**
     * @param slot a slot holding a row of the inline side
     * @param isLeft which side, inline
     * @return the index in {@link #slots()} of that row's first column
     */
    int inlineColumnsAt(int slot, boolean isLeft) {
        return slot * stride + (isLeft ? leftInline : rightInline) + ROW_COLUMNS;
    }

    /**
     * @param slot a slot holding a row of the inline side
     * @param isLeft which side, inline
     * @return that row's event time, epoch ms
     */
    long inlineTimeMs(int slot, boolean isLeft) {
        return slots[slot * stride + (isLeft ? leftInline : rightInline) + ROW_TIME];
    }

    /**
     * @param slot a slot holding a row of the inline side
     * @param isLeft which side, inline
     * @return that row's arrival sequence
     */
    long inlineSeq(int slot, boolean isLeft) {
        return slots[slot * stride + (isLeft ? leftInline : rightInline) + ROW_SEQ] >>> 1;
    }

    /**
     * @param slot a slot holding a row of the inline side
     * @param isLeft which side, inline
     * @return whether that row has matched
     */
    boolean inlineMatched(int slot, boolean isLeft) {
        return (slots[slot * stride + (isLeft ? leftInline : rightInline) + ROW_SEQ] & 1) != 0;
    }

    /**
     * Marks the inline row of a slot matched.
     *
     * @param slot a slot holding a row of the inline side
     * @param isLeft which side, inline
     */
    void markInlineMatched(int slot, boolean isLeft) {
        slots[slot * stride + (isLeft ? leftInline : rightInline) + ROW_SEQ] |= 1;
    }

    /**
     * Drops the inline row of a slot, and the key when it has no row left on either side.
     *
     * @param slot a slot holding a row of the inline side
     * @param isLeft which side, inline
     */
    void removeInline(int slot, boolean isLeft) {
        int at = slot * stride;
        long counts = slots[at + COUNTS] - (isLeft ? 1L << 32 : 1L);
        slots[at + COUNTS] = counts;
        if (counts == 0) {
            size--;
            deleteSlot(slot);
        }
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
        int at = slot * stride;
        int side = at + (isLeft ? leftLinks : rightLinks);
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
        int stride = this.stride;
        int i = hole;
        for (int j = (i + 1) & mask; slots[j * stride + COUNTS] != 0; j = (j + 1) & mask) {
            int home = home(slots[j * stride + KEY]);
            // j's entry may fill the hole at i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                System.arraycopy(slots, j * stride, slots, i * stride, stride);
                i = j;
            }
        }
        Arrays.fill(slots, i * stride, (i + 1) * stride, 0L);
    }

    private void rehash(int capacity) {
        long[] old = slots;
        allocate(capacity);
        long[] slots = this.slots;
        int stride = this.stride;
        for (int at = 0; at < old.length; at += stride) {
            if (old[at + COUNTS] != 0) {
                int i = home(old[at + KEY]);
                while (slots[i * stride + COUNTS] != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, at, slots, i * stride, stride);
            }
        }
    }

    /**
     * @param slot a slot index, {@code 0 .. capacity() - 1}
     * @return whether it holds a key (for walking every key: slots move on any change, so walk between changes)
     */
    boolean used(int slot) {
        return slots[slot * stride + COUNTS] != 0;
    }

    /**
     * @param slot a used slot
     * @return its key
     */
    long key(int slot) {
        return slots[slot * stride + KEY];
    }

    /** Drops every key and row (before a restore). */
    void clear() {
        for (int at = 0; at < slots.length; at += stride) {
            if (slots[at + COUNTS] != 0) {
                if (leftLinks != NO_FIELD) {
                    freeAll(left, first(slots[at + leftLinks]));
                }
                if (rightLinks != NO_FIELD) {
                    freeAll(right, first(slots[at + rightLinks]));
                }
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
