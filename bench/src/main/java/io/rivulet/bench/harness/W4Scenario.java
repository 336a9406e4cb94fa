package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Stream;
import io.rivulet.engine.Windows;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.window.WindowedValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * W4: every 1 s tumbling window, the 10 symbols with the largest {@code sum(qty)} (ties: smaller symbol first). Two
 * stages: a per-symbol windowed sum in append mode, then one partition that ranks a window once the watermark has
 * passed its end (by then every partition of the first stage has emitted its rows for it).
 */
final class W4Scenario extends WindowScenario<W4Scenario.Top>
{
    /** Ranks per window. */
    static final int N = 10;

    /**
     * A window's ranking.
     *
     * @param windowEndMs the window's end
     * @param symbols     symbols, most traded first
     * @param qty         their quantities
     */
    record Top(long windowEndMs, int[] symbols, long[] qty)
    {
    }

    W4Scenario()
    {
        super(Workload.W4);
    }

    @Override
    Stream<Top> query(final Stream<Trade> trades, final int partitions)
    {
        return trades
            .keyBy((Trade trade) -> K1Scenario.SYMBOL_KEYS[trade.symbol()], partitions)
            .copyingRecords(TRADES)
            .window(Windows.tumbling(Duration.ofSeconds(1)), Trade::tsMs)
            .aggregate(Aggregates.sumLong(Trade::qty))
            .keyBy(row -> Boolean.TRUE, 1)
            .process("top10PerWindow", TopPerWindow::new);
    }

    @Override
    WindowProbe<Top> probe(final long rate)
    {
        return new WindowProbe<>(rate)
        {
            @Override
            public long onResult(final Top top)
            {
                long h = 0;
                for (int r = 0; r < top.symbols().length; r++)
                {
                    h += Checksum.w4Rank(top.windowEndMs(), r, top.symbols()[r], top.qty()[r]);
                }
                acc.add(h);
                return dueSeq(top.windowEndMs(), rate);
            }
        };
    }

    /** Collects each window's rows and ranks them when the watermark passes the window's end. */
    static final class TopPerWindow implements KeyedOperator<Boolean, WindowedValue<Integer, Long>, Top>
    {
        private static final Comparator<WindowedValue<Integer, Long>> ORDER =
            Comparator.comparing((WindowedValue<Integer, Long> r) -> r.value()).reversed().thenComparing(WindowedValue::key);
        private final TreeMap<Long, List<WindowedValue<Integer, Long>>> byWindowEnd = new TreeMap<>();

        @Override
        public void process(final Boolean key, final WindowedValue<Integer, Long> row, final Output<Top> out)
        {
            byWindowEnd.computeIfAbsent(row.window().endMs(), end -> new ArrayList<>()).add(row);
        }

        @Override
        public void onWatermark(final long watermarkMs, final Output<Top> out)
        {
            while (!byWindowEnd.isEmpty() && byWindowEnd.firstKey() <= watermarkMs)
            {
                emit(byWindowEnd.firstKey(), byWindowEnd.pollFirstEntry().getValue(), out);
            }
        }

        @Override
        public void onEnd(final Output<Top> out)
        {
            while (!byWindowEnd.isEmpty())
            {
                emit(byWindowEnd.firstKey(), byWindowEnd.pollFirstEntry().getValue(), out);
            }
        }

        private static void emit(final long windowEndMs, final List<WindowedValue<Integer, Long>> rows, final Output<Top> out)
        {
            rows.sort(ORDER);
            final int n = Math.min(N, rows.size());
            final int[] symbols = new int[n];
            final long[] qty = new long[n];
            for (int r = 0; r < n; r++)
            {
                symbols[r] = rows.get(r).key();
                qty[r] = rows.get(r).value();
            }
            out.emit(new Top(windowEndMs, symbols, qty));
        }
    }
}
