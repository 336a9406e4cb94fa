package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.file.FileSource;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code format("json")}. As a sink: {@link FileSinks#json}, rows as Spark's json writer writes them. As a
 * source: Spark's json file source with a required schema ({@code FileSource.json(dir, schema)}: Spark's
 * conversions, parse modes and corrupt-record column, docs/sources.md). Stateless.
 */
public final class JsonProvider implements SourceProvider, SinkProvider {
    @Override
    public String shortName() {
        return "json";
    }

    @Override
    public Set<String> optionNames() {
        Set<String> names = new LinkedHashSet<>(List.of("path"));
        names.addAll(FileSource.json(Path.of("."), new StructType().add("value", DataTypes.StringType)).optionNames());
        return names;
    }

    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        Path directory = Formats.path(options);
        StructType schema = Formats.requireSchema(userSchema);
        return rows(directory, schema, options);
    }

    /**
     * The file source of rows of {@code schema} ({@code FileSource.json}): each option but {@code path} is
     * applied through the file source, which checks it (an unknown one fails listing {@link #optionNames()}).
     */
    private static ConnectorSource<?> rows(Path directory, StructType schema, Map<String, String> options) {
        FileSource<Row> source = FileSource.json(directory, schema);
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (!option.getKey().equalsIgnoreCase("path")) {
                source = source.option(option.getKey(), option.getValue());
            }
        }
        return ConnectorSource.ofRows(source, schema);
    }

    @Override
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        return FileSinks.json(options);
    }
}
