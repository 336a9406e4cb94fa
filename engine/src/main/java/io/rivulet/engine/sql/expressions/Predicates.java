package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;

import java.util.ArrayList;
import java.util.List;

/**
 * Boolean-valued nodes: comparisons, {@code AND}/{@code OR}/{@code NOT} with SQL's three-valued logic,
 * {@code IS [NOT] NULL}, {@code IN}. Operands are coerced to one type by the {@link Analyzer} first. Immutable.
 */
public final class Predicates {
    private Predicates() {
    }

    /** Base: a boolean result. */
    abstract static class BooleanExpression extends Expression {
        @Override
        public DataType dataType() {
            return DataTypes.BooleanType;
        }
    }

    /**
     * {@code = <=> < <= > >=} on two operands of one type. NULL in gives NULL, except {@code <=>} (null-safe:
     * NULL <=> NULL is true). Doubles order as Spark: NaN = NaN, NaN above all.
     */
    public static final class Comparison extends BooleanExpression {
        private final String op;
        private final byte code;
        private final Expression left;
        private final Expression right;
        private final byte cls;

        /**
         * @param op    the operator.
         * @param left  left operand.
         * @param right right operand, of the left's type.
         */
        public Comparison(String op, Expression left, Expression right) {
            this.op = op;
            this.code = switch (op) {
                case "=" -> 0;
                case "<" -> 1;
                case "<=" -> 2;
                case ">" -> 3;
                case ">=" -> 4;
                case "<=>" -> 5;
                default -> throw new IllegalArgumentException("not a comparison: " + op);
            };
            this.left = left;
            this.right = right;
            this.cls = evalClass(left.dataType());
        }

        @Override
        public List<Expression> children() {
            return List.of(left, right);
        }

        @Override
        public boolean nullable() {
            return code != 5 && super.nullable();
        }

        /** @return the operator's code: 0 {@code =}, 1 {@code <}, 2 {@code <=}, 3 {@code >}, 4 {@code >=}, 5 {@code <=>}. */
        byte code() {
            return code;
        }

