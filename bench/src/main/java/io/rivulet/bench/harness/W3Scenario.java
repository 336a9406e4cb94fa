package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Stream;
import io.rivulet.engine.Windows;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.window.WindowedValue;

import java.time.Duration;

/**
 * W3: per symbol VWAP {@code sum(price * qty) / sum(qty)} over 10 s windows sliding by 1 s, in append mode. The
 * window operator keeps one accumulator per 1 s pane and merges ten panes when a window closes: one pane update per
 * event rather than ten window updates.
 */
final class W3Scenario extends WindowScenario<WindowedValue<Integer, Double>>
{
    W3Scenario()
    {
        super(Workload.W3);
    }

    @Override
    Stream<WindowedValue<Integer, Double>> query(final Stream<Trade> trades, final int partitions)
    {
        return trades
            .keyBy((Trade trade) -> K1Scenario.SYMBOL_KEYS[trade.symbol()], partitions)
            .copyingRecords(TRADES)
            .window(Windows.sliding(Duration.ofSeconds(10), Duration.ofSeconds(1)), Trade::tsMs)
            .aggregate(new Vwap());
    }

    @Override
    WindowProbe<WindowedValue<Integer, Double>> probe(final long rate)
    {
        return new WindowProbe<>(rate)
        {
            @Override
            public long onResult(final WindowedValue<Integer, Double> row)
            {
                final long windowEndMs = row.window().endMs();
                acc.add(Checksum.w3(row.key(), windowEndMs, row.value()));
                return dueSeq(windowEndMs, rate);
            }
        };
    }

    /** {@code [sum(price * qty), sum(qty)]}; merge leaves its second argument unchanged (panes are shared). */
    static final class Vwap implements AggregateFunction<Trade, double[], Double>
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
}
