package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Binary arithmetic on operands already coerced to one type by the {@link Analyzer} ({@code +}, {@code -},
 * {@code *}, {@code /}, {@code %}, {@code div}), with Spark's non-ANSI semantics: integral overflow wraps, division
 * or remainder by zero is NULL, NULL in gives NULL out. smallint and tinyint compute in int and wrap to their
 * width; float computes in double and rounds to float (exact for one operation). Immutable.
 */
public final class Arithmetic extends Expression {
    private static final byte INT = 0;
    private static final byte LONG = 1;
    private static final byte DOUBLE = 2;
    private static final byte DECIMAL = 3;

    private final String op;
    private final char code;
    private final Expression left;
    private final Expression right;
    private final DataType type;
    private final byte compute;

    /**
     * @param op    one of {@code + - * / % div}.
     * @param left  left operand, of the operation type (after coercion).
     * @param right right operand, of the same type.
     * @param type  the result type.
     */
    public Arithmetic(String op, Expression left, Expression right, DataType type) {
        this.op = op;
        this.code = op.equals("div") ? 'd' : op.charAt(0);
        this.left = left;
        this.right = right;
        this.type = type;
        DataType operand = left.dataType();
        this.compute = operand instanceof DecimalType ? DECIMAL
            : operand == DataTypes.DoubleType || operand == DataTypes.FloatType ? DOUBLE
            : operand == DataTypes.LongType ? LONG : INT;
    }

    @Override
    public List<Expression> children() {
        return List.of(left, right);
    }

    /** @return the operator's code: {@code + - * / %}, {@code d} for {@code div}; for the compiler. */
    char code() {
        return code;
    }

    /** @return whether the operands are computed as decimals (the compiler leaves those to the tree). */
    boolean decimal() {
        return compute == DECIMAL;
    }

    @Override
    public DataType dataType() {
        return type;
    }

    @Override
    public boolean nullable() {
        return code == '/' || code == '%' || code == 'd' || super.nullable();
    }

    @Override
    public String sql() {
        return Sql.render(op, Sql.of(children()), null);
    }

    @Override
    public int evalInt(Row row, EvalContext ctx) {
        int a = left.evalInt(row, ctx);
        if (ctx.isNull) {
            return 0;
        }
        int b = right.evalInt(row, ctx);
        if (ctx.isNull) {
            return 0;
        }
        int r;
        switch (code) {
            case '+' -> r = a + b;
            case '-' -> r = a - b;
            case '*' -> r = a * b;
            default -> {
                if (b == 0) {
                    ctx.isNull = true;
                    return 0;
                }
                r = a % b;
            }
        }
        if (type == DataTypes.ShortType) {
            return (short) r;
        } else if (type == DataTypes.ByteType) {
            return (byte) r;
        }
        return r;
    }

    @Override
    public long evalLong(Row row, EvalContext ctx) {
        if (compute == INT) {
            // div on int operands: bigint result
            int a = left.evalInt(row, ctx);
            if (ctx.isNull) {
                return 0;
            }
            int b = right.evalInt(row, ctx);
            if (ctx.isNull || b == 0) {
                ctx.isNull = true;
                return 0;
            }
            return a / b;
        }
        long a = left.evalLong(row, ctx);
        if (ctx.isNull) {
            return 0;
        }
        long b = right.evalLong(row, ctx);
        if (ctx.isNull) {
            return 0;
        }
        switch (code) {
            case '+':
                return a + b;
            case '-':
                return a - b;
            case '*':
                return a * b;
            default:
                if (b == 0) {
                    ctx.isNull = true;
                    return 0;
                }
                return code == '%' ? a % b : a / b;
        }
    }

    @Override
    public double evalDouble(Row row, EvalContext ctx) {
        double a = left.evalDouble(row, ctx);
        if (ctx.isNull) {
            return 0;
        }
        double b = right.evalDouble(row, ctx);
        if (ctx.isNull) {
            return 0;
        }
        double r;
        switch (code) {
            case '+' -> r = a + b;
            case '-' -> r = a - b;
            case '*' -> r = a * b;
            case '/' -> {
                if (b == 0) {
                    ctx.isNull = true;
                    return 0;
                }
                r = a / b;
            }
            default -> {
                if (b == 0) {
                    ctx.isNull = true;
                    return 0;
                }
                r = a % b;
            }
        }
        return type == DataTypes.FloatType ? (float) r : r;
    }

    @Override
    public Object evalObject(Row row, EvalContext ctx) {
        BigDecimal a = (BigDecimal) left.evalObject(row, ctx);
        if (a == null) {
            return null;
        }
        BigDecimal b = (BigDecimal) right.evalObject(row, ctx);
        if (b == null) {
            return null;
        }
        BigDecimal r;
        switch (code) {
            case '+' -> r = a.add(b);
            case '-' -> r = a.subtract(b);
            case '*' -> r = a.multiply(b);
            case '/' -> {
                if (b.signum() == 0) {
                    return null;
                }
                r = a.divide(b, MathContext.DECIMAL128);
            }
            default -> {
                if (b.signum() == 0) {
                    return null;
                }
                r = a.remainder(b);
            }
        }
        return fit(r, (DecimalType) type);
    }

