package io.rivulet.operators.join;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One join side's index of its buffered rows by event time: one bucket of keys per millisecond and a
 * min-heap of the bucket times, so a state watermark finds the keys that hold evictable rows without
 * scanning the state. A key is listed once per row (a key with two rows of the same millisecond is
 * listed twice); evicting visits each listing, and the visits after the first find nothing left.
 *
 * <p>Within a bucket keys keep the order they were added in, and the operator rebuilds the index after
 * a restore in (time, arrival sequence) order, so a restored operator evicts, and emits outer rows, in
 * the same order as one that never stopped. Buckets are recycled: a steady stream allocates nothing
 * once the arrays have grown. Not thread-safe; owned by the join operator.
 */
final class TimeIndex {
    /** Keys of rows with one event time. */
    static final class Bucket {
        long timeMs;
        Object[] keys = new Object[8];
        int count;

        void add(Object key) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
            }
            keys[count++] = key;
        }

        void clear() {
            Arrays.fill(keys, 0, count, null);
            count = 0;
        }
    }

    private final Long2ObjectHashMap<Bucket> byTime = new Long2ObjectHashMap<>();
    private final ArrayDeque<Bucket> free = new ArrayDeque<>();
    private long[] heap = new long[64];
    private int heapSize;
    private Bucket last;

    /**
     * @param timeMs a row's event time
     * @param key its key
     */
    void add(long timeMs, Object key) {
        Bucket b = last;
        if (b == null || b.timeMs != timeMs) {
            b = byTime.get(timeMs);
            if (b == null) {
                b = free.pollFirst();
                if (b == null) {
                    b = new Bucket();
                }
                b.timeMs = timeMs;
                byTime.put(timeMs, b);
                push(timeMs);
            }
            last = b;
        }
        b.add(key);
    }

    /** @return the earliest time held, or {@code Long.MAX_VALUE} if none */
    long earliestMs() {
        return heapSize == 0 ? Long.MAX_VALUE : heap[0];
    }

    /** @return the earliest bucket, taken out; call only when {@link #earliestMs} is not {@code Long.MAX_VALUE} */
    Bucket pollEarliest() {
        long timeMs = pop();
        Bucket b = byTime.remove(timeMs);
        if (b == last) {
            last = null;
        }
        return b;
    }

    /** @param bucket a bucket from {@link #pollEarliest}, done with */
    void recycle(Bucket bucket) {
        bucket.clear();
        free.addFirst(bucket);
    }

    /** Drops every bucket (before a rebuild). */
    void clear() {
        while (heapSize > 0) {
            recycle(pollEarliest());
        }
    }

    private void push(long value) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long p = heap[parent];
            if (p <= value) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = value;
    }

    private long pop() {
        long top = heap[0];
        long value = heap[--heapSize];
        int i = 0;
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < heapSize && heap[right] < heap[child]) {
                child = right;
            }
            if (value <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        if (heapSize > 0) {
            heap[i] = value;
        }
        return top;
    }
}
