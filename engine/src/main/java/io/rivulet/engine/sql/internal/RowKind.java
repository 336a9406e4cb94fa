package io.rivulet.engine.sql.internal;

import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.BinaryType;
import io.rivulet.engine.types.BooleanType;
import io.rivulet.engine.types.ByteType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DateType;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.DoubleType;
import io.rivulet.engine.types.FloatType;
import io.rivulet.engine.types.IntegerType;
import io.rivulet.engine.types.LongType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.NullType;
import io.rivulet.engine.types.ShortType;
import io.rivulet.engine.types.StringType;
import io.rivulet.engine.types.StructType;
import io.rivulet.engine.types.TimestampType;

/**
 * The physical kind of a field in a {@link PackedRow}: one byte per field, so a getter's type check is one
 * compare. Kinds below {@link #FIRST_REFERENCE} live in the primitive slot array.
 */
public final class RowKind {
    public static final byte INT = 0;
    public static final byte LONG = 1;
    public static final byte DOUBLE = 2;
    public static final byte FLOAT = 3;
    public static final byte BOOLEAN = 4;
    public static final byte SHORT = 5;
    public static final byte BYTE = 6;
    public static final byte TIMESTAMP = 7;
    public static final byte DATE = 8;
    public static final byte FIRST_REFERENCE = 9;
    public static final byte STRING = 9;
    public static final byte DECIMAL = 10;
    public static final byte BINARY = 11;
    public static final byte ARRAY = 12;
    public static final byte MAP = 13;
    public static final byte STRUCT = 14;
    public static final byte NULL = 15;

    private static final String[] GETTERS = {
        "getInt", "getLong", "getDouble", "getFloat", "getBoolean", "getShort", "getByte",
        "getTimestamp or getTimestampMicros", "getDate or getDateDays", "getString", "getDecimal", "getBinary",
        "getList", "getMap", "getStruct", "isNullAt (every value is null)",
    };
    private static final String[] SETTERS = {
        "setInt", "setLong", "setDouble", "setFloat", "setBoolean", "setShort", "setByte",
        "setTimestamp or setTimestampMicros", "setDate or setDateDays", "setString", "setDecimal", "setBinary",
        "setList", "setMap", "setStruct", "setNull",
    };

    private RowKind() {
    }

    /**
     * @param type a data type.
     * @return its kind.
     */
    public static byte of(DataType type) {
        if (type instanceof IntegerType) {
            return INT;
        } else if (type instanceof LongType) {
            return LONG;
        } else if (type instanceof DoubleType) {
            return DOUBLE;
        } else if (type instanceof FloatType) {
            return FLOAT;
        } else if (type instanceof BooleanType) {
            return BOOLEAN;
        } else if (type instanceof ShortType) {
            return SHORT;
        } else if (type instanceof ByteType) {
            return BYTE;
        } else if (type instanceof TimestampType) {
            return TIMESTAMP;
        } else if (type instanceof DateType) {
            return DATE;
        } else if (type instanceof StringType) {
            return STRING;
        } else if (type instanceof DecimalType) {
            return DECIMAL;
        } else if (type instanceof BinaryType) {
            return BINARY;
        } else if (type instanceof ArrayType) {
            return ARRAY;
        } else if (type instanceof MapType) {
            return MAP;
        } else if (type instanceof StructType) {
            return STRUCT;
        } else if (type instanceof NullType) {
            return NULL;
        }
        throw new IllegalArgumentException("no row kind for data type " + type);
    }

    /**
     * @param kind a kind.
     * @return the getter(s) that read it.
     */
    public static String getterOf(byte kind) {
        return GETTERS[kind];
    }

    /**
     * @param kind a kind.
     * @return the setter(s) that write it.
     */
    public static String setterOf(byte kind) {
        return SETTERS[kind];
    }
}
