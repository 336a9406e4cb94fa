package io.rivulet.engine.sql;

import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.internal.EngineAccess;
import io.rivulet.engine.sink.BatchFunction;
import io.rivulet.engine.sink.ForeachWriter;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.sql.internal.connector.ProviderRegistry;
import io.rivulet.operators.OutputMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Writes a {@link Dataset} by format and starts the query: Spark's {@code DataStreamWriter}, from
 * {@code dataset.writeStream()}.
 *
 * <pre>{@code
 * StreamingQuery query = counts.writeStream()
 *     .format("console").option("truncate", false)
 *     .outputMode("complete").trigger(Trigger.processingTime(Duration.ofSeconds(1)))
 *     .option("checkpointLocation", "/tmp/cp").queryName("counts")
 *     .start();
 * }</pre>
 *
 * <p>The query settings ({@link #queryName}, {@link #outputMode}, {@link #trigger}, {@link #noDataMicroBatches},
 * {@link #multipleWatermarkPolicy}, and the options
 * {@code checkpointLocation} and {@code minBatchesToRetain}) are those of the typed
 * {@link io.rivulet.engine.DataStreamWriter}, which this writer drives: each is validated there when set,
 * and applied to it at {@link #start()}. Every other option goes to the sink's format, looked up through
 * the provider registry ({@link SinkProvider}); built in: {@code console}, {@code memory}, {@code json},
 * {@code csv}, {@code text}, {@code journal}, and {@link #foreach}/{@link #foreachBatch}. A format rejects
 * an option it does not know (Spark ignores it), at {@code start()}.
 *
 * <p>Not thread-safe; a builder used by one thread.
 *
 * @param <T> element type
 */
public final class DataStreamWriter<T> {
    private final Dataset<T> dataset;
    /** Validates each query setting as it is given: the typed writer, never started. */
    private final io.rivulet.engine.DataStreamWriter<T> probe;
    private final List<Consumer<io.rivulet.engine.DataStreamWriter<?>>> settings = new ArrayList<>();
    private final Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private String format;
    private String queryName;
    private OutputMode outputMode = OutputMode.APPEND;
    private Sink<? super T> objectSink;

    DataStreamWriter(Dataset<T> dataset) {
        this.dataset = dataset;
        this.probe = dataset.stream().writeStream(new Sink<T>() {
            @Override
            public String description() {
                return "no sink yet";
            }

            @Override
            public SinkWriter<T> createWriter(int writerIndex) {
                throw new IllegalStateException("the settings probe is never started");
            }
        });
    }

    private DataStreamWriter<T> setting(Consumer<io.rivulet.engine.DataStreamWriter<?>> setting) {
        setting.accept(probe);
        settings.add(setting);
        return this;
    }

    /**
     * @param source the sink's format, any case: a built-in one or a connector's
     * @return this
     */
    public DataStreamWriter<T> format(String source) {
        Objects.requireNonNull(source, "format");
        if (source.isBlank()) {
            throw new IllegalArgumentException("format must not be blank");
        }
        this.format = source.trim();
        if (!isObjectFormat(format)) {
            objectSink = null;
        }
        return this;
    }

    /**
     * Sets an option: {@code checkpointLocation} and {@code minBatchesToRetain} (any case) are the query's
     * and are validated now; every other option is the sink format's, validated by it at {@link #start()}.
     *
     * @param key the option's name
     * @param value its value
     * @return this
     */
    public DataStreamWriter<T> option(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of option " + key);
        for (String queryOption : List.of("checkpointLocation", "minBatchesToRetain")) {
            if (queryOption.equalsIgnoreCase(key)) {
                return setting(writer -> writer.option(queryOption, value));
            }
        }
        options.put(key, value);
        return this;
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this
     */
    public DataStreamWriter<T> option(String key, long value) {
        return option(key, Long.toString(value));
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this
     */
    public DataStreamWriter<T> option(String key, double value) {
        return option(key, Double.toString(value));
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this
     */
    public DataStreamWriter<T> option(String key, boolean value) {
        return option(key, Boolean.toString(value));
    }

    /**
     * @param options options to add, as {@link #option(String, String)}
     * @return this
     */
    public DataStreamWriter<T> options(Map<String, String> options) {
        Objects.requireNonNull(options, "options").forEach(this::option);
        return this;
    }

    /**
     * @param mode {@code append} (default), {@code update} or {@code complete}, any case
     * @return this
     * @throws IllegalArgumentException naming the allowed values
     */
    public DataStreamWriter<T> outputMode(String mode) {
        probe.outputMode(mode);
        for (OutputMode m : OutputMode.values()) {
            if (m.name().equalsIgnoreCase(mode.trim())) {
                return outputMode(m);
            }
        }
        throw new IllegalStateException("unreachable: the typed writer took output mode " + mode);
    }

    /**
     * @param mode the output mode (checked against Spark's rules at {@link #start()})
     * @return this
     */
    public DataStreamWriter<T> outputMode(OutputMode mode) {
        OutputMode checked = Objects.requireNonNull(mode, "outputMode");
        this.outputMode = checked;
        return setting(writer -> writer.outputMode(checked));
    }

    /**
     * @param trigger when epochs run (default: continuous, as the typed writer)
     * @return this
     */
    public DataStreamWriter<T> trigger(Trigger trigger) {
        Objects.requireNonNull(trigger, "trigger");
        return setting(writer -> writer.trigger(trigger));
    }

    /**
     * Micro-batch only: whether a batch without data runs when the watermark moved (Spark's session setting
     * {@code spark.sql.streaming.noDataMicroBatches.enabled}, default true); see the typed writer's
     * {@link io.rivulet.engine.DataStreamWriter#noDataMicroBatches(boolean)}.
     *
     * @param enabled the setting
     * @return this
     */
    public DataStreamWriter<T> noDataMicroBatches(boolean enabled) {
        return setting(writer -> writer.noDataMicroBatches(enabled));
    }

    /**
     * How the watermarks of several inputs combine (Spark's session setting
     * {@code spark.sql.streaming.multipleWatermarkPolicy}): {@code min} (default) or {@code max}; see
     * {@link io.rivulet.engine.DataStreamWriter#multipleWatermarkPolicy(String)}.
     *
     * @param policy {@code min} or {@code max}
     * @return this
     * @throws IllegalArgumentException for another value
     */
    public DataStreamWriter<T> multipleWatermarkPolicy(String policy) {
        return setting(writer -> writer.multipleWatermarkPolicy(policy));
    }

    /**
     * @param name the query's name, unique among the engine's active queries; the table name of the
     *     {@code memory} sink
     * @return this
     */
    public DataStreamWriter<T> queryName(String name) {
        setting(writer -> writer.queryName(name));
        this.queryName = name;
        return this;
    }

    /**
     * Spark's partitioned file output: not supported, the file sink writes no partition directories.
     *
     * @param columns the partition columns
     * @return never
     * @throws UnsupportedOperationException always
     */
    public DataStreamWriter<T> partitionBy(String... columns) {
        throw new UnsupportedOperationException("partitionBy(" + String.join(", ", columns) + ") is not supported: Rivulet's"
            + " file sink writes no partition directories; write without partitionBy, or partition in foreachBatch");
    }

    /**
     * Spark's {@code foreach}: each element to a writer, per partition. The same writer instance serves every
     * writer task of the query (Spark deserialises a copy per task; Rivulet has no Java serialisation): with
     * several, use {@link #foreach(Supplier)} or make the writer thread-safe.
     *
     * @param writer the writer
     * @return this
     */
    public DataStreamWriter<T> foreach(ForeachWriter<? super T> writer) {
        Objects.requireNonNull(writer, "writer");
        return foreach(() -> writer);
    }

    /**
     * {@code foreach} with one writer per writer task.
     *
     * @param writers creates one writer per writer task
     * @return this
     */
    public DataStreamWriter<T> foreach(Supplier<? extends ForeachWriter<? super T>> writers) {
        this.objectSink = Sinks.foreach(Objects.requireNonNull(writers, "writers"));
        this.format = "foreach";
        return this;
    }

    /**
     * Spark's {@code foreachBatch}: a function gets each committed epoch's elements and its id. Spark hands a
     * static Dataset; Rivulet hands the epoch's elements as a list (no static Datasets yet). In micro-batch mode
     * it is called for every batch the query runs, as Spark calls it, with an empty list for a batch without
     * rows (a no-data batch run because the watermark moved for a stateful operator); no batch runs, and no call
     * comes, when there is no new data and nothing to advance. In continuous mode only epochs with rows are passed.
     *
     * @param function the function
     * @return this
     */
    public DataStreamWriter<T> foreachBatch(BatchFunction<? super T> function) {
        this.objectSink = Sinks.foreachBatch(Objects.requireNonNull(function, "function"));
        this.format = "foreachBatch";
        return this;
    }

    /**
     * Spark's {@code toTable}: not supported, Rivulet has no table catalog.
     *
     * @param tableName the table
     * @return never
     * @throws UnsupportedOperationException always
     */
    public StreamingQuery toTable(String tableName) {
        throw new UnsupportedOperationException("toTable(\"" + tableName + "\") is not supported: Rivulet has no table"
            + " catalog; use format(\"memory\").queryName(\"" + tableName + "\") and rivulet.table(\"" + tableName
            + "\"), or a file format with a path");
    }

    /**
     * @param path the {@code path} option
     * @return {@link #start()}
     */
    public StreamingQuery start(String path) {
        return option("path", Objects.requireNonNull(path, "path")).start();
    }

    /**
     * Makes the sink of the format, validates the query and starts it.
     *
     * @return the running query
     * @throws IllegalArgumentException if no format was given or none has that name (listing the known
     *     ones), the format rejects an option or the schema, or the query is invalid (the typed writer's rules)
     * @throws IllegalStateException if a source or the sink cannot be opened
     */
    public StreamingQuery start() {
        if (format == null) {
            throw new IllegalArgumentException("no format given: call format(..), foreach(..) or foreachBatch(..) before"
                + " start(); known sink formats: " + String.join(", ", ProviderRegistry.sinkFormats()));
        }
        checkLimit();
        Dataset<T> target = dataset.forOutputMode(outputMode);
        if (isObjectFormat(format)) {
            if (objectSink == null) {
                throw new IllegalArgumentException("format '" + format + "' takes its function from " + format
                    + "(..), not from format(..)");
            }
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("unknown option '" + options.keySet().iterator().next() + "' for sink '"
                    + format + "'; allowed options: checkpointLocation, minBatchesToRetain");
            }
            return started(target.stream().writeStream(objectSink));
        }
        SinkProvider provider = ProviderRegistry.sink(format);
        Dataset<Row> rows = target.toDF();
        Map<String, String> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        given.putAll(options);
        Sink<Row> sink = provider.createSink(Collections.unmodifiableMap(given), rows.schema(), outputMode, queryName);
        StreamingQuery query = started(rows.stream().writeStream(sink));
        if (sink instanceof MemorySink<?> table) {
            EngineAccess.bridge().registerTable(dataset.rivulet(), table.tableName(), table);
        }
        return query;
    }

    /** Spark's rules for a {@code limit} without {@code orderBy}, in Spark's words where Spark rejects it. */
    private void checkLimit() {
        if (!dataset.unorderedLimit() || outputMode == OutputMode.COMPLETE) {
            return;
        }
        if (outputMode == OutputMode.UPDATE) {
            throw new IllegalArgumentException("Limits are not supported on streaming DataFrames/Datasets in Update"
                + " output mode");
        }
        dataset.forOutputMode(outputMode); // append: the limit must be the last operation
    }

    private StreamingQuery started(io.rivulet.engine.DataStreamWriter<?> writer) {
        for (Consumer<io.rivulet.engine.DataStreamWriter<?>> setting : settings) {
            setting.accept(writer);
        }
        return writer.start();
    }

    private static boolean isObjectFormat(String format) {
        return format.equalsIgnoreCase("foreach") || format.equalsIgnoreCase("foreachBatch");
    }
}
