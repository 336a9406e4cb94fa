/**
 * Rivulet's public API: Spark Structured Streaming's shape, run record at a time.
 *
 * <p>{@link io.rivulet.engine.Rivulet} reads a source ({@code io.rivulet.engine.source}) into a
 * {@link io.rivulet.engine.Stream}; stateless operators, {@link io.rivulet.engine.Stream#keyBy} into a
 * {@link io.rivulet.engine.KeyedStream} (or {@link io.rivulet.engine.Stream#keyByLong} into a
 * {@link io.rivulet.engine.LongKeyedStream}, primitive keys and state) and windows
 * ({@link io.rivulet.engine.WindowedStream}) describe
 * the query; {@link io.rivulet.engine.DataStreamWriter} names a sink ({@code io.rivulet.engine.sink}),
 * the settings and the {@link io.rivulet.engine.Trigger}, and starts a
 * {@link io.rivulet.engine.StreamingQuery}, observed through the
 * {@link io.rivulet.engine.StreamingQueryManager} and its {@link io.rivulet.engine.StreamingQueryListener}s
 * ({@link io.rivulet.engine.QueryProgress} per epoch).
 *
 * <pre>
 *  Rivulet ─readStream─► Stream ─keyBy─► KeyedStream ─window─► WindowedStream
 *                          └──keyByLong─► LongKeyedStream ─count/sum/aggregateLong─► Stream
 *                          └────────────writeStream(sink)───────────► DataStreamWriter ─start─► StreamingQuery
 * </pre>
 *
 * <p>The API, the sources and the sinks are the only packages users name: the runtime
 * ({@code io.rivulet.engine.runtime}) and the shared internals ({@code io.rivulet.engine.internal})
 * appear in no public signature here.
 */
package io.rivulet.engine;
