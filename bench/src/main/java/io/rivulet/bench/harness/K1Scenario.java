package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.operators.OutputMode;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.KeyValue;
import org.HdrHistogram.Histogram;

/**
 * K1, the keyed path: per symbol, a running count and sum of qty, emitted after every trade:
 * {@code keyBy(symbol, partitions).aggregate(K1Aggregate)}. Trades cross the engine's keyed exchange (a Disruptor
 * ring per partition) to partition workers, which run the aggregate and the sink.
 *
 * <p>Keys are pre-boxed {@code Integer}s (the API has no primitive key, and {@code Integer.valueOf} allocates above
 * 127). The source allocates one {@link Trade} per event: the rings carry references, so a record crossing them
 * cannot be refilled. The check compares every symbol's final count and sum with a direct computation, and that each
 * symbol's counts arrived as 1, 2, 3, ... (exactly one result per trade, in order).
 *
 * <p>Not thread-safe; one instance per run.
 */
final class K1Scenario implements Scenario
{
    /** Symbols boxed once, so keying by symbol allocates nothing per event. */
    static final Integer[] SYMBOL_KEYS = new Integer[WorkloadSpec.SYMBOLS];

    static
    {
        for (int i = 0; i < SYMBOL_KEYS.length; i++)
        {
            SYMBOL_KEYS[i] = i;
        }
    }

    private MeasuringSink<KeyValue<Integer, long[]>> sink;

    @Override
    public String id()
    {
        return "K1";
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
        sink = new MeasuringSink<>("K1", pacer, window, K1Probe::new);
        return options.start(rivulet.readStream(source)
            .keyBy("symbol", (Trade trade) -> SYMBOL_KEYS[trade.symbol()], options.partitions())
            .copyingRecords(WindowScenario.TRADES)
            .aggregate(new K1Aggregate())
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
        final Totals totals = merged();
        return totals.checksum();
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
        for (final MeasuringSink.Writer<KeyValue<Integer, long[]>> writer : sink.writers())
        {
            totals.merge((K1Probe)writer.probe());
        }
        return totals;
    }

    /**
     * Per-symbol counts and quantity sums, the number of results and of out-of-sequence counts seen. Not
     * thread-safe.
     */
    static final class Totals
    {
        final long[] count = new long[WorkloadSpec.SYMBOLS];
        final long[] sumQty = new long[WorkloadSpec.SYMBOLS];
        long results;
        long sequenceErrors;

        /**
         * The expected totals, computed directly from the generator.
         *
         * @param trades    trades.
         * @param eventRate nominal rate R.
         * @return the totals, one result per trade.
         */
        static Totals direct(final long trades, final long eventRate)
        {
            final Totals totals = new Totals();
            final TradeGenerator generator = new TradeGenerator(eventRate, false);
            final Trade trade = new Trade();
            for (long i = 0; i < trades; i++)
            {
                generator.next(trade);
                totals.count[trade.symbol()]++;
                totals.sumQty[trade.symbol()] += trade.qty();
            }
            totals.results = trades;
            return totals;
        }

        void merge(final K1Probe probe)
        {
            results += probe.results;
            sequenceErrors += probe.sequenceErrors;
            for (int s = 0; s < count.length; s++)
            {
                if (probe.count[s] != 0)
                {
                    if (count[s] != 0)
                    {
                        sequenceErrors++; // a symbol seen by two partitions
                    }
                    count[s] = probe.count[s];
                    sumQty[s] = probe.sumQty[s];
                }
            }
        }

        /** @return wrapping sum over traded symbols of {@code Checksum.w2(symbol, 0, count, sumQty)}. */
        long checksum()
        {
            long sum = 0;
            for (int s = 0; s < count.length; s++)
            {
                if (count[s] != 0)
                {
                    sum += Checksum.w2(s, 0L, count[s], sumQty[s]);
                }
            }
            return sum;
        }

        /**
         * @param expected the direct computation.
         * @param trades   trades emitted.
         * @return the verdict.
         */
        ResultCheck check(final Totals expected, final long trades)
        {
            final String what = "direct computation of K1 over " + trades + " trades";
            if (sequenceErrors != 0)
            {
                return ResultCheck.failed("DIFFERS from " + what + ": " + sequenceErrors +
                    " results out of sequence (a count that is not the previous count + 1, or a symbol in two partitions)");
            }
            for (int s = 0; s < count.length; s++)
            {
                if (count[s] != expected.count[s] || sumQty[s] != expected.sumQty[s])
                {
                    return ResultCheck.failed("DIFFERS from " + what + ": symbol " + s + " expected count=" +
                        expected.count[s] + " sumQty=" + expected.sumQty[s] + ", got count=" + count[s] + " sumQty=" +
                        sumQty[s]);
                }
            }
            return ResultCheck.compare(what, expected.results, expected.checksum(), results, checksum(), false);
        }
    }

    /** Keeps each symbol's latest totals and checks they grow one trade at a time. Owned by the writer's thread. */
    static final class K1Probe implements MeasuringSink.Probe<KeyValue<Integer, long[]>>
    {
        final long[] count = new long[WorkloadSpec.SYMBOLS];
        final long[] sumQty = new long[WorkloadSpec.SYMBOLS];
        long results;
        long sequenceErrors;

        @Override
        public long onResult(final KeyValue<Integer, long[]> result)
        {
            final int symbol = result.key();
            final long[] acc = result.value();
            if (acc[K1Aggregate.COUNT] != count[symbol] + 1)
            {
                sequenceErrors++;
            }
            count[symbol] = acc[K1Aggregate.COUNT];
            sumQty[symbol] = acc[K1Aggregate.SUM_QTY];
            results++;
            return acc[K1Aggregate.LAST_SEQ];
        }
    }
}
