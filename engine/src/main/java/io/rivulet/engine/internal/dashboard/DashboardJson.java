package io.rivulet.engine.internal.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.runtime.QueryProbe;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON the page reads, each an event of the query's event stream (see {@code docs/dashboard.md}):
 *
 * <ul>
 *   <li>{@code queries}: the tracked queries, {@code [{"id","runId","name","active","status"}]};</li>
 *   <li>{@code plan}: the plan graph ({@link PlanGraph});</li>
 *   <li>{@code progress}: one point per progress report: {@code t} (commit time, ms since the epoch),
 *       {@code batchId}, {@code inRate}, {@code procRate}, {@code numInputRows}, {@code totalInputRows},
 *       {@code totalOutputRows}, {@code lat} ({@code [p50, p99, p99.9, max]} in µs, {@code null} when
 *       no row was measured), {@code wm} (ms) and {@code wmLagMs} (or {@code null}), {@code late},
 *       {@code state} ({@code [{"op","rows","bytes"}]}), {@code commitMs}, {@code checkpointMs},
 *       {@code checkpointBytes} ({@code null} when not measured) and, on the newest, {@code json}: the
 *       progress as {@link QueryProgress#json()} writes it;</li>
 *   <li>{@code history}: {@code {"points":[...]}}, the points of the query's recent progress;</li>
 *   <li>{@code rings}: {@code {"t","stages":[{"stage","max","mean"}]}}, a sample of the ring fill.</li>
 * </ul>
 *
 * <p>Stateless; called on the sampler's and the HTTP threads.
 */
final class DashboardJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DashboardJson() {
    }

    /** Writes one value with a generator into a string. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    static String write(Body body) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return out.toString();
    }

    static String queries(List<StreamingQuery> queries) {
        return write(json -> {
            json.writeStartArray();
            for (StreamingQuery query : queries) {
                json.writeStartObject();
                json.writeStringField("id", query.id().toString());
                json.writeStringField("runId", query.runId().toString());
                json.writeStringField("name", query.name());
                json.writeBooleanField("active", query.isActive());
                json.writeStringField("status", query.status().message());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    static String plan(QueryProbe probe) {
        return write(json -> PlanGraph.write(probe, json));
    }

    static String history(List<QueryProgress> recent, QueryFigures now) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("points");
            for (int i = 0; i < recent.size(); i++) {
                boolean newest = i == recent.size() - 1;
                point(recent.get(i), newest ? now : null, newest, json);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    static String progress(QueryFigures figures) {
        return write(json -> point(figures.progress(), figures, true, json));
    }

    static String rings(long nowMs, QueryFigures figures) {
        return write(json -> {
            json.writeStartObject();
            json.writeNumberField("t", nowMs);
            json.writeArrayFieldStart("stages");
            for (int i = 0; i < figures.ringStages().size(); i++) {
                json.writeStartObject();
                json.writeStringField("stage", figures.ringStages().get(i));
                json.writeNumberField("max", figures.ringMaxFill()[i]);
                json.writeNumberField("mean", figures.ringMeanFill()[i]);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /**
     * @param p a progress
     * @param figures the runtime's figures read with it (commit, checkpoint), or {@code null} for an older one
     * @param withJson whether to embed the progress's own JSON
     */
    private static void point(QueryProgress p, QueryFigures figures, boolean withJson, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("t", p.timestamp().toEpochMilli());
        json.writeNumberField("batchId", p.batchId());
        finite(json, "inRate", p.inputRowsPerSecond());
        finite(json, "procRate", p.processedRowsPerSecond());
        json.writeNumberField("numInputRows", p.numInputRows());
        json.writeNumberField("totalInputRows", p.totalInputRows());
        json.writeNumberField("totalOutputRows", p.totalOutputRows());
        if (p.latency().count() > 0) {
            json.writeArrayFieldStart("lat");
            json.writeNumber(p.latency().p50Us());
            json.writeNumber(p.latency().p99Us());
            json.writeNumber(p.latency().p999Us());
            json.writeNumber(p.latency().maxUs());
            json.writeEndArray();
        } else {
            json.writeNullField("lat");
        }
        if (p.eventTimeWatermark() != null) {
            json.writeNumberField("wm", p.eventTimeWatermark().toEpochMilli());
            json.writeNumberField("wmLagMs", QueryFigures.watermarkLagMs(p));
        } else {
            json.writeNullField("wm");
            json.writeNullField("wmLagMs");
        }
        json.writeNumberField("late", QueryFigures.lateRows(p));
        json.writeArrayFieldStart("state");
        for (QueryProgress.StateOperatorProgress op : p.stateOperators()) {
            json.writeStartObject();
            json.writeStringField("op", op.operator());
            json.writeNumberField("rows", op.numRowsTotal());
            json.writeNumberField("bytes", op.memoryUsedBytes());
            json.writeEndObject();
        }
        json.writeEndArray();
        nanosAsMs(json, "commitMs", figures == null ? -1 : figures.commitNs());
        nanosAsMs(json, "checkpointMs", figures == null ? -1 : figures.checkpointNs());
        if (figures != null && figures.checkpointBytes() >= 0) {
            json.writeNumberField("checkpointBytes", figures.checkpointBytes());
        } else {
            json.writeNullField("checkpointBytes");
        }
        if (withJson) {
            json.writeFieldName("json");
            json.writeRawValue(p.json());
        }
        json.writeEndObject();
    }

    private static void finite(JsonGenerator json, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumberField(name, value);
        } else {
            json.writeNullField(name);
        }
    }

    private static void nanosAsMs(JsonGenerator json, String name, long ns) throws IOException {
        if (ns >= 0) {
            json.writeNumberField(name, ns / 1e6);
        } else {
            json.writeNullField(name);
        }
    }
}
