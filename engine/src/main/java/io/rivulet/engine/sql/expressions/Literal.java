package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * A constant. Its value is held in evaluation form: Boolean; Integer for int, smallint, tinyint and date (days);
 * Long for bigint and timestamp (µs); Double for double and float; String, BigDecimal, byte[] as such; null for
 * NULL. An {@linkplain #isInterval() interval} ({@code INTERVAL 10 SECONDS}) is a Long of microseconds, allowed
 * only in timestamp arithmetic and window durations. Immutable.
 */
public final class Literal extends Expression {
    private static final DateTimeFormatter TIMESTAMP_SQL =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]").withZone(ZoneOffset.UTC);

    private final Object value;
    private final DataType type;
    private final boolean interval;
    private final String text;

    private Literal(Object value, DataType type, boolean interval, String text) {
        this.value = value;
        this.type = type;
        this.interval = interval;
        this.text = text;
    }

    /**
     * @param value the value in evaluation form (see the class doc), or null.
     * @param type  its type.
     * @return the literal.
     */
    public static Literal of(Object value, DataType type) {
        return new Literal(value, type, false, null);
    }

    /**
     * @param micros the interval's length in microseconds.
     * @param text   how it prints ({@code INTERVAL '10' SECOND}).
     * @return an interval literal.
     */
    public static Literal interval(long micros, String text) {
        return new Literal(micros, DataTypes.LongType, true, text);
    }

    /**
     * A literal of a Java value, as Spark's {@code lit}: Integer, Long, Double, Float, Short, Byte, Boolean,
     * String, BigDecimal, Instant, java.sql.Timestamp, LocalDate, java.sql.Date, byte[], or null.
     *
     * @param v the value.
     * @return the literal.
     * @throws IllegalArgumentException for any other class, naming it.
     */
    public static Literal fromJava(Object v) {
        if (v == null) {
            return of(null, DataTypes.NullType);
        } else if (v instanceof Integer) {
            return of(v, DataTypes.IntegerType);
        } else if (v instanceof Long) {
            return of(v, DataTypes.LongType);
        } else if (v instanceof Double) {
            return of(v, DataTypes.DoubleType);
        } else if (v instanceof Float f) {
            return of((double) f, DataTypes.FloatType);
        } else if (v instanceof Short s) {
            return of((int) s, DataTypes.ShortType);
        } else if (v instanceof Byte b) {
            return of((int) b, DataTypes.ByteType);
        } else if (v instanceof Boolean) {
            return of(v, DataTypes.BooleanType);
        } else if (v instanceof String) {
            return of(v, DataTypes.StringType);
        } else if (v instanceof Character c) {
            return of(c.toString(), DataTypes.StringType);
        } else if (v instanceof BigDecimal d) {
            int scale = Math.max(d.scale(), 0);
            BigDecimal scaled = d.setScale(scale);
            return of(scaled, new DecimalType(Math.min(DecimalType.MAX_PRECISION, Math.max(scaled.precision(), scale)),
                scale));
        } else if (v instanceof Instant i) {
            return of(PackedRow.toMicros(i), DataTypes.TimestampType);
        } else if (v instanceof Timestamp t) {
            return of(PackedRow.toMicros(t.toInstant()), DataTypes.TimestampType);
        } else if (v instanceof LocalDate d) {
            return of((int) d.toEpochDay(), DataTypes.DateType);
        } else if (v instanceof Date d) {
            return of((int) d.toLocalDate().toEpochDay(), DataTypes.DateType);
        } else if (v instanceof byte[]) {
            return of(v, DataTypes.BinaryType);
        }
        throw new IllegalArgumentException("Unsupported literal type " + v.getClass().getName() + " " + v
            + ": lit takes Integer, Long, Double, Float, Short, Byte, Boolean, String, BigDecimal, Instant, "
            + "Timestamp, LocalDate, Date, byte[] or null");
    }

    /**
     * @return the value in evaluation form, or null.
     */
    public Object value() {
        return value;
    }

    /**
     * @return whether this is an interval.
     */
    public boolean isInterval() {
        return interval;
    }

    @Override
    public List<Expression> children() {
        return List.of();
    }

    @Override
    public DataType dataType() {
        return type;
    }

    @Override
    public boolean nullable() {
        return value == null;
    }

    @Override
    public String sql() {
        if (interval) {
            return text;
        }
        if (value == null) {
            return "NULL";
        }
        if (type == DataTypes.TimestampType) {
            return "TIMESTAMP '" + TIMESTAMP_SQL.format(PackedRow.toInstant((Long) value)) + "'";
        }
        if (type == DataTypes.DateType) {
            return "DATE '" + LocalDate.ofEpochDay((Integer) value) + "'";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (type == DataTypes.FloatType) {
            return Float.toString((float) (double) (Double) value);
        }
        if (value instanceof byte[] b) {
            return "X'" + HexFormat.of().withUpperCase().formatHex(b) + "'";
        }
        return value.toString();
    }

    @Override
    public boolean evalBoolean(Row row, EvalContext ctx) {
        ctx.isNull = value == null;
        return value != null && (Boolean) value;
    }

    @Override
    public int evalInt(Row row, EvalContext ctx) {
        ctx.isNull = value == null;
        return value == null ? 0 : (Integer) value;
    }

    @Override
    public long evalLong(Row row, EvalContext ctx) {
        ctx.isNull = value == null;
        return value == null ? 0 : (Long) value;
    }

    @Override
    public double evalDouble(Row row, EvalContext ctx) {
        ctx.isNull = value == null;
        return value == null ? 0 : (Double) value;
    }

    @Override
    public Object evalObject(Row row, EvalContext ctx) {
        return value;
    }
}
