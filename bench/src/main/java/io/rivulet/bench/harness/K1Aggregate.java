package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.operators.function.AggregateFunction;

/**
 * K1's running aggregate per symbol: {@code [count, sum(qty), seq of the last trade]} in one {@code long[3]}
 * accumulator that {@code add} updates in place. The result is the accumulator itself, read by the sink in the same
 * thread right after the update (the trade's {@code seq} gives the result's due time), so nothing is allocated per
 * record by the aggregate. Stateless; thread-safe.
 */
public final class K1Aggregate implements AggregateFunction<Trade, long[], long[]>
{
    /** Index of the count in the accumulator. */
    public static final int COUNT = 0;
    /** Index of the quantity sum in the accumulator. */
    public static final int SUM_QTY = 1;
    /** Index of the last trade's sequence number in the accumulator. */
    public static final int LAST_SEQ = 2;

    @Override
    public long[] createAccumulator()
    {
        return new long[3];
    }

    @Override
    public long[] add(final long[] acc, final Trade trade)
    {
        acc[COUNT]++;
        acc[SUM_QTY] += trade.qty();
        acc[LAST_SEQ] = trade.seq();
        return acc;
    }

    @Override
    public long[] merge(final long[] a, final long[] b)
    {
        a[COUNT] += b[COUNT];
        a[SUM_QTY] += b[SUM_QTY];
        a[LAST_SEQ] = Math.max(a[LAST_SEQ], b[LAST_SEQ]);
        return a;
    }

    @Override
    public long[] result(final long[] acc)
    {
        return acc;
    }
}
