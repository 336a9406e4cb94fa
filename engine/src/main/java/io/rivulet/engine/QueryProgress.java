package io.rivulet.engine;

import io.rivulet.engine.internal.ProgressJson;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a query did between two consecutive epoch commits: Rivulet's
 * {@code StreamingQueryProgress}. One is made each time the sink commits an epoch.
 *
 * <p>Counts are of the interval since the previous progress unless named {@code total…}. Rates are
 * per second of wall time over that interval. Immutable.
 *
 * <p>{@link #json()} and {@link #prettyJson()} write it in the shape of Spark's
 * {@code StreamingQueryProgress.json}, with Rivulet's own figures in an extra {@code "rivulet"} object;
 * {@code docs/progress.md} maps every field.
 *
 * @param id the query's id
 * @param runId this run's id
 * @param name the query's name
 * @param timestamp when the epoch was committed
 * @param batchId the epoch committed (Spark's batch id)
 * @param durationMs wall time since the previous progress (or since the start)
 * @param numInputRows rows read from all sources in the interval
 * @param inputRowsPerSecond {@code numInputRows} per second
 * @param processedRowsPerSecond rows that completed the last stage, per second
 * @param numOutputRows rows written to the sink in the interval
 * @param numRowsFailed records a user function failed on that the error policy skipped or sent to the
 *     dead-letter sink, in the interval (0 under the default policy, which fails the query instead),
 *     and malformed lines a file source dropped ({@code DROPMALFORMED})
 * @param totalInputRows rows read since the query started
 * @param totalOutputRows rows written since the query started
 * @param eventTimeWatermark the event-time watermark in effect at the commit (in micro-batch mode:
 *     the batch's), or {@code null} if the query has none
 * @param stateOperators the state of each stateful operator (summed over its partitions)
 * @param numFutureEvents records whose event time was too far ahead for the watermark guard, since
 *     the start
 * @param latency end-to-end latency (source time to sink) of the rows written in the interval
 * @param sources per-source input
 * @param sink the sink's description
 * @param staticTables each static table a stream-static join of the query reads (each handle once, in
 *     plan order): its refreshes and rows; empty without one
 * @param epochCommit how long the last epoch commit and checkpoint took and what the checkpoint wrote
 *     ({@link EpochCommit#NOT_MEASURED} where the engine did not measure them)
 */
public record QueryProgress(UUID id, UUID runId, String name, Instant timestamp, long batchId, long durationMs,
                            long numInputRows, double inputRowsPerSecond, double processedRowsPerSecond,
                            long numOutputRows, long numRowsFailed, long totalInputRows, long totalOutputRows,
                            Instant eventTimeWatermark, List<StateOperatorProgress> stateOperators,
                            long numFutureEvents, Latency latency, List<SourceProgress> sources, String sink,
                            List<StaticTableProgress> staticTables, EpochCommit epochCommit) {
    /**
     * Copies the lists.
     *
     * @throws NullPointerException if {@code epochCommit} is {@code null}
     */
    public QueryProgress {
        sources = List.copyOf(sources);
        stateOperators = List.copyOf(stateOperators);
        staticTables = List.copyOf(staticTables);
        Objects.requireNonNull(epochCommit, "epochCommit");
    }

    /**
     * A progress without commit timings ({@link EpochCommit#NOT_MEASURED}), as before they were reported.
     *
     * @param id the query's id
     * @param runId this run's id
     * @param name the query's name
     * @param timestamp when the epoch was committed
     * @param batchId the epoch committed
     * @param durationMs wall time since the previous progress
     * @param numInputRows rows read in the interval
     * @param inputRowsPerSecond {@code numInputRows} per second
     * @param processedRowsPerSecond rows that completed the last stage, per second
     * @param numOutputRows rows written in the interval
     * @param numRowsFailed records skipped by the error policy in the interval
     * @param totalInputRows rows read since the start
     * @param totalOutputRows rows written since the start
     * @param eventTimeWatermark the watermark, or {@code null}
     * @param stateOperators the stateful operators' state
     * @param numFutureEvents records too far ahead, since the start
     * @param latency end-to-end latency in the interval
     * @param sources per-source input
     * @param sink the sink's description
     * @param staticTables the static tables of stream-static joins
     */
    public QueryProgress(UUID id, UUID runId, String name, Instant timestamp, long batchId, long durationMs,
                         long numInputRows, double inputRowsPerSecond, double processedRowsPerSecond,
                         long numOutputRows, long numRowsFailed, long totalInputRows, long totalOutputRows,
                         Instant eventTimeWatermark, List<StateOperatorProgress> stateOperators,
                         long numFutureEvents, Latency latency, List<SourceProgress> sources, String sink,
                         List<StaticTableProgress> staticTables) {
        this(id, runId, name, timestamp, batchId, durationMs, numInputRows, inputRowsPerSecond, processedRowsPerSecond,
            numOutputRows, numRowsFailed, totalInputRows, totalOutputRows, eventTimeWatermark, stateOperators,
            numFutureEvents, latency, sources, sink, staticTables, EpochCommit.NOT_MEASURED);
    }

    /**
     * The last epoch commit before the report: how long committing the epoch to the sink (and the commit
     * log) took, the sink's preparing of it before the checkpoint ({@code Sink.prepareCommit}) included, and,
     * for a query with a checkpoint location, how long writing its checkpoint took and the bytes it wrote. Measured once per commit by the thread that completes the epoch (two clock readings
     * and a running byte count), off the record path. A report that covers several coalesced commits shows
     * the last one. A value not measured is {@code -1}: before the first commit, and the checkpoint figures
     * of a query without a checkpoint location.
     *
     * @param commitNs nanoseconds preparing the epoch in every sink (before the checkpoint) and committing it
     *     (after it, with the commit log) took together, or -1
     * @param checkpointNs nanoseconds writing the epoch's checkpoint took, or -1
     * @param checkpointBytes bytes the checkpoint wrote (new key-group blocks and operator state; blocks
     *     it reused from an earlier checkpoint not counted), or -1
     */
    public record EpochCommit(long commitNs, long checkpointNs, long checkpointBytes) {
        /** Nothing measured. */
        public static final EpochCommit NOT_MEASURED = new EpochCommit(-1, -1, -1);

        /** @return whether the commit time was measured */
        public boolean commitMeasured() {
            return commitNs >= 0;
        }

        /** @return whether a checkpoint was written and measured */
        public boolean checkpointMeasured() {
            return checkpointNs >= 0;
        }
    }

    /**
     * A progress without static tables (as before they were reported).
     *
     * @param id the query's id
     * @param runId this run's id
     * @param name the query's name
     * @param timestamp when the epoch was committed
     * @param batchId the epoch committed
     * @param durationMs wall time since the previous progress
     * @param numInputRows rows read in the interval
     * @param inputRowsPerSecond {@code numInputRows} per second
     * @param processedRowsPerSecond rows that completed the last stage, per second
     * @param numOutputRows rows written in the interval
     * @param numRowsFailed records skipped by the error policy in the interval
     * @param totalInputRows rows read since the start
     * @param totalOutputRows rows written since the start
     * @param eventTimeWatermark the watermark, or {@code null}
     * @param stateOperators the stateful operators' state
     * @param numFutureEvents records too far ahead, since the start
     * @param latency end-to-end latency in the interval
     * @param sources per-source input
     * @param sink the sink's description
     */
    public QueryProgress(UUID id, UUID runId, String name, Instant timestamp, long batchId, long durationMs,
                         long numInputRows, double inputRowsPerSecond, double processedRowsPerSecond,
                         long numOutputRows, long numRowsFailed, long totalInputRows, long totalOutputRows,
                         Instant eventTimeWatermark, List<StateOperatorProgress> stateOperators,
                         long numFutureEvents, Latency latency, List<SourceProgress> sources, String sink) {
        this(id, runId, name, timestamp, batchId, durationMs, numInputRows, inputRowsPerSecond, processedRowsPerSecond,
            numOutputRows, numRowsFailed, totalInputRows, totalOutputRows, eventTimeWatermark, stateOperators,
            numFutureEvents, latency, sources, sink, List.of(), EpochCommit.NOT_MEASURED);
    }

    /**
     * One static table of a stream-static join ({@code StaticTableHandle}) at a commit: its refreshes in
     * the interval and since it was loaded, and the table joins read now. A handle several joins share
     * shows once.
     *
     * @param description what the table is read from
     * @param numRefreshes refreshes that swapped a new table in, in the interval (interval and on demand)
     * @param numRefreshFailures refreshes that failed and kept the previous table, in the interval
     * @param totalRefreshes refreshes that swapped a new table in since the handle was loaded (the first
     *     load not counted)
     * @param totalRefreshFailures failed refreshes since the handle was loaded
     * @param numRows rows of the table joins read now
     * @param lastRefreshTimestamp when the table joins read now was loaded (the first load, or the last
     *     refresh that succeeded)
     */
    public record StaticTableProgress(String description, long numRefreshes, long numRefreshFailures,
                                      long totalRefreshes, long totalRefreshFailures, long numRows,
                                      Instant lastRefreshTimestamp) {
    }

    /**
     * The state of one stateful operator at a commit, summed over its partitions (Spark's
     * {@code StateOperatorProgress}).
     *
     * @param operator what the operator does
     * @param numRowsTotal state rows held
     * @param numRowsUpdated state rows written in the interval
     * @param numRowsRemoved state rows removed in the interval
     * @param numRowsDroppedByWatermark late input rows dropped in the interval
     * @param memoryUsedBytes estimated memory held by the state
     * @param customMetrics figures particular to the operator, by name (Spark's {@code customMetrics}),
     *     in a stable order; a two-input stage has {@link #LEFT_ROWS_DROPPED_BY_WATERMARK} and
     *     {@link #RIGHT_ROWS_DROPPED_BY_WATERMARK}, its late rows of each input in the interval; a
     *     stream-stream join also {@link #LEFT_STATE_ROWS}, {@link #RIGHT_STATE_ROWS},
     *     {@link #LEFT_MEMORY_USED_BYTES} and {@link #RIGHT_MEMORY_USED_BYTES}, each side's state now
     * @param numPartitions the operator's partitions, each holding its own state (Spark's
     *     {@code numShufflePartitions} and {@code numStateStoreInstances}); 0 if not known
     */
    public record StateOperatorProgress(String operator, long numRowsTotal, long numRowsUpdated, long numRowsRemoved,
                                        long numRowsDroppedByWatermark, long memoryUsedBytes, Map<String, Long> customMetrics,
                                        int numPartitions) {
        /** Custom metric of a two-input stage: late rows of its left input in the interval. */
        public static final String LEFT_ROWS_DROPPED_BY_WATERMARK = "numLeftRowsDroppedByWatermark";
        /** Custom metric of a two-input stage: late rows of its right input in the interval. */
        public static final String RIGHT_ROWS_DROPPED_BY_WATERMARK = "numRightRowsDroppedByWatermark";
        /** Custom metric of a stream-stream join: rows its left side buffers now. */
        public static final String LEFT_STATE_ROWS = "numLeftStateRows";
        /** Custom metric of a stream-stream join: rows its right side buffers now. */
        public static final String RIGHT_STATE_ROWS = "numRightStateRows";
        /** Custom metric of a stream-stream join: estimated bytes its left side's state holds. */
        public static final String LEFT_MEMORY_USED_BYTES = "leftMemoryUsedBytes";
        /** Custom metric of a stream-stream join: estimated bytes its right side's state holds. */
        public static final String RIGHT_MEMORY_USED_BYTES = "rightMemoryUsedBytes";

        /**
         * @throws NullPointerException if {@code customMetrics} is {@code null}
         * @throws IllegalArgumentException if {@code numPartitions} is negative
         */
        public StateOperatorProgress {
            customMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(customMetrics));
            if (numPartitions < 0) {
                throw new IllegalArgumentException("numPartitions must be >= 0, got " + numPartitions);
            }
        }

        /**
         * An operator whose partition count is not known (reported as 0).
         *
         * @param operator what the operator does
         * @param numRowsTotal state rows held
         * @param numRowsUpdated state rows written in the interval
         * @param numRowsRemoved state rows removed in the interval
         * @param numRowsDroppedByWatermark late input rows dropped in the interval
         * @param memoryUsedBytes estimated memory held by the state
         * @param customMetrics figures particular to the operator, by name
         */
        public StateOperatorProgress(String operator, long numRowsTotal, long numRowsUpdated, long numRowsRemoved,
                                     long numRowsDroppedByWatermark, long memoryUsedBytes, Map<String, Long> customMetrics) {
            this(operator, numRowsTotal, numRowsUpdated, numRowsRemoved, numRowsDroppedByWatermark, memoryUsedBytes,
                customMetrics, 0);
        }

        /**
         * An operator without custom metrics.
         *
         * @param operator what the operator does
         * @param numRowsTotal state rows held
         * @param numRowsUpdated state rows written in the interval
         * @param numRowsRemoved state rows removed in the interval
         * @param numRowsDroppedByWatermark late input rows dropped in the interval
         * @param memoryUsedBytes estimated memory held by the state
         */
        public StateOperatorProgress(String operator, long numRowsTotal, long numRowsUpdated, long numRowsRemoved,
                                     long numRowsDroppedByWatermark, long memoryUsedBytes) {
            this(operator, numRowsTotal, numRowsUpdated, numRowsRemoved, numRowsDroppedByWatermark, memoryUsedBytes, Map.of());
        }
    }

    /**
     * Percentiles of the end-to-end latency, from a row's source time to the moment the sink writer
     * returned from writing it, in microseconds. The source time is what the source says of the
     * record where it has a meaningful one (the rate source: the row's scheduled time, so a source
     * that falls behind its schedule shows in the latency) and otherwise the start of the poll that
     * read it (its arrival at the query: socket, journal, memory stream); a row that an operator made
     * (an aggregate, a window result) counts from the record that led to it. Recorded in an
     * HdrHistogram with 3 significant digits. See {@code docs/guarantees.md} for each source.
     *
     * @param count rows measured
     * @param p50Us median
     * @param p99Us 99th percentile
     * @param p999Us 99.9th percentile
     * @param maxUs maximum
     */
    public record Latency(long count, double p50Us, double p99Us, double p999Us, double maxUs) {
        @Override
        public String toString() {
            return String.format("count=%d p50=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus", count, p50Us, p99Us, p999Us, maxUs);
        }
    }

    /**
     * Input of one source in the interval.
     *
     * @param description the source
     * @param numInputRows rows read in the interval
     * @param inputRowsPerSecond per second
     * @param targetRowsPerSecond the rate the source is configured to produce (the rate source's
     *     {@code rowsPerSecond}), or 0 if it has none: an input rate well below it means the query
     *     does not keep up
     */
    public record SourceProgress(String description, long numInputRows, double inputRowsPerSecond,
                                 double targetRowsPerSecond) {
    }

    /**
     * The progress as compact JSON, field for field Spark's {@code StreamingQueryProgress.json}: {@code id},
     * {@code runId}, {@code name}, {@code timestamp}, {@code batchId}, {@code numInputRows}, the rates,
     * {@code durationMs}, {@code eventTime}, {@code stateOperators}, {@code sources}, {@code sink}; then
     * {@code rivulet} (failed rows, future events, totals, latency percentiles, static tables). Where Rivulet
     * has no value for a Spark field it writes what Spark writes when it has none: a rate that is not finite
     * and an empty map are left out, an unknown offset is {@code null}, an unmeasured time is 0. Builds a new
     * string on each call (once per epoch, off the data path). Thread-safe.
     *
     * @return the JSON, one line
     */
    public String json() {
        return ProgressJson.write(this, false);
    }

    /**
     * The progress as indented JSON, as Spark's {@code prettyJson} prints it (the same fields as
     * {@link #json()}, Jackson's default pretty printer: {@code "name" : value}, two-space indent).
     *
     * @return the JSON, over several lines
     */
    public String prettyJson() {
        return ProgressJson.write(this, true);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(256);
        out.append("{ name: ").append(name).append(", batchId: ").append(batchId)
            .append(", timestamp: ").append(timestamp).append(", durationMs: ").append(durationMs)
            .append(", numInputRows: ").append(numInputRows)
            .append(String.format(", inputRowsPerSecond: %.1f, processedRowsPerSecond: %.1f", inputRowsPerSecond, processedRowsPerSecond))
            .append(", numOutputRows: ").append(numOutputRows)
            .append(", numRowsFailed: ").append(numRowsFailed)
            .append(", eventTimeWatermark: ").append(eventTimeWatermark)
            .append(", stateOperators: ").append(stateOperators)
            .append(", latency: { ").append(latency).append(" }")
            .append(", sources: ").append(sources)
            .append(", sink: ").append(sink);
        if (!staticTables.isEmpty()) {
            out.append(", staticTables: ").append(staticTables);
        }
        if (epochCommit.commitMeasured()) {
            out.append(", epochCommit: ").append(epochCommit);
        }
        out.append(" }");
        return out.toString();
    }
}
