/**
 * The provider SPI behind {@code readStream().format(name)} and {@code writeStream().format(name)}:
 * Spark's {@code DataSourceRegister} with {@code StreamSourceProvider}/{@code StreamSinkProvider}.
 * <pre>
 *   rivulet.readStream().format("rate").option(..).load()
 *        │  ServiceLoader&lt;SourceProvider&gt;, by shortName()
 *        ▼
 *   SourceProvider.createSource(options, userSchema) ──► ConnectorSource (Source + schema + to-row)
 *
 *   dataset.writeStream().format("console").option(..).start()
 *        │  ServiceLoader&lt;SinkProvider&gt;, by shortName()
 *        ▼
 *   SinkProvider.createSink(options, schema, outputMode, queryName) ──► Sink&lt;Row&gt;
 * </pre>
 * A connector module (Kafka, ...) implements one or both interfaces in a public class with a public
 * no-argument constructor and lists it in {@code META-INF/services/io.rivulet.engine.sql.connector.SourceProvider}
 * (or {@code .SinkProvider}); the engine finds it on the class path without knowing it. The built-in
 * formats are registered the same way.
 */
package io.rivulet.engine.sql.connector;
