/**
 * The structured API's rows and encoders: Spark's {@code Row}, {@code RowFactory}, {@code Encoder} and
 * {@code Encoders} for Java.
 * <pre>
 *   record/bean --Encoder.toRow--&gt; MutableRow (hot path: primitives unboxed, reused) --Encoder.fromRow--&gt; record/bean
 *                                     |  implements
 *                                    Row  (schema(), getInt(i), getString(i), getAs("name"), ...)
 * </pre>
 * Schemas and data types are in {@code io.rivulet.engine.types}; the memory layout of a row is in
 * {@code io.rivulet.engine.sql.internal}; the generated SQL parser is in {@code io.rivulet.engine.sql.parser}
 * (both internal). Errors in SQL text are {@link io.rivulet.engine.sql.ParseException}s.
 */
package io.rivulet.engine.sql;
