package io.rivulet.engine.sql.connector;

import io.rivulet.engine.types.StructType;

import java.util.Map;
import java.util.Set;

/**
 * Makes the source of one {@code readStream()} format: Spark's {@code StreamSourceProvider} with
 * {@code DataSourceRegister.shortName}. Found through {@link java.util.ServiceLoader}: implement it in
 * a public class with a public no-argument constructor and list that class in
 * {@code META-INF/services/io.rivulet.engine.sql.connector.SourceProvider}.
 *
 * <p>Implementations are stateless and thread-safe; the registry makes one instance per engine class
 * loader and calls it from the thread that calls {@code load()}.
 */
public interface SourceProvider {
    /**
     * @return the format's name as users write it in {@code format(..)}, e.g. {@code "kafka"}; matched
     *     without regard to case; unique among the providers on the class path
     */
    String shortName();

    /**
     * @return the options this format takes, as documented (for error messages and docs)
     */
    Set<String> optionNames();

    /**
     * Validates the options and makes the source. Called once per {@code load()}; nothing is opened
     * until a query starts.
     *
     * @param options the reader's options, keys case-insensitive, values as given (numbers and
     *     booleans as their {@code toString}); {@code path} holds {@code load(path)}'s argument; read-only
     * @param userSchema the schema given with {@code schema(..)}, or {@code null}
     * @return the source, its row schema and how its records become rows
     * @throws IllegalArgumentException naming the option and the rule for an unknown option (listing
     *     {@link #optionNames()}), a missing required one, a bad value or a schema the format cannot take
     */
    ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema);
}
