package io.rivulet.operators.state;

/**
 * How long a state entry lives without being written: a duration in processing time, measured
 * against the processing time the operator passes to its {@link KeyedStateBackend} (operators never
 * read a clock). An expired entry is never returned; it is removed lazily when accessed, and left
 * out of the snapshots taken after it expired.
 *
 * <p>For {@link ListState} and {@link MapState} the TTL covers the key's whole list or map: any write
 * to it refreshes it, and it expires as a unit.
 *
 * @param ttlMs the time to live in milliseconds; {@code >= 1}
 * @param update what refreshes an entry's time to live
 */
public record StateTtl(long ttlMs, Update update) {
    /** What refreshes an entry's time to live. */
    public enum Update {
        /** Creating or writing the entry (Flink's {@code OnCreateAndWrite}). */
        ON_CREATE_AND_WRITE,
        /** Creating, writing or reading the entry (Flink's {@code OnReadAndWrite}). */
        ON_READ_AND_WRITE
    }

    /**
     * Validates the parameters.
     *
     * @param ttlMs the time to live in milliseconds; {@code >= 1}
     * @param update what refreshes an entry; never {@code null}
     */
    public StateTtl {
        if (ttlMs < 1) {
            throw new IllegalArgumentException("ttlMs must be >= 1, got " + ttlMs);
        }
        if (update == null) {
            throw new NullPointerException("update");
        }
    }

    /**
     * @param ttlMs the time to live in milliseconds; {@code >= 1}
     * @return a TTL refreshed on create and write
     */
    public static StateTtl ofMs(long ttlMs) {
        return new StateTtl(ttlMs, Update.ON_CREATE_AND_WRITE);
    }

    /**
     * @return this TTL, refreshed also when the entry is read
     */
    public StateTtl refreshedOnRead() {
        return new StateTtl(ttlMs, Update.ON_READ_AND_WRITE);
    }
}
