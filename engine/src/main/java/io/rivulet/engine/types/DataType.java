package io.rivulet.engine.types;

import io.rivulet.engine.sql.ParseException;
import io.rivulet.engine.sql.parser.SqlParsers;

import java.util.Locale;

/**
 * The type of a value in a {@link StructType schema}: Spark SQL's data types, with Spark's names, printed forms
 * and semantics.
 * <p>
 * The hierarchy is closed. Atomic types are singletons ({@code IntegerType.INSTANCE}, also reachable as
 * {@link DataTypes#IntegerType}); parameterised types ({@link DecimalType}, {@link ArrayType}, {@link MapType},
 * {@link StructType}) are immutable values compared by their parameters. Every instance is immutable and safe to
 * share between threads.
 * <p>
 * The four printed forms follow Spark: {@link #typeName()} ({@code integer}, used by {@code printSchema}),
 * {@link #simpleString()} ({@code int}, {@code struct<id:int>}), {@link #sql()} ({@code INT},
 * {@code STRUCT<id: INT>}) and {@link #toString()} ({@code IntegerType}, {@code ArrayType(StringType,true)}).
 */
public abstract sealed class DataType
    permits StringType, IntegerType, LongType, DoubleType, FloatType, BooleanType, ShortType, ByteType,
    TimestampType, DateType, BinaryType, NullType, DecimalType, ArrayType, MapType, StructType {
    DataType() {
    }

    /**
     * Parses a data type written in Spark's DDL ({@code "INT"}, {@code "ARRAY<STRING>"},
     * {@code "STRUCT<a: INT, b: STRING>"}), or, as Spark's {@code DataType.fromDDL} does, a table schema
     * ({@code "a INT, b STRING"}), which yields a {@link StructType}.
     *
     * @param ddl the type or schema; not null.
     * @return the parsed type.
     * @throws ParseException on a syntax error (naming the token and its position) or an unknown type (naming
     *                        it and listing the known ones).
     */
    public static DataType fromDDL(String ddl) {
        return SqlParsers.parseDataTypeOrSchema(ddl);
    }

    /**
     * The name {@code printSchema} shows: {@code integer}, {@code long}, {@code string}, {@code decimal(10,2)},
     * {@code array}, {@code map}, {@code struct}.
     *
     * @return the type name.
     */
    public abstract String typeName();

    /**
     * The short, readable form: {@code int}, {@code bigint}, {@code array<string>},
     * {@code struct<id:int,ts:timestamp>}.
     *
     * @return the simple string.
     */
    public String simpleString() {
        return typeName();
    }

    /**
     * The form a catalog stores; the same as {@link #simpleString()} (Spark truncates neither here).
     *
     * @return the catalog string.
     */
    public String catalogString() {
        return simpleString();
    }

    /**
     * The SQL/DDL form: {@code INT}, {@code BIGINT}, {@code DECIMAL(10,2)}, {@code ARRAY<STRING>},
     * {@code MAP<STRING, INT>}, {@code STRUCT<id: INT, name: STRING>}; {@link #fromDDL(String)} parses it back.
     *
     * @return the SQL string.
     */
    public String sql() {
        return simpleString().toUpperCase(Locale.ROOT);
    }

    /**
     * Whether a row keeps a value of this type in a primitive slot (int, bigint, double, float, boolean,
     * smallint, tinyint, timestamp as microseconds, date as days): such values are never boxed on the hot path.
     *
     * @return true for fixed-width primitive types.
     */
    public boolean isFixedWidth() {
        return false;
    }

    /**
     * Spark's Scala form: {@code IntegerType}, {@code DecimalType(10,2)}, {@code ArrayType(StringType,true)}.
     *
     * @return the type as Spark's {@code toString} prints it.
     */
    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    void buildFormattedString(String prefix, StringBuilder out) {
    }
}
