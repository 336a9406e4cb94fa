package io.rivulet.operators.join;

import java.util.Arrays;

/**
 * One join side's buffered rows for the long-key join table ({@link LongJoinTable}): rows live at
 * {@code int} indexes, each row one record of {@code 4 + width} adjacent {@code long}s in one array
 * (row-major, so matching a row costs one cache line rather than one per field): its event time, arrival
 * sequence with its "matched" flag, key, its links to the previous and next row of the same key (arrival
 * order, doubly linked so any row unlinks in O(1); two {@code int}s in one {@code long}), then its payload.
 * The payload is either {@code long} columns (a fixed {@link #width()} of {@code long}s per row, at
 * {@link #columnsAt(int)} in {@link #columns()}; no reference stored: G1 has no remembered-set work for it)
 * or one object per row ({@link #value}), chosen at construction.
 *
 * <p>Freed rows go on a free list threaded through {@code next} and are reused first; the arrays double
 * when the slab is full and never shrink, so a steady stream allocates nothing once they have grown.
 * Linking rows to keys is {@link LongJoinTable}'s job: the slab only stores what it is told.
 *
 * <p>Not thread-safe; owned by the join operator's partition worker.
 */
final class JoinSlab {
    /** No row: the end of a key's list or of the free list. */
    static final int NONE = -1;
    private static final int TIME = 0;
    /** Arrival sequence {@code << 1}, low bit: matched. */
    private static final int SEQ = 1;
    private static final int KEY = 2;
    /** The next row (high 32 bits) and the previous row (low 32 bits). */
    private static final int LINKS = 3;
    private static final int HEADER = 4;
    private static final long LOW = 0xFFFF_FFFFL;

    private final int width;
    private final int stride;
    private final boolean objects;
    private long[] data;
    private Object[] values;
    private int capacity;
    private int freeHead = NONE;
    private int used;
    private int size;

    /**
     * @param width {@code long} columns per row; {@code 0} for object rows
     * @param objects whether each row holds an object ({@link #value}) instead of columns
     * @param initialCapacity rows before the first growth; at least 1
     * @throws IllegalArgumentException if {@code width < 0}, object rows are asked with columns, or the capacity is below 1
     */
    JoinSlab(int width, boolean objects, int initialCapacity) {
        if (width < 0 || (objects && width != 0)) {
            throw new IllegalArgumentException("width: must be >= 0, and 0 for object rows; was " + width);
        }
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("initialCapacity: must be >= 1; was " + initialCapacity);
        }
        this.width = width;
        this.stride = HEADER + width;
        this.objects = objects;
        this.capacity = initialCapacity;
        data = new long[initialCapacity * stride];
        values = objects ? new Object[initialCapacity] : null;
    }

    /** @return {@code long} columns per row; 0 for object rows */
    int width() {
        return width;
    }

    /** @return rows held */
    int size() {
        return size;
    }

    /** @return rows the slab holds before it grows */
    int capacity() {
        return capacity;
    }

    /**
     * Takes a free row (the free list first, else the next unused one, growing the slab when full).
     *
     * @param key the row's key
     * @param timeMs its event time
     * @param seq its arrival sequence
     * @param matched whether it has matched
     * @return the row, unlinked ({@link #NONE} both ways)
     */
    int allocate(long key, long timeMs, long seq, boolean matched) {
        int row = freeHead;
        if (row != NONE) {
            freeHead = next(row);
        } else {
            if (used == capacity) {
                grow();
            }
            row = used++;
        }
        int at = row * stride;
        long[] data = this.data;
        data[at + TIME] = timeMs;
        data[at + SEQ] = seq << 1 | (matched ? 1 : 0);
        data[at + KEY] = key;
        data[at + LINKS] = -1L;
        size++;
        return row;
    }

    /**
     * Returns a row to the free list (and drops its object).
     *
     * @param row a row from {@link #allocate}
     */
    void free(int row) {
        if (objects) {
            values[row] = null;
        }
        next(row, freeHead);
        freeHead = row;
        size--;
    }

    private void grow() {
        capacity *= 2;
        data = Arrays.copyOf(data, capacity * stride);
        if (objects) {
            values = Arrays.copyOf(values, capacity);
        }
    }

    /**
     * Reads the first and last long of {@code row} (a look-ahead touch: a row may straddle two cache lines).
     *
     * @param row a row
     * @return their sum (any value; the caller only keeps it alive)
     */
    long touch(int row) {
        int at = row * stride;
        return data[at] + data[at + stride - 1];
    }

    long timeMs(int row) {
        return data[row * stride + TIME];
    }

    long seq(int row) {
        return data[row * stride + SEQ] >>> 1;
    }

    boolean matched(int row) {
        return (data[row * stride + SEQ] & 1) != 0;
    }

    void markMatched(int row) {
        data[row * stride + SEQ] |= 1;
    }

    long key(int row) {
        return data[row * stride + KEY];
    }

    int next(int row) {
        return (int) (data[row * stride + LINKS] >> 32);
    }

    int prev(int row) {
        return (int) data[row * stride + LINKS];
    }

    void next(int row, int nextRow) {
        int at = row * stride + LINKS;
        data[at] = (long) nextRow << 32 | (data[at] & LOW);
    }

    void prev(int row, int prevRow) {
        int at = row * stride + LINKS;
        data[at] = (data[at] & ~LOW) | (prevRow & LOW);
    }

    /**
     * @return the array holding the rows' columns (at {@link #columnsAt}); replaced when the slab grows,
     *     so read it again after an {@link #allocate}
     */
    long[] columns() {
        return data;
    }

    /**
     * @param row a row
     * @return the index in {@link #columns()} of the row's first column
     */
    int columnsAt(int row) {
        return row * stride + HEADER;
    }

    Object value(int row) {
        return values[row];
    }

    void value(int row, Object value) {
        values[row] = value;
    }
}
