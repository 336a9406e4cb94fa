package io.rivulet.bench.jmh;

import io.rivulet.bench.harness.W1Row;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.W1Out;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import io.rivulet.operators.stateless.FilterOperator;
import io.rivulet.operators.stateless.MapOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A fused stateless chain, W1's shape: the engine's {@link FilterOperator} ({@code qty > 100}) then its
 * {@link MapOperator} ({@code (seq, symbol, price * qty)}), chained through {@link Output}s as the runtime's operator
 * links chain them, over pre-generated trades; one operation is one trade.
 *
 * <p>{@code handWritten} is the baseline: the same filter and map as a plain {@code if}. {@code chainReusedRow} maps
 * into one refilled {@link W1Row} (what the harness's W1 does), so its allocation is the chain's own;
 * {@code chainNewRecord} maps to a new {@link W1Out} per result, the natural user code, to show what that costs.
 */
@State(Scope.Thread)
public class FusedChainBenchmark extends BenchmarkDefaults
{
    private final Trade[] trades = new Trade[RECORDS];
    private final W1Row handRow = new W1Row();
    private int next;
    private Output<Trade> reusedRowChain;
    private Output<Trade> newRecordChain;

    /** Runs {@code operator} on each record with {@code next} as its output, as the runtime's operator link does. */
    private static final class Link<I, O> implements Output<I>
    {
        private final Operator<I, O> operator;
        private final Output<O> next;

        Link(final Operator<I, O> operator, final Output<O> next)
        {
            this.operator = operator;
            this.next = next;
        }

        @Override
        public void emit(final I record)
        {
            operator.process(record, next);
        }
    }

    /**
     * Pre-generates the trades and builds both chains, each ending in the Blackhole.
     *
     * @param bh JMH's Blackhole.
     */
    @Setup
    public void setUp(final Blackhole bh)
    {
        final TradeGenerator generator = new TradeGenerator(WorkloadSpec.THROUGHPUT_RATE, false);
        for (int i = 0; i < RECORDS; i++)
        {
            trades[i] = new Trade();
            generator.next(trades[i]);
        }
        final W1Row row = new W1Row();
        final Output<W1Row> rowSink = bh::consume;
        reusedRowChain = new Link<>(new FilterOperator<Trade>(t -> t.qty() > 100),
            new Link<>(new MapOperator<Trade, W1Row>(t -> row.set(t.seq(), t.symbol(), t.price() * t.qty())), rowSink));
        final Output<W1Out> recordSink = bh::consume;
        newRecordChain = new Link<>(new FilterOperator<Trade>(t -> t.qty() > 100),
            new Link<>(new MapOperator<Trade, W1Out>(t -> new W1Out(t.seq(), t.symbol(), t.price() * t.qty())),
                recordSink));
    }

    private Trade nextTrade()
    {
        return trades[next++ & MASK];
    }

    /**
     * Baseline: W1's filter and map written by hand.
     *
     * @param bh consumes the result.
     */
    @Benchmark
    public void handWritten(final Blackhole bh)
    {
        final Trade t = nextTrade();
        if (t.qty() > 100)
        {
            bh.consume(handRow.set(t.seq(), t.symbol(), t.price() * t.qty()));
        }
    }

    /** The engine's filter and map operators, chained, into a refilled row. */
    @Benchmark
    public void chainReusedRow()
    {
        reusedRowChain.emit(nextTrade());
    }

    /** The engine's filter and map operators, chained, into a new {@code W1Out} per result. */
    @Benchmark
    public void chainNewRecord()
    {
        newRecordChain.emit(nextTrade());
    }
}
