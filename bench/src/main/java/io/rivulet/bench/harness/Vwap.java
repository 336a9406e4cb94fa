package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.operators.function.AggregateFunction;

/**
 * W3's aggregate: {@code [sum(price * qty), sum(qty)]}, result the VWAP; merge leaves its second argument unchanged
 * (the window operator shares panes between windows).
 */
public final class Vwap implements AggregateFunction<Trade, double[], Double>
{
    @Override
    public double[] createAccumulator()
    {
        return new double[2];
    }

    @Override
    public double[] add(final double[] acc, final Trade trade)
    {
        acc[0] += trade.price() * trade.qty();
        acc[1] += trade.qty();
        return acc;
    }

    @Override
    public double[] merge(final double[] a, final double[] b)
    {
        a[0] += b[0];
        a[1] += b[1];
        return a;
    }

    @Override
    public Double result(final double[] acc)
    {
        return acc[0] / acc[1];
    }
}
