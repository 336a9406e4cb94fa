package io.rivulet.engine.sql;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.sql.internal.FillOperator;
import io.rivulet.engine.sql.internal.RowReuse;
import io.rivulet.engine.sql.internal.connector.ProviderRegistry;
import io.rivulet.engine.types.StructType;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reads a source by format into a {@link Dataset}: Spark's {@code DataStreamReader}, from
 * {@code rivulet.readStream()}.
 *
 * <pre>{@code
 * Dataset<Row> lines = rivulet.readStream().format("socket").option("host", "localhost").option("port", 9999).load();
 * Dataset<Row> events = rivulet.readStream().schema("id INT, ts TIMESTAMP").json("in/");   // once the json decoder lands
 * }</pre>
 *
 * <p>The formats are looked up through the provider registry ({@link SourceProvider}, by
 * {@link java.util.ServiceLoader}); built in: {@code rate}, {@code socket}, {@code text}, {@code json},
 * {@code csv}, {@code journal} (see {@code docs/structured-api.md} for their options and rows), and
 * {@link #memoryStream} for Spark's test {@code MemoryStream}. Option names are case-insensitive. Unlike
 * Spark, an option the format does not know is an error (listing the known ones), raised by {@link #load()}.
 *
 * <p>Not thread-safe; a builder used by one thread. Settings accumulate; {@code load()} may be called more
 * than once, each time making a new source.
 */
public final class DataStreamReader {
    private final Rivulet rivulet;
    private final Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private String format;
    private StructType schema;

    /**
     * @param rivulet the engine the Datasets run on (use {@code rivulet.readStream()})
     */
    public DataStreamReader(Rivulet rivulet) {
        this.rivulet = Objects.requireNonNull(rivulet, "rivulet");
    }

    /**
     * @param source the format's name, any case: a built-in one or a connector's
     * @return this
     */
    public DataStreamReader format(String source) {
        Objects.requireNonNull(source, "format");
        if (source.isBlank()) {
            throw new IllegalArgumentException("format must not be blank");
        }
        this.format = source.trim();
        return this;
    }

    /**
     * @param key the option's name, any case (a later value for the same name replaces the earlier)
     * @param value its value, as Spark takes it
     * @return this
     */
    public DataStreamReader option(String key, String value) {
        Objects.requireNonNull(key, "key");
        options.put(key, Objects.requireNonNull(value, "value of option " + key));
        return this;
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this
     */
    public DataStreamReader option(String key, long value) {
        return option(key, Long.toString(value));
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this
     */
    public DataStreamReader option(String key, double value) {
        return option(key, Double.toString(value));
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this
     */
    public DataStreamReader option(String key, boolean value) {
        return option(key, Boolean.toString(value));
    }

    /**
     * @param options options to add, as {@link #option(String, String)}
     * @return this
     */
    public DataStreamReader options(Map<String, String> options) {
        Objects.requireNonNull(options, "options").forEach(this::option);
        return this;
    }

    /**
     * @param schema the rows' schema, which file formats require
     * @return this
     */
    public DataStreamReader schema(StructType schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    /**
     * @param ddl the rows' schema as a DDL string, e.g. {@code "id INT, ts TIMESTAMP"}
     * @return this
     * @throws ParseException if the DDL does not parse
     */
    public DataStreamReader schema(String ddl) {
        return schema(StructType.fromDDL(Objects.requireNonNull(ddl, "schema")));
    }

    /**
     * Makes the source of the format with the options and schema given.
     *
     * @return the DataFrame of the source's rows
     * @throws IllegalArgumentException if no format was given, or none has that name (listing the known
     *     ones), or the format rejects an option (unknown, missing, bad) or the schema (Spark's messages)
     * @throws UnsupportedOperationException for a format that is not built yet
     */
    public Dataset<Row> load() {
        if (format == null) {
            throw new IllegalArgumentException("no format given: call format(..) before load(); known source formats: "
                + String.join(", ", ProviderRegistry.sourceFormats()));
        }
        SourceProvider provider = ProviderRegistry.source(format);
        Map<String, String> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        given.putAll(options);
        ConnectorSource<?> source = provider.createSource(Collections.unmodifiableMap(given), schema);
        return dataset(source);
    }

    /**
     * A source a program makes itself as a DataFrame, without a registered format: the
     * {@link ConnectorSource} a {@link SourceProvider} would return (Spark's custom source given by class). Its
     * records become rows in the source's task, one call of {@link ConnectorSource#toRow()} per record.
     *
     * @param source the source, its row schema and how its records become rows
     * @param <T> the source's record type
     * @return the DataFrame of the source's rows
     */
    public <T> Dataset<Row> source(ConnectorSource<T> source) {
        return dataset(Objects.requireNonNull(source, "source"));
    }

    private <T> Dataset<Row> dataset(ConnectorSource<T> source) {
        Stream<T> records = rivulet.readStream(source.source());
        if (source.fill() != null) {
            RowReuse reuse = new RowReuse();
            StructType schema = source.schema();
            BiConsumer<? super T, ? super MutableRow> fill = source.fill();
            Stream<Row> rows = records.transform("toRow", () -> new FillOperator<T>(schema, fill, reuse.allowed()));
            return new Dataset<>(rivulet, rows, Encoders.row(schema), reuse);
        }
        Function<? super T, ? extends Row> toRow = source.toRow();
        @SuppressWarnings("unchecked")
        Stream<Row> rows = toRow == null ? (Stream<Row>) records : records.map(toRow);
        return new Dataset<>(rivulet, rows, Encoders.row(source.schema()));
    }

    /**
     * @param path the {@code path} option
     * @return {@link #load()}
     */
    public Dataset<Row> load(String path) {
        return option("path", Objects.requireNonNull(path, "path")).load();
    }

    /**
     * @param path the directory to watch
     * @return {@code format("text").load(path)}: one row {@code value STRING} per line
     */
    public Dataset<Row> text(String path) {
        return format("text").load(path);
    }

    /**
     * @param path the directory to watch
     * @return {@code format("json").load(path)}; needs {@link #schema}
     */
    public Dataset<Row> json(String path) {
        return format("json").load(path);
    }

    /**
     * @param path the directory to watch
     * @return {@code format("csv").load(path)}; needs {@link #schema}
     */
    public Dataset<Row> csv(String path) {
        return format("csv").load(path);
    }

    /**
     * @param path the directory to watch
     * @return the lines of the text source as strings (Spark's {@code textFile})
     */
    public Dataset<String> textFile(String path) {
        return text(path).map(row -> row.isNullAt(0) ? "" : row.getString(0), Encoders.STRING());
    }

    /**
     * A {@link MemoryStream} as a Dataset (Spark's test {@code MemoryStream[T].toDS()}; {@code .toDF()} on
     * the result for rows). Records added to the stream with {@code addData} become elements.
     *
     * @param stream the memory stream
     * @param encoder the encoder of its records ({@code Encoders.row(schema)} for a stream of rows)
     * @param <T> record type
     * @return the Dataset
     */
    public <T> Dataset<T> memoryStream(MemoryStream<T> stream, Encoder<T> encoder) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(encoder, "encoder");
        return new Dataset<>(rivulet, rivulet.readStream(stream), encoder);
    }
}
