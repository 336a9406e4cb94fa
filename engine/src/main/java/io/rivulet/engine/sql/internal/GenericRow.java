package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A row without a schema (Spark's {@code RowFactory.create}): boxed values in an array; getters check each
 * value's Java class. Immutable after construction; safe to share.
 */
public final class GenericRow implements Row {
    private final Object[] values;

    /**
     * @param values the values, owned by the row from now on.
     */
    public GenericRow(Object[] values) {
        this.values = values;
    }

    @Override
    public StructType schema() {
        return null;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isNullAt(int i) {
        return values[i] == null;
    }

    @Override
    public Object get(int i) {
        return values[i];
    }

    private <T> T as(int i, Class<T> type, String getter, boolean primitive) {
        Object v = values[i];
        if (v == null) {
            if (primitive) {
                throw new NullPointerException("the value at index " + i + " is null: test isNullAt(" + i
                    + ") before " + getter);
            }
            return null;
        }
        if (!type.isInstance(v)) {
            throw new ClassCastException(getter + "(" + i + ") on a value of class " + v.getClass().getName()
                + ", not " + type.getSimpleName());
        }
        return type.cast(v);
    }

    @Override
    public boolean getBoolean(int i) {
        return as(i, Boolean.class, "getBoolean", true);
    }

    @Override
    public byte getByte(int i) {
        return as(i, Byte.class, "getByte", true);
    }

    @Override
    public short getShort(int i) {
        return as(i, Short.class, "getShort", true);
    }

    @Override
    public int getInt(int i) {
        return as(i, Integer.class, "getInt", true);
    }

    @Override
    public long getLong(int i) {
        return as(i, Long.class, "getLong", true);
    }

    @Override
    public float getFloat(int i) {
        return as(i, Float.class, "getFloat", true);
    }

    @Override
    public double getDouble(int i) {
        return as(i, Double.class, "getDouble", true);
    }

    @Override
    public String getString(int i) {
        return as(i, String.class, "getString", false);
    }

    @Override
    public BigDecimal getDecimal(int i) {
        return as(i, BigDecimal.class, "getDecimal", false);
    }

    @Override
    public Instant getTimestamp(int i) {
        Object v = values[i];
        return v instanceof Timestamp t ? t.toInstant() : as(i, Instant.class, "getTimestamp", false);
    }

    @Override
    public long getTimestampMicros(int i) {
        Instant t = getTimestamp(i);
        if (t == null) {
            throw new NullPointerException("the value at index " + i + " is null: test isNullAt(" + i
                + ") before getTimestampMicros");
        }
        return PackedRow.toMicros(t);
    }

    @Override
    public LocalDate getDate(int i) {
        Object v = values[i];
        return v instanceof Date d ? d.toLocalDate() : as(i, LocalDate.class, "getDate", false);
    }

    @Override
    public int getDateDays(int i) {
        LocalDate d = getDate(i);
        if (d == null) {
            throw new NullPointerException("the value at index " + i + " is null: test isNullAt(" + i
                + ") before getDateDays");
        }
        return Math.toIntExact(d.toEpochDay());
    }

    @Override
    public byte[] getBinary(int i) {
        return as(i, byte[].class, "getBinary", false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<T> getList(int i) {
        return as(i, List.class, "getList", false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> getMap(int i) {
        return as(i, Map.class, "getMap", false);
    }

    @Override
    public Row getStruct(int i) {
        return as(i, Row.class, "getStruct", false);
    }

    @Override
    public Row copy() {
        Object[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] instanceof Row nested) {
                copy[i] = nested.copy();
            }
        }
        return new GenericRow(copy);
    }

    @Override
    public boolean equals(Object o) {
        return Rows.equal(this, o);
    }

    @Override
    public int hashCode() {
        return Rows.hash(this);
    }

    @Override
    public String toString() {
        return Rows.toString(this);
    }
}
