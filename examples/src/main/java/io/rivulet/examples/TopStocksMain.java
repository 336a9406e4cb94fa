package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The seeds' "top 10 most traded stocks": every 1-second event-time window, the 10 symbols with the
 * most shares traded, printed once the watermark closes the window.
 *
 * <p>Two stages: a per-symbol 1-second tumbling sum of quantity (append mode: each window's rows
 * come out once, when the watermark passes its end), then a per-window top 10, which emits a
 * window's ranking when the watermark tells it every symbol's row for that window has arrived.
 * Arguments: seconds to run (default 10), trades per second (default 100 000).
 */
public final class TopStocksMain {
    private TopStocksMain() {
    }

    /**
     * A window's ranking row.
     *
     * @param window the 1-second window
     * @param rank 1 = most traded
     * @param symbol the symbol
     * @param volume shares traded in the window
     */
    public record Ranked(Window window, int rank, String symbol, long volume) {
    }

    /**
     * @param args optional seconds and trades per second
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        long tradesPerSecond = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = topStocks(rivulet.readStream(Sources.rate().rowsPerSecond(tradesPerSecond))
                    .map(row -> MarketData.trade(row.value(), row.timestampMs())), 10)
                .writeStream(Sinks.<Ranked>console().numRows(10))
                .queryName("top-stocks")
                .trigger(Trigger.continuous(Duration.ofSeconds(1)))
                .start();
            Run.until(query, Duration.ofSeconds(seconds));
        }
    }

    /**
     * The query.
     *
     * @param trades the trades
     * @param n how many symbols per window
     * @return the ranking rows of each window, once it closes
     */
    static Stream<Ranked> topStocks(Stream<MarketData.Trade> trades, int n) {
        return trades
            .withWatermark(MarketData.Trade::timestampMs, Duration.ofMillis(500))
            .keyBy(MarketData.Trade::symbol, 2)
            .window(Windows.tumbling(Duration.ofSeconds(1)), MarketData.Trade::timestampMs)
            .aggregate(Aggregates.sumLong(MarketData.Trade::quantity))
            .keyBy(row -> Boolean.TRUE, 1)
            .process("top" + n + "PerWindow", () -> new TopPerWindow(n));
    }

    /**
     * Collects the (symbol, window, volume) rows of each window and ranks them once the watermark
     * has passed the window's end: by then every partition of the sum stage has emitted its rows for
     * it. Not thread-safe; owned by its partition worker.
     */
    static final class TopPerWindow implements KeyedOperator<Boolean, WindowedValue<String, Long>, Ranked> {
        private static final Comparator<WindowedValue<String, Long>> MOST_TRADED =
            Comparator.comparing((WindowedValue<String, Long> r) -> r.value()).reversed().thenComparing(WindowedValue::key);
        private final int n;
        private final TreeMap<Long, List<WindowedValue<String, Long>>> byWindowEnd = new TreeMap<>();

        TopPerWindow(int n) {
            this.n = n;
        }

        @Override
        public void process(Boolean key, WindowedValue<String, Long> row, Output<Ranked> out) {
            byWindowEnd.computeIfAbsent(row.window().endMs(), end -> new ArrayList<>()).add(row);
        }

        @Override
        public void onWatermark(long watermarkMs, Output<Ranked> out) {
            while (!byWindowEnd.isEmpty() && byWindowEnd.firstKey() <= watermarkMs) {
                emit(byWindowEnd.pollFirstEntry().getValue(), out);
            }
        }

        @Override
        public void onEnd(Output<Ranked> out) {
            while (!byWindowEnd.isEmpty()) {
                emit(byWindowEnd.pollFirstEntry().getValue(), out);
            }
        }

        private void emit(List<WindowedValue<String, Long>> rows, Output<Ranked> out) {
            rows.sort(MOST_TRADED);
            for (int i = 0; i < Math.min(n, rows.size()); i++) {
                WindowedValue<String, Long> row = rows.get(i);
                out.emit(new Ranked(row.window(), i + 1, row.key(), row.value()));
            }
        }
    }
}
