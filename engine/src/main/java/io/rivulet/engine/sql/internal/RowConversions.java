package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
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

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;

/**
 * Moving values between rows: a field copied as it is (fixed-width values unboxed), or converted by
 * Spark's up-cast rules ({@code Cast.canUpCast}), the conversions {@code Dataset.as} may apply without
 * an explicit cast. Stateless and thread-safe.
 *
 * <p>Up-casts: a type to itself; {@code tinyint < smallint < int < bigint < float < double} upwards; an
 * integral type to a decimal wide enough for it, a decimal to a decimal at least as wide in both
 * integer digits and scale (or to an integral type it fits); {@code date} to {@code timestamp} (the day's
 * start in UTC); {@code timestamp} and {@code bigint} both ways (seconds, as Spark); any atomic type to
 * {@code string}; {@code void} (null) to anything. Arrays, maps and structs only to an equal type.
 */
public final class RowConversions {
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final List<DataType> NUMERIC_PRECEDENCE = List.of(ByteType.INSTANCE, ShortType.INSTANCE,
        IntegerType.INSTANCE, LongType.INSTANCE, FloatType.INSTANCE, DoubleType.INSTANCE);
    private static final DateTimeFormatter SPARK_TIMESTAMP = new DateTimeFormatterBuilder()
        .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
        .optionalEnd().toFormatter().withZone(ZoneOffset.UTC);

    private RowConversions() {
    }

    /**
     * Copies field {@code i} of {@code from} into field {@code j} of {@code to}, both of {@code type}.
     *
     * @param from the row read
     * @param i the field read
     * @param to the row written
     * @param j the field written
     * @param type the type of both fields
     */
    public static void copy(Row from, int i, MutableRow to, int j, DataType type) {
        if (from.isNullAt(i)) {
            to.setNull(j);
        } else if (type instanceof IntegerType) {
            to.setInt(j, from.getInt(i));
        } else if (type instanceof LongType) {
            to.setLong(j, from.getLong(i));
        } else if (type instanceof DoubleType) {
            to.setDouble(j, from.getDouble(i));
        } else if (type instanceof TimestampType) {
            to.setTimestampMicros(j, from.getTimestampMicros(i));
        } else if (type instanceof BooleanType) {
            to.setBoolean(j, from.getBoolean(i));
        } else if (type instanceof FloatType) {
            to.setFloat(j, from.getFloat(i));
        } else if (type instanceof DateType) {
            to.setDateDays(j, from.getDateDays(i));
        } else if (type instanceof ShortType) {
            to.setShort(j, from.getShort(i));
        } else if (type instanceof ByteType) {
            to.setByte(j, from.getByte(i));
        } else {
            to.set(j, from.get(i));
        }
    }

    /**
     * Spark's {@code Cast.canUpCast}, as the class comment lists it.
     *
     * @param from the type read
     * @param to the type wanted
     * @return whether the conversion loses nothing
     */
    public static boolean canUpCast(DataType from, DataType to) {
        if (from.equals(to) || from instanceof NullType) {
            return true;
        }
        if (to instanceof DecimalType decimal && isIntegral(from)) {
            return wider(decimal, integralDecimal(from));
        }
        if (from instanceof DecimalType decimal) {
            if (to instanceof DecimalType target) {
                return wider(target, decimal);
            }
            return isIntegral(to) && wider(integralDecimal(to), decimal);
        }
        int f = NUMERIC_PRECEDENCE.indexOf(from);
        int t = NUMERIC_PRECEDENCE.indexOf(to);
        if (f >= 0 && t >= 0) {
            return f < t;
        }
        if (from instanceof DateType && to instanceof TimestampType) {
            return true;
        }
        if (from instanceof TimestampType && to instanceof LongType || from instanceof LongType && to instanceof TimestampType) {
            return true;
        }
        return to instanceof StringType && isAtomic(from);
    }

