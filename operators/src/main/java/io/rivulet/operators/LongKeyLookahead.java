package io.rivulet.operators;

/**
 * An operator keyed by {@code long} whose state lookups are cache misses (a hash table larger than the
 * cache) and that can touch a key's state ahead of use. A partition worker that sees the keys of records
 * queued behind the current one calls {@link #touchKey} for a group of them, then, a group later,
 * {@link #rowToTouch} for each and {@link #touchRow} for each, so the misses of a whole group are in flight
 * together instead of one after another (software-pipelined prefetching, as hash joins do it). The methods
 * only read: they change no state,
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
     * Finds, in the table line {@link #touchKey} brought in, the first stored row a record of {@code key} would be
     * compared with. Reads nothing else, so a group of these runs without a miss; {@link #touchRow} then reads the
     * rows, whose misses overlap.
     *
     * @param key a queued record's key
     * @param rightInput whether the queued record came from the right input (it then probes the left rows)
     * @return the row, or {@code -1} if there is none
     */
    int rowToTouch(long key, boolean rightInput);

    /**
     * Reads what processing the queued record will read first: the row {@link #rowToTouch} found, and the
     * record's own event time (written by another thread, so its line is not in this core's cache). Event-time
     * functions are pure, so calling one ahead of time changes nothing.
     *
     * @param row what {@link #rowToTouch} returned for the record; {@code -1} for none
     * @param record the queued record; never {@code null}
     * @param rightInput whether the queued record came from the right input
     * @return a value derived from what was read
     */
    long touchRow(int row, Object record, boolean rightInput);
}
