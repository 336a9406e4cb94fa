package io.rivulet.bench.jmh;

import io.rivulet.bench.harness.UserTrade;
import io.rivulet.bench.harness.UserW1Result;
import io.rivulet.bench.harness.W1Row;
import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.ChecksumAccumulator;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.operators.Output;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.function.ToLongFunction;

/**
 * W1 as a user writes it, through the real engine (issue 14's "before" figure for fused stages): a user
 * {@link Source} that builds a new {@link UserTrade} per event, {@code filter(qty > 100)}, {@code map} to a new
 * {@link UserW1Result} per result, and a user {@link Sink} whose writer reads each result into the W1 checksum and
 * keeps no reference. The runtime fuses source, filter, map and sink into one task on one thread, exactly as in a
 * query a user starts: each invocation starts a query over {@link #EVENTS} events through the public API, waits for
 * its end and checks its result against the direct computation (a wrong answer throws). One operation is one event,
 * so {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per event; it counts every thread (JDK 17.0.15 has
 * {@code getTotalThreadAllocatedBytes}), the query's own included.
 *
 * <ul>
 *   <li>{@code loop} (baseline): the same work as a plain loop, a new trade and a new result too; the JIT's escape
 *       analysis keeps both off the heap.</li>
 *   <li>{@code engineUserShaped}: the user-shaped query.</li>
 *   <li>{@code engineReusedRecords}: the same query with one refilled trade and one refilled result (as the suite's
 *       W1): the engine's own cost per event, the start and end of a query included, so that the difference to
 *       {@code engineUserShaped} is what the user's records cost.</li>
 *   <li>{@code engineUserShapedOneOperator} (diagnostic): filter and map as one {@code flatMap}, one operator link.</li>
 * </ul>
 *
 * <p>The events' fields come from the spec's generator, pre-generated ({@link #RECORDS}, cycled; {@code seq} is the
 * event's index), so that the generator's draws do not hide the chain's cost.
 */
@State(Scope.Benchmark)
public class UserShapedChainBenchmark extends BenchmarkDefaults
{
    /** Events per query (one invocation). */
    public static final int EVENTS = 1 << 21;

    private final long[] tsMs = new long[RECORDS];
    private final int[] symbol = new int[RECORDS];
    private final double[] price = new double[RECORDS];
    private final long[] qty = new long[RECORDS];
    private long expectedResults;
    private long expectedChecksum;
    private Rivulet rivulet;

