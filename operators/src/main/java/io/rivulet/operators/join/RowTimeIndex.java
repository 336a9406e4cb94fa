package io.rivulet.operators.join;

import java.util.Arrays;

/**
 * One side's rows of the long-key join table in (event time, arrival sequence) order, each named by a
 * {@code long}: its {@link JoinSlab} index, or its key for an inline side ({@link LongJoinTable#inline}), so a state watermark pops exactly the rows it evicts, earliest first, without
 * scanning the state or naming a key. Rows that arrive in time order (the common case) go to a FIFO
 * ring, O(1) each; a row earlier than the ring's last goes to a binary min-heap; {@link #poll} takes the
 * smaller of the two heads. Each buffered row is listed once: the join removes rows only through this
 * index, so no entry is ever stale.
 *
 * <p>Arrays double when full and never shrink: a steady stream allocates nothing once they have grown.
 * Not thread-safe; owned by the join operator's partition worker.
 */
final class RowTimeIndex {
    private long[] ringRows = new long[64];
    private long[] ringTimesMs = new long[64];
    private long[] ringSeqs = new long[64];
    private int ringHead;
    private int ringSize;
    private long lastRingMs = Long.MIN_VALUE;
    private long[] heapRows = new long[16];
    private long[] heapTimesMs = new long[16];
    private long[] heapSeqs = new long[16];
    private int heapSize;

    /** @return the rows listed */
    int size() {
        return ringSize + heapSize;
    }

    /**
     * Lists a row. Sequence numbers must grow with each call (arrival order).
     *
     * @param row the row's slab index, or its key if the side is inline
     * @param timeMs its event time, epoch ms
     * @param seq its arrival sequence number
     */
    void add(long row, long timeMs, long seq) {
        if (timeMs >= lastRingMs) {
            if (ringSize == ringRows.length) {
                growRing();
            }
            int at = (ringHead + ringSize) & (ringRows.length - 1);
            ringRows[at] = row;
            ringTimesMs[at] = timeMs;
            ringSeqs[at] = seq;
            ringSize++;
            lastRingMs = timeMs;
        } else {
            push(row, timeMs, seq);
        }
    }

    /**
     * A row some places behind the next in arrival order, for a look-ahead touch of its state before it is
     * polled (rows out of order, in the heap, are not looked at).
     *
     * @param ahead how many rows behind the ring's head, {@code >= 0}
     * @return that row, or the ring's head if fewer are listed; any value if the ring is empty
     */
    long ringAhead(int ahead) {
        int at = ahead < ringSize ? ahead : 0;
        return ringRows[(ringHead + at) & (ringRows.length - 1)];
    }

    /** @return the earliest event time listed, or {@code Long.MAX_VALUE} if none */
    long earliestMs() {
        long ring = ringSize == 0 ? Long.MAX_VALUE : ringTimesMs[ringHead];
        long heap = heapSize == 0 ? Long.MAX_VALUE : heapTimesMs[0];
        return Math.min(ring, heap);
    }

    /**
     * Takes the earliest row out: least event time, then least arrival sequence.
     *
     * @return its slab index, or its key if the side is inline
     * @throws IllegalStateException if none is listed
     */
    long poll() {
        if (heapSize == 0 || (ringSize != 0 && ringFirst())) {
            if (ringSize == 0) {
                throw new IllegalStateException("poll: the time index lists no row");
            }
            long row = ringRows[ringHead];
            ringHead = (ringHead + 1) & (ringRows.length - 1);
            if (--ringSize == 0) {
                ringHead = 0;
                lastRingMs = Long.MIN_VALUE;
            }
            return row;
        }
        return pop();
    }

    private boolean ringFirst() {
        long ringMs = ringTimesMs[ringHead];
        return ringMs < heapTimesMs[0] || (ringMs == heapTimesMs[0] && ringSeqs[ringHead] < heapSeqs[0]);
    }

    /** Lists nothing (before a rebuild). */
    void clear() {
        ringHead = 0;
        ringSize = 0;
        lastRingMs = Long.MIN_VALUE;
        heapSize = 0;
    }

    private void growRing() {
        int capacity = ringRows.length * 2;
        long[] rows = new long[capacity];
        long[] times = new long[capacity];
        long[] seqs = new long[capacity];
        for (int i = 0; i < ringSize; i++) {
            int at = (ringHead + i) & (ringRows.length - 1);
            rows[i] = ringRows[at];
            times[i] = ringTimesMs[at];
            seqs[i] = ringSeqs[at];
        }
        ringRows = rows;
        ringTimesMs = times;
        ringSeqs = seqs;
        ringHead = 0;
    }

    private static boolean before(long timeA, long seqA, long timeB, long seqB) {
        return timeA < timeB || (timeA == timeB && seqA < seqB);
    }

    private void push(long row, long timeMs, long seq) {
        if (heapSize == heapRows.length) {
            int capacity = heapSize * 2;
            heapRows = Arrays.copyOf(heapRows, capacity);
            heapTimesMs = Arrays.copyOf(heapTimesMs, capacity);
            heapSeqs = Arrays.copyOf(heapSeqs, capacity);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(timeMs, seq, heapTimesMs[parent], heapSeqs[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        heapRows[i] = row;
        heapTimesMs[i] = timeMs;
        heapSeqs[i] = seq;
    }

    private long pop() {
        long top = heapRows[0];
        int last = --heapSize;
        long row = heapRows[last];
        long timeMs = heapTimesMs[last];
        long seq = heapSeqs[last];
        int i = 0;
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < heapSize && before(heapTimesMs[right], heapSeqs[right], heapTimesMs[child], heapSeqs[child])) {
                child = right;
            }
            if (!before(heapTimesMs[child], heapSeqs[child], timeMs, seq)) {
                break;
            }
            move(child, i);
            i = child;
        }
        if (heapSize > 0) {
            heapRows[i] = row;
            heapTimesMs[i] = timeMs;
            heapSeqs[i] = seq;
        }
        return top;
    }

    private void move(int from, int to) {
        heapRows[to] = heapRows[from];
        heapTimesMs[to] = heapTimesMs[from];
        heapSeqs[to] = heapSeqs[from];
    }
}
