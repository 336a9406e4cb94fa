package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.operators.function.AggregateFunction;

/** W2's aggregate: {@code [count, sum(qty)]} in one long pair, updated in place (no allocation per trade). */
public final class CountSumQty implements AggregateFunction<Trade, long[], long[]>
{
    @Override
    public long[] createAccumulator()
    {
        return new long[2];
    }

    @Override
    public long[] add(final long[] acc, final Trade trade)
    {
        acc[0]++;
        acc[1] += trade.qty();
        return acc;
    }

    @Override
    public long[] merge(final long[] a, final long[] b)
    {
        a[0] += b[0];
        a[1] += b[1];
        return a;
    }

    @Override
    public long[] result(final long[] acc)
    {
        return acc;
    }
}
