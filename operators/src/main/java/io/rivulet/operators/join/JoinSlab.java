package io.rivulet.operators.join;

import java.util.Arrays;

/**
 * One join side's buffered rows for the long-key join table ({@link LongJoinTable}): rows live at
 * {@code int} indexes in parallel arrays, each row's event time, arrival sequence with its "matched"
 * flag, key, and its links to the previous and next row of the same key (arrival order, doubly linked so
 * any row unlinks in O(1)). The payload is either {@code long} columns (a fixed {@link #width()} of
 * {@code long}s per row, no reference stored: G1 has no remembered-set work for it) or one object per row
 * ({@link #value}), chosen at construction.
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

    private final int width;
    private final boolean objects;
    private long[] timesMs;
    /** Arrival sequence {@code << 1}, low bit: matched. */
    private long[] seqs;
    private long[] keys;
    private int[] next;
    private int[] prev;
    private long[] columns;
    private Object[] values;
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
        this.objects = objects;
        timesMs = new long[initialCapacity];
        seqs = new long[initialCapacity];
        keys = new long[initialCapacity];
        next = new int[initialCapacity];
        prev = new int[initialCapacity];
        columns = new long[initialCapacity * width];
        values = objects ? new Object[initialCapacity] : null;
    }

    /** @return {@code long} columns per row ({@code 0} for object rows) */
    int width() {
        return width;
    }

    /** @return the rows held */
    int size() {
        return size;
    }

    /** @return the row slots the arrays hold (held, free and never used) */
    int capacity() {
        return timesMs.length;
    }

    /**
     * Takes a row: a freed one if any, else the next never used one (growing the arrays when full). Its
     * links are {@link #NONE}; its payload is the caller's to write.
     *
     * @param key the row's key
     * @param timeMs its event time, epoch ms
     * @param seq its arrival sequence number, {@code >= 0}
     * @param matched whether it has matched already
     * @return the row's index
     */
    int allocate(long key, long timeMs, long seq, boolean matched) {
        int row = freeHead;
        if (row != NONE) {
            freeHead = next[row];
        } else {
            if (used == timesMs.length) {
                grow();
            }
            row = used++;
        }
        keys[row] = key;
        timesMs[row] = timeMs;
        seqs[row] = seq << 1 | (matched ? 1 : 0);
        next[row] = NONE;
        prev[row] = NONE;
        size++;
        return row;
    }

    /**
     * Returns a row to the free list; an object row's value is cleared.
     *
     * @param row a held row, already unlinked from its key's list
     */
    void free(int row) {
        if (objects) {
            values[row] = null;
        }
        next[row] = freeHead;
        freeHead = row;
        size--;
    }

    private void grow() {
        int capacity = timesMs.length * 2;
        timesMs = Arrays.copyOf(timesMs, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
        keys = Arrays.copyOf(keys, capacity);
        next = Arrays.copyOf(next, capacity);
        prev = Arrays.copyOf(prev, capacity);
        columns = Arrays.copyOf(columns, capacity * width);
        if (objects) {
            values = Arrays.copyOf(values, capacity);
        }
    }

    long timeMs(int row) {
        return timesMs[row];
    }

    long seq(int row) {
        return seqs[row] >>> 1;
    }

    boolean matched(int row) {
        return (seqs[row] & 1) != 0;
    }

    void markMatched(int row) {
        seqs[row] |= 1;
    }

    long key(int row) {
        return keys[row];
    }

    int next(int row) {
        return next[row];
    }

    int prev(int row) {
        return prev[row];
    }

    void next(int row, int nextRow) {
        next[row] = nextRow;
    }

    void prev(int row, int prevRow) {
        prev[row] = prevRow;
    }

    /**
     * @return the column array; row {@code r}'s columns are {@code [r * width(), (r + 1) * width())}. Re-read
     *     after {@link #allocate}: growth replaces it
     */
    long[] columns() {
        return columns;
    }

    /**
     * @param row an object row
     * @return its value
     */
    Object value(int row) {
        return values[row];
    }

    /**
     * @param row an object row
     * @param value its value
     */
    void value(int row, Object value) {
        values[row] = value;
    }
}
