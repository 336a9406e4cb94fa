package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.rivulet.engine.sql.internal.RowKind.ARRAY;
import static io.rivulet.engine.sql.internal.RowKind.BINARY;
import static io.rivulet.engine.sql.internal.RowKind.BOOLEAN;
import static io.rivulet.engine.sql.internal.RowKind.BYTE;
import static io.rivulet.engine.sql.internal.RowKind.DATE;
import static io.rivulet.engine.sql.internal.RowKind.DECIMAL;
import static io.rivulet.engine.sql.internal.RowKind.DOUBLE;
import static io.rivulet.engine.sql.internal.RowKind.FLOAT;
import static io.rivulet.engine.sql.internal.RowKind.INT;
import static io.rivulet.engine.sql.internal.RowKind.LONG;
import static io.rivulet.engine.sql.internal.RowKind.MAP;
import static io.rivulet.engine.sql.internal.RowKind.SHORT;
import static io.rivulet.engine.sql.internal.RowKind.STRING;
import static io.rivulet.engine.sql.internal.RowKind.STRUCT;
import static io.rivulet.engine.sql.internal.RowKind.TIMESTAMP;

/**
 * The hot-path {@link MutableRow}: field {@code i}'s fixed-width value in {@code fixed[i]} (int, smallint,
 * tinyint, boolean as 0/1 and date days sign-extended; double and float as raw IEEE bits; timestamp as
 * microseconds), any other value in {@code refs[i]}, its null flag as bit {@code i} of {@code nulls} (fields 0-63 in
 * one {@code long}, the rest in {@code moreNulls}). A getter or setter is a kind compare, a bit test and an array
 * access: no boxing, no allocation. A new row allocates itself and {@code fixed}, plus {@code refs} only when the
 * schema has a field of another kind: the kinds are computed once per schema ({@link #kindsOf}).
 * <p>
 * Not thread-safe; owned by one thread at a time.
 */
public final class PackedRow implements MutableRow {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    /** Recent schemas' kinds, by {@code hashCode} bucket and identity; a racy cache of immutable entries. */
    private static final Layout[] LAYOUTS = new Layout[64];

    private final StructType schema;
    private final byte[] kinds;
    private final long[] fixed;
    /** {@code null} when every field is fixed-width. */
    private final Object[] refs;
    /** Null flags of fields 0-63. */
    private long nulls;
    /** Null flags of fields 64 and up ({@code moreNulls[w - 1]} holds word {@code w}); {@code null} up to 64 fields. */
    private final long[] moreNulls;

    /**
     * @param schema the row's schema; every value starts null.
     */
    public PackedRow(StructType schema) {
        this.schema = schema;
        Layout layout = kindsOf(schema);
        this.kinds = layout.kinds;
        int n = kinds.length;
        this.fixed = new long[n];
        this.refs = layout.hasRefs ? new Object[n] : null;
        this.nulls = -1L;
        if (n > 64) {
            this.moreNulls = new long[(n - 1) >>> 6];
            Arrays.fill(moreNulls, -1L);
        } else {
            this.moreNulls = null;
        }
    }

    /**
     * The kinds of a schema's fields, computed once per schema instance while it stays in the cache.
     *
     * @param schema a schema
     * @return its layout; shared, never modified
     */
    private static Layout kindsOf(StructType schema) {
        int bucket = schema.hashCode() & (LAYOUTS.length - 1);
        Layout layout = LAYOUTS[bucket];
        if (layout == null || layout.schema != schema) {
            layout = new Layout(schema);
            LAYOUTS[bucket] = layout;
        }
        return layout;
    }

    /** A schema's field kinds and whether any needs {@code refs}. Immutable (final fields: safely published). */
    private static final class Layout {
        final StructType schema;
        final byte[] kinds;
        final boolean hasRefs;

