/**
 * Internal, not public API: the provider registry ({@link io.rivulet.engine.sql.internal.connector.ProviderRegistry},
 * a {@link java.util.ServiceLoader} lookup by short name) and the built-in formats it finds through
 * {@code META-INF/services}: sources {@code rate}, {@code socket}, {@code text}, {@code json}, {@code csv},
 * {@code journal}; sinks {@code console}, {@code memory}, {@code json}, {@code csv}, {@code text},
 * {@code journal}. Each provider validates its options ({@link io.rivulet.engine.sql.internal.connector.ProviderOptions})
 * and maps them onto the typed sources and sinks of {@code io.rivulet.engine.source} and {@code .sink}.
 * <pre>
 *   DataStreamReader.load() ──► ProviderRegistry.source(format) ──► e.g. RateProvider ──► RateSource + to-row
 *   DataStreamWriter.start() ─► ProviderRegistry.sink(format) ───► e.g. ConsoleProvider ─► ConsoleSink&lt;Row&gt;
 * </pre>
 */
package io.rivulet.engine.sql.internal.connector;
