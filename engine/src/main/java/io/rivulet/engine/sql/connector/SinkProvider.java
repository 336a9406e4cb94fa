package io.rivulet.engine.sql.connector;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;

import java.util.Map;
import java.util.Set;

/**
 * Makes the sink of one {@code writeStream()} format: Spark's {@code StreamSinkProvider} with
 * {@code DataSourceRegister.shortName}. Found through {@link java.util.ServiceLoader}: implement it in
 * a public class with a public no-argument constructor and list that class in
 * {@code META-INF/services/io.rivulet.engine.sql.connector.SinkProvider}.
 *
 * <p>Implementations are stateless and thread-safe; the registry calls one from the thread that calls
 * {@code start()}. The sink gets rows of {@code schema}; a row may be reused by the runtime after
 * {@code write} returns, so a sink that keeps rows copies them ({@link Row#copy()}).
 */
public interface SinkProvider {
    /**
     * @return the format's name as users write it in {@code format(..)}; matched without regard to
     *     case; unique among the providers on the class path
     */
    String shortName();

    /**
     * @return the options this format takes, as documented (the writer's own options,
     *     {@code checkpointLocation} and {@code minBatchesToRetain}, never reach the provider)
     */
    Set<String> optionNames();

    /**
     * Validates the options and makes the sink. Called once per {@code start()}.
     *
     * @param options the writer's sink options, keys case-insensitive; {@code path} holds
     *     {@code start(path)}'s argument; read-only
     * @param schema the schema of the rows written
     * @param outputMode the query's output mode
     * @param queryName the query's name, or {@code null} if none was given
     * @return the sink
     * @throws IllegalArgumentException naming the option and the rule for an unknown option (listing
     *     {@link #optionNames()}), a missing required one, a bad value or a schema the format cannot write
     */
    Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName);
}
