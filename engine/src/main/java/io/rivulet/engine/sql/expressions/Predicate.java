package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;

/**
 * A resolved filter condition; {@link #newEvaluator()} for the hot path. A row passes when the condition is true
 * (NULL and false drop it, as in SQL). Immutable and shareable; each thread takes its own evaluator.
 */
public final class Predicate {
    private final Expression condition;
    /** The compiled class's instance, once compiled; racy: a second compilation gives an equal class. */
    private volatile CompiledEval compiled;
    private volatile boolean compileTried;

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
        return new Evaluator(condition, compiled());
    }

    /**
     * @return the interpreting evaluator (the node tree, whatever {@code rivulet.sql.codegen} says): the reference
     *         the compiled one is tested against.
     */
    public Evaluator newInterpretingEvaluator() {
        return new Evaluator(condition, null);
    }

    private CompiledEval compiled() {
        CompiledEval c = compiled;
        if (c == null && !compileTried) {
            c = ExpressionCompiler.predicate(condition);
            compiled = c;
            compileTried = true;
        }
        return c;
    }

    /** Tests rows against the condition without allocating. Not thread-safe; owned by the stage's thread. */
    public static final class Evaluator {
        private final Expression condition;
        /** The generated code, or {@code null}: the tree then evaluates every row. */
        private final CompiledEval compiled;
        private final EvalContext ctx = new EvalContext();

        Evaluator(Expression condition, CompiledEval compiled) {
            this.condition = condition;
            this.compiled = compiled;
        }

        /**
         * @return whether this evaluator runs generated code for {@link PackedRow} inputs.
         */
        public boolean compiled() {
            return compiled != null;
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
            if (compiled != null && row instanceof PackedRow p) {
                return compiled.test(p, ctx);
            }
            boolean r = condition.evalBoolean(row, ctx);
            return r && !ctx.isNull;
        }
    }
}
