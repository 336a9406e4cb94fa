package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.FileSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StringType;
import io.rivulet.engine.types.StructType;

import java.util.Map;
import java.util.Set;

/**
 * The file sinks of {@code format("json"|"csv"|"text")}: Rivulet's exactly-once {@link FileSink} (needs a
 * checkpoint location and append mode, as Spark's), one file per epoch and writer, rows written as Spark's
 * writers write them. Option {@code path} (required). Stateless.
 */
final class FileSinks {
    static final Set<String> OPTIONS = Formats.names(Set.of("path"));

    private FileSinks() {
    }

    static Sink<Row> json(Map<String, String> options) {
        ProviderOptions checked = ProviderOptions.check("sink 'json'", options, OPTIONS);
        return Sinks.<Row>files(Formats.path(checked)).json();
    }

    static Sink<Row> csv(Map<String, String> options) {
        ProviderOptions checked = ProviderOptions.check("sink 'csv'", options, OPTIONS);
        return Sinks.<Row>files(Formats.path(checked)).csv();
    }

    /**
     * @throws IllegalArgumentException Spark's errors unless the rows are one string column
     */
    static Sink<Row> text(Map<String, String> options, StructType schema) {
        ProviderOptions checked = ProviderOptions.check("sink 'text'", options, OPTIONS);
        if (schema.size() != 1) {
            throw new IllegalArgumentException("Text data source supports only a single column, and you have "
                + schema.size() + " columns.");
        }
        if (!(schema.fields()[0].dataType() instanceof StringType)) {
            throw new IllegalArgumentException("Text data source does not support " + schema.fields()[0].dataType().simpleString()
                + " data type.");
        }
        // Spark's text writer writes an empty line for a null value.
        return Sinks.<Row>files(Formats.path(checked)).format("txt", row -> row.isNullAt(0) ? "" : row.getString(0));
    }
}
