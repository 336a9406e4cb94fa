package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.sql.connector.SourceProvider;

import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Finds the provider of a format by its short name (any case) through {@link ServiceLoader}, with the
 * class loader of the calling thread's context (else the engine's), so a connector on the class path
 * plugs in without the engine knowing it. Looked up at each {@code load()}/{@code start()}: build time,
 * never on a hot path. Stateless and thread-safe.
 */
public final class ProviderRegistry {
    private ProviderRegistry() {
    }

    /**
     * @param format the format's name
     * @return its source provider
     * @throws IllegalArgumentException listing the known source formats if none has that name, or naming
     *     both classes if two do
     */
    public static SourceProvider source(String format) {
        return find(SourceProvider.class, SourceProvider::shortName, format, "source");
    }

    /**
     * @param format the format's name
     * @return its sink provider
     * @throws IllegalArgumentException listing the known sink formats if none has that name, or naming
     *     both classes if two do
     */
    public static SinkProvider sink(String format) {
        return find(SinkProvider.class, SinkProvider::shortName, format, "sink");
    }

    /**
     * @return the short names of every source provider on the class path, sorted
     */
    public static Set<String> sourceFormats() {
        return all(SourceProvider.class, SourceProvider::shortName).keySet();
    }

    /**
     * @return the short names of every sink provider on the class path, sorted
     */
    public static Set<String> sinkFormats() {
        return all(SinkProvider.class, SinkProvider::shortName).keySet();
    }

    private static <P> P find(Class<P> type, Function<P, String> name, String format, String role) {
        Map<String, P> providers = all(type, name);
        P provider = providers.get(format.trim().toLowerCase(Locale.ROOT));
        if (provider == null) {
            throw new IllegalArgumentException("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: " + format
                + ". Known " + role + " formats: " + String.join(", ", providers.keySet())
                + " (a connector registers more in META-INF/services/" + type.getName() + ")");
        }
        return provider;
    }

    private static <P> Map<String, P> all(Class<P> type, Function<P, String> name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Map<String, P> providers = new TreeMap<>();
        try {
            for (P provider : ServiceLoader.load(type, loader != null ? loader : ProviderRegistry.class.getClassLoader())) {
                String key = name.apply(provider).toLowerCase(Locale.ROOT);
                P previous = providers.putIfAbsent(key, provider);
                if (previous != null && previous.getClass() != provider.getClass()) {
                    throw new IllegalStateException("two " + type.getSimpleName() + "s are registered for format '" + key
                        + "': " + previous.getClass().getName() + " and " + provider.getClass().getName()
                        + "; remove one from the class path");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a " + type.getSimpleName() + " listed in META-INF/services cannot be loaded: "
                + e.getMessage(), e);
        }
        return providers;
    }
}
