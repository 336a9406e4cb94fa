package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.Windows;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.topn.RankedValue;

import java.time.Duration;
import java.util.Comparator;

/**
 * The seeds' "top 10 most traded stocks", in two modes:
 * <ul>
 *   <li>{@code window} (default): every 1-second event-time window, the 10 symbols with the most
 *       shares traded, printed once the watermark closes the window (append mode);</li>
 *   <li>{@code running}: the 10 symbols with the most shares traded since the start, printed as the
 *       ranks change (update mode: each row replaces the previous row of its rank).</li>
 * </ul>
 * Both are one call: {@code keyBy(symbol).window(..).topN(..)} and {@code keyBy(symbol).topN(..)};
 * the ranking stage is global (one partition, no constant key). Ties: alphabetical symbol first.
 * Arguments: mode, seconds to run (default 10), trades per second (default 100 000).
 */
public final class TopStocksMain {
    private TopStocksMain() {
    }

    /**
     * @param args optional mode ({@code window} or {@code running}), seconds and trades per second
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        int first = args.length > 0 && !Character.isDigit(args[0].charAt(0)) ? 1 : 0;
        boolean running = first == 1 && args[0].equals("running");
        if (first == 1 && !running && !args[0].equals("window")) {
            throw new IllegalArgumentException("mode must be 'window' or 'running', got '" + args[0] + "'");
        }
        long seconds = args.length > first ? Long.parseLong(args[first]) : 10;
        long tradesPerSecond = args.length > first + 1 ? Long.parseLong(args[first + 1]) : 100_000;
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<MarketData.Trade> trades = rivulet.readStream(Sources.rate().rowsPerSecond(tradesPerSecond))
                .map(row -> MarketData.trade(row.value(), row.timestampMs()));
            StreamingQuery query = (running ? runningTopStocks(trades, 10) : topStocks(trades, 10))
                .writeStream(Sinks.<RankedValue<String, Long>>console().numRows(10))
                .outputMode(running ? "update" : "append")
                .queryName(running ? "top-stocks-running" : "top-stocks")
                .trigger(Trigger.continuous(Duration.ofSeconds(1)))
                .start();
            Run.until(query, Duration.ofSeconds(seconds));
        }
    }

    /**
     * The per-window query.
     *
     * @param trades the trades
     * @param n how many symbols per window
     * @return the ranking rows of each 1-second window (window, rank, symbol, shares), once it closes
     */
    static Stream<RankedValue<String, Long>> topStocks(Stream<MarketData.Trade> trades, int n) {
        return trades
            .withWatermark(MarketData.Trade::timestampMs, Duration.ofMillis(500))
            .keyBy(MarketData.Trade::symbol, 2)
            .window(Windows.tumbling(Duration.ofSeconds(1)), MarketData.Trade::timestampMs)
            .topN(n, Aggregates.sumLong(MarketData.Trade::quantity), Comparator.naturalOrder(), Comparator.naturalOrder());
    }

    /**
     * The running query: shares traded per symbol since the start, ranked.
     *
     * @param trades the trades
     * @param n how many symbols
     * @return the ranks whose symbol or volume changed (no window), in update mode
     */
    static Stream<RankedValue<String, Long>> runningTopStocks(Stream<MarketData.Trade> trades, int n) {
        return trades
            .keyBy(MarketData.Trade::symbol, 2)
            .topN(n, Aggregates.sumLong(MarketData.Trade::quantity), Comparator.naturalOrder(), Comparator.naturalOrder());
    }
}
