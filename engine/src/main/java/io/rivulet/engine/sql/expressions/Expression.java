package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;

import java.time.LocalDate;
import java.util.List;

/**
 * A node of an expression tree: unresolved (a name, a call by name) as built by {@code Column} and the parser,
 * or resolved (typed, bound to positions) after {@link Analyzer#resolve}. Immutable and shareable across threads;
 * evaluation state lives in the caller's {@link EvalContext}.
 * <p>
 * <b>Evaluation</b> (resolved nodes only) by the physical class of {@link #dataType()} (see {@link #evalClass}):
 * boolean: {@link #evalBoolean}; int, smallint, tinyint, date (days): {@link #evalInt}; bigint, timestamp
 * (µs): {@link #evalLong}; double, float: {@link #evalDouble}; string, decimal, binary, array ({@code List}),
 * map, struct ({@code Row}): {@link #evalObject}. Calling another entry point is a bug
 * ({@link UnsupportedOperationException}).
 */
public abstract class Expression {
    /** Evaluation classes: which eval method a type is read with. */
    public static final byte EVAL_BOOLEAN = 0;
    /** int, smallint, tinyint, date. */
    public static final byte EVAL_INT = 1;
    /** bigint, timestamp. */
    public static final byte EVAL_LONG = 2;
    /** double, float. */
    public static final byte EVAL_DOUBLE = 3;
    /** reference values. */
    public static final byte EVAL_OBJECT = 4;

    /**
     * @return the child expressions, in order.
     */
    public abstract List<Expression> children();

    /**
     * @return whether this node and its children are resolved (typed and bound).
     */
    public boolean resolved() {
        for (Expression child : children()) {
            if (!child.resolved()) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the result type; only for resolved nodes.
     */
    public abstract DataType dataType();

    /**
     * @return whether the result may be NULL; by default when any child may be.
     */
    public boolean nullable() {
        for (Expression child : children()) {
            if (child.nullable()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Spark's printed form, which is also the name of an unnamed output column: {@code (qty * price)},
     * {@code upper(sym)}, {@code CAST(x AS INT)}.
     *
     * @return the printed form.
     */
    public abstract String sql();

    @Override
    public String toString() {
        return sql();
    }

    /**
     * @param row the input row.
     * @param ctx the caller's context; its null flag is set.
     * @return the boolean result.
     */
    public boolean evalBoolean(Row row, EvalContext ctx) {
        throw wrongEval("evalBoolean");
    }

    /**
     * @param row the input row.
     * @param ctx the caller's context; its null flag is set.
     * @return the int (smallint, tinyint, date days) result.
     */
    public int evalInt(Row row, EvalContext ctx) {
        throw wrongEval("evalInt");
    }

    /**
     * @param row the input row.
     * @param ctx the caller's context; its null flag is set.
     * @return the bigint (timestamp µs) result.
     */
    public long evalLong(Row row, EvalContext ctx) {
        throw wrongEval("evalLong");
    }

    /**
     * @param row the input row.
     * @param ctx the caller's context; its null flag is set.
     * @return the double (float) result.
     */
    public double evalDouble(Row row, EvalContext ctx) {
        throw wrongEval("evalDouble");
    }

    /**
     * @param row the input row.
     * @param ctx the caller's context.
     * @return the reference result, or null for NULL.
     */
    public Object evalObject(Row row, EvalContext ctx) {
        throw wrongEval("evalObject");
    }

    /**
     * The result as an external Java object ({@link Row}'s types: Integer, Long, Double, Instant, LocalDate,
     * String, ...), boxing primitives: for slow paths and tests, not the hot path.
     *
     * @param row the input row.
     * @param ctx the caller's context.
     * @return the value, or null.
     */
    public final Object eval(Row row, EvalContext ctx) {
        DataType type = dataType();
        switch (evalClass(type)) {
            case EVAL_BOOLEAN: {
                boolean v = evalBoolean(row, ctx);
                return ctx.isNull ? null : v;
            }
            case EVAL_INT: {
                int v = evalInt(row, ctx);
                if (ctx.isNull) {
                    return null;
                }
                if (type == DataTypes.DateType) {
                    return LocalDate.ofEpochDay(v);
                } else if (type == DataTypes.ShortType) {
                    return (short) v;
                } else if (type == DataTypes.ByteType) {
                    return (byte) v;
                }
                return v;
            }
            case EVAL_LONG: {
                long v = evalLong(row, ctx);
                if (ctx.isNull) {
                    return null;
                }
                return type == DataTypes.TimestampType ? PackedRow.toInstant(v) : (Object) v;
            }
            case EVAL_DOUBLE: {
                double v = evalDouble(row, ctx);
                if (ctx.isNull) {
                    return null;
                }
                return type == DataTypes.FloatType ? (Object) (float) v : (Object) v;
            }
            default:
                return evalObject(row, ctx);
        }
    }

    /**
     * @param type a data type.
     * @return which eval method reads it ({@link #EVAL_BOOLEAN} ... {@link #EVAL_OBJECT}).
     */
    public static byte evalClass(DataType type) {
        if (type == DataTypes.BooleanType) {
            return EVAL_BOOLEAN;
        } else if (type == DataTypes.IntegerType || type == DataTypes.ShortType || type == DataTypes.ByteType
            || type == DataTypes.DateType) {
            return EVAL_INT;
        } else if (type == DataTypes.LongType || type == DataTypes.TimestampType) {
            return EVAL_LONG;
        } else if (type == DataTypes.DoubleType || type == DataTypes.FloatType) {
            return EVAL_DOUBLE;
        }
        return EVAL_OBJECT;
    }

    private UnsupportedOperationException wrongEval(String method) {
        return new UnsupportedOperationException(method + " on " + getClass().getSimpleName() + " '" + sql()
            + "'" + (resolved() ? " of type " + dataType().simpleString() : " (unresolved)"));
    }
}
