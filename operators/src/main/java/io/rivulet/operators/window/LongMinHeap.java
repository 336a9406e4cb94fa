package io.rivulet.operators.window;

import java.util.Arrays;

/**
 * A binary min-heap of {@code long} priorities, each with a value: the operators' index of window
 * and session ends, so the watermark finds what is due without scanning the state. Allocates only
 * to grow. Not thread-safe; owned by its operator.
 *
 * @param <V> value type
 */
final class LongMinHeap<V> {
    private long[] keys = new long[16];
    private Object[] values = new Object[16];
    private int size;

    void push(long key, V value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            values[i] = values[parent];
            i = parent;
        }
        keys[i] = key;
        values[i] = value;
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
            if (right < last && keys[right] < keys[child]) {
                child = right;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            values[i] = values[child];
            i = child;
        }
        keys[i] = key;
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
