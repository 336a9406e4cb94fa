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
}