    /** Pre-generates the fields, computes the expected result, starts the engine. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final TradeGenerator generator = new TradeGenerator(WorkloadSpec.THROUGHPUT_RATE, false);
        final Trade trade = new Trade();
        for (int i = 0; i < RECORDS; i++)
        {
            generator.next(trade);
            tsMs[i] = trade.tsMs();
            symbol[i] = trade.symbol();
            price[i] = trade.price();
            qty[i] = trade.qty();
        }
        final ChecksumAccumulator expected = new ChecksumAccumulator();
        for (int i = 0; i < EVENTS; i++)
        {
            final int k = i & MASK;
            if (qty[k] > 100)
            {
                expected.add(Checksum.w1(price[k] * qty[k]));
            }
        }
        expectedResults = expected.count();
        expectedChecksum = expected.sum();
        rivulet = Rivulet.builder().build();
    }

    /** Closes the engine. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        rivulet.close();
    }

    /**
     * Baseline: the user's W1 as a plain loop, a new trade per event and a new result per result.
     *
     * @return the checksum, checked.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long loop()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        for (int i = 0; i < EVENTS; i++)
        {
            final int k = i & MASK;
            final UserTrade trade = new UserTrade(i, tsMs[k], symbol[k], price[k], qty[k]);
            if (trade.qty() > 100)
            {
                final UserW1Result result = new UserW1Result(trade.seq(), trade.symbol(), trade.price() * trade.qty());
                acc.add(Checksum.w1(result.notional()));
            }
        }
        return check(acc);
    }

    /**
     * The user-shaped W1 query: new records everywhere.
     *
     * @return the checksum, checked.
     * @throws Exception if the query fails.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long engineUserShaped() throws Exception
    {
        final ResultSink<UserW1Result> sink = new ResultSink<>(r -> Checksum.w1(r.notional()));
        final Stream<UserTrade> trades = rivulet.readStream(new NewTradeSource());
        run(trades.filter(t -> t.qty() > 100)
            .map(t -> new UserW1Result(t.seq(), t.symbol(), t.price() * t.qty())), sink, "user-shaped");
        return check(sink.acc);
    }

    /**
     * Diagnostic: the user-shaped query with W1's filter and map written as one {@code flatMap}, so the chain has one
     * operator link and every call site in it sees one class (with filter and map, the operator link's
     * {@code operator.process} call site sees two).
     *
     * @return the checksum, checked.
     * @throws Exception if the query fails.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long engineUserShapedOneOperator() throws Exception
    {
        final ResultSink<UserW1Result> sink = new ResultSink<>(r -> Checksum.w1(r.notional()));
        final Stream<UserTrade> trades = rivulet.readStream(new NewTradeSource());
        run(trades.flatMap((UserTrade t, Output<UserW1Result> out) ->
        {
            if (t.qty() > 100)
            {
                out.emit(new UserW1Result(t.seq(), t.symbol(), t.price() * t.qty()));
            }
        }), sink, "one-operator");
        return check(sink.acc);
    }

    /**
     * The same query with one refilled trade and one refilled result: the engine's own cost.
     *
     * @return the checksum, checked.
     * @throws Exception if the query fails.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long engineReusedRecords() throws Exception
    {
        final ResultSink<W1Row> sink = new ResultSink<>(r -> Checksum.w1(r.notional()));
        final Stream<Trade> trades = rivulet.readStream(new RefilledTradeSource());
        final W1Row row = new W1Row();
        run(trades.filter(t -> t.qty() > 100)
            .map(t -> row.set(t.seq(), t.symbol(), t.price() * t.qty())), sink, "reused");
        return check(sink.acc);
    }

    private static <R> void run(final Stream<R> results, final Sink<R> sink, final String name) throws Exception
    {
        results.writeStream(sink)
            .queryName("user-shaped-chain-" + name)
            .trigger(Trigger.continuous(100))
            .start()
            .awaitTermination();
    }

    private long check(final ChecksumAccumulator acc)
    {
        if (acc.count() != expectedResults || acc.sum() != expectedChecksum)
        {
            throw new IllegalStateException("wrong W1 result: " + acc.count() + " results, checksum " + acc.sum()
                + "; expected " + expectedResults + ", " + expectedChecksum);
        }
        return acc.sum();
    }

    /** A user's source: a new {@link UserTrade} per event, {@link #EVENTS} of them, as fast as the query takes them. */
    private final class NewTradeSource implements Source<UserTrade>
    {
        @Override
        public String description()
        {
            return "new user trades";
        }

        @Override
        public int numPartitions()
        {
            return 1;
        }

        @Override
        public SourceReader<UserTrade> open(final SourceContext context)
        {
            return new SourceReader<>()
            {
                private int next;

                @Override
                public int poll(final SourceOutput<UserTrade> out, final int limit)
                {
                    if (next >= EVENTS)
                    {
                        return END_OF_INPUT;
                    }
                    final int n = Math.min(limit, EVENTS - next);
                    for (int i = next, end = next + n; i < end; i++)
                    {
                        final int k = i & MASK;
                        out.emit(new UserTrade(i, tsMs[k], symbol[k], price[k], qty[k]));
                    }
                    next += n;
                    return n;
                }
            };
        }
    }

    /** The same events refilled into one mutable {@link Trade}. */
    private final class RefilledTradeSource implements Source<Trade>
    {
        @Override
        public String description()
        {
            return "refilled trades";
        }

        @Override
        public int numPartitions()
        {
            return 1;
        }

        @Override
        public SourceReader<Trade> open(final SourceContext context)
        {
            final Trade trade = new Trade();
            return new SourceReader<>()
            {
                private int next;

                @Override
                public int poll(final SourceOutput<Trade> out, final int limit)
                {
                    if (next >= EVENTS)
                    {
                        return END_OF_INPUT;
                    }
                    final int n = Math.min(limit, EVENTS - next);
                    for (int i = next, end = next + n; i < end; i++)
                    {
                        final int k = i & MASK;
                        out.emit(trade.set(i, tsMs[k], symbol[k], price[k], qty[k], WorkloadSpec.NO_ORDER_ID));
                    }
                    next += n;
                    return n;
                }
            };
        }
    }

    /**
     * A user's sink: one writer that adds each result's checksum term and keeps no reference. Read after the query
     * ended (its thread's end orders the reads).
     */
    private static final class ResultSink<R> implements Sink<R>
    {
        private final ToLongFunction<R> term;
        final ChecksumAccumulator acc = new ChecksumAccumulator();

        ResultSink(final ToLongFunction<R> term)
        {
            this.term = term;
        }

        @Override
        public String description()
        {
            return "checksum";
        }

        @Override
        public SinkWriter<R> createWriter(final int writerIndex)
        {
            return record -> acc.add(term.applyAsLong(record));
        }
    }
}
