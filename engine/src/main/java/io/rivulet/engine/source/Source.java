package io.rivulet.engine.source;

/**
 * A configured source of records: a description, validated when built, from which the runtime
 * opens one {@link SourceReader} per partition when a query starts.
 *
 * <p>Implementations are immutable and thread-safe; a {@code Source} can describe the input of
 * several queries unless it says otherwise (a {@link MemoryStream} feeds one query at a time).
 *
 * @param <T> type of the records produced
 */
public interface Source<T> {
    /**
     * Short description for progress reports and errors, e.g. {@code rate[rowsPerSecond=1000]}.
     *
     * @return the description
     */
    String description();

    /**
     * Number of partitions; each is read by its own source task.
     *
     * @return at least 1
     */
    int numPartitions();

    /**
     * Whether the readers emit event-time watermarks themselves ({@link SourceOutput#emitWatermark}).
     * Such a source then holds back the watermark of the stages it feeds from the start, like a
     * {@code withWatermark} stream that has not produced a record yet.
     *
     * @return {@code false} unless the source emits watermarks
     */
    default boolean emitsWatermarks() {
        return false;
    }

    /**
     * Opens the reader of one partition. Called on the query's starting thread; a failure fails
     * the start with this exception as the cause.
     *
     * @param context the partition, the query and the clocks the reader may use
     * @return the reader, owned by the partition's source task from then on
     * @throws Exception when the reader cannot be opened
     */
    SourceReader<T> open(SourceContext context) throws Exception;

    /**
     * The rate this source is configured to produce, across its partitions, where it has one (the
     * rate source's {@code rowsPerSecond}): progress reports it next to the measured input rate
     * ({@code QueryProgress.SourceProgress.targetRowsPerSecond}), so a query that cannot keep up shows.
     *
     * @return rows per second, or 0 (the default) for a source without a target rate
     */
    default double targetRowsPerSecond() {
        return 0;
    }

    /**
     * Whether a restarted query can rewind this source: its readers write their position into each
     * checkpoint ({@link SourceReader#writePosition}) and resume after it when opened with
     * {@link SourceContext#restoredPosition()}. Only replayable sources give exactly-once results
     * across a restart; the others lose (or, journaled, replay) what was in flight.
     *
     * @return {@code false} unless the readers implement positions
     */
    default boolean isReplayable() {
        return false;
    }

    /**
     * The most records a micro-batch reads from each partition of this source (Spark's
     * {@code maxOffsetsPerTrigger}/{@code maxFilesPerTrigger}): {@code processingTime} and
     * {@code availableNow} triggers split what is available into batches of at most this many
     * records per partition; {@code once} ignores it (as in Spark), and so does continuous
     * processing.
     *
     * @return at least 1; {@link Long#MAX_VALUE} (the default) for no limit
     */
    default long maxRecordsPerTrigger() {
        return Long.MAX_VALUE;
    }
}
