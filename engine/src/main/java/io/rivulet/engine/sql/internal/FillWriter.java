package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a refilling connector's fill writes into ({@link FillOperator}): a {@link MutableRow} view of one
 * {@link PackedRow} at a time ({@link #bind}). {@link FillCompiler} generates one subclass per schema whose setters
 * of fields 0-63 write the value straight into the row's slot and note the field in {@link #touched} and
 * {@link #nullBits}, without the row's kind check or null-flag update; {@link #sync()} then writes the row's null
 * flags once per record. Everything else (a field from 64 on, a wrong setter, a getter, {@code setDecimal},
 * {@code set(i, Object)}, ...) is this class's: it syncs, then calls the row's own method, so errors and values
 * are the row's to the letter.
 *
 * <p>Not thread-safe; owned by the task's thread, as its {@link FillOperator}.
 */
abstract class FillWriter implements MutableRow {
    /** The row written; {@code null} before the first {@link #bind}. */
    PackedRow row;
    /** {@code row}'s fixed-width slots. */
    long[] fixed;
    /** {@code row}'s reference slots, or {@code null} when its schema has none. */
    Object[] refs;
    /** Fields 0-63 written since the last {@link #sync()}. */
    long touched;
    /** Of {@link #touched}, the fields whose last write was a NULL. */
    long nullBits;

    /**
     * Makes {@code row} the row written (after syncing the one before).
     *
     * @param row a row of the schema this writer was generated for.
     */
    final void bind(PackedRow row) {
        sync();
        this.row = row;
        this.fixed = row.fixedSlots();
        this.refs = row.refSlots();
    }

    /** Writes the null flags of the fields set since the last call into the row: one write per record. */
    final void sync() {
        if (touched != 0) {
            row.mergeNulls(touched, nullBits);
            touched = 0;
            nullBits = 0;
        }
    }

    /** @return the row written, its null flags up to date. */
    final PackedRow synced() {
        sync();
        return row;
    }

    @Override
    public StructType schema() {
        return row.schema();
    }

    @Override
    public int size() {
        return row.size();
    }

    @Override
    public boolean isNullAt(int i) {
        return synced().isNullAt(i);
    }

    @Override
    public Object get(int i) {
        return synced().get(i);
    }

    @Override
    public boolean getBoolean(int i) {
        return synced().getBoolean(i);
    }

    @Override
    public byte getByte(int i) {
        return synced().getByte(i);
    }

    @Override
    public short getShort(int i) {
        return synced().getShort(i);
    }

    @Override
    public int getInt(int i) {
        return synced().getInt(i);
    }

    @Override
    public long getLong(int i) {
        return synced().getLong(i);
    }

    @Override
    public float getFloat(int i) {
        return synced().getFloat(i);
    }

    @Override
    public double getDouble(int i) {
        return synced().getDouble(i);
    }

    @Override
    public String getString(int i) {
        return synced().getString(i);
    }

    @Override
    public BigDecimal getDecimal(int i) {
        return synced().getDecimal(i);
    }

    @Override
    public Instant getTimestamp(int i) {
        return synced().getTimestamp(i);
    }

    @Override
    public long getTimestampMicros(int i) {
        return synced().getTimestampMicros(i);
    }

    @Override
    public LocalDate getDate(int i) {
        return synced().getDate(i);
    }

    @Override
    public int getDateDays(int i) {
        return synced().getDateDays(i);
    }

    @Override
    public byte[] getBinary(int i) {
        return synced().getBinary(i);
    }

    @Override
    public <T> List<T> getList(int i) {
        return synced().getList(i);
    }

    @Override
    public <K, V> Map<K, V> getMap(int i) {
        return synced().getMap(i);
    }

    @Override
    public Row getStruct(int i) {
        return synced().getStruct(i);
    }

    @Override
    public MutableRow copy() {
        return synced().copy();
    }

    @Override
    public void clear() {
        synced().clear();
    }

    @Override
    public void setNull(int i) {
        synced().setNull(i);
    }

    @Override
    public void setBoolean(int i, boolean value) {
        synced().setBoolean(i, value);
    }

    @Override
    public void setByte(int i, byte value) {
        synced().setByte(i, value);
    }

    @Override
    public void setShort(int i, short value) {
        synced().setShort(i, value);
    }

    @Override
    public void setInt(int i, int value) {
        synced().setInt(i, value);
    }

    @Override
    public void setLong(int i, long value) {
        synced().setLong(i, value);
    }

    @Override
    public void setFloat(int i, float value) {
        synced().setFloat(i, value);
    }

    @Override
    public void setDouble(int i, double value) {
        synced().setDouble(i, value);
    }

    @Override
    public void setTimestampMicros(int i, long micros) {
        synced().setTimestampMicros(i, micros);
    }

    @Override
    public void setTimestamp(int i, Instant value) {
        synced().setTimestamp(i, value);
    }

    @Override
    public void setDateDays(int i, int days) {
        synced().setDateDays(i, days);
    }

    @Override
    public void setDate(int i, LocalDate value) {
        synced().setDate(i, value);
    }

    @Override
    public void setString(int i, String value) {
        synced().setString(i, value);
    }

    @Override
    public void setDecimal(int i, BigDecimal value) {
        synced().setDecimal(i, value);
    }

    @Override
    public void setBinary(int i, byte[] value) {
        synced().setBinary(i, value);
    }

    @Override
    public void setList(int i, List<?> value) {
        synced().setList(i, value);
    }

    @Override
    public void setMap(int i, Map<?, ?> value) {
        synced().setMap(i, value);
    }

    @Override
    public void setStruct(int i, Row value) {
        synced().setStruct(i, value);
    }

    @Override
    public void set(int i, Object value) {
        synced().set(i, value);
    }

    @Override
    public boolean equals(Object o) {
        return synced().equals(o);
    }

    @Override
    public int hashCode() {
        return synced().hashCode();
    }

    @Override
    public String toString() {
        return synced().toString();
    }
}
