package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Baseline;
import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.ChecksumAccumulator;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.Source;
import org.HdrHistogram.Histogram;

import java.util.Optional;
import java.util.function.Function;

/**
 * W1 through the engine API: {@code filter(qty > 100).map((seq, symbol, price * qty))}, fused with the sink into the
 * source thread. The map refills one {@link W1Row} (the query has one source partition, so one thread fills it), so
 * the query's own code allocates nothing per event. Not thread-safe; one instance per run.
 */
final class W1Scenario implements Scenario
{
    private MeasuringSink<W1Row> sink;

    @Override
    public String id()
    {
        return "W1";
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
        sink = new MeasuringSink<>("W1", pacer, window, W1Probe::new);
        return rivulet.readStream(source)
            .filter(trade -> trade.qty() > 100)
            .map(new ToRow())
            .writeStream(sink)
            .queryName(queryName)
            .latencySampling(HarnessOptions.ENGINE_LATENCY_SAMPLING)
            .trigger(Trigger.continuous(options.epochIntervalMs()))
            .start();
    }

    @Override
    public Histogram latency()
    {
        return sink.mergedLatency();
    }

    @Override
    public long results()
    {
        return merged().count();
    }

    @Override
    public long checksum()
    {
        return merged().sum();
    }

    @Override
    public long lastResultNs()
    {
        return sink.lastResultNs();
    }

    @Override
    public ResultCheck check(final long trades, final long eventRate, final boolean reference)
    {
        final ChecksumAccumulator got = merged();
        final Optional<ReferenceResults.Row> row =
            reference ? ReferenceResults.find(Workload.W1, trades) : Optional.empty();
        if (row.isPresent())
        {
            return ResultCheck.compare("spec reference W1 N=" + trades, row.get().results(), row.get().checksum(),
                got.count(), got.sum(), true);
        }
        final ChecksumAccumulator expected = new ChecksumAccumulator();
        Baseline.runW1(trades, eventRate, expected);
        return ResultCheck.compare("direct computation of W1 over " + trades + " trades", expected.count(),
            expected.sum(), got.count(), got.sum(), false);
    }

    private ChecksumAccumulator merged()
    {
        final ChecksumAccumulator total = new ChecksumAccumulator();
        for (final MeasuringSink.Writer<W1Row> writer : sink.writers())
        {
            total.merge(((W1Probe)writer.probe()).acc);
        }
        return total;
    }

    /** The W1 map into a refilled row. Owned by the single source thread. */
    private static final class ToRow implements Function<Trade, W1Row>
    {
        private final W1Row row = new W1Row();

        @Override
        public W1Row apply(final Trade trade)
        {
            return row.set(trade.seq(), trade.symbol(), trade.price() * trade.qty());
        }
    }

    /** Accumulates the W1 checksum. Owned by the writer's thread. */
    private static final class W1Probe implements MeasuringSink.Probe<W1Row>
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();

        @Override
        public long onResult(final W1Row row)
        {
            acc.add(Checksum.w1(row.notional()));
            return row.seq();
        }
    }
}
