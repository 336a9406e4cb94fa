package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;

/**
 * A resolved filter condition; {@link #newEvaluator()} for the hot path. A row passes when the condition is true
 * (NULL and false drop it, as in SQL). Immutable and shareable; each thread takes its own evaluator.
 */
public final class Predicate {
    private final Expression condition;

    Predicate(Expression condition) {
        this.condition = condition;
    }

    /**
     * @return the resolved boolean condition.
     */
    public Expression condition() {
        return condition;
    }

    /**
     * @return a new evaluator, for one thread.
     */
    public Evaluator newEvaluator() {
        return new Evaluator(condition);
    }

    /** Tests rows against the condition without allocating. Not thread-safe; owned by the stage's thread. */
    public static final class Evaluator {
        private final Expression condition;
        private final EvalContext ctx = new EvalContext();

        Evaluator(Expression condition) {
            this.condition = condition;
        }

        /**
         * @return the context (set {@link EvalContext#currentTimestampMicros} here per epoch).
         */
        public EvalContext context() {
            return ctx;
        }

        /**
         * @param row a row of the input schema.
         * @return whether the condition is true for it.
         */
        public boolean test(Row row) {
            boolean r = condition.evalBoolean(row, ctx);
            return r && !ctx.isNull;
        }
    }
}
