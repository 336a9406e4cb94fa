package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.util.Map;
import java.util.Set;

/**
 * {@code format("memory")}: Spark's memory sink ({@link MemorySink}), a table named after the query
 * ({@code queryName} is required, as in Spark); the writer makes it readable as {@code rivulet.table(name)}.
 * No options. Stateless.
 */
public final class MemoryProvider implements SinkProvider {
    @Override
    public String shortName() {
        return "memory";
    }

    @Override
    public Set<String> optionNames() {
        return Set.of();
    }

    @Override
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        ProviderOptions.check("sink 'memory'", options, Set.of());
        if (queryName == null) {
            throw new IllegalArgumentException("queryName must be specified for memory sink");
        }
        return Sinks.memory(queryName);
    }
}
