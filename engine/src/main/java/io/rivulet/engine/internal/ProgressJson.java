package io.rivulet.engine.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.QueryStatus;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@link QueryProgress} and {@link QueryStatus} as Spark writes {@code StreamingQueryProgress}
 * and {@code StreamingQueryStatus}: the same field names, nesting and order; a {@code Double} that is
 * not finite and a map that is empty are left out; map keys sorted; timestamps
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC; the pretty form Jackson's default pretty printer
 * (which is what Spark's json4s {@code pretty} uses). Rivulet's figures Spark has no field for go in one
 * extra object, {@code "rivulet"}, after Spark's fields. See {@code docs/progress.md}.
 *
 * <p>Thread-safe (stateless; Jackson's factory is). Streams with a {@code JsonGenerator}, no data binding.
 */
public final class ProgressJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ProgressJson() {
    }

    /**
     * @param timestamp an instant
     * @return it as Spark formats progress timestamps: UTC, milliseconds always present, {@code Z}
     */
    public static String timestamp(Instant timestamp) {
        return TIMESTAMP.format(timestamp);
    }

    /**
     * @param progress a progress
     * @param pretty indented (Spark's {@code prettyJson}) or compact (Spark's {@code json})
     * @return its JSON
     */
    public static String write(QueryProgress progress, boolean pretty) {
        StringWriter out = new StringWriter(pretty ? 2048 : 1024);
        try (JsonGenerator json = generator(out, pretty)) {
            writeProgress(progress, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return out.toString();
    }

    /**
     * @param status a status
     * @param pretty indented or compact
     * @return its JSON: {@code message}, {@code isDataAvailable}, {@code isTriggerActive}
     */
    public static String write(QueryStatus status, boolean pretty) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = generator(out, pretty)) {
            json.writeStartObject();
            json.writeStringField("message", status.message());
            json.writeBooleanField("isDataAvailable", status.isDataAvailable());
            json.writeBooleanField("isTriggerActive", status.isTriggerActive());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static JsonGenerator generator(StringWriter out, boolean pretty) throws IOException {
        JsonGenerator json = FACTORY.createGenerator(out);
        if (pretty) {
            json.setPrettyPrinter(new DefaultPrettyPrinter());
        }
        return json;
    }

    private static void writeProgress(QueryProgress p, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", p.id().toString());
        json.writeStringField("runId", p.runId().toString());
        json.writeStringField("name", p.name());
        json.writeStringField("timestamp", timestamp(p.timestamp()));
        json.writeNumberField("batchId", p.batchId());
        json.writeNumberField("numInputRows", p.numInputRows());
        finiteField(json, "inputRowsPerSecond", p.inputRowsPerSecond());
        finiteField(json, "processedRowsPerSecond", p.processedRowsPerSecond());
        // Spark's keys are phases of a trigger; Rivulet measures the whole interval only.
        json.writeObjectFieldStart("durationMs");
        json.writeNumberField("triggerExecution", p.durationMs());
        json.writeEndObject();
        if (p.eventTimeWatermark() != null) {
            json.writeObjectFieldStart("eventTime");
            json.writeStringField("watermark", timestamp(p.eventTimeWatermark()));
            json.writeEndObject();
        }
        json.writeArrayFieldStart("stateOperators");
        for (QueryProgress.StateOperatorProgress op : p.stateOperators()) {
            writeStateOperator(op, json);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("sources");
        for (QueryProgress.SourceProgress source : p.sources()) {
            writeSource(source, json);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("sink");
        json.writeStringField("description", p.sink());
        json.writeNumberField("numOutputRows", p.numOutputRows());
        json.writeEndObject();
        // observedMetrics: Rivulet has no observe(); Spark leaves an empty map out.
        writeRivulet(p, json);
        json.writeEndObject();
    }

    private static void writeStateOperator(QueryProgress.StateOperatorProgress op, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("operatorName", op.operator());
        json.writeNumberField("numRowsTotal", op.numRowsTotal());
        json.writeNumberField("numRowsUpdated", op.numRowsUpdated());
        json.writeNumberField("allUpdatesTimeMs", 0L); // not measured: Spark's 0 where a store does not time it
        json.writeNumberField("numRowsRemoved", op.numRowsRemoved());
        json.writeNumberField("allRemovalsTimeMs", 0L);
        json.writeNumberField("commitTimeMs", 0L);
        json.writeNumberField("memoryUsedBytes", op.memoryUsedBytes());
        json.writeNumberField("numRowsDroppedByWatermark", op.numRowsDroppedByWatermark());
        json.writeNumberField("numShufflePartitions", op.numPartitions());
        json.writeNumberField("numStateStoreInstances", op.numPartitions());
        if (!op.customMetrics().isEmpty()) {
            json.writeObjectFieldStart("customMetrics");
            for (Map.Entry<String, Long> metric : new TreeMap<>(op.customMetrics()).entrySet()) {
                json.writeNumberField(metric.getKey(), metric.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeSource(QueryProgress.SourceProgress source, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("description", source.description());
        // Rivulet's sources do not report offsets in progress: Spark's null for an offset it does not have.
        json.writeNullField("startOffset");
        json.writeNullField("endOffset");
        json.writeNullField("latestOffset");
        json.writeNumberField("numInputRows", source.numInputRows());
        finiteField(json, "inputRowsPerSecond", source.inputRowsPerSecond());
        // processedRowsPerSecond: not measured per source; Spark leaves out a rate it cannot compute.
        if (source.targetRowsPerSecond() > 0) {
            json.writeObjectFieldStart("metrics");
            json.writeStringField("targetRowsPerSecond", Double.toString(source.targetRowsPerSecond()));
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeRivulet(QueryProgress p, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("rivulet");
        json.writeNumberField("numRowsFailed", p.numRowsFailed());
        json.writeNumberField("numFutureEvents", p.numFutureEvents());
        json.writeNumberField("totalInputRows", p.totalInputRows());
        json.writeNumberField("totalOutputRows", p.totalOutputRows());
        QueryProgress.Latency latency = p.latency();
        if (latency != null) {
            json.writeObjectFieldStart("latency");
            json.writeNumberField("count", latency.count());
            json.writeNumberField("p50Us", latency.p50Us());
            json.writeNumberField("p99Us", latency.p99Us());
            json.writeNumberField("p999Us", latency.p999Us());
            json.writeNumberField("maxUs", latency.maxUs());
            json.writeEndObject();
        }
        QueryProgress.EpochCommit commit = p.epochCommit();
        if (commit.commitMeasured()) {
            json.writeObjectFieldStart("epochCommit");
            json.writeNumberField("commitUs", commit.commitNs() / 1e3);
            if (commit.checkpointMeasured()) {
                json.writeNumberField("checkpointUs", commit.checkpointNs() / 1e3);
                json.writeNumberField("checkpointBytes", commit.checkpointBytes());
            }
            json.writeEndObject();
        }
        if (!p.staticTables().isEmpty()) {
            json.writeArrayFieldStart("staticTables");
            for (QueryProgress.StaticTableProgress table : p.staticTables()) {
                json.writeStartObject();
                json.writeStringField("description", table.description());
                json.writeNumberField("numRefreshes", table.numRefreshes());
                json.writeNumberField("numRefreshFailures", table.numRefreshFailures());
                json.writeNumberField("totalRefreshes", table.totalRefreshes());
                json.writeNumberField("totalRefreshFailures", table.totalRefreshFailures());
                json.writeNumberField("numRows", table.numRows());
                if (table.lastRefreshTimestamp() == null) {
                    json.writeNullField("lastRefreshTimestamp");
                } else {
                    json.writeStringField("lastRefreshTimestamp", timestamp(table.lastRefreshTimestamp()));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void finiteField(JsonGenerator json, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumberField(name, value);
        }
    }
}
