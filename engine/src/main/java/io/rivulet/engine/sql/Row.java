package io.rivulet.engine.sql;

import io.rivulet.engine.sql.internal.GenericRow;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One row of a structured stream: values by position, typed by a {@link StructType schema}; Spark's {@code Row}
 * for Java.
 * <p>
 * <b>Values.</b> Each type has its getter, and its Java type at the edges:
 * <table>
 *   <caption>Getters by type</caption>
 *   <tr><th>type</th><th>getter</th><th>{@link #get(int)} returns</th></tr>
 *   <tr><td>int</td><td>{@link #getInt(int)}</td><td>Integer</td></tr>
 *   <tr><td>bigint</td><td>{@link #getLong(int)}</td><td>Long</td></tr>
 *   <tr><td>double, float</td><td>{@link #getDouble(int)}, {@link #getFloat(int)}</td><td>Double, Float</td></tr>
 *   <tr><td>boolean, smallint, tinyint</td><td>{@link #getBoolean(int)}, {@link #getShort(int)},
 *       {@link #getByte(int)}</td><td>Boolean, Short, Byte</td></tr>
 *   <tr><td>string</td><td>{@link #getString(int)}</td><td>String</td></tr>
 *   <tr><td>decimal(p,s)</td><td>{@link #getDecimal(int)}</td><td>BigDecimal (scale s)</td></tr>
 *   <tr><td>timestamp</td><td>{@link #getTimestamp(int)}, {@link #getTimestampMicros(int)}</td>
 *       <td>Instant</td></tr>
 *   <tr><td>date</td><td>{@link #getDate(int)}, {@link #getDateDays(int)}</td><td>LocalDate</td></tr>
 *   <tr><td>binary</td><td>{@link #getBinary(int)}</td><td>byte[]</td></tr>
 *   <tr><td>array, map, struct</td><td>{@link #getList(int)}, {@link #getMap(int)}, {@link #getStruct(int)}</td>
 *       <td>List, Map, Row</td></tr>
 * </table>
 * The primitive getters do not box. A getter used on a field of another type throws {@link ClassCastException}
 * naming the field, its type and the getter to use; a primitive getter on a null value throws
 * {@link NullPointerException} (test {@link #isNullAt(int)} first), as in Spark. A bad index throws
 * {@link IndexOutOfBoundsException}.
 * <p>
 * <b>Equality</b> is by values, as in Spark: two rows are equal when they have the same number of values and
 * each pair is equal (floating point: {@code ==}, with NaN equal to NaN; binary: by content); the schemas are
 * not compared. {@link #toString()} prints as Spark does: {@code [1,a,null]}.
 * <p>
 * <b>Threads.</b> A row from {@link #of(StructType, Object...)} is not changed after it is returned and may be
 * shared. A row handed to user code by a running query may be a reused {@link MutableRow}: valid only during the
 * call, and {@link #copy()} is the way to keep it.
 */
public interface Row {
    /**
     * A row of the given values, checked against the schema: each value must be null or of the field's Java type
     * (see the table above; a timestamp also accepts {@link java.sql.Timestamp}, a date {@link java.sql.Date}; a
     * decimal is rounded half-up to the field's scale).
     *
     * @param schema the row's schema; not null.
     * @param values one value per field, in order.
     * @return the row.
     * @throws IllegalArgumentException if the number of values differs from the number of fields.
     * @throws ClassCastException       if a value does not fit its field, naming the field, its type and the value.
     */
    static Row of(StructType schema, Object... values) {
        return PackedRow.of(schema, values);
    }

    /**
     * A row without a schema, as Spark's {@code RowFactory.create}: getters check the values' Java classes;
     * name-based access ({@link #getAs(String)}, {@link #fieldIndex(String)}) is not available.
     *
     * @param values the values, in order; the array is copied.
     * @return the row.
     */
    static Row withoutSchema(Object... values) {
        return new GenericRow(values.clone());
    }

    /**
     * @return the schema, or null for a row made without one.
     */
    StructType schema();

    /**
     * @return the number of values.
     */
    int size();

    /**
     * @return the number of values (Spark's name).
     */
    default int length() {
        return size();
    }

    /**
     * @param i the field's position, from 0.
     * @return whether the value is null.
     */
    boolean isNullAt(int i);

    /**
     * @return whether any value is null.
     */
    default boolean anyNull() {
        for (int i = 0; i < size(); i++) {
            if (isNullAt(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value as an object (boxed for primitive types; see the table above); null if null.
     *
     * @param i the field's position, from 0.
     * @return the value.
     */
    Object get(int i);

    /**
     * @param i the field's position, from 0.
     * @param <T> the expected Java type.
     * @return the value, cast to what the caller expects (Spark's {@code getAs}).
     */
    @SuppressWarnings("unchecked")
    default <T> T getAs(int i) {
        return (T) get(i);
    }

    /**
     * @param fieldName the field's name.
     * @param <T>       the expected Java type.
     * @return the value of the named field.
     * @throws IllegalArgumentException      if there is no such field (the message lists the fields).
     * @throws UnsupportedOperationException if the row has no schema.
     */
    default <T> T getAs(String fieldName) {
        return getAs(fieldIndex(fieldName));
    }

    /**
     * @param name the field's name (case-sensitive).
     * @return its position.
     * @throws IllegalArgumentException      if there is no such field (the message lists the fields).
     * @throws UnsupportedOperationException if the row has no schema.
     */
    default int fieldIndex(String name) {
        StructType schema = schema();
        if (schema == null) {
            throw new UnsupportedOperationException("fieldIndex on a Row without schema is undefined: '" + name + "'");
        }
        return schema.fieldIndex(name);
    }

    /** @param i position. @return the boolean value. */
    boolean getBoolean(int i);

    /** @param i position. @return the tinyint value. */
    byte getByte(int i);

    /** @param i position. @return the smallint value. */
    short getShort(int i);

    /** @param i position. @return the int value. */
    int getInt(int i);

    /** @param i position. @return the bigint value. */
    long getLong(int i);

    /** @param i position. @return the float value. */
    float getFloat(int i);

    /** @param i position. @return the double value. */
    double getDouble(int i);

    /** @param i position. @return the string value, or null. */
    String getString(int i);

    /** @param i position. @return the decimal value, with the field's scale, or null. */
    BigDecimal getDecimal(int i);

    /** @param i position. @return the timestamp value (microsecond precision), or null. */
    Instant getTimestamp(int i);

    /**
     * @param i position.
     * @return the timestamp value as microseconds since 1970-01-01T00:00:00Z, without allocating.
     */
    long getTimestampMicros(int i);

    /** @param i position. @return the date value, or null. */
    LocalDate getDate(int i);

    /**
     * @param i position.
     * @return the date value as days since 1970-01-01, without allocating.
     */
    int getDateDays(int i);

    /** @param i position. @return the binary value (not a copy: do not change it), or null. */
    byte[] getBinary(int i);

    /**
     * @param i   position.
     * @param <T> the elements' Java type.
     * @return the array value (read-only by contract), or null.
     */
    <T> List<T> getList(int i);

    /**
     * @param i   position.
     * @param <K> the keys' Java type.
     * @param <V> the values' Java type.
     * @return the map value (read-only by contract), or null.
     */
    <K, V> Map<K, V> getMap(int i);

    /**
     * Spark's Java name for {@link #getMap(int)}.
     *
     * @param i   position.
     * @param <K> the keys' Java type.
     * @param <V> the values' Java type.
     * @return the map value, or null.
     */
    default <K, V> Map<K, V> getJavaMap(int i) {
        return getMap(i);
    }

    /** @param i position. @return the nested struct value, or null. */
    Row getStruct(int i);

    /**
     * A row with the same values that stays valid after this one is reused; nested rows are copied, lists, maps
     * and byte arrays are shared (they are values, never changed in place).
     *
     * @return the copy.
     */
    Row copy();
}
