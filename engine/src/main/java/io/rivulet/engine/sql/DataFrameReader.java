package io.rivulet.engine.sql;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StaticSource;
import io.rivulet.engine.source.file.FileSource;
import io.rivulet.engine.sql.internal.formats.BadRecordException;
import io.rivulet.engine.sql.internal.formats.CsvSchemaInference;
import io.rivulet.engine.sql.internal.formats.JsonRowDecoder;
import io.rivulet.engine.sql.internal.formats.JsonSchemaInference;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StringType;
import io.rivulet.engine.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Makes static DataFrames (Spark's {@code spark.read()} / {@code spark.createDataFrame}): rows that are not a
 * stream, for the static side of a stream-static {@link Dataset#join}. Obtained from {@code rivulet.read()};
 * {@code rivulet.createDataFrame(rows, schema)} is {@code read().schema(schema).rows(rows)};
 * {@code rivulet.read().schema(s).json(path)} reads a JSON-lines file or directory,
 * {@code rivulet.read().option("header", true).csv(path)} a csv file or directory (without a schema: string columns,
 * Spark's {@code inferSchema=false}, or the types Spark infers with {@code inferSchema=true}),
 * {@code rivulet.read().text(path)} its lines as one {@code value} column; {@code format(name).load(path)} is the
 * same by name. csv and text are read by the file source's own decoders ({@link FileSource#readAll()}), with its
 * options: a static and a streaming read of one file give the same rows.
 *
 * <p>Not thread-safe: one reader per DataFrame.
 */
public final class DataFrameReader {
    private final Rivulet rivulet;
    private StructType schema;
    private String format;
    /** The options set, by name as given (the file source matches names ignoring case). */
    private final Map<String, String> options = new LinkedHashMap<>();

    /**
     * @param rivulet the engine the DataFrames belong to
     */
    public DataFrameReader(Rivulet rivulet) {
        this.rivulet = Objects.requireNonNull(rivulet, "rivulet");
    }

    /**
     * @param schema the rows' schema
     * @return this reader
     */
    public DataFrameReader schema(StructType schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    /**
     * @param ddl the rows' schema as a DDL string ({@code "adId INT, campaign STRING"})
     * @return this reader
     * @throws ParseException for a bad DDL string
     */
    public DataFrameReader schema(String ddl) {
        return schema(StructType.fromDDL(Objects.requireNonNull(ddl, "ddl")));
    }

    /**
     * Sets an option of the format (Spark's names: {@code header}, {@code sep}, {@code nullValue}, {@code mode},
     * {@code timestampFormat}, {@code pathGlobFilter}, ...). Checked when {@code csv}/{@code text}/{@code load} builds
     * the DataFrame: an option the format does not know is an error listing the known ones (Spark ignores it).
     * Options apply to csv and text; {@code json} reads with Spark's defaults and refuses options.
     *
     * @param key the option's name, any case
     * @param value its value
     * @return this reader
     */
    public DataFrameReader option(String key, String value) {
        options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this reader
     */
    public DataFrameReader option(String key, boolean value) {
        return option(key, String.valueOf(value));
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this reader
     */
    public DataFrameReader option(String key, long value) {
        return option(key, String.valueOf(value));
    }

    /**
     * @param key the option's name
     * @param value its value
     * @return this reader
     */
    public DataFrameReader option(String key, double value) {
        return option(key, String.valueOf(value));
    }

    /**
     * @param options options by name, each as {@link #option(String, String)}
     * @return this reader
     */
    public DataFrameReader options(Map<String, String> options) {
        Objects.requireNonNull(options, "options").forEach(this::option);
        return this;
    }

    /**
     * @param source the format {@link #load(String)} reads: {@code csv}, {@code json} or {@code text} (any case)
     * @return this reader
     */
    public DataFrameReader format(String source) {
        this.format = Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * Reads {@code path} in the {@link #format(String)} set: {@link #csv}, {@link #json} or {@link #text}.
     *
     * @param path a file or a directory
     * @return the static DataFrame
     * @throws IllegalArgumentException without a format, or Spark's {@code DATA_SOURCE_NOT_FOUND} for another one
     */
    public Dataset<Row> load(String path) {
        if (format == null) {
            throw new IllegalArgumentException("no format given: call format(\"csv\"|\"json\"|\"text\") before load(path)"
                + " (Rivulet has no default format; Spark's is parquet)");
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> csv(path);
            case "json" -> json(path);
            case "text" -> text(path);
            default -> throw new AnalysisException("DATA_SOURCE_NOT_FOUND", "Failed to find the data source: " + format
                + ". Known static formats: csv, json, text");
        };
    }

    /**
     * A DataFrame of a csv file, or of every file of a directory (not hidden, in path order), read by the streaming
     * csv source's decoder with Spark's conversions and options ({@code header}, {@code sep}, {@code quote},
     * {@code escape}, {@code nullValue}, {@code comment}, {@code mode}, {@code timestampFormat}, ...;
     * {@code docs/sources.md}), each time a join's table is loaded or refreshed. With {@link #schema}: its columns,
     * by position. Without: a column per token of the first line, named by it with {@code header=true}, else
     * {@code _c0}, {@code _c1}, ... (read now, as Spark reads it now); each a string (Spark's {@code inferSchema=false},
     * its default) or, with {@code inferSchema=true}, of the type Spark infers over all the rows (or a
     * {@code samplingRatio} of them: {@code int}, {@code bigint}, {@code decimal(p,0)}, {@code double}, {@code date},
     * {@code timestamp} in Spark's default format or {@code timestampFormat}, {@code boolean}, else {@code string};
     * NULL and empty values do not decide; see {@code CsvSchemaInference}), all read once more now. The mode is Spark's default PERMISSIVE: a malformed line gives its partial row (missing columns
     * NULL, extra tokens dropped, the line in {@code _corrupt_record} if the schema has it); DROPMALFORMED skips it;
     * FAILFAST fails the load naming file and line.
     *
     * @param path a file or a directory
     * @return the static DataFrame
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it; Spark's {@code PATH_NOT_FOUND}
     *     when there is no schema and nothing at {@code path}
     */
    public Dataset<Row> csv(String path) {
        Path location = Path.of(Objects.requireNonNull(path, "path"));
        StructType s = schema;
        if (s == null) {
            try {
                s = CsvSchemaInference.infer(location, options);
            } catch (NoSuchFileException e) {
                throw new AnalysisException("PATH_NOT_FOUND", "Path does not exist: " + location + ".");
            } catch (IOException e) {
                throw new UncheckedIOException("inferring the csv schema of " + location + ": " + e.getMessage(), e);
            }
        }
        FileSource<Row> csv = FileSource.csv(location, s);
        for (Map.Entry<String, String> option : options.entrySet()) {
            csv = csv.option(option.getKey(), option.getValue());
        }
        return Dataset.ofStatic(rivulet, files(csv, "CSV " + location), s);
    }

    /**
     * A DataFrame of the lines of a text file, or of every file of a directory (Spark's {@code read().text(path)}):
     * one row per line, blank lines included, in one {@code value STRING} column (or the one string column of
     * {@link #schema}), read by the streaming text source's line reader. Options: the file source's
     * ({@code pathGlobFilter}, {@code recursiveFileLookup}); {@code wholetext} and {@code lineSep} are not supported.
     *
     * @param path a file or a directory
     * @return the static DataFrame
     * @throws AnalysisException for a schema that is not one string column (Spark's message)
     * @throws IllegalArgumentException for an unknown option, listing the known ones
     */
    public Dataset<Row> text(String path) {
        Path location = Path.of(Objects.requireNonNull(path, "path"));
        StructType s = schema == null ? new StructType().add("value", DataTypes.StringType) : schema;
        if (s.size() != 1) {
            throw new AnalysisException(null, "Text data source supports only a single column, and you have " + s.size()
                + " columns.");
        }
        if (!(s.fields()[0].dataType() instanceof StringType)) {
            throw new AnalysisException(null, "Text data source does not support " + s.fields()[0].dataType().simpleString()
                + " data type.");
        }
        FileSource<String> text = FileSource.text(location);
        for (Map.Entry<String, String> option : options.entrySet()) {
            text = text.option(option.getKey(), option.getValue());
        }
        FileSource<String> lines = text;
        StructType rowSchema = s;
        return Dataset.ofStatic(rivulet, new StaticSource<>() {
            @Override
            public Collection<? extends Row> load() throws IOException {
                List<String> all = lines.readAll();
                List<Row> rows = new ArrayList<>(all.size());
                for (String line : all) {
                    rows.add(Row.of(rowSchema, line));
                }
                return rows;
            }

            @Override
            public String description() {
                return "text " + location;
            }
        }, rowSchema);
    }

    private static StaticSource<Row> files(FileSource<Row> source, String description) {
        return new StaticSource<>() {
            @Override
            public Collection<? extends Row> load() throws IOException {
                return source.readAll();
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /**
     * A DataFrame of fixed rows.
     *
     * @param rows the rows, each of the schema (checked now)
     * @return the static DataFrame
     * @throws IllegalStateException without a schema
     * @throws IllegalArgumentException naming the row and field whose value does not fit the schema
     */
    public Dataset<Row> rows(List<Row> rows) {
        StructType s = requireSchema();
        Objects.requireNonNull(rows, "rows");
        List<Row> checked = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = Objects.requireNonNull(rows.get(i), "rows[" + i + "]");
            Object[] values = new Object[row.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = row.get(j);
            }
            try {
                checked.add(Row.of(s, values));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("rows[" + i + "] does not fit the schema " + s.simpleString() + ": "
                    + e.getMessage(), e);
            }
        }
        return Dataset.ofStatic(rivulet, StaticSource.of(checked), s);
    }

    /**
     * A DataFrame of the rows a static source loads: read when a join with a stream is built, and again whenever
     * that join's table is refreshed.
     *
     * @param rows the source; each row it loads must be of the schema
     * @return the static DataFrame
     * @throws IllegalStateException without a schema
     */
    public Dataset<Row> source(StaticSource<Row> rows) {
        return Dataset.ofStatic(rivulet, Objects.requireNonNull(rows, "rows"), requireSchema());
    }

    /**
     * A DataFrame of a JSON-lines file, or of every file of a directory (not hidden, by name), read with the schema
     * by Spark's json conversions (as the streaming {@code json} format) each time a join's table is loaded or
     * refreshed. Without {@link #schema}: the schema Spark infers from every line, read now (Spark infers a static
     * json read's schema always; see {@code JsonSchemaInference}: whole numbers {@code bigint}, fractions
     * {@code double}, strings {@code string}, objects structs of their fields sorted by name, ...). Unlike Spark's
     * default (PERMISSIVE), a malformed line fails the load (and the inference), naming the file and line (FAILFAST):
     * a static table is not half loaded. Blank lines hold no row; a line that is an array holds a row per element.
     *
     * @param path a file or a directory
     * @return the static DataFrame
     * @throws IllegalArgumentException when options are set (they apply to csv and text only); without a schema,
     *     Spark's {@code PATH_NOT_FOUND} when nothing is at {@code path}, {@code UNABLE_TO_INFER_SCHEMA} for a directory
     *     without files
     * @throws UncheckedIOException without a schema, if a file cannot be read or a line is malformed
     */
    public Dataset<Row> json(String path) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("options " + options.keySet() + " are not applied to json by rivulet.read()"
                + " (it reads with Spark's json defaults, FAILFAST): read without options");
        }
        Path location = Path.of(Objects.requireNonNull(path, "path"));
        StructType s = schema != null ? schema : inferredJson(location);
        JsonRowDecoder decoder = JsonRowDecoder.create(s, Map.of());
        return Dataset.ofStatic(rivulet, new StaticSource<>() {
            @Override
            public Collection<? extends Row> load() throws IOException {
                List<Row> rows = new ArrayList<>();
                JsonRowDecoder reader = decoder.newReader();
                for (Path file : files(location)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
                        try {
                            for (Row row = reader.decode(line, 0, line.length); row != null; row = reader.nextRowOfLine()) {
                                rows.add(row);
                            }
                        } catch (BadRecordException e) {
                            throw new IOException(file + " line " + (i + 1) + ": malformed JSON for the schema "
                                + s.simpleString() + ": " + e.getMessage(), e);
                        }
                    }
                }
                return rows;
            }

            @Override
            public String description() {
                return "JSON lines " + location;
            }
        }, s);
    }

    /** Spark's json schema inference over the files at {@code location} now (Spark infers a static json read's). */
    private static StructType inferredJson(Path location) {
        if (!Files.exists(location)) {
            throw new AnalysisException("PATH_NOT_FOUND", "Path does not exist: " + location + ".");
        }
        try {
            List<Path> all = files(location);
            if (all.isEmpty()) {
                throw new AnalysisException("UNABLE_TO_INFER_SCHEMA", "Unable to infer schema for JSON. It must be"
                    + " specified manually.");
            }
            return JsonSchemaInference.infer(all, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("inferring the json schema of " + location + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return List.of(location);
        }
        try (Stream<Path> listing = Files.list(location)) {
            return listing.filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
                .sorted().toList();
        }
    }

    private StructType requireSchema() {
        if (schema == null) {
            throw new IllegalStateException("a static DataFrame needs a schema: call schema(..) first");
        }
        return schema;
    }
}
