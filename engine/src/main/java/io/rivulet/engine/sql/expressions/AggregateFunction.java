package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

/**
 * The evaluation contract of an aggregate ({@code count}, {@code sum}, ...), for the planner of
 * {@code groupBy(..).agg(..)}: one {@link Accumulator} per group and aggregate, fed input rows one at a time,
 * mergeable (partial aggregates, session merges), read out into an output row without boxing.
 * <pre>
 *   Accumulator acc = aggregate.newAccumulator();   // per group, once
 *   acc.update(row, ctx);                            // per input row: no allocation for count/sum/avg/min/max
 *   acc.merge(otherAcc);                             // combine two partial results of the same aggregate
 *   acc.writeResult(out, i);                         // out[i] := the result (primitive setter where primitive)
 *   acc.write(snapshotOut); fresh.read(snapshotIn);  // checkpoint and restore (the accumulator's state codec)
 * </pre>
 */
public interface AggregateFunction {
    /**
     * @return a fresh accumulator holding the aggregate of no rows.
     */
    Accumulator newAccumulator();

    /**
     * @return false for aggregates Spark rejects on a stream ({@code count(DISTINCT x)}: "Distinct aggregations are
     *         not supported on streaming DataFrames/Datasets").
     */
    boolean streamable();

    /** One group's running aggregate. Not thread-safe; owned by the operator's thread. */
    interface Accumulator {
        /**
         * Folds one input row in.
         *
         * @param input the input row (the aggregate's argument is evaluated against it).
         * @param ctx   the evaluator's context.
         */
        void update(Row input, EvalContext ctx);

        /**
         * Folds another accumulator of the same aggregate in (it is not changed).
         *
         * @param other an accumulator from the same {@link AggregateFunction}.
         */
        void merge(Accumulator other);

        /**
         * Writes the result into {@code out} at {@code ordinal}, whose field has the aggregate's result type.
         *
         * @param out     the output row.
         * @param ordinal the field.
         */
        void writeResult(MutableRow out, int ordinal);

        /**
         * @return the result as an external object (boxed), for tests and slow paths.
         */
        Object result();

        /**
         * Writes this accumulator's state into a checkpoint (the accumulator's {@link
         * io.rivulet.operators.state.StateCodec}, with {@link #read}): what a restored accumulator needs to go on.
         *
         * @param out where to
         * @throws UnsupportedOperationException for an aggregate that cannot run on a stream ({@code count(DISTINCT)})
         */
        void write(SnapshotOutput out);

        /**
         * Replaces this accumulator's state (a fresh one's, from {@link #newAccumulator()}) with what {@link #write}
         * wrote.
         *
         * @param in where from
         */
        void read(SnapshotInput in);
    }
}
