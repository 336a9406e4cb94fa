package io.rivulet.operators.dedup;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The deduplication state's index by expiry time: one bucket per expiry millisecond, and a min-heap
 * of the bucket times, so a watermark finds what expires without scanning the state. A bucket holds
 * its object keys, and only the number of its {@code long} keys: those live in a
 * {@link LongExpiryTable}, which expires them lazily, so the count is all the watermark needs (for
 * the metrics and to pace the table's sweep).
 *
 * <p>Every key is in exactly one bucket (a dedup entry never changes its expiry), so evicting a
 * bucket evicts exactly its keys. Rows arrive roughly in event-time order: the bucket of the
 * previous add is kept at hand, so most adds cost an array store. Buckets are recycled, so a
 * steady stream allocates nothing; arrays grow only. Not thread-safe; owned by its operator.
 */
final class ExpiryQueue {
    /** Keys expiring at one millisecond: how many primitive {@code long} keys, and the object keys. */
    static final class Bucket {
        long expiryMs;
        long longCount;
        Object[] objectKeys = new Object[8];
        int objectCount;

        void addObject(Object key) {
            if (objectCount == objectKeys.length) {
                objectKeys = Arrays.copyOf(objectKeys, objectCount * 2);
            }
            objectKeys[objectCount++] = key;
        }

        private void clear() {
            longCount = 0;
            Arrays.fill(objectKeys, 0, objectCount, null);
            objectCount = 0;
        }
    }

    private final Long2ObjectHashMap<Bucket> byExpiry = new Long2ObjectHashMap<>();
    private final ArrayDeque<Bucket> free = new ArrayDeque<>();
    private long[] heap = new long[64];
    private int heapSize;
    private Bucket last;

    /**
     * Counts {@code count} more {@code long} keys expiring at {@code expiryMs}.
     *
     * @param expiryMs when the keys expire
     * @param count how many, {@code > 0}
     */
    void countLongs(long expiryMs, long count) {
        bucket(expiryMs).longCount += count;
    }

    /**
     * @param expiryMs when the key expires
     * @param key an object key
     */
    void addObject(long expiryMs, Object key) {
        bucket(expiryMs).addObject(key);
    }

    private Bucket bucket(long expiryMs) {
        Bucket b = last;
        if (b != null && b.expiryMs == expiryMs) {
            return b;
        }
        b = byExpiry.get(expiryMs);
        if (b == null) {
            b = newBucket(expiryMs);
        }
        last = b;
        return b;
    }

    private Bucket newBucket(long expiryMs) {
        Bucket b = free.pollFirst();
        if (b == null) {
            b = new Bucket();
        }
        b.expiryMs = expiryMs;
        byExpiry.put(expiryMs, b);
        push(expiryMs);
        return b;
    }

    /**
     * @return the earliest expiry held, or {@code Long.MAX_VALUE} if none
     */
    long nextExpiryMs() {
        return heapSize == 0 ? Long.MAX_VALUE : heap[0];
    }

    /**
     * Takes the earliest bucket out; the caller evicts its keys, then {@link #recycle}s it.
     *
     * @return the bucket with the smallest expiry; call only when {@link #nextExpiryMs} is not {@code Long.MAX_VALUE}
     */
    Bucket pollEarliest() {
        long expiryMs = pop();
        Bucket b = byExpiry.remove(expiryMs);
        if (b == last) {
            last = null;
        }
        return b;
    }

    /**
     * @param bucket a bucket from {@link #pollEarliest}, whose keys are gone
     */
    void recycle(Bucket bucket) {
        bucket.clear();
        free.addFirst(bucket);
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
