package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Windows;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;

import java.time.Duration;

/**
 * W2 as a user writes it: {@code withWatermark(tsMs, 500 ms)}, {@code keyBy(symbol)} (the key boxed by the key
 * function, as user code boxes it), a 1 s tumbling window counting trades and summing {@code qty} in a small mutable
 * accumulator, then {@code map} to a new {@link UserW2Result} per window and symbol. The trades are new per event and
 * cross the keyed exchange by reference (no {@code RecordCopier}). A window's latency is measured from the due time of
 * the event whose event time moves the watermark past its end, as in {@link W2Scenario}. Not thread-safe; one
 * instance per run.
 */
final class W2UScenario extends UserShapedScenario<UserW2Result>
{
    W2UScenario()
    {
        super(Workload.W2);
    }

    @Override
    StreamingQuery start(final Stream<UserTrade> trades, final Pacer pacer, final MeasuredWindow window,
        final HarnessOptions options, final String queryName)
    {
        final long rate = pacer != null ? pacer.rate() : WorkloadSpec.THROUGHPUT_RATE;
        sink = new MeasuringSink<UserW2Result>(id(), pacer, window, () -> new W2UProbe(rate))
            .measuringAtCommit(options.checkpointDir() != null);
        return options.start(trades
            .withWatermark(UserTrade::tsMs, Duration.ofMillis(WorkloadSpec.WATERMARK_LAG_MS))
            .keyBy("symbol", UserTrade::symbol, options.partitions())
            .window(Windows.tumbling(Duration.ofSeconds(1)), UserTrade::tsMs)
            .aggregate(new CountAndSum())
            .map(w -> new UserW2Result(w.key(), w.window().endMs(), w.value().count, w.value().sumQty))
            .writeStream(sink)
            .outputMode(OutputMode.APPEND), queryName);
    }

    /** A user's window accumulator: trades and summed quantity. Owned by the keyed stage's thread. */
    static final class Counts
    {
        long count;
        long sumQty;
    }

    /** Counts trades and sums their quantity into one {@link Counts} per window and symbol. Stateless. */
    static final class CountAndSum implements AggregateFunction<UserTrade, Counts, Counts>
    {
        @Override
        public Counts createAccumulator()
        {
            return new Counts();
        }

        @Override
        public Counts add(final Counts counts, final UserTrade trade)
        {
            counts.count++;
            counts.sumQty += trade.qty();
            return counts;
        }

        @Override
        public Counts merge(final Counts a, final Counts b)
        {
            a.count += b.count;
            a.sumQty += b.sumQty;
            return a;
        }

        @Override
        public Counts result(final Counts counts)
        {
            return counts;
        }
    }

    /** Reads each window result into the W2 checksum; keeps no reference. Owned by the writer's thread. */
    private static final class W2UProbe extends ChecksumProbe<UserW2Result>
    {
        private final long rate;

        W2UProbe(final long rate)
        {
            this.rate = rate;
        }

        @Override
        public long onResult(final UserW2Result result)
        {
            acc.add(Checksum.w2(result.symbol(), result.windowEndMs(), result.count(), result.sumQty()));
            return WindowScenario.dueSeq(result.windowEndMs(), rate);
        }
    }
}
