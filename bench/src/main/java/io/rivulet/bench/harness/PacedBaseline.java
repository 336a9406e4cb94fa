package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Baseline;
import io.rivulet.bench.workload.BaselineResult;
import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.ChecksumAccumulator;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latency floor: W1, K1 or a user-shaped workload as a hand-written loop, paced by the same {@link Pacer} and
 * measured the same way as the engine runs (receipt {@link System#nanoTime()} minus due time, measured window only),
 * with no engine in between. What it shows above a fraction of a microsecond is the harness, the timer, the
 * scheduler and GC, not Rivulet; the spec's peers table calls this row "baseline".
 *
 * <p>W1 and K1 refill one {@code Trade}. {@code W1U} and {@code W2U} do what a user's hand-written loop does, the same
 * work as {@link W1UScenario} and {@link W2UScenario}: a new {@link UserTrade} per event and a new result record per
 * result (issue 14: the JIT's escape analysis may keep them off the heap here, all in one method).
 *
 * <p>The loop runs on its own thread, named like a query's ({@code rivulet-bench-<id>-latency-baseline-loop}), so that
 * the calling thread takes the same allocation, CPU, GC and heap snapshots as for a query. Stateless; each call
 * blocks the calling thread until the loop ended.
 */
final class PacedBaseline
{
    private PacedBaseline()
    {
    }

    static RunReport run(final HarnessOptions options) throws InterruptedException
    {
        final Pacer pacer = Pacer.startingAfter(System.nanoTime(), options.rate());
        final MeasuredWindow window = MeasuredWindow.of(pacer, options.warmupNs(), options.measureNs());
        final Loop loop = new Loop(options, pacer, window, Work.of(options.workload(), options.rate()));
        final String threadPrefix = "rivulet-bench-" + options.workload().toLowerCase(Locale.ROOT) + "-latency-baseline-";
        final boolean allocationMeasured = AllocationMeter.enable();
        final Thread thread = new Thread(loop, threadPrefix + "loop");
        thread.start();
        AllocationMeter.Delta allocation = AllocationMeter.Delta.NONE;
        try
        {
            if (allocationMeasured)
            {
                allocation = HarnessRunner.sampleWindow(thread::isAlive, threadPrefix, loop.emitted::get, window);
            }
        }
        finally
        {
            thread.join();
        }
        if (loop.failure != null)
        {
            throw new IllegalStateException(options.workload() + " latency-baseline loop failed", loop.failure);
        }
        final long spanNs = loop.work.lastNs - loop.firstNs;
        final long trades = loop.next;
        return new RunReport(options, trades, spanNs > 0 ? trades * 1e9 / spanNs : Double.NaN, loop.work.results(),
            loop.work.checksum(), loop.work.check(trades, options.rate()), RunReport.Latency.of(loop.work.latency),
            allocation, loop.behindNs, loop.truncated);
    }

    /** The paced loop. Its fields are written by its thread and read after it was joined. */
    private static final class Loop implements Runnable
    {
        private final HarnessOptions options;
        private final Pacer pacer;
        private final Work work;
        /** Events emitted so far, for the allocation snapshots; written once per batch. */
        final AtomicLong emitted = new AtomicLong();
        long next;
        long behindNs;
        long firstNs;
        boolean truncated;
        Throwable failure;

        Loop(final HarnessOptions options, final Pacer pacer, final MeasuredWindow window, final Work work)
        {
            this.options = options;
            this.pacer = pacer;
            this.work = work;
            work.measure(pacer, window);
        }

        @Override
        public void run()
        {
            try
            {
                loop();
                work.finish();
            }
            catch (final RuntimeException | Error e)
            {
                failure = e;
            }
        }

        private void loop()
        {
            final long end = options.trades();
            while (next < end)
            {
                final long now = System.nanoTime();
                if (now - pacer.startNs() >= options.stopAfterNs())
                {
                    truncated = true;
                    break;
                }
                final int n = pacer.dueBatch(next, end, now, Pacer.MAX_BATCH);
                if (n == 0)
                {
                    Pacer.awaitDue(pacer.dueNs(next), now, TradeSource.MAX_PARK_NS);
                    continue;
                }
                firstNs = firstNs == 0 ? now : firstNs;
                for (int i = 0; i < n; i++)
                {
                    work.next();
                }
                next += n;
                emitted.lazySet(next);
                behindNs = now - pacer.dueNs(next - 1);
            }
        }
    }

    /** One workload's per-event work and its result. Not thread-safe; owned by the loop's thread. */
    private abstract static class Work
    {
        final TradeGenerator generator;
        final Histogram latency = MeasuringSink.newHistogram();
        /** Indexed by {@link MeasuredWindow#index}: unmeasured samples, then {@link #latency}. */
        private final Histogram[] histograms = {MeasuringSink.newHistogram(), latency};
        private Pacer pacer;
        private MeasuredWindow window;
        long lastNs;

        Work(final long rate)
        {
            generator = new TradeGenerator(rate, false);
        }

        static Work of(final String workload, final long rate)
        {
            return switch (workload)
            {
                case "W1" -> new W1(rate);
                case "K1" -> new K1(rate);
                case "W1U" -> new W1U(rate);
                case "W2U" -> new W2U(rate);
                default -> throw new IllegalArgumentException("latency-baseline runs W1, K1, W1U or W2U, got " + workload);
            };
        }

        final void measure(final Pacer pacer, final MeasuredWindow window)
        {
            this.pacer = pacer;
            this.window = window;
        }

        /** Generates the next event and does the workload's work on it. */
        abstract void next();

        /** The input ended: emits what is still open. */
        void finish()
        {
        }

        /**
         * A result of the event {@code seq} is ready: records its latency from the event's due time.
         *
         * @param seq the event the result's latency is measured from.
         */
        final void result(final long seq)
        {
            lastNs = System.nanoTime();
            final long dueNs = pacer.dueNs(seq);
            histograms[window.index(dueNs)]
                .recordValue(Math.min(Math.max(lastNs - dueNs, 0), MeasuringSink.HIGHEST_TRACKABLE_NS));
        }

        abstract long results();

        abstract long checksum();

        abstract ResultCheck check(long trades, long rate);
    }

    /** W1 into a refilled {@code Trade}: no allocation. */
    private static final class W1 extends Work
    {
        private final Trade trade = new Trade();
        final ChecksumAccumulator acc = new ChecksumAccumulator();

        W1(final long rate)
        {
            super(rate);
        }

        @Override
        void next()
        {
            generator.next(trade);
            if (trade.qty() > 100)
            {
                acc.add(Checksum.w1(trade.price() * trade.qty()));
                result(trade.seq());
            }
        }

        @Override
        long results()
        {
            return acc.count();
        }

        @Override
        long checksum()
        {
            return acc.sum();
        }

        @Override
        ResultCheck check(final long trades, final long rate)
        {
            final ChecksumAccumulator expected = new ChecksumAccumulator();
            Baseline.runW1(trades, rate, expected);
            return ResultCheck.compare("direct computation of W1 over " + trades + " trades", expected.count(),
                expected.sum(), acc.count(), acc.sum(), false);
        }
    }

    /** W1 as a user's loop: a new {@link UserTrade} per event, a new {@link UserW1Result} per result. */
    private static final class W1U extends Work
    {
        private final Trade scratch = new Trade();
        final ChecksumAccumulator acc = new ChecksumAccumulator();

        W1U(final long rate)
        {
            super(rate);
        }

        @Override
        void next()
        {
            generator.next(scratch);
            final UserTrade trade = UserTradeSource.newTrade(scratch);
            if (trade.qty() > 100)
            {
                final UserW1Result out = new UserW1Result(trade.seq(), trade.symbol(), trade.price() * trade.qty());
                acc.add(Checksum.w1(out.notional()));
                result(out.seq());
            }
        }

        @Override
        long results()
        {
            return acc.count();
        }

        @Override
        long checksum()
        {
            return acc.sum();
        }

        @Override
        ResultCheck check(final long trades, final long rate)
        {
            final ChecksumAccumulator expected = new ChecksumAccumulator();
            Baseline.runW1(trades, rate, expected);
            return ResultCheck.compare("direct computation of W1 over " + trades + " trades", expected.count(),
                expected.sum(), acc.count(), acc.sum(), false);
        }
    }

    /**
     * W2 as a user's loop: a new {@link UserTrade} per event into per-symbol counts of the open 1 s windows (a ring of
     * panes), and a new {@link UserW2Result} per symbol of a window when the watermark (largest event time - 500 ms)
     * passes its end, measured from the due time of the event that moved the watermark there.
     */
    private static final class W2U extends Work
    {
        private static final int PANES = 8;
        private final Trade scratch = new Trade();
        private final long[] count = new long[PANES * WorkloadSpec.SYMBOLS];
        private final long[] sumQty = new long[PANES * WorkloadSpec.SYMBOLS];
        private final long rate;
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        private long maxTsMs = Long.MIN_VALUE;
        private long lowPane;
        private long highPane = -1;

        W2U(final long rate)
        {
            super(rate);
            this.rate = rate;
        }

        @Override
        void next()
        {
            generator.next(scratch);
            final UserTrade trade = UserTradeSource.newTrade(scratch);
            final long pane = Math.floorDiv(trade.tsMs(), WorkloadSpec.WINDOW_MS);
            if (trade.tsMs() > maxTsMs)
            {
                maxTsMs = trade.tsMs();
                while (lowPane <= highPane && WorkloadSpec.isWindowDue((lowPane + 1) * WorkloadSpec.WINDOW_MS, maxTsMs))
                {
                    emit(lowPane++);
                }
            }
            if (lowPane > highPane)
            {
                lowPane = pane;
                highPane = pane;
            }
            else
            {
                lowPane = Math.min(lowPane, pane);
                highPane = Math.max(highPane, pane);
            }
            if (highPane - lowPane >= PANES)
            {
                throw new IllegalStateException("event time span exceeds " + PANES + " open windows at trade " + trade);
            }
            final int i = (int)(pane & (PANES - 1)) * WorkloadSpec.SYMBOLS + trade.symbol();
            count[i]++;
            sumQty[i] += trade.qty();
        }

        private void emit(final long pane)
        {
            final long windowEndMs = (pane + 1) * WorkloadSpec.WINDOW_MS;
            final int base = (int)(pane & (PANES - 1)) * WorkloadSpec.SYMBOLS;
            final long dueSeq = WindowScenario.dueSeq(windowEndMs, rate);
            for (int symbol = 0; symbol < WorkloadSpec.SYMBOLS; symbol++)
            {
                if (count[base + symbol] > 0)
                {
                    final UserW2Result out = new UserW2Result(symbol, windowEndMs, count[base + symbol],
                        sumQty[base + symbol]);
                    acc.add(Checksum.w2(out.symbol(), out.windowEndMs(), out.count(), out.sumQty()));
                    result(dueSeq);
                    count[base + symbol] = 0;
                    sumQty[base + symbol] = 0;
                }
            }
        }

        @Override
        void finish()
        {
            while (lowPane <= highPane)
            {
                emit(lowPane++);
            }
        }

        @Override
        long results()
        {
            return acc.count();
        }

        @Override
        long checksum()
        {
            return acc.sum();
        }

        @Override
        ResultCheck check(final long trades, final long rate)
        {
            final BaselineResult expected = Baseline.run(Workload.W2, trades, rate);
            return ResultCheck.compare("direct computation of W2 over " + trades + " trades", expected.results(),
                expected.checksum(), acc.count(), acc.sum(), false);
        }
    }

    /** K1 into a refilled {@code Trade}: per symbol, a running count and {@code sum(qty)}. */
    private static final class K1 extends Work
    {
        private final Trade trade = new Trade();
        private final long[] count = new long[WorkloadSpec.SYMBOLS];
        private final long[] sumQty = new long[WorkloadSpec.SYMBOLS];
        private long results;

        K1(final long rate)
        {
            super(rate);
        }

        @Override
        void next()
        {
            generator.next(trade);
            count[trade.symbol()]++;
            sumQty[trade.symbol()] += trade.qty();
            results++;
            result(trade.seq());
        }

        private K1Scenario.Totals totals()
        {
            final K1Scenario.Totals got = new K1Scenario.Totals();
            System.arraycopy(count, 0, got.count, 0, count.length);
            System.arraycopy(sumQty, 0, got.sumQty, 0, sumQty.length);
            got.results = results;
            return got;
        }

        @Override
        long results()
        {
            return results;
        }

        @Override
        long checksum()
        {
            return totals().checksum();
        }

        @Override
        ResultCheck check(final long trades, final long rate)
        {
            return totals().check(K1Scenario.Totals.direct(trades, rate), trades);
        }
    }
}
