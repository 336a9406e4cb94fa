package io.rivulet.operators.window;

import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quick, JMH-free throughput check of {@link WindowAggregateOperator} on the trading workloads
 * W2 (1 s tumbling count and sum(qty) per symbol) and W3 (VWAP per symbol, 10 s windows sliding by
 * 1 s) of /work/shared/WORKLOADS.md, one thread, 10 M pre-generated trades. Every pass checks the
 * results count and checksum against the reference values, so a fast wrong answer fails.
 *
 * <p>Off by default; run with
 * {@code mvn -q -B -pl operators test -Dtest=WindowThroughputCheck -Drivulet.perf=true}. Operator
 * work only: the records are a reused flyweight, the keys pre-boxed, the watermark
 * ({@code max event time - 500 ms}) is sent every 256 records.
 */
@EnabledIfSystemProperty(named = "rivulet.perf", matches = "true")
class WindowThroughputCheck {
    private static final int N = 10_000_000;
    private static final int SYMBOLS = 1_000;
    private static final long T0 = 1_700_000_000_000L;
    private static final long R = 1_000_000;
    private static final long LAG_MS = 500;
    private static final int WATERMARK_EVERY = 256;
    private static final Integer[] KEYS = new Integer[SYMBOLS];

    private static long[] ts;
    private static int[] symbol;
    private static double[] price;
    private static long[] qty;

    /** One reused record: the operator reads fields through its functions and keeps no reference. */
    static final class Trade {
        long ts;
        double price;
        long qty;
    }

    @BeforeAll
    static void generate() {
        for (int i = 0; i < SYMBOLS; i++) {
            KEYS[i] = i;
        }
        double h = 0;
        for (int k = 1; k <= SYMBOLS; k++) {
            h += 1.0 / k;
        }
        double[] cdf = new double[SYMBOLS];
        double cumulative = 0;
        for (int i = 0; i < SYMBOLS; i++) {
            cumulative += (1.0 / (i + 1)) / h;
            cdf[i] = cumulative;
        }
        cdf[SYMBOLS - 1] = 1.0;
        SplittableRandom rng = new SplittableRandom(42);
        double[] px = new double[SYMBOLS];
        Arrays.fill(px, 100.0);
        ts = new long[N];
        symbol = new int[N];
        price = new double[N];
        qty = new long[N];
        for (int s = 0; s < N; s++) {
            int sym = zipf(cdf, rng.nextDouble());
            double p = px[sym] * (1.0 + (rng.nextDouble() - 0.5) * 0.002);
            px[sym] = p;
            long q = 1 + rng.nextInt(1000);
            long delay = rng.nextDouble() < 0.05 ? rng.nextInt(401) : 0;
            ts[s] = T0 + s * 1000L / R - delay;
            symbol[s] = sym;
            price[s] = p;
            qty[s] = q;
        }
    }