        @Override
        public String sql() {
            return Sql.render(op, Sql.of(children()), null);
        }

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            int c;
            boolean leftNull;
            boolean rightNull;
            switch (cls) {
                case EVAL_INT: {
                    int a = left.evalInt(row, ctx);
                    leftNull = ctx.isNull;
                    if (leftNull && code != 5) {
                        return false;
                    }
                    int b = right.evalInt(row, ctx);
                    rightNull = ctx.isNull;
                    c = Integer.compare(a, b);
                    break;
                }
                case EVAL_LONG: {
                    long a = left.evalLong(row, ctx);
                    leftNull = ctx.isNull;
                    if (leftNull && code != 5) {
                        return false;
                    }
                    long b = right.evalLong(row, ctx);
                    rightNull = ctx.isNull;
                    c = Long.compare(a, b);
                    break;
                }
                case EVAL_DOUBLE: {
                    double a = left.evalDouble(row, ctx);
                    leftNull = ctx.isNull;
                    if (leftNull && code != 5) {
                        return false;
                    }
                    double b = right.evalDouble(row, ctx);
                    rightNull = ctx.isNull;
                    c = Values.compareDouble(a, b);
                    break;
                }
                case EVAL_BOOLEAN: {
                    boolean a = left.evalBoolean(row, ctx);
                    leftNull = ctx.isNull;
                    if (leftNull && code != 5) {
                        return false;
                    }
                    boolean b = right.evalBoolean(row, ctx);
                    rightNull = ctx.isNull;
                    c = Boolean.compare(a, b);
                    break;
                }
                default: {
                    Object a = left.evalObject(row, ctx);
                    leftNull = a == null;
                    if (leftNull && code != 5) {
                        ctx.isNull = true;
                        return false;
                    }
                    Object b = right.evalObject(row, ctx);
                    rightNull = b == null;
                    if (leftNull || rightNull) {
                        c = 1;
                    } else if (code == 0 || code == 5) {
                        c = Values.equalObjects(a, b) ? 0 : 1;
                    } else {
                        c = Values.compareObjects(a, b);
                    }
                    break;
                }
            }
            if (code == 5) {
                ctx.isNull = false;
                return leftNull || rightNull ? leftNull && rightNull : c == 0;
            }
            if (rightNull) {
                ctx.isNull = true;
                return false;
            }
            ctx.isNull = false;
            return switch (code) {
                case 0 -> c == 0;
                case 1 -> c < 0;
                case 2 -> c <= 0;
                case 3 -> c > 0;
                default -> c >= 0;
            };
        }
    }

    /** {@code AND}: false if either side is false, else NULL if either is NULL, else true. */
    public static final class And extends BooleanExpression {
        private final Expression left;
        private final Expression right;

        /**
         * @param left  a boolean expression.
         * @param right a boolean expression.
         */
        public And(Expression left, Expression right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public List<Expression> children() {
            return List.of(left, right);
        }

        @Override
        public String sql() {
            return Sql.render("AND", Sql.of(children()), null);
        }

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            boolean a = left.evalBoolean(row, ctx);
            boolean aNull = ctx.isNull;
            if (!a && !aNull) {
                return false;
            }
            boolean b = right.evalBoolean(row, ctx);
            if (!b && !ctx.isNull) {
                return false;
            }
            ctx.isNull = aNull || ctx.isNull;
            return !ctx.isNull;
        }
    }

    /** {@code OR}: true if either side is true, else NULL if either is NULL, else false. */
    public static final class Or extends BooleanExpression {
        private final Expression left;
        private final Expression right;

        /**
         * @param left  a boolean expression.
         * @param right a boolean expression.
         */
        public Or(Expression left, Expression right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public List<Expression> children() {
            return List.of(left, right);
        }

        @Override
        public String sql() {
            return Sql.render("OR", Sql.of(children()), null);
        }

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            boolean a = left.evalBoolean(row, ctx);
            boolean aNull = ctx.isNull;
            if (a && !aNull) {
                return true;
            }
            boolean b = right.evalBoolean(row, ctx);
            if (b && !ctx.isNull) {
                return true;
            }
            ctx.isNull = aNull || ctx.isNull;
            return false;
        }
    }

    /** {@code NOT}: NULL stays NULL. */
    public static final class Not extends BooleanExpression {
        private final Expression child;

        /**
         * @param child a boolean expression.
         */
        public Not(Expression child) {
            this.child = child;
        }

        @Override
        public List<Expression> children() {
            return List.of(child);
        }

        @Override
        public String sql() {
            return Sql.render("NOT", Sql.of(children()), null);
        }

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            return !child.evalBoolean(row, ctx);
        }
    }

    /** {@code IS NULL} / {@code IS NOT NULL}: never NULL. */
    public static final class NullTest extends BooleanExpression {
        private final Expression child;
        private final boolean negated;

        /**
         * @param child   any expression.
         * @param negated true for IS NOT NULL.
         */
        public NullTest(Expression child, boolean negated) {
            this.child = child;
            this.negated = negated;
        }

        @Override
        public List<Expression> children() {
            return List.of(child);
        }

        @Override
        public boolean nullable() {
            return false;
        }

        /** @return whether this is {@code isnotnull}. */
        boolean negated() {
            return negated;
        }

        @Override
        public String sql() {
            return Sql.render(negated ? "isnotnull" : "isnull", Sql.of(children()), null);
        }

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            boolean isNull = Values.isNull(child, row, ctx);
            ctx.isNull = false;
            return isNull != negated;
        }
    }

    /**
     * {@code value IN (a, b, ...)}: true on a match; else NULL if the value or any item is NULL; else false.
     */
    public static final class In extends BooleanExpression {
        private final Expression value;
        private final List<Expression> list;
        private final Comparison[] equals;

        /**
         * @param value the tested value.
         * @param list  the items, of the value's type.
         */
        public In(Expression value, List<Expression> list) {
            this.value = value;
            this.list = List.copyOf(list);
            this.equals = new Comparison[list.size()];
            for (int i = 0; i < equals.length; i++) {
                equals[i] = new Comparison("=", value, list.get(i));
            }
        }

        @Override
        public List<Expression> children() {
            List<Expression> all = new ArrayList<>();
            all.add(value);
            all.addAll(list);
            return all;
        }

        @Override
        public String sql() {
            return Sql.render("in", Sql.of(children()), null);
        }

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            boolean sawNull = false;
            for (Comparison eq : equals) {
                boolean match = eq.evalBoolean(row, ctx);
                if (ctx.isNull) {
                    sawNull = true;
                } else if (match) {
                    return true;
                }
            }
            ctx.isNull = sawNull;
            return false;
        }
    }
}
