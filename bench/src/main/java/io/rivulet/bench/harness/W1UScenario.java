package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;

/**
 * W1 as a user writes it: {@code filter(qty > 100).map(new UserW1Result(seq, symbol, price * qty))} over a new
 * {@link UserTrade} per event, fused by the engine with the sink into the source's thread. Every record is new and
 * none outlives the call that made it, so a JIT that sees the whole fused chain could keep them all off the heap
 * (issue 14). Not thread-safe; one instance per run.
 */
final class W1UScenario extends UserShapedScenario<UserW1Result>
{
    W1UScenario()
    {
        super(Workload.W1);
    }

    @Override
    StreamingQuery start(final Stream<UserTrade> trades, final Pacer pacer, final MeasuredWindow window,
        final HarnessOptions options, final String queryName)
    {
        sink = new MeasuringSink<>(id(), pacer, window, W1UProbe::new);
        return options.start(trades
            .filter(trade -> trade.qty() > 100)
            .map(trade -> new UserW1Result(trade.seq(), trade.symbol(), trade.price() * trade.qty()))
            .writeStream(sink), queryName);
    }

    /** Reads each result into the W1 checksum; keeps no reference. Owned by the writer's thread. */
    private static final class W1UProbe extends ChecksumProbe<UserW1Result>
    {
        @Override
        public long onResult(final UserW1Result result)
        {
            acc.add(Checksum.w1(result.notional()));
            return result.seq();
        }
    }
}
