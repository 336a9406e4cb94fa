/**
 * The structured API's rows, encoders and columns: Spark's {@code Row}, {@code RowFactory}, {@code Encoder},
 * {@code Encoders}, {@code Column} and {@code functions} for Java. A {@link io.rivulet.engine.sql.Column} is an
 * unresolved expression (internal {@code io.rivulet.engine.sql.expressions}), resolved against a schema when a
 * query is built ({@link io.rivulet.engine.sql.AnalysisException} on an unknown column or a type mismatch).
 * <pre>
 *   record/bean --Encoder.toRow--&gt; MutableRow (hot path: primitives unboxed, reused) --Encoder.fromRow--&gt; record/bean
 *                                     |  implements
 *                                    Row  (schema(), getInt(i), getString(i), getAs("name"), ...)
 * </pre>
 * Schemas and data types are in {@code io.rivulet.engine.types}; the memory layout of a row is in
 * {@code io.rivulet.engine.sql.internal}; the generated SQL parser is in {@code io.rivulet.engine.sql.parser}
 * (both internal). Errors in SQL text are {@link io.rivulet.engine.sql.ParseException}s.
 *
 * <p>{@link io.rivulet.engine.sql.Dataset#join} is planned by the package-private {@code DatasetJoins} onto the typed
 * joins (stream-stream on {@code KeyedStream}/{@code LongKeyedStream.join}, stream-static on
 * {@code Stream.join(StaticTableHandle, ..)}); the static side is a static DataFrame made by
 * {@link io.rivulet.engine.sql.DataFrameReader} ({@code rivulet.read()}, {@code rivulet.createDataFrame}).
 */
package io.rivulet.engine.sql;
