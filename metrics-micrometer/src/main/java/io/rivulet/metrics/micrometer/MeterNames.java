package io.rivulet.metrics.micrometer;

/**
 * The names of the meters {@link RivuletMetrics} registers, in Micrometer's dotted form (a Prometheus
 * registry writes them with underscores and unit suffixes: {@code rivulet.latency} becomes
 * {@code rivulet_latency_seconds}, {@code rivulet.input.rows} {@code rivulet_input_rows_total}).
 * Every meter has the tags {@link #TAG_QUERY} and {@link #TAG_RUN_ID}; {@code docs/metrics.md}
 * gives each one's type, unit and source field in {@code QueryProgress}.
 */
public final class MeterNames {
    /** Tag: the query's name. */
    public static final String TAG_QUERY = "query";
    /** Tag: the query's run id (a restart starts a new run). */
    public static final String TAG_RUN_ID = "runId";
    /** Tag of the state meters: the stateful operator's description. */
    public static final String TAG_OPERATOR = "operator";
    /** Tag of {@link #LATENCY}: {@code 0.5}, {@code 0.99}, {@code 0.999}, or {@code 1} (the maximum). */
    public static final String TAG_QUANTILE = "quantile";

    /** Gauge: rows read from all sources per second, over the last progress interval. */
    public static final String INPUT_RATE = "rivulet.input.rows.per.second";
    /** Gauge: rows that completed the last stage per second, over the last progress interval. */
    public static final String PROCESSED_RATE = "rivulet.processed.rows.per.second";
    /** Function counter, rows: rows read since the run started. */
    public static final String INPUT_ROWS = "rivulet.input.rows";
    /** Function counter, rows: rows written to the sink since the run started. */
    public static final String OUTPUT_ROWS = "rivulet.output.rows";
    /** Function counter, rows: records the error policy skipped or dead-lettered since the binder saw the run. */
    public static final String FAILED_ROWS = "rivulet.failed.rows";
    /** Gauge: the last committed epoch (Spark's batch id). */
    public static final String BATCH_ID = "rivulet.batch.id";
    /** Time gauge: end-to-end latency of the rows written in the last interval, by {@link #TAG_QUANTILE}. */
    public static final String LATENCY = "rivulet.latency";
    /** Gauge, rows: rows whose latency the last interval measured. */
    public static final String LATENCY_ROWS = "rivulet.latency.rows";
    /** Time gauge: the event-time watermark, as time since the Unix epoch; {@code NaN} without one. */
    public static final String WATERMARK = "rivulet.watermark";
    /** Time gauge: the commit's wall time minus the watermark; {@code NaN} without a watermark. */
    public static final String WATERMARK_LAG = "rivulet.watermark.lag";
    /** Gauge, rows: state rows one stateful operator holds, summed over its partitions. */
    public static final String STATE_ROWS = "rivulet.state.rows";
    /** Gauge, bytes: estimated memory one stateful operator's state holds. */
    public static final String STATE_MEMORY = "rivulet.state.memory";
    /** Function counter, rows: late input rows one stateful operator dropped since the binder saw the run. */
    public static final String ROWS_DROPPED_BY_WATERMARK = "rivulet.rows.dropped.by.watermark";
    /** Time gauge: how long committing the last epoch to the sink (its prepareCommit and the commit log included) took. */
    public static final String EPOCH_COMMIT = "rivulet.epoch.commit";
    /** Time gauge: how long writing the last checkpoint took (queries with a checkpoint location). */
    public static final String CHECKPOINT = "rivulet.checkpoint";
    /** Gauge, bytes: what the last checkpoint wrote (blocks reused from earlier checkpoints not counted). */
    public static final String CHECKPOINT_WRITTEN = "rivulet.checkpoint.written";

    private MeterNames() {
    }
}
