package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.ConsoleSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.util.Map;
import java.util.Set;

/**
 * {@code format("console")}: Spark's console sink ({@link ConsoleSink}), each batch printed as Spark's
 * {@code show} prints a DataFrame, under the schema's column names; options {@code numRows} (20) and
 * {@code truncate} (true). Stateless.
 */
public final class ConsoleProvider implements SinkProvider {
    private static final Set<String> OPTIONS = Formats.names(Set.of("numRows", "truncate"));

    @Override
    public String shortName() {
        return "console";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        ProviderOptions checked = ProviderOptions.check("sink 'console'", options, OPTIONS);
        ConsoleSink<Row> sink = Sinks.<Row>console().schema(schema);
        for (Map.Entry<String, String> option : checked.all().entrySet()) {
            sink = sink.option(option.getKey(), option.getValue());
        }
        return sink;
    }
}
