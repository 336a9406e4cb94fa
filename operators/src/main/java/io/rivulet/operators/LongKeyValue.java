package io.rivulet.operators;

/**
 * A {@code long} key and a {@code long} value, as emitted by the running aggregations of a
 * {@code long}-keyed stream (a count, a sum, a fold): the primitive counterpart of {@link KeyValue}.
 * Immutable; 24 bytes (compressed oops).
 *
 * @param key the key
 * @param value the value for the key
 */
public record LongKeyValue(long key, long value) {
    @Override
    public String toString() {
        return "(" + key + ", " + value + ")";
    }
}
