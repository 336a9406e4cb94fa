package io.rivulet.operators.dedup;

/**
 * A deduplication key whose event time is part of it (Spark's {@code dropDuplicates("id", "ts")}):
 * the record's key and its event time. Instances held in the state are never changed; the operator
 * keeps one mutable probe to look rows up without allocating. Its key group is its key's, the one
 * the exchange routed the record by.
 */
final class TimedKey {
    Object key;
    long eventTimeMs;

    TimedKey(Object key, long eventTimeMs) {
        this.key = key;
        this.eventTimeMs = eventTimeMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimedKey t && t.eventTimeMs == eventTimeMs && t.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Long.hashCode(eventTimeMs);
    }

    @Override
    public String toString() {
        return "(" + key + ", " + eventTimeMs + ")";
    }
}
