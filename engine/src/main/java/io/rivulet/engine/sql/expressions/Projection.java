package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.internal.RowKind;
import io.rivulet.engine.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * A resolved select list: its {@link #outputSchema()}, the resolved expressions (one per output column), and
 * {@link #newEvaluator()} for the hot path. Immutable and shareable; each thread takes its own evaluator.
 */
public final class Projection {
    private final StructType inputSchema;
    private final StructType outputSchema;
    private final List<Expression> expressions;
    /** The compiled class's instance, once compiled; racy: a second compilation gives an equal class. */
    private volatile CompiledEval compiled;
    private volatile boolean compiledTried;

    Projection(StructType inputSchema, StructType outputSchema, List<Expression> expressions) {
        this.inputSchema = inputSchema;
        this.outputSchema = outputSchema;
        this.expressions = List.copyOf(expressions);
    }

    /**
     * @return the schema the projection reads.
     */
    public StructType inputSchema() {
        return inputSchema;
    }

    /**
     * @return the schema it writes: names as Spark names them, types and nullability from the expressions.
     */
    public StructType outputSchema() {
        return outputSchema;
    }

    /**
     * @return the resolved expressions, one per output column (aliases kept).
     */
    public List<Expression> expressions() {
        return expressions;
    }

    /**
     * @return the aggregate calls anywhere in the list (the planner turns a projection with any into an
     *         aggregation); empty for a plain projection.
     */
    public List<Aggregate> aggregates() {
        List<Aggregate> out = new ArrayList<>();
        for (Expression e : expressions) {
            collect(e, Aggregate.class, out);
        }
        return out;
    }

    /**
     * @return the generators ({@code explode}) in the list.
     */
    public List<ComplexAccess.Explode> generators() {
        List<ComplexAccess.Explode> out = new ArrayList<>();
        for (Expression e : expressions) {
            collect(e, ComplexAccess.Explode.class, out);
        }
        return out;
    }

    /**
     * @param root  a tree.
     * @param type  a node class.
     * @param out   where matches go.
     * @param <T>   the class.
     */
    public static <T> void collect(Expression root, Class<T> type, List<T> out) {
        if (type.isInstance(root)) {
            out.add(type.cast(root));
        }
        for (Expression child : root.children()) {
            collect(child, type, out);
        }
    }

    /**
     * @return a new evaluator of this projection, for one thread.
     */
    public Evaluator newEvaluator() {
        Evaluator e = new Evaluator(expressions, outputSchema, null);
        return compiledTried && compiled == null ? e : new Evaluator(e, compiled(e));
    }

    /**
     * @return the interpreting evaluator (the node tree, whatever {@code rivulet.sql.codegen} says): the reference
     *         the compiled one is tested against.
     */
    public Evaluator newInterpretingEvaluator() {
        return new Evaluator(expressions, outputSchema, null);
    }

    private CompiledEval compiled(Evaluator e) {
        CompiledEval c = compiled;
        if (c == null && !compiledTried) {
            c = ExpressionCompiler.projection(e.expressions, outputSchema);
            compiled = c;
            compiledTried = true;
        }
        return c;
    }

    /**
     * Evaluates the projection of one row into a reused output row: each column through its node tree's primitive
     * entry point and the row's primitive setter, so fixed-width results are never boxed.
     * Not thread-safe; owned by the thread that runs the stage.
     */
    public static final class Evaluator {
        private final Expression[] expressions;
        private final byte[] kinds;
        /** The generated code, or {@code null}: the tree then evaluates every row. */
        private final CompiledEval compiled;
        private final EvalContext ctx = new EvalContext();

        private Evaluator(Evaluator tree, CompiledEval compiled) {
            this.expressions = tree.expressions;
            this.kinds = tree.kinds;
            this.compiled = compiled;
        }

        Evaluator(List<Expression> expressions, StructType outputSchema, CompiledEval compiled) {
            this.compiled = compiled;
            this.expressions = expressions.toArray(new Expression[0]);
            for (int i = 0; i < this.expressions.length; i++) {
                // An alias only names the output column (already in outputSchema): evaluate what it names.
                while (this.expressions[i] instanceof ComplexAccess.Alias alias) {
                    this.expressions[i] = alias.children().get(0);
                }
            }
            this.kinds = new byte[this.expressions.length];
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = RowKind.of(outputSchema.apply(i).dataType());
            }
        }

        /**
         * @return the context (set {@link EvalContext#currentTimestampMicros} here per epoch).
         */
        public EvalContext context() {
            return ctx;
        }

        /**
         * @return whether this evaluator runs generated code for {@link PackedRow} rows.
         */
        public boolean compiled() {
            return compiled != null;
        }

        /**
         * Writes every output column of {@code in} into {@code out}.
         *
         * @param in  a row of the input schema.
         * @param out a row of the output schema; every field is written.
         */
        public void apply(Row in, MutableRow out) {
            // Small on purpose: the JIT inlines this method into the operator only below FreqInlineSize bytecodes.
            if (compiled != null && in instanceof PackedRow p && out instanceof PackedRow o) {
                compiled.project(p, o, ctx);
            } else {
                interpret(in, out);
            }
        }

        private void interpret(Row in, MutableRow out) {
            final Expression[] exprs = expressions;
            final EvalContext c = ctx;
            for (int i = 0; i < exprs.length; i++) {
                final Expression e = exprs[i];
                switch (kinds[i]) {
                    case RowKind.INT: {
                        int v = e.evalInt(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setInt(i, v);
                        }
                        break;
                    }
                    case RowKind.LONG: {
                        long v = e.evalLong(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setLong(i, v);
                        }
                        break;
                    }
                    case RowKind.DOUBLE: {
                        double v = e.evalDouble(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setDouble(i, v);
                        }
                        break;
                    }
                    case RowKind.BOOLEAN: {
                        boolean v = e.evalBoolean(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setBoolean(i, v);
                        }
                        break;
                    }
                    case RowKind.TIMESTAMP: {
                        long v = e.evalLong(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setTimestampMicros(i, v);
                        }
                        break;
                    }
                    case RowKind.DATE: {
                        int v = e.evalInt(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setDateDays(i, v);
                        }
                        break;
                    }
                    case RowKind.FLOAT: {
                        double v = e.evalDouble(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setFloat(i, (float) v);
                        }
                        break;
                    }
                    case RowKind.SHORT: {
                        int v = e.evalInt(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setShort(i, (short) v);
                        }
                        break;
                    }
                    case RowKind.BYTE: {
                        int v = e.evalInt(in, c);
                        if (c.isNull) {
                            out.setNull(i);
                        } else {
                            out.setByte(i, (byte) v);
                        }
                        break;
                    }
                    case RowKind.STRING: {
                        out.setString(i, (String) e.evalObject(in, c));
                        break;
                    }
                    case RowKind.NULL: {
                        out.setNull(i);
                        break;
                    }
                    default:
                        out.set(i, e.evalObject(in, c));
                }
            }
        }
    }
}
