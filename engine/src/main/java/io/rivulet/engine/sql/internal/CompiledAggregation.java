package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.expressions.AggregateFunction.Accumulator;
import io.rivulet.engine.sql.expressions.EvalContext;

/**
 * The superclass of the classes {@link AggregationCompiler} generates: one per {@link GroupAggregation} layout,
 * overriding {@link #update} with the aggregation's update as straight-line code. Stateless and thread-safe.
 */
abstract class CompiledAggregation {
    /**
     * Folds one input row into one group's state, as {@link GroupAggregation}'s interpreted update does.
     *
     * @param row       a row of the aggregation's input schema (its fixed-width fields are read without kind checks)
     * @param slots     the group's primitive slots
     * @param delegates the group's accumulators of the aggregates without slots
     * @param ctx       the calling thread's context, or {@code null} when there are no delegates
     */
    abstract void update(PackedRow row, long[] slots, Accumulator[] delegates, EvalContext ctx);
}
