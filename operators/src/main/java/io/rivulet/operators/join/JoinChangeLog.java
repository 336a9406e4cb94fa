package io.rivulet.operators.join;

import java.util.Arrays;

/**
 * The long-key join's changes to its rows between two barriers, in the order made, as plain
 * {@code long}s (and the object rows' references): a row buffered (its key, time, sequence with the
 * matched flag, and its columns or object), a buffered row's first match, a row removed. The barrier
 * hands the log over to the {@link LongJoinSnapshotImage} as is (O(1)), whose writer thread replays it
 * onto its copy of the state; the log is the copy-on-write of the join's rows: what the owner changes
 * after the barrier goes into the next log, never into this one.
 *
 * <p>Entries: {@code tag, key, ...} with {@code tag = kind << 1 | (left ? 1 : 0)}; {@link #ADD} is
 * followed by the time, the sequence {@code << 1 | matched} and the side's {@code width} columns (none
 * for object rows, whose reference goes to {@link #object(int)}, in order); {@link #MATCH} and
 * {@link #REMOVE} by the row's sequence. Arrays double, never shrink, and are reused after a
 * {@link #clear}: appending allocates nothing once they have grown.
 *
 * <p>Not thread-safe: appended on the operator's owner thread until handed over, then read and cleared
 * on the writer thread (the hand-over, a concurrent queue, publishes it).
 */
final class JoinChangeLog {
    /** A row buffered. */
    static final int ADD = 1;
    /** A buffered row's first match. */
    static final int MATCH = 2;
    /** A buffered row removed (evicted). */
    static final int REMOVE = 3;

    private long[] longs = new long[256];
    private int size;
    private Object[] objects = new Object[16];
    private int objectCount;

    private static long tag(int kind, boolean isLeft) {
        return (long) kind << 1 | (isLeft ? 1 : 0);
    }

    /** @return the {@code long}s appended */
    int size() {
        return size;
    }

    /**
     * @param at an index below {@link #size()}
     * @return the {@code long} there
     */
    long at(int at) {
        return longs[at];
    }

    /**
     * @param at an index below the object rows appended
     * @return that object row
     */
    Object object(int at) {
        return objects[at];
    }

    private int reserve(int more) {
        int at = size;
        if (at + more > longs.length) {
            longs = Arrays.copyOf(longs, Math.max(longs.length * 2, at + more));
        }
        size = at + more;
        return at;
    }

    /**
     * Appends a column row buffered.
     *
     * @param isLeft its side
     * @param key its key
     * @param timeMs its event time
     * @param seqAndMatched its sequence {@code << 1 | matched}
     * @param columns the slab's columns
     * @param from the row's first column
     * @param width the side's columns per row
     */
    void add(boolean isLeft, long key, long timeMs, long seqAndMatched, long[] columns, int from, int width) {
        int at = reserve(4 + width);
        long[] longs = this.longs;
        longs[at] = tag(ADD, isLeft);
        longs[at + 1] = key;
        longs[at + 2] = timeMs;
        longs[at + 3] = seqAndMatched;
        System.arraycopy(columns, from, longs, at + 4, width);
    }

    /**
     * Appends an object row buffered.
     *
     * @param isLeft its side
     * @param key its key
     * @param timeMs its event time
     * @param seqAndMatched its sequence {@code << 1 | matched}
     * @param value the row
     */
    void addObject(boolean isLeft, long key, long timeMs, long seqAndMatched, Object value) {
        int at = reserve(4);
        longs[at] = tag(ADD, isLeft);
        longs[at + 1] = key;
        longs[at + 2] = timeMs;
        longs[at + 3] = seqAndMatched;
        if (objectCount == objects.length) {
            objects = Arrays.copyOf(objects, objectCount * 2);
        }
        objects[objectCount++] = value;
    }

    /**
     * Appends a change of a buffered row named by its sequence.
     *
     * @param kind {@link #MATCH} or {@link #REMOVE}
     * @param isLeft its side
     * @param key its key
     * @param seq its sequence
     */
    void change(int kind, boolean isLeft, long key, long seq) {
        int at = reserve(3);
        long[] longs = this.longs;
        longs[at] = tag(kind, isLeft);
        longs[at + 1] = key;
        longs[at + 2] = seq;
    }

    /** Empties the log for reuse (object references dropped). */
    void clear() {
        Arrays.fill(objects, 0, objectCount, null);
        objectCount = 0;
        size = 0;
    }

    /**
     * @param tag an entry's first {@code long}
     * @return its kind
     */
    static int kind(long tag) {
        return (int) (tag >>> 1);
    }

    /**
     * @param tag an entry's first {@code long}
     * @return whether it is a left row's
     */
    static boolean isLeft(long tag) {
        return (tag & 1) != 0;
    }
}
