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
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * K1L, running keyed state on primitive {@code long} keys (issue 11's target): per account, a running sum of qty over
 * {@value #KEYS} distinct {@code long} keys, {@code keyByLong("account", key, partitions).sum(qty, ON_EPOCH)}. The
 * account of a trade is a function of its sequence number, {@code --keys uniform} (the default and the worst case:
 * every key hit about once per {@value #KEYS} trades, so the state is as large as it gets from the first second on
 * and almost every record misses the caches) or {@code --keys zipf} (skewed, a hot set in cache; see
 * {@link KeyDistribution}). Each key's sum is emitted once per epoch in which it changed
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
    /** The sum of a key not seen (no trade sums to it: qty is small and positive). */
    static final long UNSEEN = Long.MIN_VALUE;

    private MeasuringSink<LongKeyValue> sink;
    private KeyDistribution keys = KeyDistribution.UNIFORM;

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
        final KeyDistribution keys = options.keys();
        this.keys = keys;
        return options.start(rivulet.readStream(source)
            .keyByLong("account", (Trade trade) -> keys.key(trade.seq()), options.partitions())
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
        return merged().check(Totals.direct(trades, eventRate, keys), trades);
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
        /** Results emitted (the hand-written loop's; 0 for a direct computation). */
        long results;

        /**
         * The expected sums, computed directly from the generator into an array indexed by key (not a hash table:
         * the check's reference, and the floor under {@link #handWritten}).
         *
         * @param trades    trades.
         * @param eventRate nominal rate R.
         * @param keys      the key distribution.
         * @return the totals.
         */
        static Totals direct(final long trades, final long eventRate, final KeyDistribution keys)
        {
            final Totals totals = new Totals();
            final TradeGenerator generator = new TradeGenerator(eventRate, false);
            final Trade trade = new Trade();
            for (long i = 0; i < trades; i++)
            {
                generator.next(trade);
                final int key = (int)keys.key(trade.seq());
                final long sum = totals.sumQty[key];
                totals.sumQty[key] = (sum == UNSEEN ? 0 : sum) + trade.qty();
            }
            return totals;
        }

        /**
         * K1L's hand-written baseline: the same keys and the same emission as the query, with Agrona's primitive
         * maps, on one thread. Each key's sum lives in a {@code Long2LongHashMap} (a get and a put per trade); the
         * keys changed in the current epoch are kept in a {@code LongHashSet}, and every {@code epochIntervalMs} of
         * wall time (the clock read once per 4 096 trades) each is emitted once, as the query's {@code ON_EPOCH},
         * into an array indexed by key, as the query's sink probe does.
         *
         * @param trades          trades.
         * @param eventRate       nominal rate R.
         * @param keys            the key distribution.
         * @param epochIntervalMs the epoch interval, ms.
         * @return the emitted sums, {@link #results} counting the emissions.
         */
        static Totals handWritten(final long trades, final long eventRate, final KeyDistribution keys,
            final long epochIntervalMs)
        {
            final Totals totals = new Totals();
            final Long2LongHashMap sums = new Long2LongHashMap(UNSEEN);
            final LongHashSet changed = new LongHashSet();
            final TradeGenerator generator = new TradeGenerator(eventRate, false);
            final Trade trade = new Trade();
            final long intervalNs = epochIntervalMs * 1_000_000L;
            long epochEndNs = System.nanoTime() + intervalNs;
            for (long i = 0; i < trades; i++)
            {
                generator.next(trade);
                final long key = keys.key(trade.seq());
                final long sum = sums.get(key);
                sums.put(key, (sum == UNSEEN ? 0 : sum) + trade.qty());
                changed.add(key);
                if ((i & 4095) == 4095 && System.nanoTime() >= epochEndNs)
                {
                    totals.emit(changed, sums);
                    epochEndNs += intervalNs;
                }
            }
            totals.emit(changed, sums);
            return totals;
        }

        private void emit(final LongHashSet changed, final Long2LongHashMap sums)
        {
            for (final LongHashSet.LongIterator it = changed.iterator(); it.hasNext(); )
            {
                final long key = it.nextValue();
                sumQty[(int)key] = sums.get(key);
                results++;
            }
            changed.clear();
        }

        /** @return whether every key's sum equals {@code other}'s. */
        boolean sameSums(final Totals other)
        {
            return Arrays.equals(sumQty, other.sumQty);
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
        Arrays.fill(sums, UNSEEN);
        return sums;
    }
}