    private static int zipf(double[] cdf, double u) {
        int low = 0;
        int high = cdf.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (u < cdf[mid]) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    @Test
    void w2TumblingCountAndSumWithCombinedAggregates() {
        AggregateFunction<Trade, Object[], List<Object>> fn =
            Aggregates.of(Aggregates.<Trade>count(), Aggregates.<Trade>sumLong(t -> t.qty));
        measure("W2 Aggregates.of(count, sumLong)", WindowAssigner.tumbling(1_000), fn, (end, sym, result) -> {
            long count = (Long) result.get(0);
            long sum = (Long) result.get(1);
            return ((end * 1_000_003 + sym) * 1_000_033 + count) * 1_000_037 + sum;
        }, 10_902, 4350380533236143902L, 5);
    }

    @Test
    void w2TumblingCountAndSumWithOneAccumulator() {
        measure("W2 count+sum in one long[2]", WindowAssigner.tumbling(1_000), new CountSum(),
            (end, sym, result) -> ((end * 1_000_003 + sym) * 1_000_033 + result[0]) * 1_000_037 + result[1],
            10_902, 4350380533236143902L, 5);
    }

    @Test
    void w3SlidingVwap() {
        measure("W3 VWAP 10 s / 1 s", WindowAssigner.sliding(10_000, 1_000), new Vwap(),
            (end, sym, vwap) -> (end * 1_000_003 + sym) * 1_000_033 + Math.round(vwap * 10_000.0),
            19_902, -6404137588859613380L, 3);
    }

    @Test
    void sessionsWithOneSecondGapCountPerSymbol() {
        int passes = 3;
        double[] rates = new double[passes];
        for (int pass = 0; pass < passes; pass++) {
            long[] sessionsAndRecords = new long[2];
            Output<WindowedValue<Integer, Long>> sink = row -> {
                sessionsAndRecords[0]++;
                sessionsAndRecords[1] += row.value();
            };
            SessionWindowOperator<Integer, Trade, long[], Long> op =
                new SessionWindowOperator<>(1_000, t -> t.ts, Aggregates.count(), OutputMode.APPEND, null);
            Trade trade = new Trade();
            long maxTs = Long.MIN_VALUE;
            long start = System.nanoTime();
            for (int i = 0; i < N; i++) {
                long t = ts[i];
                trade.ts = t;
                op.process(KEYS[symbol[i]], trade, sink);
                if (t > maxTs) {
                    maxTs = t;
                }
                if ((i & (WATERMARK_EVERY - 1)) == WATERMARK_EVERY - 1) {
                    op.onWatermark(maxTs - LAG_MS, sink);
                }
            }
            op.onEnd(sink);
            rates[pass] = N * 1e9 / (System.nanoTime() - start);
            assertThat(sessionsAndRecords[1]).as("records in sessions").isEqualTo(N);
            assertThat(sessionsAndRecords[0]).as("sessions").isPositive();
            if (pass == 0) {
                System.out.printf("sessions (1 s gap): %d sessions%n", sessionsAndRecords[0]);
            }
        }
        report("sessions count, 1 s gap", rates);
    }

    interface Term<R> {
        long of(long windowEnd, int symbol, R result);
    }

    private static <A, R> void measure(String name, WindowAssigner assigner, AggregateFunction<Trade, A, R> fn,
                                       Term<R> term, long expectedResults, long expectedChecksum, int passes) {
        double[] rates = new double[passes];
        for (int pass = 0; pass < passes; pass++) {
            long[] resultsAndChecksum = new long[2];
            Output<WindowedValue<Integer, R>> sink = row -> {
                resultsAndChecksum[0]++;
                resultsAndChecksum[1] += term.of(row.window().endMs(), row.key(), row.value());
            };
            WindowAggregateOperator<Integer, Trade, A, R> op =
                new WindowAggregateOperator<>(assigner, t -> t.ts, fn, OutputMode.APPEND);
            Trade trade = new Trade();
            long[] ts = WindowThroughputCheck.ts;
            int[] symbol = WindowThroughputCheck.symbol;
            double[] price = WindowThroughputCheck.price;
            long[] qty = WindowThroughputCheck.qty;
            long maxTs = Long.MIN_VALUE;
            long start = System.nanoTime();
            for (int i = 0; i < N; i++) {
                long t = ts[i];
                trade.ts = t;
                trade.price = price[i];
                trade.qty = qty[i];
                op.process(KEYS[symbol[i]], trade, sink);
                if (t > maxTs) {
                    maxTs = t;
                }
                if ((i & (WATERMARK_EVERY - 1)) == WATERMARK_EVERY - 1) {
                    op.onWatermark(maxTs - LAG_MS, sink);
                }
            }
            op.onEnd(sink);
            long elapsedNs = System.nanoTime() - start;
            rates[pass] = N * 1e9 / elapsedNs;
            assertThat(resultsAndChecksum[0]).as(name + " results").isEqualTo(expectedResults);
            assertThat(resultsAndChecksum[1]).as(name + " checksum").isEqualTo(expectedChecksum);
        }
        report(name, rates);
    }

    private static void report(String name, double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: %d records/pass, best %.2fM records/s, median %.2fM, passes (M/s) %s%n", name, N,
            sorted[rates.length - 1] / 1e6, sorted[rates.length / 2] / 1e6,
            Arrays.toString(Arrays.stream(rates).map(r -> Math.round(r / 1e4) / 100.0).toArray()));
    }

    /** W2's count and sum(qty) in one mutable accumulator. */
    static final class CountSum implements AggregateFunction<Trade, long[], long[]> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(long[] acc, Trade value) {
            acc[0]++;
            acc[1] += value.qty;
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }

        @Override
        public long[] result(long[] acc) {
            return acc;
        }
    }

    /** W3's volume-weighted average price: sum(price * qty) / sum(qty). */
    static final class Vwap implements AggregateFunction<Trade, double[], Double> {
        @Override
        public double[] createAccumulator() {
            return new double[2];
        }

        @Override
        public double[] add(double[] acc, Trade value) {
            acc[0] += value.price * value.qty;
            acc[1] += value.qty;
            return acc;
        }

        @Override
        public double[] merge(double[] a, double[] b) {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }

        @Override
        public Double result(double[] acc) {
            return acc[0] / acc[1];
        }
    }
}
