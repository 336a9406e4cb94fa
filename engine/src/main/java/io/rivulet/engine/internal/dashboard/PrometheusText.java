package io.rivulet.engine.internal.dashboard;

import io.rivulet.engine.QueryProgress;

import java.util.List;

/**
 * Writes the engine's queries as Prometheus text exposition (format 0.0.4), straight from each
 * query's last progress: one family per figure, {@code rivulet_*}, a sample per query with a
 * {@code query} label (and {@code operator}, {@code quantile} or {@code stage} where the figure has
 * several). Rates, latencies, late rows and commit figures are of the last progress interval
 * (gauges); {@code _total} families count since the run started (counters).
 *
 * <p>Stateless; called on an HTTP thread per scrape.
 */
final class PrometheusText {
    /** The {@code Content-Type} of the exposition. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /**
     * @param queries the queries, each read once
     * @return the exposition text, families in a fixed order, each with {@code # HELP} and {@code # TYPE}
     */
    static String write(List<QueryFigures> queries) {
        StringBuilder out = new StringBuilder(1024 + 1024 * queries.size());
        family(out, "rivulet_query_active", "gauge", "1 while the query runs, 0 once it ended");
        for (QueryFigures q : queries) {
            sample(out, "rivulet_query_active", q, null, null, q.active() ? 1 : 0);
        }
        family(out, "rivulet_batch_id", "gauge", "The last committed epoch (Spark's batchId)");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                sample(out, "rivulet_batch_id", q, null, null, q.progress().batchId());
            }
        }
        family(out, "rivulet_input_rows_per_second", "gauge", "Rows read from all sources per second, over the last progress interval");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                sample(out, "rivulet_input_rows_per_second", q, null, null, q.progress().inputRowsPerSecond());
            }
        }
        family(out, "rivulet_processed_rows_per_second", "gauge", "Rows that completed the last stage per second, over the last progress interval");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                sample(out, "rivulet_processed_rows_per_second", q, null, null, q.progress().processedRowsPerSecond());
            }
        }
        family(out, "rivulet_input_rows_total", "counter", "Rows read from all sources since the run started");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                sample(out, "rivulet_input_rows_total", q, null, null, q.progress().totalInputRows());
            }
        }
        family(out, "rivulet_output_rows_total", "counter", "Rows written to the sink since the run started");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                sample(out, "rivulet_output_rows_total", q, null, null, q.progress().totalOutputRows());
            }
        }
        family(out, "rivulet_latency_seconds", "gauge",
            "End-to-end latency (source time to sink) of the rows written in the last progress interval, by quantile (1 = max)");
        for (QueryFigures q : queries) {
            QueryProgress p = q.progress();
            if (p != null && p.latency().count() > 0) {
                sample(out, "rivulet_latency_seconds", q, "quantile", "0.5", p.latency().p50Us() / 1e6);
                sample(out, "rivulet_latency_seconds", q, "quantile", "0.99", p.latency().p99Us() / 1e6);
                sample(out, "rivulet_latency_seconds", q, "quantile", "0.999", p.latency().p999Us() / 1e6);
                sample(out, "rivulet_latency_seconds", q, "quantile", "1", p.latency().maxUs() / 1e6);
            }
        }
        family(out, "rivulet_latency_rows", "gauge", "Rows whose latency the last progress interval measured");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                sample(out, "rivulet_latency_rows", q, null, null, q.progress().latency().count());
            }
        }
        family(out, "rivulet_watermark_seconds", "gauge", "The event-time watermark at the last commit, seconds since the epoch");
        for (QueryFigures q : queries) {
            if (q.progress() != null && q.progress().eventTimeWatermark() != null) {
                sample(out, "rivulet_watermark_seconds", q, null, null, q.progress().eventTimeWatermark().toEpochMilli() / 1e3);
            }
        }
        family(out, "rivulet_watermark_lag_seconds", "gauge", "How far the watermark is behind the last commit's wall time");
        for (QueryFigures q : queries) {
            if (q.progress() != null && q.progress().eventTimeWatermark() != null) {
                sample(out, "rivulet_watermark_lag_seconds", q, null, null, QueryFigures.watermarkLagMs(q.progress()) / 1e3);
            }
        }
        family(out, "rivulet_state_rows", "gauge", "State rows a stateful operator holds, over its partitions");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                for (QueryProgress.StateOperatorProgress op : q.progress().stateOperators()) {
                    sample(out, "rivulet_state_rows", q, "operator", op.operator(), op.numRowsTotal());
                }
            }
        }
        family(out, "rivulet_state_memory_bytes", "gauge", "Estimated bytes a stateful operator's state holds, over its partitions");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                for (QueryProgress.StateOperatorProgress op : q.progress().stateOperators()) {
                    sample(out, "rivulet_state_memory_bytes", q, "operator", op.operator(), op.memoryUsedBytes());
                }
            }
        }
        family(out, "rivulet_rows_dropped_by_watermark", "gauge", "Late input rows a stateful operator dropped in the last progress interval");
        for (QueryFigures q : queries) {
            if (q.progress() != null) {
                for (QueryProgress.StateOperatorProgress op : q.progress().stateOperators()) {
                    sample(out, "rivulet_rows_dropped_by_watermark", q, "operator", op.operator(), op.numRowsDroppedByWatermark());
                }
            }
        }
        family(out, "rivulet_epoch_commit_seconds", "gauge", "How long the last epoch commit to the sinks took");
        for (QueryFigures q : queries) {
            if (q.commitNs() >= 0) {
                sample(out, "rivulet_epoch_commit_seconds", q, null, null, q.commitNs() / 1e9);
            }
        }
        family(out, "rivulet_checkpoint_seconds", "gauge", "How long writing the last checkpoint took");
        for (QueryFigures q : queries) {
            if (q.checkpointNs() >= 0) {
                sample(out, "rivulet_checkpoint_seconds", q, null, null, q.checkpointNs() / 1e9);
            }
        }
        family(out, "rivulet_checkpoint_written_bytes", "gauge", "Bytes the last checkpoint wrote (blocks reused from earlier checkpoints not counted)");
        for (QueryFigures q : queries) {
            if (q.checkpointBytes() >= 0) {
                sample(out, "rivulet_checkpoint_written_bytes", q, null, null, q.checkpointBytes());
            }
        }
        family(out, "rivulet_ring_fill_ratio", "gauge", "Fill of the fullest ring into a keyed stage (0..1): back-pressure when near 1");
        for (QueryFigures q : queries) {
            for (int i = 0; i < q.ringStages().size(); i++) {
                sample(out, "rivulet_ring_fill_ratio", q, "stage", q.ringStages().get(i), q.ringMaxFill()[i]);
            }
        }
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, QueryFigures q, String label, String labelValue, double value) {
        out.append(name).append("{query=\"");
        escape(q.name(), out);
        out.append('"');
        if (label != null) {
            out.append(',').append(label).append("=\"");
            escape(labelValue, out);
            out.append('"');
        }
        out.append("} ").append(number(value)).append('\n');
    }

    private static void sample(StringBuilder out, String name, QueryFigures q, String label, String labelValue, long value) {
        out.append(name).append("{query=\"");
        escape(q.name(), out);
        out.append('"');
        if (label != null) {
            out.append(',').append(label).append("=\"");
            escape(labelValue, out);
            out.append('"');
        }
        out.append("} ").append(value).append('\n');
    }

    /**
     * @param value a sample value
     * @return it as the text format writes floats: {@code NaN}, {@code +Inf}, {@code -Inf}, or Java's
     *     shortest round-trip decimal (which Prometheus's Go parser reads back exactly)
     */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    /** Label values escape backslash, double quote and line feed (the format's three escapes). */
    static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
