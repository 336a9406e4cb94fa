package io.rivulet.engine.internal.dashboard;

import io.rivulet.engine.QueryProgress;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

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

    /** The families in the order they are written: each with its samples from one query's figures. */
    private static final List<Family> FAMILIES = List.of(
        new Family("rivulet_query_active", "gauge", "1 while the query runs, 0 once it ended",
            (q, out) -> out.sample(q.active() ? 1 : 0)),
        progress("rivulet_batch_id", "gauge", "The last committed epoch (Spark's batchId)",
            (p, out) -> out.sample(p.batchId())),
        progress("rivulet_input_rows_per_second", "gauge",
            "Rows read from all sources per second, over the last progress interval",
            (p, out) -> out.sample(p.inputRowsPerSecond())),
        progress("rivulet_processed_rows_per_second", "gauge",
            "Rows that completed the last stage per second, over the last progress interval",
            (p, out) -> out.sample(p.processedRowsPerSecond())),
        progress("rivulet_input_rows_total", "counter", "Rows read from all sources since the run started",
            (p, out) -> out.sample(p.totalInputRows())),
        progress("rivulet_output_rows_total", "counter", "Rows written to the sink since the run started",
            (p, out) -> out.sample(p.totalOutputRows())),
        progress("rivulet_latency_seconds", "gauge",
            "End-to-end latency (source time to sink) of the rows written in the last progress interval, by quantile (1 = max)",
            (p, out) -> {
                if (p.latency().count() > 0) {
                    out.sample("quantile", "0.5", p.latency().p50Us() / 1e6);
                    out.sample("quantile", "0.99", p.latency().p99Us() / 1e6);
                    out.sample("quantile", "0.999", p.latency().p999Us() / 1e6);
                    out.sample("quantile", "1", p.latency().maxUs() / 1e6);
                }
            }),
        progress("rivulet_latency_rows", "gauge", "Rows whose latency the last progress interval measured",
            (p, out) -> out.sample(p.latency().count())),
        progress("rivulet_watermark_seconds", "gauge",
            "The event-time watermark at the last commit, seconds since the epoch",
            (p, out) -> {
                if (p.eventTimeWatermark() != null) {
                    out.sample(p.eventTimeWatermark().toEpochMilli() / 1e3);
                }
            }),
        progress("rivulet_watermark_lag_seconds", "gauge", "How far the watermark is behind the last commit's wall time",
            (p, out) -> {
                if (p.eventTimeWatermark() != null) {
                    out.sample(QueryFigures.watermarkLagMs(p) / 1e3);
                }
            }),
        perOperator("rivulet_state_rows", "State rows a stateful operator holds, over its partitions",
            QueryProgress.StateOperatorProgress::numRowsTotal),
        perOperator("rivulet_state_memory_bytes", "Estimated bytes a stateful operator's state holds, over its partitions",
            QueryProgress.StateOperatorProgress::memoryUsedBytes),
        perOperator("rivulet_rows_dropped_by_watermark",
            "Late input rows a stateful operator dropped in the last progress interval",
            QueryProgress.StateOperatorProgress::numRowsDroppedByWatermark),
        new Family("rivulet_epoch_commit_seconds", "gauge", "How long the last epoch commit to the sinks took",
            (q, out) -> {
                if (q.commitNs() >= 0) {
                    out.sample(q.commitNs() / 1e9);
                }
            }),
        new Family("rivulet_checkpoint_seconds", "gauge", "How long writing the last checkpoint took",
            (q, out) -> {
                if (q.checkpointNs() >= 0) {
                    out.sample(q.checkpointNs() / 1e9);
                }
            }),
        new Family("rivulet_checkpoint_written_bytes", "gauge",
            "Bytes the last checkpoint wrote (blocks reused from earlier checkpoints not counted)",
            (q, out) -> {
                if (q.checkpointBytes() >= 0) {
                    out.sample(q.checkpointBytes());
                }
            }),
        new Family("rivulet_ring_fill_ratio", "gauge",
            "Fill of the fullest ring into a keyed stage (0..1): back-pressure when near 1",
            (q, out) -> {
                for (int i = 0; i < q.ringStages().size(); i++) {
                    out.sample("stage", q.ringStages().get(i), q.ringMaxFill()[i]);
                }
            }));

    private PrometheusText() {
    }

    /**
     * @param queries the queries, each read once
     * @return the exposition text, families in a fixed order, each with {@code # HELP} and {@code # TYPE}
     */
    static String write(List<QueryFigures> queries) {
        StringBuilder text = new StringBuilder(1024 + 1024 * queries.size());
        for (Family family : FAMILIES) {
            text.append("# HELP ").append(family.name).append(' ').append(family.help).append('\n');
            text.append("# TYPE ").append(family.name).append(' ').append(family.type).append('\n');
            for (QueryFigures q : queries) {
                family.samples.write(q, new Samples(text, family.name, q.name()));
            }
        }
        return text.toString();
    }

    /** One metric family: its name, type, help, and how a query's figures give its samples. */
    private record Family(String name, String type, String help, FamilySamples samples) {
    }

    /** Writes one query's samples of a family. */
    @FunctionalInterface
    private interface FamilySamples {
        void write(QueryFigures query, Samples out);
    }

    /** A family read from the last progress; a query without one yet has no sample. */
    private static Family progress(String name, String type, String help,
                                   BiConsumer<QueryProgress, Samples> samples) {
        return new Family(name, type, help, (q, out) -> {
            if (q.progress() != null) {
                samples.accept(q.progress(), out);
            }
        });
    }

    /** A gauge with one sample per stateful operator of the last progress. */
    private static Family perOperator(String name, String help,
                                      ToLongFunction<QueryProgress.StateOperatorProgress> figure) {
        return progress(name, "gauge", help, (p, out) -> {
            for (QueryProgress.StateOperatorProgress op : p.stateOperators()) {
                out.sample("operator", op.operator(), figure.applyAsLong(op));
            }
        });
    }

    /** Writes the sample lines of one family and query: {@code name{query="..",label=".."} value}. */
    private record Samples(StringBuilder text, String name, String query) {
        void sample(double value) {
            sample(null, null, number(value));
        }

        void sample(long value) {
            sample(null, null, Long.toString(value));
        }

        void sample(String label, String labelValue, double value) {
            sample(label, labelValue, number(value));
        }

        void sample(String label, String labelValue, long value) {
            sample(label, labelValue, Long.toString(value));
        }

        private void sample(String label, String labelValue, String value) {
            text.append(name).append("{query=\"");
            escape(query, text);
            text.append('"');
            if (label != null) {
                text.append(',').append(label).append("=\"");
                escape(labelValue, text);
                text.append('"');
            }
            text.append("} ").append(value).append('\n');
        }
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
