package io.rivulet.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.rivulet.engine.QueryProgress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The meters of one query run. The gauges and function counters read {@link #last} (and the running
 * totals), which {@link #update} replaces once per progress report; they hold this object strongly, and
 * {@link #remove} takes them out of the registry.
 *
 * <p>Thread-safe: {@link #update} and {@link #remove} are serialised on this object (the query's progress
 * thread and whichever thread ends the query or closes the binder); the registry reads the volatile
 * fields from any thread.
 */
final class QueryMeters {
    private static final String ROWS = "rows";

    private final MeterRegistry registry;
    private final String queryName;
    private final UUID runId;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    /** Stateful operators by their tag value (the description, {@code #n} added for a repeated one). */
    private final Map<String, OperatorMeters> operators = new LinkedHashMap<>();
    private volatile QueryProgress last;
    private volatile long failedRows;
    private boolean commitRegistered;
    private boolean checkpointRegistered;
    private boolean removed;

    QueryMeters(MeterRegistry registry, String queryName, UUID runId) {
        this.registry = registry;
        this.queryName = queryName;
        this.runId = runId;
        this.tags = Tags.of(MeterNames.TAG_QUERY, queryName, MeterNames.TAG_RUN_ID, runId.toString());
        registerQueryMeters();
    }

    String queryName() {
        return queryName;
    }

    UUID runId() {
        return runId;
    }

    private synchronized void registerQueryMeters() {
        gauge(MeterNames.INPUT_RATE, "Rows read from all sources per second over the last progress interval", null,
            m -> m.last == null ? Double.NaN : m.last.inputRowsPerSecond());
        gauge(MeterNames.PROCESSED_RATE, "Rows that completed the last stage per second over the last progress interval",
            null, m -> m.last == null ? Double.NaN : m.last.processedRowsPerSecond());
        counter(MeterNames.INPUT_ROWS, "Rows read since the run started", m -> m.last == null ? 0 : m.last.totalInputRows());
        counter(MeterNames.OUTPUT_ROWS, "Rows written to the sink since the run started",
            m -> m.last == null ? 0 : m.last.totalOutputRows());
        counter(MeterNames.FAILED_ROWS, "Records the error policy skipped or dead-lettered", m -> m.failedRows);
        gauge(MeterNames.BATCH_ID, "The last committed epoch", null, m -> m.last == null ? Double.NaN : m.last.batchId());
        latency("0.5", QueryProgress.Latency::p50Us);
        latency("0.99", QueryProgress.Latency::p99Us);
        latency("0.999", QueryProgress.Latency::p999Us);
        latency("1", QueryProgress.Latency::maxUs);
        gauge(MeterNames.LATENCY_ROWS, "Rows whose end-to-end latency the last progress interval measured", ROWS,
            m -> m.last == null || m.last.latency() == null ? Double.NaN : m.last.latency().count());
        timeGauge(MeterNames.WATERMARK, "The event-time watermark, since the Unix epoch", Tags.empty(),
            TimeUnit.MILLISECONDS, m -> watermarkMs(m.last));
        timeGauge(MeterNames.WATERMARK_LAG, "The commit's wall time minus the event-time watermark", Tags.empty(),
            TimeUnit.MILLISECONDS, m -> {
                QueryProgress p = m.last;
                double watermarkMs = watermarkMs(p);
                return Double.isNaN(watermarkMs) ? Double.NaN : p.timestamp().toEpochMilli() - watermarkMs;
            });
    }

    private void latency(String quantile, ToDoubleFunction<QueryProgress.Latency> us) {
        timeGauge(MeterNames.LATENCY, "End-to-end latency (source time to sink) of the rows written in the last "
                + "progress interval, by quantile (1 = max)", Tags.of(MeterNames.TAG_QUANTILE, quantile),
            TimeUnit.MICROSECONDS, m -> m.last == null || m.last.latency() == null ? Double.NaN : us.applyAsDouble(m.last.latency()));
    }

    private static double watermarkMs(QueryProgress p) {
        if (p == null) {
            return Double.NaN;
        }
        Instant watermark = p.eventTimeWatermark();
        return watermark == null ? Double.NaN : watermark.toEpochMilli();
    }

    /**
     * Shows a progress report: the meters read it from now on; meters for operators and checkpoints it
     * is the first to have are registered.
     *
     * @param progress the query's latest report
     */
    synchronized void update(QueryProgress progress) {
        if (removed) {
            return;
        }
        failedRows += progress.numRowsFailed();
        Map<String, Integer> seen = new HashMap<>();
        for (QueryProgress.StateOperatorProgress operator : progress.stateOperators()) {
            int occurrence = seen.merge(operator.operator(), 1, Integer::sum);
            String tag = occurrence == 1 ? operator.operator() : operator.operator() + " #" + occurrence;
            operators.computeIfAbsent(tag, this::registerOperator).update(operator);
        }
        QueryProgress.EpochCommit commit = progress.epochCommit();
        if (commit.commitMeasured() && !commitRegistered) {
            commitRegistered = true;
            timeGauge(MeterNames.EPOCH_COMMIT, "How long committing the last epoch to the sink took", Tags.empty(),
                TimeUnit.NANOSECONDS, m -> commitFigure(m.last, QueryProgress.EpochCommit::commitNs));
        }
        if (commit.checkpointMeasured() && !checkpointRegistered) {
            checkpointRegistered = true;
            timeGauge(MeterNames.CHECKPOINT, "How long writing the last checkpoint took", Tags.empty(),
                TimeUnit.NANOSECONDS, m -> commitFigure(m.last, QueryProgress.EpochCommit::checkpointNs));
            gauge(MeterNames.CHECKPOINT_WRITTEN, "Bytes the last checkpoint wrote (reused blocks not counted)",
                BaseUnits.BYTES, m -> commitFigure(m.last, QueryProgress.EpochCommit::checkpointBytes));
        }
        last = progress;
    }

    /** @return the figure, or {@code NaN} before the first report or where it was not measured (-1) */
    private static double commitFigure(QueryProgress p, ToLongFunction<QueryProgress.EpochCommit> figure) {
        long value = p == null ? -1 : figure.applyAsLong(p.epochCommit());
        return value < 0 ? Double.NaN : value;
    }

    private OperatorMeters registerOperator(String operatorTag) {
        OperatorMeters operator = new OperatorMeters();
        Tags operatorTags = tags.and(MeterNames.TAG_OPERATOR, operatorTag);
        meters.add(Gauge.builder(MeterNames.STATE_ROWS, operator, o -> o.rows)
            .description("State rows the operator holds, over all its partitions").baseUnit(ROWS)
            .tags(operatorTags).strongReference(true).register(registry));
        meters.add(Gauge.builder(MeterNames.STATE_MEMORY, operator, o -> o.bytes)
            .description("Estimated memory the operator's state holds").baseUnit(BaseUnits.BYTES)
            .tags(operatorTags).strongReference(true).register(registry));
        meters.add(FunctionCounter.builder(MeterNames.ROWS_DROPPED_BY_WATERMARK, operator, o -> o.droppedRows)
            .description("Late input rows the operator dropped").baseUnit(ROWS)
            .tags(operatorTags).register(registry));
        return operator;
    }

    /** Removes every meter of this run from the registry; later updates do nothing. */
    synchronized void remove() {
        removed = true;
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }

    private void gauge(String name, String description, String baseUnit, ToDoubleFunction<QueryMeters> value) {
        meters.add(Gauge.builder(name, this, value).description(description).baseUnit(baseUnit).tags(tags)
            .strongReference(true).register(registry));
    }

    private void timeGauge(String name, String description, Tags extra, TimeUnit unit, ToDoubleFunction<QueryMeters> value) {
        meters.add(TimeGauge.builder(name, this, unit, value).description(description).tags(tags.and(extra))
            .strongReference(true).register(registry));
    }

    private void counter(String name, String description, ToDoubleFunction<QueryMeters> value) {
        meters.add(FunctionCounter.builder(name, this, value).description(description).baseUnit(ROWS).tags(tags)
            .register(registry));
    }

    /** One stateful operator's latest figures and its dropped-rows total; written under the query's lock. */
    private static final class OperatorMeters {
        private volatile long rows;
        private volatile long bytes;
        private volatile long droppedRows;

        void update(QueryProgress.StateOperatorProgress operator) {
            rows = operator.numRowsTotal();
            bytes = operator.memoryUsedBytes();
            droppedRows += operator.numRowsDroppedByWatermark();
        }
    }
}
