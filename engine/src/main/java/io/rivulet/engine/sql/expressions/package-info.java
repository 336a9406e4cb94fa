/**
 * Internal, not public API: expression trees behind {@link io.rivulet.engine.sql.Column}, their analysis against a
 * schema, and their evaluation.
 * <pre>
 *   Column / expr("qty * price AS notional")        (unresolved: Unresolved.Attribute, Unresolved.Call, Literal)
 *      -&gt; Analyzer.resolve(expr, schema)            (names bound, functions looked up, Spark's coercion, types)
 *      -&gt; resolved tree (BoundReference, Arithmetic.*, Predicates.*, Cast, ...)
 *      -&gt; Analyzer.projection(..)/predicate(..)     -&gt; Projection.apply(row, out) / Predicate.test(row)
 * </pre>
 * Evaluation is a tree of nodes with primitive entry points ({@code evalBoolean}, {@code evalInt},
 * {@code evalLong}, {@code evalDouble}) and {@code evalObject} for reference values; a primitive result's null
 * flag travels in the caller's {@link io.rivulet.engine.sql.expressions.EvalContext}, so nothing is boxed.
 * Aggregates are {@link io.rivulet.engine.sql.expressions.AggregateFunction}s the planner drives.
 */
package io.rivulet.engine.sql.expressions;
