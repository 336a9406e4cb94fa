package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Stream;
import io.rivulet.engine.Windows;
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
            .keyBy("symbol", (Trade trade) -> K1Scenario.SYMBOL_KEYS[trade.symbol()], partitions)
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
}
