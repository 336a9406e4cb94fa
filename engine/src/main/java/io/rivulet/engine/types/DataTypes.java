package io.rivulet.engine.types;

import java.util.List;

/**
 * The data types' singletons and factories, with Spark's Java names, so a Spark program's
 * {@code DataTypes.createStructField("id", DataTypes.IntegerType, false)} reads the same here. With
 * {@code import static io.rivulet.engine.types.DataTypes.*} a schema reads as in Scala:
 * {@code new StructType().add("key", IntegerType).add("value", StringType)}.
 * <p>
 * Stateless and thread-safe.
 */
public final class DataTypes {
    /** {@code string}. */
    public static final io.rivulet.engine.types.StringType StringType = io.rivulet.engine.types.StringType.INSTANCE;
    /** {@code binary}. */
    public static final io.rivulet.engine.types.BinaryType BinaryType = io.rivulet.engine.types.BinaryType.INSTANCE;
    /** {@code boolean}. */
    public static final io.rivulet.engine.types.BooleanType BooleanType =
        io.rivulet.engine.types.BooleanType.INSTANCE;
    /** {@code date}: days since 1970-01-01. */
    public static final io.rivulet.engine.types.DateType DateType = io.rivulet.engine.types.DateType.INSTANCE;
    /** {@code timestamp}: microseconds since 1970-01-01T00:00:00Z. */
    public static final io.rivulet.engine.types.TimestampType TimestampType =
        io.rivulet.engine.types.TimestampType.INSTANCE;
    /** {@code double}. */
    public static final io.rivulet.engine.types.DoubleType DoubleType = io.rivulet.engine.types.DoubleType.INSTANCE;
    /** {@code float}. */
    public static final io.rivulet.engine.types.FloatType FloatType = io.rivulet.engine.types.FloatType.INSTANCE;
    /** {@code tinyint}. */
    public static final io.rivulet.engine.types.ByteType ByteType = io.rivulet.engine.types.ByteType.INSTANCE;
    /** {@code int}. */
    public static final io.rivulet.engine.types.IntegerType IntegerType =
        io.rivulet.engine.types.IntegerType.INSTANCE;
    /** {@code bigint}. */
    public static final io.rivulet.engine.types.LongType LongType = io.rivulet.engine.types.LongType.INSTANCE;
    /** {@code smallint}. */
    public static final io.rivulet.engine.types.ShortType ShortType = io.rivulet.engine.types.ShortType.INSTANCE;
    /** {@code void}: the type of the untyped null. */
    public static final io.rivulet.engine.types.NullType NullType = io.rivulet.engine.types.NullType.INSTANCE;

    private DataTypes() {
    }

    /**
     * @param elementType the elements' type; not null.
     * @return {@code array<elementType>} whose elements may be null.
     */
    public static ArrayType createArrayType(DataType elementType) {
        return new ArrayType(elementType, true);
    }

    /**
     * @param elementType  the elements' type; not null.
     * @param containsNull whether an element may be null.
     * @return {@code array<elementType>}.
     */
    public static ArrayType createArrayType(DataType elementType, boolean containsNull) {
        return new ArrayType(elementType, containsNull);
    }

    /**
     * @param keyType   the keys' type; not null.
     * @param valueType the values' type; not null.
     * @return {@code map<keyType,valueType>} whose values may be null.
     */
    public static MapType createMapType(DataType keyType, DataType valueType) {
        return new MapType(keyType, valueType, true);
    }

    /**
     * @param keyType           the keys' type; not null.
     * @param valueType         the values' type; not null.
     * @param valueContainsNull whether a value may be null.
     * @return {@code map<keyType,valueType>}.
     */
    public static MapType createMapType(DataType keyType, DataType valueType, boolean valueContainsNull) {
        return new MapType(keyType, valueType, valueContainsNull);
    }

    /**
     * @return {@code decimal(10,0)}.
     */
    public static DecimalType createDecimalType() {
        return DecimalType.USER_DEFAULT;
    }

    /**
     * @param precision total digits, 1 to 38.
     * @param scale     digits after the point, 0 to {@code precision}.
     * @return {@code decimal(precision,scale)}.
     * @throws IllegalArgumentException if out of range.
     */
    public static DecimalType createDecimalType(int precision, int scale) {
        return new DecimalType(precision, scale);
    }

    /**
     * @param name     the field's name; not null.
     * @param dataType the field's type; not null.
     * @param nullable whether it may hold null.
     * @return the field.
     */
    public static StructField createStructField(String name, DataType dataType, boolean nullable) {
        return new StructField(name, dataType, nullable);
    }

    /**
     * @param fields the fields, in order.
     * @return the schema.
     */
    public static StructType createStructType(List<StructField> fields) {
        return new StructType(fields);
    }

    /**
     * @param fields the fields, in order.
     * @return the schema.
     */
    public static StructType createStructType(StructField[] fields) {
        return new StructType(fields);
    }
}
