package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * {@code CAST(x AS type)} with Spark's <b>non-ANSI</b> semantics (Spark's default, {@code spark.sql.ansi.enabled
 * = false}): a string that does not parse as the target type gives NULL instead of an error; numeric narrowing
 * wraps (bigint to int) or saturates (double to int, as Java's cast), NaN to integral is 0; a string to an
 * integral type accepts a fractional part and drops it ({@code '1.9'} is 1), trims white space; booleans from
 * {@code 't','true','y','yes','1'} / {@code 'f','false','n','no','0'} (any case); numbers to boolean are
 * {@code x != 0}; timestamps and strings convert in UTC (Rivulet has no session time zone). A cast the
 * {@link Analyzer} inserted for coercion prints as its child, so names stay Spark's. Immutable.
 */
public final class Cast extends Expression {
    private static final DateTimeFormatter TIMESTAMP_OUT = new DateTimeFormatterBuilder()
        .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart()
        .appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd().toFormatter(Locale.ROOT)
        .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIMESTAMP_IN = new DateTimeFormatterBuilder()
        .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral(' ').optionalEnd()
        .optionalStart().appendLiteral('T').optionalEnd()
        .optionalStart().appendPattern("HH:mm").optionalStart().appendPattern(":ss").optionalEnd()
        .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().optionalEnd()
        .optionalStart().appendOffsetId().optionalEnd()
        .optionalStart().appendLiteral('Z').optionalEnd()
        .toFormatter(Locale.ROOT);

    private final Expression child;
    private final DataType to;
    private final boolean implicit;
    private final byte fromClass;
    private final String printed;

    /**
     * @param child    the value.
     * @param to       the target type.
     * @param implicit whether the analyzer inserted it (prints as the child).
     */
    public Cast(Expression child, DataType to, boolean implicit) {
        this.child = child;
        this.to = to;
        this.implicit = implicit;
        this.fromClass = evalClass(child.dataType());
        this.printed = null;
    }

    /**
     * A cast printed as the function that asked for it ({@code to_timestamp(s)}).
     *
     * @param child   the value.
     * @param to      the target type.
     * @param printed the printed form.
     */
    public Cast(Expression child, DataType to, String printed) {
        this.child = child;
        this.to = to;
        this.implicit = false;
        this.fromClass = evalClass(child.dataType());
        this.printed = printed;
    }

    /**
     * @param from a type.
     * @param to   a type.
     * @return whether Rivulet casts from one to the other.
     */
    public static boolean canCast(DataType from, DataType to) {
        if (from.equals(to) || from == DataTypes.NullType) {
            return true;
        }
        if (to == DataTypes.StringType) {
            return true;
        }
        boolean fromAtomic = !(from instanceof ArrayType || from instanceof MapType || from instanceof StructType);
        boolean toAtomic = !(to instanceof ArrayType || to instanceof MapType || to instanceof StructType);
        if (!fromAtomic || !toAtomic) {
            return false;
        }
        if (from == DataTypes.BinaryType || to == DataTypes.BinaryType) {
            return from == DataTypes.StringType && to == DataTypes.BinaryType;
        }
        if (to == DataTypes.DateType) {
            return from == DataTypes.StringType || from == DataTypes.TimestampType;
        }
        if (from == DataTypes.DateType) {
            return to == DataTypes.TimestampType;
        }
        return true;
    }

    /**
     * @return whether the query wrote this cast ({@code CAST(x AS INT)}, {@code col.cast(..)}): neither inserted
     *     by the analyzer nor standing for a function such as {@code to_timestamp}
     */
    public boolean explicit() {
        return !implicit && printed == null;
    }

    /**
     * @return the value being cast.
     */
    public Expression child() {
        return child;
    }

    @Override
    public List<Expression> children() {
        return List.of(child);
    }

    @Override
    public DataType dataType() {
        return to;
    }

    @Override
    public boolean nullable() {
        return child.nullable() || child.dataType() == DataTypes.StringType || to instanceof DecimalType;
    }

    @Override
    public String sql() {
        if (printed != null) {
            return printed;
        }
        return implicit ? child.sql() : Sql.render("cast", Sql.of(children()), to);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading the child in a common form

    private long childAsLong(Row row, EvalContext ctx) {
        switch (fromClass) {
            case EVAL_BOOLEAN:
                return child.evalBoolean(row, ctx) ? 1 : 0;
            case EVAL_INT:
                return child.evalInt(row, ctx);
            case EVAL_LONG: {
                long v = child.evalLong(row, ctx);
                // timestamp to a number: seconds since the epoch
                return child.dataType() == DataTypes.TimestampType ? Math.floorDiv(v, 1_000_000L) : v;
            }
            case EVAL_DOUBLE: {
                double d = child.evalDouble(row, ctx);
                return (long) d;
            }
            default: {
                Object o = child.evalObject(row, ctx);
                if (o == null) {
                    ctx.isNull = true;
                    return 0;
                }
                if (o instanceof BigDecimal d) {
                    ctx.isNull = false;
                    return d.longValue();
                }
                return parseIntegral((String) o, ctx);
            }
        }
    }

    private double childAsDouble(Row row, EvalContext ctx) {
        switch (fromClass) {
            case EVAL_DOUBLE:
                return child.evalDouble(row, ctx);
            case EVAL_LONG:
                if (child.dataType() == DataTypes.TimestampType) {
                    return child.evalLong(row, ctx) / 1_000_000.0;
                }
                return child.evalLong(row, ctx);
            case EVAL_INT:
                return child.evalInt(row, ctx);
            case EVAL_BOOLEAN:
                return child.evalBoolean(row, ctx) ? 1 : 0;
            default: {
                Object o = child.evalObject(row, ctx);
                if (o == null) {
                    ctx.isNull = true;
                    return 0;
                }
                ctx.isNull = false;
                if (o instanceof BigDecimal d) {
                    return d.doubleValue();
                }
                return parseDouble((String) o, ctx);
            }
        }
    }

    private static long parseIntegral(String s, EvalContext ctx) {
        String t = s.strip();
        int dot = t.indexOf('.');
        String digits = dot >= 0 ? t.substring(0, dot) : t;
        if (dot >= 0) {
            for (int i = dot + 1; i < t.length(); i++) {
                if (!Character.isDigit(t.charAt(i))) {
                    ctx.isNull = true;
                    return 0;
                }
            }
            if (digits.isEmpty() || digits.equals("-") || digits.equals("+")) {
                digits = digits + "0";
            }
        }
        try {
            long v = Long.parseLong(digits);
            ctx.isNull = false;
            return v;
        } catch (NumberFormatException e) {
            ctx.isNull = true;
            return 0;
        }
    }

    private static double parseDouble(String s, EvalContext ctx) {
        String t = s.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (t.isEmpty() || Character.isLetter(t.charAt(t.length() - 1))) {
            ctx.isNull = true; // Java accepts "1d", "1f", "Infinity"; Spark does not
            return 0;
        }
        try {
            ctx.isNull = false;
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            ctx.isNull = true;
            return 0;
        }
    }

    private boolean integralFits(long v, DataType type) {
        return type == DataTypes.LongType || (type == DataTypes.IntegerType && v == (int) v)
            || (type == DataTypes.ShortType && v == (short) v) || (type == DataTypes.ByteType && v == (byte) v);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Results

    @Override
    public boolean evalBoolean(Row row, EvalContext ctx) {
        if (fromClass == EVAL_OBJECT) {
            Object o = child.evalObject(row, ctx);
            if (o == null) {
                ctx.isNull = true;
                return false;
            }
            if (o instanceof BigDecimal d) {
                ctx.isNull = false;
                return d.signum() != 0;
            }
            String s = ((String) o).strip().toLowerCase(Locale.ROOT);
            switch (s) {
                case "t", "true", "y", "yes", "1":
                    ctx.isNull = false;
                    return true;
                case "f", "false", "n", "no", "0":
                    ctx.isNull = false;
                    return false;
                default:
                    ctx.isNull = true;
                    return false;
            }
        }
        if (fromClass == EVAL_DOUBLE) {
            return child.evalDouble(row, ctx) != 0;
        }
        return childAsLong(row, ctx) != 0;
    }

    @Override
    public int evalInt(Row row, EvalContext ctx) {
        if (to == DataTypes.DateType) {
            if (child.dataType() == DataTypes.TimestampType) {
                return (int) Math.floorDiv(child.evalLong(row, ctx), 86_400_000_000L);
            }
            Object o = child.evalObject(row, ctx);
            if (o == null) {
                ctx.isNull = true;
                return 0;
            }
            String s = ((String) o).strip();
            try {
                int days = (int) LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s).toEpochDay();
                ctx.isNull = false;
                return days;
            } catch (DateTimeParseException e) {
                ctx.isNull = true;
                return 0;
            }
        }
        long v;
        if (fromClass == EVAL_DOUBLE) {
            double d = child.evalDouble(row, ctx);
            v = to == DataTypes.IntegerType ? (int) d : (long) d;
        } else {
            v = childAsLong(row, ctx);
            if (!ctx.isNull && fromClass == EVAL_OBJECT && child.dataType() == DataTypes.StringType
                && !integralFits(v, to)) {
                ctx.isNull = true; // a string out of the target's range is NULL in Spark
                return 0;
            }
        }
        if (to == DataTypes.ShortType) {
            return (short) v;
        } else if (to == DataTypes.ByteType) {
            return (byte) v;
        }
        return (int) v;
    }

    @Override
    public long evalLong(Row row, EvalContext ctx) {
        if (to == DataTypes.TimestampType) {
            return toTimestamp(row, ctx);
        }
        return childAsLong(row, ctx);
    }

    private long toTimestamp(Row row, EvalContext ctx) {
        DataType from = child.dataType();
        if (from == DataTypes.DateType) {
            return child.evalInt(row, ctx) * 86_400_000_000L;
        }
        if (fromClass == EVAL_DOUBLE) {
            double seconds = child.evalDouble(row, ctx);
            return (long) (seconds * 1_000_000L);
        }
        if (fromClass == EVAL_OBJECT && from == DataTypes.StringType) {
            Object o = child.evalObject(row, ctx);
            if (o == null) {
                ctx.isNull = true;
                return 0;
            }
            Long micros = parseTimestamp((String) o);
            ctx.isNull = micros == null;
            return micros == null ? 0 : micros;
        }
        return childAsLong(row, ctx) * 1_000_000L;
    }

    /**
     * Spark's timestamp string forms: {@code yyyy-MM-dd}, {@code yyyy-MM-dd HH:mm[:ss[.fraction]]}, with
     * {@code T} or space, an optional offset or {@code Z}; no offset means UTC.
     *
     * @param s a string.
     * @return microseconds since the epoch, or null if it does not parse.
     */
    public static Long parseTimestamp(String s) {
        try {
            var parsed = TIMESTAMP_IN.parse(s.strip());
            LocalDate date = LocalDate.from(parsed);
            LocalDateTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                ? LocalDateTime.of(date, LocalTime.from(parsed)) : date.atStartOfDay();
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
            return PackedRow.toMicros(OffsetDateTime.of(time, offset).toInstant());
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Override
    public double evalDouble(Row row, EvalContext ctx) {
        double v = childAsDouble(row, ctx);
        return to == DataTypes.FloatType ? (float) v : v;
    }

    @Override
    public Object evalObject(Row row, EvalContext ctx) {
        if (to == DataTypes.StringType) {
            return toStringValue(row, ctx);
        }
        if (to == DataTypes.BinaryType) {
            Object o = child.evalObject(row, ctx);
            return o == null ? null : ((String) o).getBytes(StandardCharsets.UTF_8);
        }
        if (to instanceof DecimalType d) {
            BigDecimal v;
            switch (fromClass) {
                case EVAL_DOUBLE: {
                    double x = child.evalDouble(row, ctx);
                    if (ctx.isNull || Double.isNaN(x) || Double.isInfinite(x)) {
                        return null;
                    }
                    v = BigDecimal.valueOf(x);
                    break;
                }
                case EVAL_OBJECT: {
                    Object o = child.evalObject(row, ctx);
                    if (o == null) {
                        return null;
                    }
                    if (o instanceof BigDecimal b) {
                        v = b;
                    } else {
                        try {
                            v = new BigDecimal(((String) o).strip());
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                    break;
                }
                default: {
                    long x = childAsLong(row, ctx);
                    if (ctx.isNull) {
                        return null;
                    }
                    v = BigDecimal.valueOf(x);
                }
            }
            return Arithmetic.fit(v, d);
        }
        return child.evalObject(row, ctx);
    }

    private Object toStringValue(Row row, EvalContext ctx) {
        DataType from = child.dataType();
        switch (fromClass) {
            case EVAL_BOOLEAN: {
                boolean v = child.evalBoolean(row, ctx);
                return ctx.isNull ? null : Boolean.toString(v);
            }
            case EVAL_INT: {
                int v = child.evalInt(row, ctx);
                if (ctx.isNull) {
                    return null;
                }
                return from == DataTypes.DateType ? LocalDate.ofEpochDay(v).toString() : Integer.toString(v);
            }
            case EVAL_LONG: {
                long v = child.evalLong(row, ctx);
                if (ctx.isNull) {
                    return null;
                }
                return from == DataTypes.TimestampType ? formatTimestamp(v) : Long.toString(v);
            }
            case EVAL_DOUBLE: {
                double v = child.evalDouble(row, ctx);
                if (ctx.isNull) {
                    return null;
                }
                return from == DataTypes.FloatType ? Float.toString((float) v) : Double.toString(v);
            }
            default: {
                Object o = child.evalObject(row, ctx);
                if (o == null) {
                    return null;
                }
                if (o instanceof byte[] b) {
                    return new String(b, StandardCharsets.UTF_8);
                }
                if (o instanceof BigDecimal d) {
                    return d.toPlainString();
                }
                if (o instanceof Row r) {
                    return "{" + r.toString().substring(1, r.toString().length() - 1) + "}";
                }
                return o.toString();
            }
        }
    }

    /**
     * @param micros a timestamp.
     * @return it as Spark prints a timestamp cast to string (UTC): {@code 2024-01-01 10:00:00[.123]}.
     */
    public static String formatTimestamp(long micros) {
        return TIMESTAMP_OUT.format(PackedRow.toInstant(micros));
    }
}
