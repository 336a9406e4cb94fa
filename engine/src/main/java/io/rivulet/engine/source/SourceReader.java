package io.rivulet.engine.source;

import io.rivulet.operators.state.SnapshotOutput;

/**
 * Reads one partition of a {@link Source}.
 *
 * <p>Not thread-safe; owned by the partition's source task, which calls {@link #poll} in its duty
 * cycle. {@code poll} must return promptly (well under a millisecond when nothing is available):
 * the task inserts epoch barriers and notices a stop between polls.
 *
 * @param <T> type of the records produced
 */
public interface SourceReader<T> extends AutoCloseable {
    /** Returned by {@link #poll} when the partition has no more records and never will. */
    int END_OF_INPUT = -1;

    /**
     * Emits up to {@code limit} records that are available now.
     *
     * @param out receives the records (and, optionally, watermarks); valid only during the call
     * @param limit the most records to emit in this call, at least 1
     * @return the number of records emitted (0 if none is available now), or {@link #END_OF_INPUT}
     * @throws Exception an I/O or decoding failure; fails the query
     */
    int poll(SourceOutput<T> out, int limit) throws Exception;

    /**
     * The source task is about to end epoch {@code epochId}: every record this reader emitted so far
     * belongs to it or an earlier epoch. A replayable reader notes its position here (e.g. the
     * journal offset after its last record) so that it can resume from it once the epoch commits.
     * Called on the source task's thread, between polls.
     *
     * @param epochId the epoch that ends
     * @throws Exception fails the query
     */
    default void onEpochEnd(long epochId) throws Exception {
    }

    /**
     * The sink has committed every epoch up to {@code epochId}: a replayable reader may now make the
     * position it noted for that epoch durable (its restart point) and release what lies before it.
     * Called on the source task's thread, between polls, in increasing order; may skip epochs when
     * several committed since the last call.
     *
     * @param epochId the newest committed epoch
     * @throws Exception fails the query
     */
    default void onEpochCommitted(long epochId) throws Exception {
    }

    /**
     * Writes where this reader stands: right after the last record it emitted. Called on the source
     * task's thread right after {@link #onEpochEnd} of the epoch whose checkpoint stores it, only for
     * a {@linkplain Source#isReplayable() replayable} source of a query with a checkpoint location.
     * The bytes come back through {@link SourceContext#restoredPosition()} when the query restarts
     * from that checkpoint; the reader then emits exactly the records that followed. Write a version
     * byte first if the layout may change.
     *
     * @param out where to write the position
     */
    default void writePosition(SnapshotOutput out) {
        throw new UnsupportedOperationException(getClass().getName() + " has no position: its source is not replayable");
    }

    /**
     * The offset of the record this reader emitted last, where the source numbers its records (a
     * journal offset), for naming a record a user function failed on ({@code DeadLetter.sourceOffset}).
     * Called on the source task's thread, only when a record failed.
     *
     * @return the offset, or -1 (the default) where the source has none
     */
    default long lastEmittedOffset() {
        return -1;
    }

    /**
     * Releases what the reader holds. Called once, on the source task's thread, when the task ends
     * for any reason.
     *
     * @throws Exception a failure to release; reported but does not hide an earlier failure
     */
    @Override
    default void close() throws Exception {
    }
}
