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
import java.util.Arrays;
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

    /**
     * Keeps, per window, the {@link #N} best rows seen so far (a sorted array, insertion on arrival: most rows lose
     * against the tenth and cost one comparison) and emits a window's ranking when the watermark passes its end.
     * Ranking on arrival rather than sorting a window's ~1000 rows when it closes keeps the work off the moment the
     * result is due. Not thread-safe; owned by the partition's thread.
     */
    static final class TopPerWindow implements KeyedOperator<Boolean, WindowedValue<Integer, Long>, Top>
    {
        private final TreeMap<Long, Ranking> byWindowEnd = new TreeMap<>();

        @Override
        public void process(final Boolean key, final WindowedValue<Integer, Long> row, final Output<Top> out)
        {
            final long windowEndMs = row.window().endMs();
            Ranking ranking = byWindowEnd.get(windowEndMs);
            if (ranking == null)
            {
                ranking = new Ranking();
                byWindowEnd.put(windowEndMs, ranking);
            }
            ranking.offer(row.key(), row.value());
        }

        @Override
        public void onWatermark(final long watermarkMs, final Output<Top> out)
        {
            while (!byWindowEnd.isEmpty() && byWindowEnd.firstKey() <= watermarkMs)
            {
                final long windowEndMs = byWindowEnd.firstKey();
                out.emit(byWindowEnd.pollFirstEntry().getValue().top(windowEndMs));
            }
        }

        @Override
        public void onEnd(final Output<Top> out)
        {
            onWatermark(Long.MAX_VALUE, out);
        }
    }

    /** The best {@link #N} (symbol, qty) pairs offered: larger qty first, ties by smaller symbol. */
    static final class Ranking
    {
        private final int[] symbols = new int[N];
        private final long[] qty = new long[N];
        private int size;

        void offer(final int symbol, final long quantity)
        {
            if (size == N && !ranksBefore(symbol, quantity, symbols[N - 1], qty[N - 1]))
            {
                return;
            }
            int i = size < N ? size++ : N - 1;
            while (i > 0 && ranksBefore(symbol, quantity, symbols[i - 1], qty[i - 1]))
            {
                symbols[i] = symbols[i - 1];
                qty[i] = qty[i - 1];
                i--;
            }
            symbols[i] = symbol;
            qty[i] = quantity;
        }

        Top top(final long windowEndMs)
        {
            return new Top(windowEndMs, Arrays.copyOf(symbols, size), Arrays.copyOf(qty, size));
        }

        private static boolean ranksBefore(final int symbol, final long quantity, final int otherSymbol,
            final long otherQuantity)
        {
            return quantity > otherQuantity || (quantity == otherQuantity && symbol < otherSymbol);
        }
    }
}