    /**
     * Copies field {@code i} of {@code from} (of type {@code fromType}) into field {@code j} of
     * {@code to} (of type {@code toType}), converting it; {@link #canUpCast} must hold.
     *
     * @param from the row read
     * @param i the field read
     * @param fromType its type
     * @param to the row written
     * @param j the field written
     * @param toType its type
     */
    public static void upCast(Row from, int i, DataType fromType, MutableRow to, int j, DataType toType) {
        if (from.isNullAt(i) || fromType instanceof NullType) {
            to.setNull(j);
        } else if (fromType.equals(toType)) {
            copy(from, i, to, j, toType);
        } else if (toType instanceof StringType) {
            to.setString(j, string(from, i, fromType));
        } else if (toType instanceof DecimalType decimal) {
            BigDecimal value = fromType instanceof DecimalType ? from.getDecimal(i) : BigDecimal.valueOf(integral(from, i, fromType));
            to.setDecimal(j, value.setScale(decimal.scale(), RoundingMode.HALF_UP));
        } else if (fromType instanceof DecimalType) {
            setIntegral(to, j, toType, from.getDecimal(i).longValueExact());
        } else if (fromType instanceof DateType) {
            to.setTimestampMicros(j, from.getDateDays(i) * MICROS_PER_DAY);
        } else if (fromType instanceof TimestampType) {
            to.setLong(j, Math.floorDiv(from.getTimestampMicros(i), MICROS_PER_SECOND));
        } else if (toType instanceof TimestampType) {
            to.setTimestampMicros(j, Math.multiplyExact(from.getLong(i), MICROS_PER_SECOND));
        } else if (toType instanceof DoubleType) {
            to.setDouble(j, fromType instanceof FloatType ? from.getFloat(i) : integral(from, i, fromType));
        } else if (toType instanceof FloatType) {
            to.setFloat(j, integral(from, i, fromType));
        } else {
            setIntegral(to, j, toType, integral(from, i, fromType));
        }
    }

    private static long integral(Row row, int i, DataType type) {
        if (type instanceof IntegerType) {
            return row.getInt(i);
        }
        if (type instanceof LongType) {
            return row.getLong(i);
        }
        if (type instanceof ShortType) {
            return row.getShort(i);
        }
        return row.getByte(i);
    }

    private static void setIntegral(MutableRow to, int j, DataType type, long value) {
        if (type instanceof LongType) {
            to.setLong(j, value);
        } else if (type instanceof IntegerType) {
            to.setInt(j, Math.toIntExact(value));
        } else if (type instanceof ShortType) {
            to.setShort(j, (short) value);
        } else {
            to.setByte(j, (byte) value);
        }
    }

    private static String string(Row row, int i, DataType type) {
        if (type instanceof TimestampType) {
            long micros = row.getTimestampMicros(i);
            return SPARK_TIMESTAMP.format(Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1_000));
        }
        if (type instanceof DateType) {
            return LocalDate.ofEpochDay(row.getDateDays(i)).toString();
        }
        if (type instanceof BinaryType) {
            return new String(row.getBinary(i), StandardCharsets.UTF_8);
        }
        if (type instanceof DecimalType) {
            return row.getDecimal(i).toPlainString();
        }
        return String.valueOf(row.get(i));
    }

    private static boolean isIntegral(DataType type) {
        return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType;
    }

    private static boolean isAtomic(DataType type) {
        return !(type instanceof ArrayType || type instanceof MapType || type instanceof StructType || type instanceof NullType);
    }

    /** The decimal an integral type fits in, as Spark's {@code DecimalType.forType}. */
    private static DecimalType integralDecimal(DataType type) {
        if (type instanceof ByteType) {
            return new DecimalType(3, 0);
        }
        if (type instanceof ShortType) {
            return new DecimalType(5, 0);
        }
        if (type instanceof IntegerType) {
            return new DecimalType(10, 0);
        }
        return new DecimalType(20, 0);
    }

    /** Whether {@code wide} holds every value of {@code narrow}. */
    private static boolean wider(DecimalType wide, DecimalType narrow) {
        return wide.precision() - wide.scale() >= narrow.precision() - narrow.scale() && wide.scale() >= narrow.scale();
    }
}
