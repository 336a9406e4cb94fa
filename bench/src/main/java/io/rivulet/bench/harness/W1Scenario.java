package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;

import java.util.function.Function;

/**
 * W1 through the engine API: {@code filter(qty > 100).map((seq, symbol, price * qty))}, fused with the sink into the
 * source thread. The map refills one {@link W1Row} (the query has one source partition, so one thread fills it), so
 * the query's own code allocates nothing per event. Not thread-safe; one instance per run.
 */
final class W1Scenario extends ChecksumScenario<W1Row>
{
    W1Scenario()
    {
        super(Workload.W1);
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
        return options.start(rivulet.readStream(source)
            .filter(trade -> trade.qty() > 100)
            .map(new ToRow())
            .writeStream(sink), queryName);
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
    private static final class W1Probe extends ChecksumProbe<W1Row>
    {
        @Override
        public long onResult(final W1Row row)
        {
            acc.add(Checksum.w1(row.notional()));
            return row.seq();
        }
    }
}
