package io.rivulet.engine.source;

import io.rivulet.operators.Output;

/**
 * What a {@link SourceReader} emits to: records, and optionally event-time watermarks that travel
 * in-band behind them.
 *
 * <p>Not thread-safe; valid only during {@link SourceReader#poll}. {@link #emit} passes the record
 * through the fused operator chain before it returns, and blocks while a downstream ring is full.
 *
 * @param <T> record type
 */
public interface SourceOutput<T> extends Output<T> {
    /**
     * Declares that no record with an event time at or below {@code watermarkMs} follows from this
     * partition. A lower value than one emitted before is ignored.
     *
     * @param watermarkMs the watermark in epoch milliseconds
     */
    void emitWatermark(long watermarkMs);

    /**
     * Emits a record with its source time: the moment it came into being at the source, on the
     * query's monotonic clock ({@link SourceContext#nanoTime()}'s), such as the rate source's scheduled
     * time for the row. The end-to-end latency of what the record leads to is measured from it, so a
     * source that falls behind its schedule shows in the latency. Records emitted with
     * {@link #emit(Object)} count from the start of the poll that read them (their arrival at the
     * query). By default the time is ignored.
     *
     * @param record the record, not {@code null}
     * @param sourceNanoTime its source time, monotonic nanoseconds
     */
    default void emit(T record, long sourceNanoTime) {
        emit(record);
    }
}
