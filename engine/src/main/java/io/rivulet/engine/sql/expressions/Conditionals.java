package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code CASE WHEN} and {@code coalesce}: branches coerced to one type by the {@link Analyzer}; each evaluation
 * goes to the branch chosen, so primitive results stay primitive. Immutable.
 */
public final class Conditionals {
    private Conditionals() {
    }

    /** Shared: pick a branch, then read it by the result's evaluation class. */
    abstract static class Choice extends Expression {
        /**
         * @param row the input row.
         * @param ctx the context.
         * @return the branch to evaluate, or null for NULL.
         */
        abstract Expression choose(Row row, EvalContext ctx);

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            Expression e = choose(row, ctx);
            if (e == null) {
                ctx.isNull = true;
                return false;
            }
            return e.evalBoolean(row, ctx);
        }

        @Override
        public int evalInt(Row row, EvalContext ctx) {
            Expression e = choose(row, ctx);
            if (e == null) {
                ctx.isNull = true;
                return 0;
            }
            return e.evalInt(row, ctx);
        }

        @Override
        public long evalLong(Row row, EvalContext ctx) {
            Expression e = choose(row, ctx);
            if (e == null) {
                ctx.isNull = true;
                return 0;
            }
            return e.evalLong(row, ctx);
        }

        @Override
        public double evalDouble(Row row, EvalContext ctx) {
            Expression e = choose(row, ctx);
            if (e == null) {
                ctx.isNull = true;
                return 0;
            }
            return e.evalDouble(row, ctx);
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            Expression e = choose(row, ctx);
            return e == null ? null : e.evalObject(row, ctx);
        }
    }

    /** {@code CASE WHEN c1 THEN v1 ... [ELSE e] END}: a NULL condition counts as false; no ELSE gives NULL. */
    public static final class CaseWhen extends Choice {
        private final Expression[] conditions;
        private final Expression[] values;
        private final Expression otherwise;
        private final DataType type;

        /**
         * @param conditions boolean conditions.
         * @param values     one value per condition, of the result type.
         * @param otherwise  the ELSE value, or null.
         * @param type       the result type.
         */
        public CaseWhen(List<Expression> conditions, List<Expression> values, Expression otherwise, DataType type) {
            this.conditions = conditions.toArray(new Expression[0]);
            this.values = values.toArray(new Expression[0]);
            this.otherwise = otherwise;
            this.type = type;
        }

        @Override
        Expression choose(Row row, EvalContext ctx) {
            for (int i = 0; i < conditions.length; i++) {
                if (conditions[i].evalBoolean(row, ctx) && !ctx.isNull) {
                    return values[i];
                }
            }
            return otherwise;
        }

        @Override
        public List<Expression> children() {
            List<Expression> all = new ArrayList<>();
            for (int i = 0; i < conditions.length; i++) {
                all.add(conditions[i]);
                all.add(values[i]);
            }
            if (otherwise != null) {
                all.add(otherwise);
            }
            return all;
        }

        @Override
        public boolean nullable() {
            return otherwise == null || super.nullable();
        }

        @Override
        public DataType dataType() {
            return type;
        }

        @Override
        public String sql() {
            return Sql.render("case", Sql.of(children()), null);
        }
    }

    /** {@code coalesce(a, b, ...)}: the first non-NULL argument. */
    public static final class Coalesce extends Choice {
        private final Expression[] args;
        private final DataType type;

        /**
         * @param args the arguments, of the result type.
         * @param type the result type.
         */
        public Coalesce(List<Expression> args, DataType type) {
            this.args = args.toArray(new Expression[0]);
            this.type = type;
        }

        @Override
        Expression choose(Row row, EvalContext ctx) {
            for (Expression a : args) {
                if (!Values.isNull(a, row, ctx)) {
                    return a;
                }
            }
            return null;
        }

        @Override
        public List<Expression> children() {
            return List.of(args);
        }

        @Override
        public boolean nullable() {
            for (Expression a : args) {
                if (!a.nullable()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public DataType dataType() {
            return type;
        }

        @Override
        public String sql() {
            return Sql.render("coalesce", Sql.of(children()), null);
        }
    }
}
