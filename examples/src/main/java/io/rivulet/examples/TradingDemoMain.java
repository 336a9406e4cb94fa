package io.rivulet.examples;

import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.keyed.EmitPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The main demo: a generated market-data stream of 200 000 trades per second, per-symbol running
 * statistics (trades, volume, VWAP, last/low/high) of the large trades, printed each second as
 * Spark's console sink would, with the query's progress and end-to-end latency.
 *
 * <p>Runs for {@code seconds} (first argument, default 10) or until Ctrl-C. With {@code --dashboard}
 * (or {@code --dashboard=PORT}; default port {@value #DASHBOARD_PORT}, 0 for any free one) the engine's
 * dashboard listens on loopback and its URL is printed: live plots of the query (see
 * {@code docs/dashboard.md}).
 */
public final class TradingDemoMain {
    /** The dashboard's port when {@code --dashboard} names none (Spark's UI port). */
    static final int DASHBOARD_PORT = 4040;

    private TradingDemoMain() {
    }

    /**
     * @param args optional: seconds to run, trades per second
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        List<String> positional = new ArrayList<>();
        int dashboardPort = -1;
        for (String arg : args) {
            if (arg.equals("--dashboard")) {
                dashboardPort = DASHBOARD_PORT;
            } else if (arg.startsWith("--dashboard=")) {
                dashboardPort = Integer.parseInt(arg.substring("--dashboard=".length()));
            } else {
                positional.add(arg);
            }
        }
        long seconds = positional.size() > 0 ? Long.parseLong(positional.get(0)) : 10;
        long tradesPerSecond = positional.size() > 1 ? Long.parseLong(positional.get(1)) : 200_000;
        Rivulet.Builder builder = Rivulet.builder();
        if (dashboardPort >= 0) {
            builder.dashboard(dashboardPort);
        }
        try (Rivulet rivulet = builder.build()) {
            rivulet.dashboardUrl().ifPresent(url -> System.out.println("trading-demo: dashboard at " + url));
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(tradesPerSecond))
                .map(row -> MarketData.trade(row.value(), row.timestampMs()))
                .filter(trade -> trade.quantity() >= 100)
                .keyBy(MarketData.Trade::symbol, 2)
                .aggregate(SymbolStats.aggregate(), EmitPolicy.ON_EPOCH)
                .map(SymbolRow::of)
                .writeStream(Sinks.<SymbolRow>console().numRows(10))
                .outputMode(OutputMode.UPDATE)
                .queryName("trading-demo")
                .trigger(Trigger.continuous(Duration.ofSeconds(1)))
                .start();
            System.out.printf("trading-demo: %,d trades/s, per-symbol stats of trades >= 100 shares, for %d s (Ctrl-C stops)%n",
                tradesPerSecond, seconds);
            Run.until(query, Duration.ofSeconds(seconds));
            QueryProgress last = query.lastProgress();
            if (last != null) {
                var latency = query.latencyHistogram();
                System.out.printf("trading-demo: %,d trades in, %,d rows out; latency ingest->sink p50 %.1f us, p99 %.1f us, "
                        + "p99.9 %.1f us, max %.1f us%n",
                    last.totalInputRows(), last.totalOutputRows(), latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3, latency.getMaxValue() / 1e3);
            }
        }
    }

    /**
     * A console row: the symbol and its statistics.
     *
     * @param symbol the symbol
     * @param trades trades so far
     * @param volume shares so far
     * @param vwap volume-weighted average price
     * @param last last price
     * @param low lowest price
     * @param high highest price
     */
    public record SymbolRow(String symbol, long trades, long volume, double vwap, double last, double low, double high) {
        SymbolRow(String symbol, SymbolStats.Row stats) {
            this(symbol, stats.trades(), stats.volume(), stats.vwap(), stats.last(), stats.low(), stats.high());
        }

        static SymbolRow of(KeyValue<String, SymbolStats.Row> kv) {
            return new SymbolRow(kv.key(), kv.value());
        }
    }
}
