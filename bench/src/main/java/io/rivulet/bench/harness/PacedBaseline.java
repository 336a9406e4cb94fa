package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Baseline;
import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.ChecksumAccumulator;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;
import org.HdrHistogram.Histogram;

/**
 * The latency floor: W1 or K1 as a hand-written loop on the calling thread, paced by the same {@link Pacer} and
 * measured the same way as the engine runs (receipt {@link System#nanoTime()} minus due time, measured window only),
 * with no engine in between. What it shows above a fraction of a microsecond is the harness, the timer, the
 * scheduler and GC, not Rivulet; the spec's peers table calls this row "baseline".
 *
 * <p>Stateless; each call runs on the calling thread.
 */
final class PacedBaseline
{
    private PacedBaseline()
    {
    }

    static RunReport run(final HarnessOptions options)
    {
        final boolean w1 = "W1".equals(options.workload());
        final Pacer pacer = Pacer.startingAfter(System.nanoTime(), options.rate());
        final MeasuredWindow window = MeasuredWindow.of(pacer, options.warmupNs(), options.measureNs());
        final Histogram latency = MeasuringSink.newHistogram();
        final Histogram[] histograms = {MeasuringSink.newHistogram(), latency};
        final TradeGenerator generator = new TradeGenerator(options.rate(), false);
        final Trade trade = new Trade();
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final long[] count = new long[WorkloadSpec.SYMBOLS];
        final long[] sumQty = new long[WorkloadSpec.SYMBOLS];
        final long end = options.trades();
        long next = 0;
        long behindNs = 0;
        long firstNs = 0;
        long lastNs = 0;
        boolean truncated = false;
        while (next < end)
        {
            long now = System.nanoTime();
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
                generator.next(trade);
                final boolean result;
                if (w1)
                {
                    result = trade.qty() > 100;
                    if (result)
                    {
                        acc.add(Checksum.w1(trade.price() * trade.qty()));
                    }
                }
                else
                {
                    result = true;
                    count[trade.symbol()]++;
                    sumQty[trade.symbol()] += trade.qty();
                }
                if (result)
                {
                    lastNs = System.nanoTime();
                    final long dueNs = pacer.dueNs(trade.seq());
                    histograms[window.index(dueNs)]
                        .recordValue(Math.min(Math.max(lastNs - dueNs, 0), MeasuringSink.HIGHEST_TRACKABLE_NS));
                }
            }
            next += n;
            behindNs = now - pacer.dueNs(next - 1);
        }

        final ResultCheck check;
        final long results;
        final long checksum;
        if (w1)
        {
            final ChecksumAccumulator expected = new ChecksumAccumulator();
            Baseline.runW1(next, options.rate(), expected);
            results = acc.count();
            checksum = acc.sum();
            check = ResultCheck.compare("direct computation of W1 over " + next + " trades", expected.count(),
                expected.sum(), results, checksum, false);
        }
        else
        {
            final K1Scenario.Totals got = new K1Scenario.Totals();
            System.arraycopy(count, 0, got.count, 0, count.length);
            System.arraycopy(sumQty, 0, got.sumQty, 0, sumQty.length);
            got.results = next;
            results = next;
            checksum = got.checksum();
            check = got.check(K1Scenario.Totals.direct(next, options.rate()), next);
        }
        final long spanNs = lastNs - firstNs;
        return new RunReport(options, next, spanNs > 0 ? next * 1e9 / spanNs : Double.NaN, results, checksum, check,
            RunReport.Latency.of(latency), AllocationMeter.Delta.NONE, behindNs, truncated);
    }
}
