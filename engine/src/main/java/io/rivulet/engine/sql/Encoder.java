package io.rivulet.engine.sql;

import io.rivulet.engine.types.StructType;

/**
 * Converts between a Java type and rows of a schema: Spark's {@code Encoder}, made by {@link Encoders}
 * ({@code Encoders.record(Trade.class)}, {@code Encoders.bean(Quote.class)}, {@code Encoders.STRING()}).
 * <p>
 * An encoder is built once (it inspects the class then) and is immutable and thread-safe afterwards; the rows
 * passed to it are owned by the calling thread.
 *
 * @param <T> the Java type.
 */
public interface Encoder<T> {
    /**
     * @return the schema of the rows: a record's components in order, a bean's properties by name, or one
     *         field {@code value} for a single value.
     */
    StructType schema();

    /**
     * @return the Java class encoded (Spark's {@code clsTag}).
     */
    Class<T> clazz();

    /**
     * Writes a value into a row of {@link #schema()}, every field set (null where the value has null). Fixed-width
     * fields are set without boxing; the only allocations are for nested structs and collections.
     *
     * @param value the value; not null.
     * @param into  the row to fill; its schema must be {@link #schema()}.
     * @throws NullPointerException if {@code value} is null.
     */
    void toRow(T value, MutableRow into);

    /**
     * Reads a value from a row of {@link #schema()}.
     *
     * @param row the row.
     * @return a new value.
     * @throws NullPointerException if a field read into a primitive (e.g. an {@code int} component) is null,
     *                              naming the field.
     */
    T fromRow(Row row);

    /**
     * Writes a value into a new row (allocates; the hot path uses {@link #toRow(Object, MutableRow)}).
     *
     * @param value the value; not null.
     * @return the row.
     */
    default MutableRow toRow(T value) {
        MutableRow row = MutableRow.create(schema());
        toRow(value, row);
        return row;
    }
}
