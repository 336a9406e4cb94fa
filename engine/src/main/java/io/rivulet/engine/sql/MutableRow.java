package io.rivulet.engine.sql;

import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A {@link Row} whose values are set in place: the hot-path row. Fixed-width values (int, bigint, double, float,
 * boolean, smallint, tinyint, timestamp as microseconds, date as days) live in a primitive array and are never
 * boxed; others in an object array; nulls in a bitmask. Made once per slot or operator and reused record after
 * record: {@link #clear()} to start over, {@link #copy()} to keep a snapshot.
 * <p>
 * Every setter checks the field's type (a failure names the field, its type and the setter to use); the
 * primitive ones do not allocate. Setting a value clears the field's null bit. Nullability declared in the
 * schema is not enforced here: encoders and sources check it where it matters.
 * <p>
 * Not thread-safe: owned by one thread at a time (the worker that fills it, then the one it is handed to through
 * a ring).
 */
public interface MutableRow extends Row {
    /**
     * @param schema the row's schema; not null.
     * @return a row of that schema, every value null.
     */
    static MutableRow create(StructType schema) {
        return new PackedRow(schema);
    }

    /** Sets every value to null and drops references to old values. */
    void clear();

    /** @param i position. Sets the value to null. */
    void setNull(int i);

    /** @param i position. @param value the boolean value. */
    void setBoolean(int i, boolean value);

    /** @param i position. @param value the tinyint value. */
    void setByte(int i, byte value);

    /** @param i position. @param value the smallint value. */
    void setShort(int i, short value);

    /** @param i position. @param value the int value. */
    void setInt(int i, int value);

    /** @param i position. @param value the bigint value. */
    void setLong(int i, long value);

    /** @param i position. @param value the float value. */
    void setFloat(int i, float value);

    /** @param i position. @param value the double value. */
    void setDouble(int i, double value);

    /** @param i position. @param micros microseconds since 1970-01-01T00:00:00Z. */
    void setTimestampMicros(int i, long micros);

    /**
     * @param i     position.
     * @param value the instant, truncated to microseconds; null sets null.
     * @throws ArithmeticException if it is beyond the range of microseconds in a long.
     */
    void setTimestamp(int i, Instant value);

    /** @param i position. @param days days since 1970-01-01. */
    void setDateDays(int i, int days);

    /** @param i position. @param value the date; null sets null. */
    void setDate(int i, LocalDate value);

    /** @param i position. @param value the string; null sets null. */
    void setString(int i, String value);

    /**
     * @param i     position.
     * @param value the decimal, rounded half-up to the field's scale; null sets null.
     * @throws ArithmeticException if it then has more digits than the field's precision.
     */
    void setDecimal(int i, BigDecimal value);

    /** @param i position. @param value the bytes, kept (not copied); null sets null. */
    void setBinary(int i, byte[] value);

    /** @param i position. @param value the array value, kept (not copied); null sets null. */
    void setList(int i, List<?> value);

    /** @param i position. @param value the map value, kept (not copied); null sets null. */
    void setMap(int i, Map<?, ?> value);

    /** @param i position. @param value the nested row, kept (not copied); null sets null. */
    void setStruct(int i, Row value);

    /**
     * Sets a value given as an object of the field's Java type (see {@link Row}); boxes are unboxed.
     *
     * @param i     position.
     * @param value the value, or null.
     * @throws ClassCastException if the value does not fit the field, naming the field, its type and the value.
     */
    void set(int i, Object value);

    /**
     * @return a copy that is not affected by later changes to this row.
     */
    @Override
    MutableRow copy();
}
