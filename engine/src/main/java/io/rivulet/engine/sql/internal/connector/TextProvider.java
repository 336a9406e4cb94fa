package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.file.FileSource;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StringType;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.util.Map;
import java.util.Set;

/**
 * {@code format("text")}: as a source, Spark's text file source (each line of each new file is a row
 * {@code value STRING}; a user schema, if given, must be one string column, whose name is used); the file
 * source's options ({@code FileSource}); {@code wholetext} is not supported. As a sink, {@link FileSinks#text}.
 * Stateless.
 */
public final class TextProvider implements SourceProvider, SinkProvider {
    /** Spark's schema of the text source. */
    public static final StructType SCHEMA = new StructType().add("value", DataTypes.StringType);

    @Override
    public String shortName() {
        return "text";
    }

    @Override
    public Set<String> optionNames() {
        return Formats.FILE_SOURCE_OPTIONS;
    }

    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        for (String name : options.keySet()) {
            if (name.equalsIgnoreCase("wholetext")) {
                throw new IllegalArgumentException("option 'wholetext' of source 'text' is not supported: Rivulet's"
                    + " text source reads files line by line (one row per line)");
            }
        }
        StructType schema = SCHEMA;
        if (userSchema != null) {
            if (userSchema.size() != 1 || !(userSchema.fields()[0].dataType() instanceof StringType)) {
                throw new IllegalArgumentException("Text data source supports only a single column of type string, got "
                    + userSchema.simpleString());
            }
            schema = userSchema;
        }
        ProviderOptions checked = ProviderOptions.check("source 'text'", options, Formats.FILE_SOURCE_OPTIONS);
        FileSource<String> source = FileSource.text(Formats.path(checked));
        for (Map.Entry<String, String> option : checked.all().entrySet()) {
            if (!option.getKey().equalsIgnoreCase("path")) {
                source = source.option(option.getKey(), option.getValue());
            }
        }
        StructType rows = schema;
        return ConnectorSource.of(source, rows, line -> {
            MutableRow row = MutableRow.create(rows);
            row.setString(0, line);
            return row;
        });
    }

    @Override
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        return FileSinks.text(options, schema);
    }
}
