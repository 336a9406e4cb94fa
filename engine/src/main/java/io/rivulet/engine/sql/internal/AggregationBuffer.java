package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.expressions.AggregateFunction.Accumulator;

/**
 * One group's running aggregates in a structured {@code groupBy(..).agg(..)}: the primitive state of every
 * count, sum, avg, min, max, first and last of a fixed-width column in flat {@code long} slots (doubles as their raw
 * bits, flags as 0/1), and one {@link Accumulator} for each other aggregate (decimal sums, collect_list/set,
 * approx_count_distinct, min/max/first/last of strings and other objects). Which aggregate owns which slots is its
 * {@link GroupAggregation}'s layout; only that aggregation reads or writes a buffer.
 *
 * <p>Not thread-safe; owned by the partition's thread (a snapshot reads a copy made on that thread).
 */
public final class AggregationBuffer {
    /** The primitive state, in the aggregation's slot layout. */
    final long[] slots;
    /** The accumulators of the aggregates without primitive slots, in aggregate order; empty when there are none. */
    final Accumulator[] delegates;

    AggregationBuffer(long[] slots, Accumulator[] delegates) {
        this.slots = slots;
        this.delegates = delegates;
    }
}
