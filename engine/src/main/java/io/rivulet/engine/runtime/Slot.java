package io.rivulet.engine.runtime;

/**
 * One pre-allocated ring entry: a record with its key and the input it belongs to, or a control signal.
 *
 * <p>Written by the ring's single producer between claim and publish, read by the partition worker
 * after publish; the Disruptor sequence orders the two.
 */
final class Slot {
    static final int RECORD = 0;
    static final int WATERMARK = 1;
    static final int BARRIER = 2;
    static final int END = 3;
    /**
     * A partial accumulator of a (key, window) built on the producer's side ({@link PreAggregatingLink}):
     * {@link #key}, {@link #partial}, the window start in {@link #value}, the records folded into it in
     * {@link #longKey}.
     */
    static final int PARTIAL = 4;
    /** {@link #value} of an {@link #END}: the input ended, open state is flushed. */
    static final long END_FLUSH = 1;
    /** {@link #value} of an {@link #END}: the query stops, open state is kept for a restart. */
    static final long END_STOP = 0;
    /** {@link #input} of a record of a one-input stage, or of the left input of a two-input stage. */
    static final int LEFT = 0;
    /** {@link #input} of a record of the right input of a two-input stage. */
    static final int RIGHT = 1;

    int kind;
    /**
     * Which input of the keyed stage the record belongs to: {@link #LEFT} or {@link #RIGHT}. A ring is
     * written by one exchange link, which feeds one input, so the planner sets it when it allocates the
     * ring's slots and no record pays for it; the partition's head dispatches on it.
     */
    int input;
    /** The record's key; {@code null} in a {@code long}-keyed stage's ring, whose key is {@link #longKey}. */
    Object key;
    /** The key of a {@code long}-keyed stage's record (a {@code LongKeyFunction}): carried unboxed. */
    long longKey;
    /** The record; with a record copier, an instance this slot owns and the producer overwrites. */
    Object record;
    /** Whether {@link #record} belongs to the slot (a record copier is in use): never cleared. */
    boolean ownsRecord;
    /** A {@link #PARTIAL}'s accumulator; {@code null} otherwise (cleared by the worker). */
    Object partial;
    /** Monotonic time the record entered the query, for end-to-end latency. */
    long ingestNs;
    /** The watermark (epoch ms) or the epoch id, for control signals. */
    long value;
}
