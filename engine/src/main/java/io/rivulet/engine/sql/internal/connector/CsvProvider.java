package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.file.FileSource;
import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.sql.internal.formats.CsvSchemaInference;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code format("csv")}. As a sink: {@link FileSinks#csv}, rows as Spark's csv writer writes them. As a
 * source: Spark's csv file source with a schema given or inferred ({@link #createSource}; {@code FileSource.csv(dir,
 * schema)}: Spark's conversions, parse modes and corrupt-record column, docs/sources.md). Stateless.
 */
public final class CsvProvider implements SourceProvider, SinkProvider {
    @Override
    public String shortName() {
        return "csv";
    }

    @Override
    public Set<String> optionNames() {
        Set<String> names = new LinkedHashSet<>(List.of("path", Formats.SCHEMA_INFERENCE_OPTION));
        names.addAll(FileSource.csv(Path.of("."), new StructType().add("value", DataTypes.StringType)).optionNames());
        return names;
    }

    /**
     * The csv file source. Without a schema, with schema inference on ({@code option("schemaInference", true)} or
     * {@code -Drivulet.sql.streaming.schemaInference=true}, Spark's {@code spark.sql.streaming.schemaInference}), the
     * schema of the files present now, as a static read makes it ({@link CsvSchemaInference#infer}: string columns,
     * or the inferred types with {@code inferSchema=true}).
     *
     * @throws IllegalArgumentException without a schema and without inference (Spark's message, naming the settings);
     *     {@link AnalysisException} Spark's {@code UNABLE_TO_INFER_SCHEMA} when inferring and no file has a line
     */
    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        Path directory = Formats.path(options);
        Map<String, String> fileOptions = Formats.fileOptions(options);
        StructType schema = Formats.schemaOrInferred(userSchema, options, () -> inferred(directory, fileOptions));
        return rows(directory, schema, fileOptions);
    }

    private static StructType inferred(Path directory, Map<String, String> options) {
        StructType schema;
        try {
            schema = CsvSchemaInference.infer(directory, options);
        } catch (NoSuchFileException e) {
            schema = new StructType();
        } catch (IOException e) {
            throw new UncheckedIOException("inferring the csv schema of " + directory + ": " + e.getMessage(), e);
        }
        if (schema.size() == 0) {
            throw new AnalysisException("UNABLE_TO_INFER_SCHEMA", "Unable to infer schema for CSV. It must be specified"
                + " manually.");
        }
        return schema;
    }

    /**
     * The file source of rows of {@code schema} ({@code FileSource.csv}): each option is applied through the file
     * source, which checks it (an unknown one fails listing {@link #optionNames()}).
     */
    private static ConnectorSource<?> rows(Path directory, StructType schema, Map<String, String> options) {
        FileSource<Row> source = FileSource.csv(directory, schema);
        for (Map.Entry<String, String> option : options.entrySet()) {
            source = source.option(option.getKey(), option.getValue());
        }
        return ConnectorSource.ofRows(source, schema);
    }

    @Override
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        return FileSinks.csv(options);
    }
}
