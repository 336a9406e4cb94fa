package io.rivulet.bench.jmh;

import io.rivulet.bench.harness.CountSumQty;
import io.rivulet.bench.harness.Vwap;
import io.rivulet.bench.workload.BaselineW2;
import io.rivulet.bench.workload.BaselineW3;
import io.rivulet.bench.workload.ChecksumAccumulator;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.Output;
import io.rivulet.operators.window.SessionWindowOperator;
import io.rivulet.operators.window.WindowAggregateOperator;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.window.WindowedValue;
import io.rivulet.operators.function.Aggregates;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The event-time window operators, W2's and W3's shapes, in one thread: per symbol (Zipf, 1000 keys, pre-boxed as
 * the exchange hands them over) over pre-generated trades whose event time advances at the spec's 1M events/s
 * nominal rate, with the watermark (max event time - 500 ms) delivered every 1000 records, as the continuous runtime
 * would; windows close and are emitted to the Blackhole, so an operation is one record plus its share of emission
 * and eviction. {@code -prof gc} gives bytes per record.
 *
 * <p>Baselines: the spec's hand-written W2 and W3 loops ({@link BaselineW2}, {@link BaselineW3}) over the same
 * records. Engine: {@link WindowAggregateOperator} tumbling 1 s count+sum (W2), sliding 10 s / 1 s VWAP with panes
 * (W3), and {@link SessionWindowOperator} with a 1 s gap counting.
 */
@State(Scope.Thread)
public class WindowAggregationBenchmark extends BenchmarkDefaults
{
    private static final int WATERMARK_EVERY = 1000;

    private final Trade[] trades = new Trade[RECORDS];
    private final Integer[] keys = new Integer[RECORDS];
    private WindowAggregateOperator<Integer, Trade, long[], long[]> tumbling;
    private WindowAggregateOperator<Integer, Trade, double[], Double> sliding;
    private SessionWindowOperator<Integer, Trade, long[], Long> session;
    private BaselineW2 baselineW2;
    private BaselineW3 baselineW3;
    private Output<WindowedValue<Integer, long[]>> tumblingOut;
    private Output<WindowedValue<Integer, Double>> slidingOut;
    private Output<WindowedValue<Integer, Long>> sessionOut;
    private long seq;

    /**
     * Pre-generates trades and keys and builds the operators in append mode.
     *
     * @param bh JMH's Blackhole.
     */
    @Setup
    public void setUp(final Blackhole bh)
    {
        final Integer[] boxed = new Integer[WorkloadSpec.SYMBOLS];
        for (int s = 0; s < boxed.length; s++)
        {
            boxed[s] = s;
        }
        final TradeGenerator generator = new TradeGenerator(WorkloadSpec.THROUGHPUT_RATE, false);
        for (int i = 0; i < RECORDS; i++)
        {
            trades[i] = new Trade();
            generator.next(trades[i]);
            keys[i] = boxed[trades[i].symbol()];
        }
        tumbling = new WindowAggregateOperator<>(WindowAssigner.tumbling(1000), Trade::tsMs, new CountSumQty(), OutputMode.APPEND);
        sliding = new WindowAggregateOperator<>(WindowAssigner.sliding(10_000, 1000), Trade::tsMs, new Vwap(), OutputMode.APPEND);
        session = new SessionWindowOperator<>(1000, Trade::tsMs, Aggregates.count(), OutputMode.APPEND, null);
        baselineW2 = new BaselineW2(new ChecksumAccumulator());
        baselineW3 = new BaselineW3(new ChecksumAccumulator());
        tumblingOut = bh::consume;
        slidingOut = bh::consume;
        sessionOut = bh::consume;
    }

    /** The next record, its event time moved on to {@code T0 + seq / 1000} ms (1M events/s nominal). */
    private int nextRecord()
    {
        final int i = (int)(seq & MASK);
        trades[i].tsMs(WorkloadSpec.T0_MS + seq / 1000);
        seq++;
        return i;
    }

    private long watermark()
    {
        return WorkloadSpec.T0_MS + seq / 1000 - WorkloadSpec.WATERMARK_LAG_MS;
    }

    /** Baseline: the spec's hand-written W2 loop. */
    @Benchmark
    public void handWrittenTumbling()
    {
        final Trade t = trades[nextRecord()];
        baselineW2.onTrade(t.tsMs(), t.symbol(), t.qty());
    }

    /** Baseline: the spec's hand-written W3 loop. */
    @Benchmark
    public void handWrittenSliding()
    {
        final Trade t = trades[nextRecord()];
        baselineW3.onTrade(t.tsMs(), t.symbol(), t.price(), t.qty());
    }

    /** W2's shape: tumbling 1 s, count and sum of qty per symbol. */
    @Benchmark
    public void tumblingCountSum()
    {
        final int i = nextRecord();
        tumbling.process(keys[i], trades[i], tumblingOut);
        if (seq % WATERMARK_EVERY == 0)
        {
            tumbling.onWatermark(watermark(), tumblingOut);
        }
    }

    /** W3's shape: sliding 10 s every 1 s, VWAP per symbol (one pane update per record). */
    @Benchmark
    public void slidingVwap()
    {
        final int i = nextRecord();
        sliding.process(keys[i], trades[i], slidingOut);
        if (seq % WATERMARK_EVERY == 0)
        {
            sliding.onWatermark(watermark(), slidingOut);
        }
    }

    /** Session windows with a 1 s gap, counting per symbol. */
    @Benchmark
    public void sessionCount()
    {
        final int i = nextRecord();
        session.process(keys[i], trades[i], sessionOut);
        if (seq % WATERMARK_EVERY == 0)
        {
            session.onWatermark(watermark(), sessionOut);
        }
    }
}
