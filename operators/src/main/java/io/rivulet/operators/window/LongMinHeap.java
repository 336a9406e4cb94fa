package io.rivulet.operators.window;

import java.util.Arrays;

/**
 * A binary min-heap of {@code long} priorities, each with a value: the operators' index of window
 * and session ends, so the watermark finds what is due without scanning the state. Equal priorities
 * are ordered by a second {@code long}, the tie-break (a push sequence, for sessions), so the order
 * in which entries come out depends only on what they are, not on the heap's history: a heap
 * rebuilt from a snapshot pops in the same order. Allocates only to grow. Not thread-safe; owned by
 * its operator.
 *
 * @param <V> value type
 */
final class LongMinHeap<V> {
    private long[] keys = new long[16];
    private long[] ties = new long[16];
    private Object[] values = new Object[16];
    private int size;

    /** Pushes with tie-break 0 (for unique priorities). */
    void push(long key, V value) {
        push(key, 0, value);
    }

    void push(long key, long tie, V value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            ties = Arrays.copyOf(ties, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(key, tie, keys[parent], ties[parent])) {
                break;
            }
            keys[i] = keys[parent];
            ties[i] = ties[parent];
            values[i] = values[parent];
            i = parent;
        }
        keys[i] = key;
        ties[i] = tie;
        values[i] = value;
    }

    private static boolean less(long key, long tie, long otherKey, long otherTie) {
        return key < otherKey || (key == otherKey && tie < otherTie);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The smallest key; only when not empty. */
    long peekKey() {
        return keys[0];
    }

    /** The value of the smallest key; only when not empty. */
    @SuppressWarnings("unchecked")
    V peekValue() {
        return (V) values[0];
    }

    /** Removes the smallest key; only when not empty. */
    void pop() {
        int last = --size;
        long key = keys[last];
        long tie = ties[last];
        Object value = values[last];
        values[last] = null;
        if (last == 0) {
            return;
        }
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last && less(keys[right], ties[right], keys[child], ties[child])) {
                child = right;
            }
            if (!less(keys[child], ties[child], key, tie)) {
                break;
            }
            keys[i] = keys[child];
            ties[i] = ties[child];
            values[i] = values[child];
            i = child;
        }
        keys[i] = key;
        ties[i] = tie;
        values[i] = value;
    }

    /**
     * Copies the keys, in heap (not sorted) order, into {@code into}, growing it if needed.
     *
     * @return the array holding the keys: {@code into} or a larger copy
     */
    long[] copyKeys(long[] into) {
        long[] target = into.length >= size ? into : new long[Math.max(size, into.length * 2)];
        System.arraycopy(keys, 0, target, 0, size);
        return target;
    }

    void clear() {
        Arrays.fill(values, 0, size, null);
        size = 0;
    }
}
