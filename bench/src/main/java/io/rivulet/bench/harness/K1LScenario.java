package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.LongKeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.keyed.EmitPolicy;
import org.HdrHistogram.Histogram;

/**
 * K1L, running keyed state on primitive {@code long} keys (issue 11's target): per account, a running sum of qty over
 * {@value #KEYS} distinct {@code long} keys, {@code keyByLong("account", key, partitions).sum(qty, ON_EPOCH)}. The
 * account of trade {@code seq} is the top 20 bits of {@code seq * 0x9E3779B97F4A7C15} (Fibonacci hashing): uniform,
 * every key hit about once per {@value #KEYS} trades, so the state is as large as it gets from the first second on
 * and almost every record misses the caches. Each key's sum is emitted once per epoch in which it changed
 * (Spark's update mode), so the per-record path allocates nothing; the outputs cost one {@link LongKeyValue} per
 * changed key per epoch. Trades cross the exchange by copy ({@link WindowScenario#TRADES}); with one partition the
 * keyed stage is fused into the source's thread unless {@code --fuse false}.
 *
 * <p>Throughput only: a result is an epoch's sum, not one event's, so it has no latency. The check compares every
 * key's final sum with a direct computation over the trades emitted.
 *
 * <p>Not thread-safe; one instance per run.
 */
final class K1LScenario implements Scenario
{
    /** Distinct keys: 2^20. */
    static final int KEYS = 1 << 20;
    private static final long PHI = 0x9E3779B97F4A7C15L;
    /** The sum of a key not seen (no trade sums to it: qty is small and positive). */
    static final long UNSEEN = Long.MIN_VALUE;

    private MeasuringSink<LongKeyValue> sink;

    /**
     * @param seq a trade's sequence number.
     * @return its account key, in {@code [0, KEYS)}.
     */
    static long key(final long seq)
    {
        return (seq * PHI) >>> 44;
    }

    @Override
    public String id()
    {
        return "K1L";
    }

    @Override
    public boolean reusesTrade()
    {
        return true;
    }

    @Override
    public StreamingQuery start(final Rivulet rivulet, final Source<Trade> source, final Pacer pacer,
        final MeasuredWindow window, final HarnessOptions options, final String queryName)
    {
        if (pacer != null)
        {
            throw new IllegalArgumentException("K1L emits per epoch, so its results have no latency: run it in"
                + " throughput mode (bin/bench throughput K1L <N>)");
        }
        sink = new MeasuringSink<>("K1L", null, window, Probe::new);
        return options.start(rivulet.readStream(source)
            .keyByLong("account", (Trade trade) -> key(trade.seq()), options.partitions())
            .copyingRecords(WindowScenario.TRADES)
            .sum(Trade::qty, EmitPolicy.ON_EPOCH)
            .writeStream(sink)
            .outputMode(OutputMode.UPDATE), queryName);
    }

    @Override
    public Histogram latency()
    {
        return sink.mergedLatency();
    }

    @Override
    public long results()
    {
        return sink.results();
    }

    @Override
    public long checksum()
    {
        return merged().checksum();
    }

    @Override
    public long lastResultNs()
    {
        return sink.lastResultNs();
    }

    @Override
    public ResultCheck check(final long trades, final long eventRate, final boolean reference)
    {
        return merged().check(Totals.direct(trades, eventRate), trades);
    }

    private Totals merged()
    {
        final Totals totals = new Totals();
        for (final MeasuringSink.Writer<LongKeyValue> writer : sink.writers())
        {
            totals.merge((Probe)writer.probe());
        }
        return totals;
    }

    /** Each key's latest sum, {@link #UNSEEN} for a key not seen. Not thread-safe. */
    static final class Totals
    {
        final long[] sumQty = unseen();
        long crossed;

        /**
         * The expected sums, computed directly from the generator: the hand-written baseline of K1L.
         *
         * @param trades    trades.
         * @param eventRate nominal rate R.
         * @return the totals.
         */
        static Totals direct(final long trades, final long eventRate)
        {
            final Totals totals = new Totals();
            final TradeGenerator generator = new TradeGenerator(eventRate, false);
            final Trade trade = new Trade();
            for (long i = 0; i < trades; i++)
            {
                generator.next(trade);
                final int key = (int)key(trade.seq());
                final long sum = totals.sumQty[key];
                totals.sumQty[key] = (sum == UNSEEN ? 0 : sum) + trade.qty();
            }
            return totals;
        }

        void merge(final Probe probe)
        {
            for (int k = 0; k < KEYS; k++)
            {
                if (probe.sumQty[k] != UNSEEN)
                {
                    if (sumQty[k] != UNSEEN)
                    {
                        crossed++; // a key seen by two partitions
                    }
                    sumQty[k] = probe.sumQty[k];
                }
            }
        }

        /** @return wrapping sum over keys seen of {@code Checksum.w2(key, 0, 1, sumQty)}. */
        long checksum()
        {
            long sum = 0;
            for (int k = 0; k < KEYS; k++)
            {
                if (sumQty[k] != UNSEEN)
                {
                    sum += Checksum.w2(k, 0L, 1L, sumQty[k]);
                }
            }
            return sum;
        }

        ResultCheck check(final Totals expected, final long trades)
        {
            final String what = "direct computation of K1L over " + trades + " trades";
            if (crossed != 0)
            {
                return ResultCheck.failed("DIFFERS from " + what + ": " + crossed + " keys emitted by two partitions");
            }
            int keys = 0;
            for (int k = 0; k < KEYS; k++)
            {
                if (sumQty[k] != expected.sumQty[k])
                {
                    return ResultCheck.failed("DIFFERS from " + what + ": key " + k + " expected sum " +
                        (expected.sumQty[k] != UNSEEN ? expected.sumQty[k] : "none") + ", got " +
                        (sumQty[k] != UNSEEN ? sumQty[k] : "none"));
                }
                keys += sumQty[k] != UNSEEN ? 1 : 0;
            }
            return ResultCheck.passed("every key's final sum equals the " + what + " (" + keys + " keys)");
        }
    }

    /** Keeps each key's latest sum in one array (one store per result). Owned by the writer's thread. */
    static final class Probe implements MeasuringSink.Probe<LongKeyValue>
    {
        final long[] sumQty = unseen();

        @Override
        public long onResult(final LongKeyValue result)
        {
            sumQty[(int)result.key()] = result.value();
            return 0;
        }
    }

    private static long[] unseen()
    {
        final long[] sums = new long[KEYS];
        java.util.Arrays.fill(sums, UNSEEN);
        return sums;
    }
}
