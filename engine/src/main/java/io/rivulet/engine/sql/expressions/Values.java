package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;

/**
 * Helpers shared by the nodes: null tests by evaluation class, Spark's ordering of values, external-object to
 * evaluation-form conversions. Stateless.
 */
public final class Values {
    private Values() {
    }

    /**
     * Evaluates {@code e} only to learn whether it is NULL.
     *
     * @param e   a resolved expression.
     * @param row the input row.
     * @param ctx the context.
     * @return whether the result is NULL.
     */
    public static boolean isNull(Expression e, Row row, EvalContext ctx) {
        switch (Expression.evalClass(e.dataType())) {
            case Expression.EVAL_BOOLEAN:
                e.evalBoolean(row, ctx);
                return ctx.isNull;
            case Expression.EVAL_INT:
                e.evalInt(row, ctx);
                return ctx.isNull;
            case Expression.EVAL_LONG:
                e.evalLong(row, ctx);
                return ctx.isNull;
            case Expression.EVAL_DOUBLE:
                e.evalDouble(row, ctx);
                return ctx.isNull;
            default:
                return e.evalObject(row, ctx) == null;
        }
    }

    /**
     * Spark's double order: NaN equals NaN and is above every other value; -0.0 equals 0.0.
     *
     * @param a a value.
     * @param b a value.
     * @return negative, zero or positive.
     */
    public static int compareDouble(double a, double b) {
        if (a < b) {
            return -1;
        } else if (a > b) {
            return 1;
        } else if (a == b) {
            return 0;
        }
        return Double.compare(a, b);
    }

    /**
     * Orders two non-null reference values of one type: strings, decimals, binaries (unsigned bytes), and any
     * other Comparable.
     *
     * @param a a value.
     * @param b a value of the same type.
     * @return negative, zero or positive.
     * @throws IllegalArgumentException for values without an order (arrays, maps, structs).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compareObjects(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof Comparable c) {
            return c.compareTo(b);
        }
        throw new IllegalArgumentException("values of " + a.getClass().getSimpleName() + " have no order");
    }

    /**
     * @param a a value.
     * @param b a value.
     * @return whether they are equal as SQL values (binary by content, decimals by value).
     */
    public static boolean equalObjects(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    /**
     * Reads an external value (as held in lists, maps and nested rows) as an evaluation-form long.
     *
     * @param v a Long, Integer, Short, Byte or Instant.
     * @return the value (µs for an Instant).
     */
    public static long toLong(Object v) {
        if (v instanceof Instant i) {
            return PackedRow.toMicros(i);
        }
        return ((Number) v).longValue();
    }

    /**
     * @param v an Integer, Short, Byte or LocalDate.
     * @return the value (days for a date).
     */
    public static int toInt(Object v) {
        if (v instanceof LocalDate d) {
            return (int) d.toEpochDay();
        }
        return ((Number) v).intValue();
    }

    /**
     * An expression whose result is computed as an external object (a list element, a map value, a nested field,
     * a parsed JSON field); this base reads it out through every eval entry point.
     */
    public abstract static class ObjectBacked extends Expression {
        /**
         * @param row the input row.
         * @param ctx the context.
         * @return the result as an external object ({@link Row}'s Java types), or null.
         */
        protected abstract Object external(Row row, EvalContext ctx);

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            Object v = external(row, ctx);
            ctx.isNull = v == null;
            return v != null && (Boolean) v;
        }

        @Override
        public int evalInt(Row row, EvalContext ctx) {
            Object v = external(row, ctx);
            ctx.isNull = v == null;
            return v == null ? 0 : toInt(v);
        }

        @Override
        public long evalLong(Row row, EvalContext ctx) {
            Object v = external(row, ctx);
            ctx.isNull = v == null;
            return v == null ? 0 : toLong(v);
        }

        @Override
        public double evalDouble(Row row, EvalContext ctx) {
            Object v = external(row, ctx);
            ctx.isNull = v == null;
            return v == null ? 0 : ((Number) v).doubleValue();
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            return external(row, ctx);
        }
    }

    /**
     * The external value of a field of a row, read by the field's type.
     *
     * @param row a row.
     * @param i   the field.
     * @return its value, or null.
     */
    static Object field(Row row, int i) {
        return row.isNullAt(i) ? null : row.get(i);
    }

    /**
     * Whether the type orders values (atomic types).
     *
     * @param type a type.
     * @return true if comparable with {@code <}.
     */
    static boolean orderable(DataType type) {
        return !(type instanceof ArrayType || type instanceof MapType
            || type instanceof StructType) || type == DataTypes.NullType;
    }
}
