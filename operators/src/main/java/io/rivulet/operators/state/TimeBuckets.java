package io.rivulet.operators.state;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * An index of keys by a time in epoch milliseconds (an event time, an expiry): one bucket per
 * millisecond and a min-heap of the bucket times, so a watermark finds the keys whose time it passed
 * without scanning the state. Used by deduplication (keys by expiry) and by the stream-stream join
 * (each side's keys by row time).
 *
 * <p>A bucket lists object keys in the order they were added, and counts keys it does not list (an
 * operator whose primitive keys expire by themselves only needs to know how many there are). A key
 * may be listed more than once (a join key with two rows of one millisecond); what that means is the
 * caller's. Rows arrive roughly in time order, so the bucket of the previous add is kept at hand and
 * most adds cost an array store. Buckets are recycled: a steady stream allocates nothing once the
 * arrays have grown.
 *
 * <p>Not thread-safe; owned by one operator.
 */
public final class TimeBuckets {
    /** The keys of one millisecond. Read its fields between {@link #pollEarliest} and {@link #recycle}. */
    public static final class Bucket {
        private long timeMs;
        private long counted;
        private Object[] keys = new Object[8];
        private int count;

        /** @return the bucket's time, epoch milliseconds */
        public long timeMs() {
            return timeMs;
        }

        /** @return how many keys were {@linkplain #count counted} (not listed) at this time */
        public long counted() {
            return counted;
        }

        /** @return how many keys are listed */
        public int size() {
            return count;
        }

        /**
         * @param i an index below {@link #size()}
         * @return the {@code i}-th listed key, in the order added
         */
        public Object key(int i) {
            return keys[i];
        }

        private void add(Object key) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
            }
            keys[count++] = key;
        }

        private void clear() {
            counted = 0;
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
     * Lists a key at a time.
     *
     * @param timeMs the key's time
     * @param key the key; never {@code null}
     */
    public void add(long timeMs, Object key) {
        bucket(timeMs).add(key);
    }

    /**
     * Counts keys at a time without listing them.
     *
     * @param timeMs their time
     * @param n how many, {@code > 0}
     */
    public void count(long timeMs, long n) {
        bucket(timeMs).counted += n;
    }

    /** @return the earliest time held, or {@code Long.MAX_VALUE} if none */
    public long earliestMs() {
        return heapSize == 0 ? Long.MAX_VALUE : heap[0];
    }

    /**
     * Takes the earliest bucket out; the caller acts on its keys, then {@link #recycle}s it.
     *
     * @return the earliest bucket; call only when {@link #earliestMs} is not {@code Long.MAX_VALUE}
     * @throws IllegalStateException when empty
     */
    public Bucket pollEarliest() {
        if (heapSize == 0) {
            throw new IllegalStateException("pollEarliest on empty time buckets");
        }
        Bucket b = byTime.remove(pop());
        if (b == last) {
            last = null;
        }
        return b;
    }

    /** @param bucket a bucket from {@link #pollEarliest}, done with; must not be used afterwards */
    public void recycle(Bucket bucket) {
        bucket.clear();
        free.addFirst(bucket);
    }

    /** Drops every bucket (before a rebuild). */
    public void clear() {
        while (heapSize > 0) {
            recycle(pollEarliest());
        }
    }

    private Bucket bucket(long timeMs) {
        Bucket b = last;
        if (b != null && b.timeMs == timeMs) {
            return b;
        }
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
        return b;
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