        Layout(StructType schema) {
            this.schema = schema;
            int n = schema.size();
            byte[] k = new byte[n];
            boolean refs = false;
            for (int i = 0; i < n; i++) {
                k[i] = RowKind.of(schema.apply(i).dataType());
                refs |= k[i] >= RowKind.FIRST_REFERENCE;
            }
            this.kinds = k;
            this.hasRefs = refs;
        }
    }

    private PackedRow(PackedRow from) {
        this.schema = from.schema;
        this.kinds = from.kinds;
        this.fixed = from.fixed.clone();
        this.refs = from.refs == null ? null : from.refs.clone();
        this.nulls = from.nulls;
        this.moreNulls = from.moreNulls == null ? null : from.moreNulls.clone();
        for (int i = 0; refs != null && i < refs.length; i++) {
            if (kinds[i] == STRUCT && refs[i] instanceof Row nested) {
                refs[i] = nested.copy();
            }
        }
    }

    /**
     * Builds a row from boxed values (see {@link Row#of(StructType, Object...)}).
     *
     * @param schema the schema.
     * @param values one per field.
     * @return the row.
     */
    public static PackedRow of(StructType schema, Object... values) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("Row.of: " + values.length + " values for a schema of " + schema.size()
                + " fields " + String.join(", ", schema.fieldNames()));
        }
        PackedRow row = new PackedRow(schema);
        for (int i = 0; i < values.length; i++) {
            row.set(i, values[i]);
        }
        return row;
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public int size() {
        return kinds.length;
    }

    @Override
    public boolean isNullAt(int i) {
        return i < 64 ? (nulls & (1L << i)) != 0 : (moreNulls[(i >>> 6) - 1] & (1L << i)) != 0;
    }

    private void markNull(int i) {
        if (i < 64) {
            nulls |= 1L << i;
        } else {
            moreNulls[(i >>> 6) - 1] |= 1L << i;
        }
    }

    private void markSet(int i) {
        if (i < 64) {
            nulls &= ~(1L << i);
        } else {
            moreNulls[(i >>> 6) - 1] &= ~(1L << i);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Getters

    @Override
    public int getInt(int i) {
        return (int) fixed(i, INT, "getInt");
    }

    @Override
    public long getLong(int i) {
        return fixed(i, LONG, "getLong");
    }

    @Override
    public double getDouble(int i) {
        return Double.longBitsToDouble(fixed(i, DOUBLE, "getDouble"));
    }

    @Override
    public float getFloat(int i) {
        return Float.intBitsToFloat((int) fixed(i, FLOAT, "getFloat"));
    }

    @Override
    public boolean getBoolean(int i) {
        return fixed(i, BOOLEAN, "getBoolean") != 0;
    }

    @Override
    public short getShort(int i) {
        return (short) fixed(i, SHORT, "getShort");
    }

    @Override
    public byte getByte(int i) {
        return (byte) fixed(i, BYTE, "getByte");
    }

    @Override
    public long getTimestampMicros(int i) {
        return fixed(i, TIMESTAMP, "getTimestampMicros");
    }

    @Override
    public int getDateDays(int i) {
        return (int) fixed(i, DATE, "getDateDays");
    }

    @Override
    public Instant getTimestamp(int i) {
        check(i, TIMESTAMP, "getTimestamp");
        return isNullAt(i) ? null : toInstant(fixed[i]);
    }

    @Override
    public LocalDate getDate(int i) {
        check(i, DATE, "getDate");
        return isNullAt(i) ? null : LocalDate.ofEpochDay(fixed[i]);
    }

    @Override
    public String getString(int i) {
        return (String) ref(i, STRING, "getString");
    }

    @Override
    public BigDecimal getDecimal(int i) {
        return (BigDecimal) ref(i, DECIMAL, "getDecimal");
    }

    @Override
    public byte[] getBinary(int i) {
        return (byte[]) ref(i, BINARY, "getBinary");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<T> getList(int i) {
        return (List<T>) ref(i, ARRAY, "getList");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Map<K, V> getMap(int i) {
        return (Map<K, V>) ref(i, MAP, "getMap");
    }

    @Override
    public Row getStruct(int i) {
        return (Row) ref(i, STRUCT, "getStruct");
    }

    @Override
    public Object get(int i) {
        byte kind = kinds[i];
        if (isNullAt(i)) {
            return null;
        }
        long bits = fixed[i];
        return switch (kind) {
            case INT -> (int) bits;
            case LONG -> bits;
            case DOUBLE -> Double.longBitsToDouble(bits);
            case FLOAT -> Float.intBitsToFloat((int) bits);
            case BOOLEAN -> bits != 0;
            case SHORT -> (short) bits;
            case BYTE -> (byte) bits;
            case TIMESTAMP -> toInstant(bits);
            case DATE -> LocalDate.ofEpochDay(bits);
            default -> refs[i];
        };
    }

    /**
     * Field {@code i}'s raw bits (see the class comment) without the kind or null check: for generated code
     * ({@code sql.expressions.ExpressionCompiler}) whose field kinds were checked once when it was compiled.
     *
     * @param i a fixed-width field.
     * @return its bits; meaningless while the field is null.
     */
    public long bits(int i) {
        return fixed[i];
    }

    /**
     * Sets field {@code i}'s raw bits and clears its null flag, without the kind check: for generated code whose
     * field kinds were checked once when it was compiled.
     *
     * @param i    a fixed-width field.
     * @param bits its value as the class comment stores it.
     */
    public void setBits(int i, long bits) {
        fixed[i] = bits;
        markSet(i);
    }

    /** @return the fixed-width slots themselves, for {@link FillWriter}: index {@code i} is field {@code i}'s. */
    long[] fixedSlots() {
        return fixed;
    }

    /** @return the reference slots themselves, or {@code null} when the schema has no reference field. */
    Object[] refSlots() {
        return refs;
    }

    /**
     * Sets the null flags of some of fields 0-63 at once, for generated code ({@link FillWriter}, a compiled
     * projection) that wrote their values with {@link #setSlot}: one write for them all.
     *
     * @param touched  the fields whose flags are set (bit {@code i}: field {@code i})
     * @param nullBits those of them now NULL (a subset of {@code touched}); the others are now set
     */
    public void mergeNulls(long touched, long nullBits) {
        nulls = nulls & ~touched | nullBits;
    }

    /**
     * Writes field {@code i}'s raw bits without the kind check and without its null flag, for generated code that
     * writes the flags of all its fields at once ({@link #mergeNulls}).
     *
     * @param i    a fixed-width field.
     * @param bits its value as the class comment stores it.
     */
    public void setSlot(int i, long bits) {
        fixed[i] = bits;
    }

    private long fixed(int i, byte kind, String getter) {
        if (kinds[i] != kind) {
            throw wrongType(i, getter);
        }
        if (isNullAt(i)) {
            throw nullValue(i, getter);
        }
        return fixed[i];
    }

    private Object ref(int i, byte kind, String getter) {
        if (kinds[i] != kind) {
            throw wrongType(i, getter);
        }
        return refs[i];
    }

    private void check(int i, byte kind, String accessor) {
        if (kinds[i] != kind) {
            throw wrongType(i, accessor);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Setters

    @Override
    public void clear() {
        nulls = -1L;
        if (moreNulls != null) {
            Arrays.fill(moreNulls, -1L);
        }
        if (refs != null) {
            Arrays.fill(refs, null);
        }
    }

    @Override
    public void setNull(int i) {
        markNull(i);
        if (refs != null) {
            refs[i] = null;
        }
    }

    @Override
    public void setInt(int i, int value) {
        setFixed(i, INT, value, "setInt");
    }

    @Override
    public void setLong(int i, long value) {
        setFixed(i, LONG, value, "setLong");
    }

    @Override
    public void setDouble(int i, double value) {
        setFixed(i, DOUBLE, Double.doubleToRawLongBits(value), "setDouble");
    }

    @Override
    public void setFloat(int i, float value) {
        setFixed(i, FLOAT, Float.floatToRawIntBits(value), "setFloat");
    }

    @Override
    public void setBoolean(int i, boolean value) {
        setFixed(i, BOOLEAN, value ? 1 : 0, "setBoolean");
    }

    @Override
    public void setShort(int i, short value) {
        setFixed(i, SHORT, value, "setShort");
    }

    @Override
    public void setByte(int i, byte value) {
        setFixed(i, BYTE, value, "setByte");
    }

    @Override
    public void setTimestampMicros(int i, long micros) {
        setFixed(i, TIMESTAMP, micros, "setTimestampMicros");
    }

    @Override
    public void setTimestamp(int i, Instant value) {
        if (value == null) {
            check(i, TIMESTAMP, "setTimestamp");
            setNull(i);
        } else {
            setFixed(i, TIMESTAMP, toMicros(value), "setTimestamp");
        }
    }

    @Override
    public void setDateDays(int i, int days) {
        setFixed(i, DATE, days, "setDateDays");
    }

    @Override
    public void setDate(int i, LocalDate value) {
        if (value == null) {
            check(i, DATE, "setDate");
            setNull(i);
        } else {
            setFixed(i, DATE, Math.toIntExact(value.toEpochDay()), "setDate");
        }
    }

    @Override
    public void setString(int i, String value) {
        setRef(i, STRING, value, "setString");
    }

    @Override
    public void setDecimal(int i, BigDecimal value) {
        check(i, DECIMAL, "setDecimal");
        setRef(i, DECIMAL, value == null ? null : fitDecimal(i, value), "setDecimal");
    }

    @Override
    public void setBinary(int i, byte[] value) {
        setRef(i, BINARY, value, "setBinary");
    }

    @Override
    public void setList(int i, List<?> value) {
        setRef(i, ARRAY, value, "setList");
    }

    @Override
    public void setMap(int i, Map<?, ?> value) {
        setRef(i, MAP, value, "setMap");
    }

    @Override
    public void setStruct(int i, Row value) {
        setRef(i, STRUCT, value, "setStruct");
    }

    @Override
    public void set(int i, Object value) {
        if (value == null) {
            setNull(i);
            return;
        }
        byte kind = kinds[i];
        switch (kind) {
            case INT -> {
                if (value instanceof Integer v) {
                    setInt(i, v);
                    return;
                }
            }
            case LONG -> {
                if (value instanceof Long v) {
                    setLong(i, v);
                    return;
                }
            }
            case DOUBLE -> {
                if (value instanceof Double v) {
                    setDouble(i, v);
                    return;
                }
            }
            case FLOAT -> {
                if (value instanceof Float v) {
                    setFloat(i, v);
                    return;
                }
            }
            case BOOLEAN -> {
                if (value instanceof Boolean v) {
                    setBoolean(i, v);
                    return;
                }
            }
            case SHORT -> {
                if (value instanceof Short v) {
                    setShort(i, v);
                    return;
                }
            }
            case BYTE -> {
                if (value instanceof Byte v) {
                    setByte(i, v);
                    return;
                }
            }
            case TIMESTAMP -> {
                if (value instanceof Instant v) {
                    setTimestamp(i, v);
                    return;
                } else if (value instanceof Timestamp v) {
                    setTimestamp(i, v.toInstant());
                    return;
                }
            }
            case DATE -> {
                if (value instanceof LocalDate v) {
                    setDate(i, v);
                    return;
                } else if (value instanceof Date v) {
                    setDate(i, v.toLocalDate());
                    return;
                }
            }
            case STRING -> {
                if (value instanceof String v) {
                    setString(i, v);
                    return;
                }
            }
            case DECIMAL -> {
                if (value instanceof BigDecimal v) {
                    setDecimal(i, v);
                    return;
                }
            }
            case BINARY -> {
                if (value instanceof byte[] v) {
                    setBinary(i, v);
                    return;
                }
            }
            case ARRAY -> {
                if (value instanceof List<?> v) {
                    setList(i, v);
                    return;
                }
            }
            case MAP -> {
                if (value instanceof Map<?, ?> v) {
                    setMap(i, v);
                    return;
                }
            }
            case STRUCT -> {
                if (value instanceof Row v) {
                    setStruct(i, v);
                    return;
                }
            }
            default -> {
            }
        }
        StructField field = schema.apply(i);
        throw new ClassCastException("cannot set field '" + field.name() + "' (index " + i + ") of type "
            + field.dataType().simpleString() + " to a " + value.getClass().getName() + " (" + value + ")");
    }

    private void setFixed(int i, byte kind, long bits, String setter) {
        if (kinds[i] != kind) {
            throw wrongSetter(i, setter);
        }
        fixed[i] = bits;
        markSet(i);
    }

    private void setRef(int i, byte kind, Object value, String setter) {
        if (kinds[i] != kind) {
            throw wrongSetter(i, setter);
        }
        refs[i] = value;
        if (value == null) {
            markNull(i);
        } else {
            markSet(i);
        }
    }

    private BigDecimal fitDecimal(int i, BigDecimal value) {
        DecimalType type = (DecimalType) schema.apply(i).dataType();
        BigDecimal scaled = value.scale() == type.scale() ? value : value.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() > type.precision()) {
            throw new ArithmeticException("decimal " + value + " does not fit field '" + schema.apply(i).name()
                + "' of type " + type.simpleString());
        }
        return scaled;
    }

    @Override
    public PackedRow copy() {
        return new PackedRow(this);
    }

    /**
     * Overwrites every field with {@code from}'s, as {@link #copy()} copies them (a nested struct is copied too),
     * without allocating for fixed-width fields: for a row refilled from another, e.g. a ring slot's.
     *
     * @param from a row of the same schema (by field kinds).
     * @throws IllegalArgumentException if its field kinds differ.
     */
    public void copyFrom(PackedRow from) {
        if (from.kinds != kinds && !Arrays.equals(from.kinds, kinds)) {
            throw new IllegalArgumentException("copyFrom: a row of schema " + from.schema.simpleString()
                + " into a row of schema " + schema.simpleString());
        }
        System.arraycopy(from.fixed, 0, fixed, 0, fixed.length);
        nulls = from.nulls;
        if (moreNulls != null) {
            System.arraycopy(from.moreNulls, 0, moreNulls, 0, moreNulls.length);
        }
        if (refs != null) {
            for (int i = 0; i < refs.length; i++) {
                Object v = from.refs[i];
                refs[i] = kinds[i] == STRUCT && v instanceof Row nested ? nested.copy() : v;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Conversions and errors

    /**
     * @param instant an instant.
     * @return it as microseconds since the epoch, truncated towards the past.
     * @throws ArithmeticException if out of range.
     */
    public static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000);
    }

    /**
     * @param micros microseconds since the epoch.
     * @return the instant.
     */
    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
            Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
    }

    private ClassCastException wrongType(int i, String getter) {
        StructField field = schema.apply(i);
        return new ClassCastException(getter + "(" + i + ") on field '" + field.name() + "' of type "
            + field.dataType().simpleString() + ": use " + RowKind.getterOf(kinds[i]));
    }

    private ClassCastException wrongSetter(int i, String setter) {
        StructField field = schema.apply(i);
        return new ClassCastException(setter + "(" + i + ") on field '" + field.name() + "' of type "
            + field.dataType().simpleString() + ": use " + RowKind.setterOf(kinds[i]));
    }

    private NullPointerException nullValue(int i, String getter) {
        return new NullPointerException("the value of field '" + schema.apply(i).name() + "' (index " + i
            + ") is null: test isNullAt(" + i + ") before " + getter);
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
