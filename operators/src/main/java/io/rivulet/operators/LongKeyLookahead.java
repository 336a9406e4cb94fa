package io.rivulet.operators;

/**
 * An operator keyed by {@code long} whose state lookups are cache misses (a hash table larger than the
 * cache) and that can touch a key's state ahead of use. A partition worker that sees the keys of records
 * queued behind the current one calls {@link #touchKey} for a group of them, then, a group later,
 * {@link #touchRows}, so the misses of a whole group are in flight together instead of one after another
 * (software-pipelined prefetching, as hash joins do it). Both methods only read: they change no state,
 * and a key that is never processed, or processed after other records changed the state, is harmless.
 *
 * <p>Called by the thread that owns the operator, between records; never concurrently with
 * {@code process}.
 */
public interface LongKeyLookahead {
    /**
     * Reads the line of the operator's table where {@code key} would be found.
     *
     * @param key a queued record's key
     * @return a value derived from what was read (the caller accumulates it so the read is not elided)
     */
    long touchKey(long key);

    /**
     * Reads what processing the queued record will read first: the record's own event time (written by
     * another thread, so its line is not in this core's cache) and the first stored row it would be compared
     * with, after {@link #touchKey} brought the table line in. Event-time functions are pure, so calling
     * one ahead of time changes nothing.
     *
     * @param key a queued record's key
     * @param record the queued record; never {@code null}
     * @param rightInput whether the queued record came from the right input (it then probes the left rows)
     * @return a value derived from what was read
     */
    long touchRows(long key, Object record, boolean rightInput);
}
