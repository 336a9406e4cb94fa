package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Stream;
import io.rivulet.engine.Windows;
import io.rivulet.operators.window.WindowedValue;

import java.time.Duration;

/**
 * W2: per symbol, 1 s tumbling event-time window, {@code count} and {@code sum(qty)}, in append mode. One
 * mutable accumulator per (symbol, window): no allocation per event once the window exists.
 */
final class W2Scenario extends WindowScenario<WindowedValue<Integer, long[]>>
{
    W2Scenario()
    {
        super(Workload.W2);
    }

    @Override
    Stream<WindowedValue<Integer, long[]>> query(final Stream<Trade> trades, final int partitions)
    {
        return trades
            .keyBy("symbol", (Trade trade) -> K1Scenario.SYMBOL_KEYS[trade.symbol()], partitions)
            .copyingRecords(TRADES)
            .window(Windows.tumbling(Duration.ofSeconds(1)), Trade::tsMs)
            .aggregate(new CountSumQty());
    }

    @Override
    WindowProbe<WindowedValue<Integer, long[]>> probe(final long rate)
    {
        return new WindowProbe<>(rate)
        {
            @Override
            public long onResult(final WindowedValue<Integer, long[]> row)
            {
                final long windowEndMs = row.window().endMs();
                acc.add(Checksum.w2(row.key(), windowEndMs, row.value()[0], row.value()[1]));
                return dueSeq(windowEndMs, rate);
            }
        };
    }
}
