package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.internal.PackedRow;

/**
 * The superclass of the classes {@link ExpressionCompiler} generates: one per {@link Predicate} or
 * {@link Projection}, overriding {@link #test} or {@link #project}. Its instances hold the nodes the generated code
 * leaves to the tree ({@link #nodes}). Immutable; shared by the evaluators of one predicate or projection, each with
 * its own {@link EvalContext}.
 */
abstract class CompiledEval {
    /** The nodes the generated code evaluates through the tree (no template, or a type it does not handle). */
    final Expression[] nodes;

    CompiledEval(Expression[] nodes) {
        this.nodes = nodes;
    }

    /**
     * @param in  a row of the predicate's input schema.
     * @param ctx the caller's context.
     * @return whether the condition is true.
     */
    boolean test(PackedRow in, EvalContext ctx) {
        throw new UnsupportedOperationException("not a compiled predicate");
    }

    /**
     * Writes every output column.
     *
     * @param in  a row of the projection's input schema.
     * @param out a row of its output schema.
     * @param ctx the caller's context.
     */
    void project(PackedRow in, PackedRow out, EvalContext ctx) {
        throw new UnsupportedOperationException("not a compiled projection");
    }
}
