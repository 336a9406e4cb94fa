package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.file.FileSource;
import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.sql.internal.formats.JsonSchemaInference;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code format("json")}. As a sink: {@link FileSinks#json}, rows as Spark's json writer writes them. As a
 * source: Spark's json file source with a schema given or inferred ({@link #createSource}; {@code FileSource.json(dir,
 * schema)}: Spark's conversions, parse modes and corrupt-record column, docs/sources.md). Stateless.
 */
public final class JsonProvider implements SourceProvider, SinkProvider {
    @Override
    public String shortName() {
        return "json";
    }

    @Override
    public Set<String> optionNames() {
        Set<String> names = new LinkedHashSet<>(List.of("path", Formats.SCHEMA_INFERENCE_OPTION));
        names.addAll(FileSource.json(Path.of("."), new StructType().add("value", DataTypes.StringType)).optionNames());
        return names;
    }

    /**
     * The json file source. Without a schema, with schema inference on ({@code option("schemaInference", true)} or
     * {@code -Drivulet.sql.streaming.schemaInference=true}, Spark's {@code spark.sql.streaming.schemaInference}), the
     * schema Spark infers from the files present now ({@link JsonSchemaInference}; the directory's visible files, not
     * its subdirectories'; a malformed line fails, naming file and line, where Spark's PERMISSIVE default would add a
     * corrupt-record column).
     *
     * @throws IllegalArgumentException without a schema and without inference (Spark's message, naming the settings);
     *     {@link AnalysisException} Spark's {@code UNABLE_TO_INFER_SCHEMA} when inferring and there is no file
     * @throws UncheckedIOException when inferring, if a file cannot be read or a line is malformed
     */
    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        Path directory = Formats.path(options);
        Map<String, String> fileOptions = Formats.fileOptions(options);
        StructType schema = Formats.schemaOrInferred(userSchema, options, () -> inferred(directory, fileOptions));
        return rows(directory, schema, fileOptions);
    }

    private static StructType inferred(Path directory, Map<String, String> options) {
        List<Path> files = List.of();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> listing = Files.list(directory)) {
                files = listing.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
                    .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("listing " + directory + ": " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            throw new AnalysisException("UNABLE_TO_INFER_SCHEMA", "Unable to infer schema for JSON. It must be specified"
                + " manually.");
        }
        try {
            return JsonSchemaInference.infer(files, options);
        } catch (IOException e) {
            throw new UncheckedIOException("inferring the json schema of " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file source of rows of {@code schema} ({@code FileSource.json}): each option is applied through the file
     * source, which checks it (an unknown one fails listing {@link #optionNames()}).
     */
    private static ConnectorSource<?> rows(Path directory, StructType schema, Map<String, String> options) {
        FileSource<Row> source = FileSource.json(directory, schema);
        for (Map.Entry<String, String> option : options.entrySet()) {
            source = source.option(option.getKey(), option.getValue());
        }
        return ConnectorSource.ofRows(source, schema);
    }

    @Override
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        return FileSinks.json(options);
    }
}