    /**
     * Rounds half-up to the type's scale; NULL (non-ANSI overflow) when it then has too many digits.
     *
     * @param value a decimal.
     * @param type  the target type.
     * @return the fitted value, or null on overflow.
     */
    static BigDecimal fit(BigDecimal value, DecimalType type) {
        BigDecimal scaled = value.setScale(type.scale(), RoundingMode.HALF_UP);
        return scaled.precision() - scaled.scale() > type.precision() - type.scale() ? null : scaled;
    }

    /** Unary minus and {@code abs}, of the operand's type; integral overflow wraps as in Spark. */
    public static final class Unary extends Expression {
        private final String op;
        private final Expression child;

        /**
         * @param op    {@code negative} or {@code abs}.
         * @param child the numeric operand.
         */
        public Unary(String op, Expression child) {
            this.op = op;
            this.child = child;
        }

        @Override
        public List<Expression> children() {
            return List.of(child);
        }

        @Override
        public DataType dataType() {
            return child.dataType();
        }

        @Override
        public String sql() {
            return Sql.render(op, Sql.of(children()), null);
        }

        @Override
        public int evalInt(Row row, EvalContext ctx) {
            int v = child.evalInt(row, ctx);
            int r = op.equals("abs") ? Math.abs(v) : -v;
            DataType t = child.dataType();
            return t == DataTypes.ShortType ? (short) r : t == DataTypes.ByteType ? (byte) r : r;
        }

        @Override
        public long evalLong(Row row, EvalContext ctx) {
            long v = child.evalLong(row, ctx);
            return op.equals("abs") ? Math.abs(v) : -v;
        }

        @Override
        public double evalDouble(Row row, EvalContext ctx) {
            double v = child.evalDouble(row, ctx);
            return op.equals("abs") ? Math.abs(v) : -v;
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            BigDecimal v = (BigDecimal) child.evalObject(row, ctx);
            return v == null ? null : op.equals("abs") ? v.abs() : v.negate();
        }
    }

    /** {@code timestamp + interval}, {@code timestamp - interval}: microseconds added. */
    public static final class TimestampAdd extends Expression {
        private final String op;
        private final Expression timestamp;
        private final Literal interval;
        private final long deltaMicros;

        /**
         * @param op        {@code +} or {@code -}.
         * @param timestamp a timestamp expression.
         * @param interval  an interval literal.
         */
        public TimestampAdd(String op, Expression timestamp, Literal interval) {
            this.op = op;
            this.timestamp = timestamp;
            this.interval = interval;
            long micros = (Long) interval.value();
            this.deltaMicros = op.equals("-") ? -micros : micros;
        }

        @Override
        public List<Expression> children() {
            return List.of(timestamp, interval);
        }

        @Override
        public DataType dataType() {
            return DataTypes.TimestampType;
        }

        @Override
        public String sql() {
            return Sql.render(op, Sql.of(children()), null);
        }

        @Override
        public long evalLong(Row row, EvalContext ctx) {
            return timestamp.evalLong(row, ctx) + deltaMicros;
        }
    }

    /** {@code round(x, scale)}: HALF_UP as Spark's round, of the operand's type. */
    public static final class Round extends Expression {
        private final Expression child;
        private final int scale;
        private final Literal scaleLiteral;

        /**
         * @param child        a numeric expression.
         * @param scaleLiteral the scale, an int literal.
         */
        public Round(Expression child, Literal scaleLiteral) {
            this.child = child;
            this.scaleLiteral = scaleLiteral;
            this.scale = (Integer) scaleLiteral.value();
        }

        @Override
        public List<Expression> children() {
            return List.of(child, scaleLiteral);
        }

        @Override
        public DataType dataType() {
            DataType t = child.dataType();
            if (t instanceof DecimalType d) {
                int s = Math.max(0, Math.min(scale, d.scale()));
                return new DecimalType(Math.min(DecimalType.MAX_PRECISION, d.precision() - d.scale() + s + 1), s);
            }
            return t;
        }

        @Override
        public String sql() {
            return Sql.render("round", Sql.of(children()), null);
        }

        @Override
        public int evalInt(Row row, EvalContext ctx) {
            int v = child.evalInt(row, ctx);
            return scale >= 0 || ctx.isNull ? v
                : new BigDecimal(v).setScale(scale, RoundingMode.HALF_UP).intValue();
        }

        @Override
        public long evalLong(Row row, EvalContext ctx) {
            long v = child.evalLong(row, ctx);
            return scale >= 0 || ctx.isNull ? v
                : new BigDecimal(v).setScale(scale, RoundingMode.HALF_UP).longValue();
        }

        @Override
        public double evalDouble(Row row, EvalContext ctx) {
            double v = child.evalDouble(row, ctx);
            if (ctx.isNull || Double.isNaN(v) || Double.isInfinite(v)) {
                return v;
            }
            double r = BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP).doubleValue();
            return child.dataType() == DataTypes.FloatType ? (float) r : r;
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            BigDecimal v = (BigDecimal) child.evalObject(row, ctx);
            return v == null ? null : v.setScale(((DecimalType) dataType()).scale(), RoundingMode.HALF_UP);
        }
    }
}
