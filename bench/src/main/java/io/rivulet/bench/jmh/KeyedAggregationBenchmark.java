package io.rivulet.bench.jmh;

import io.rivulet.bench.harness.K1Aggregate;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.keyed.KeyedReduceOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.HashMap;

/**
 * Keyed running aggregation, K1's shape: per symbol (Zipf, 1000 keys), a running count and sum of qty emitted after
 * every record, over pre-generated trades and pre-boxed keys (as the exchange hands them to the operator); one
 * operation is one record.
 *
 * <p>Baselines: {@code handWrittenArray} (primitive arrays indexed by symbol: the floor) and
 * {@code handWrittenHashMap} (a {@code HashMap<Integer, long[]>}, the structure the engine's operators use).
 * {@code aggregate} runs the engine's {@link KeyedAggregateOperator} with {@link K1Aggregate} (accumulator updated in
 * place, result = accumulator): whatever it allocates per record is the operator's. {@code reduce} runs
 * {@link KeyedReduceOperator} with an in-place reduce into per-key state seeded in setup (so that no pre-generated
 * trade becomes state).
 */
@State(Scope.Thread)
public class KeyedAggregationBenchmark extends BenchmarkDefaults
{
    private final Trade[] trades = new Trade[RECORDS];
    private final Integer[] keys = new Integer[RECORDS];
    private final long[] count = new long[WorkloadSpec.SYMBOLS];
    private final long[] sumQty = new long[WorkloadSpec.SYMBOLS];
    private final HashMap<Integer, long[]> map = new HashMap<>();
    private KeyedAggregateOperator<Integer, Trade, long[], long[]> aggregate;
    private KeyedReduceOperator<Integer, Trade> reduce;
    private Output<KeyValue<Integer, long[]>> aggregateOut;
    private Output<Trade> reduceOut;
    private int next;

    /**
     * Pre-generates trades and keys, seeds the reduce state, and points the operators' outputs at the Blackhole.
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
        aggregate = new KeyedAggregateOperator<>(new K1Aggregate(), EmitPolicy.EVERY_RECORD);
        reduce = new KeyedReduceOperator<>((acc, t) -> acc.qty(acc.qty() + t.qty()), EmitPolicy.EVERY_RECORD);
        final Output<Trade> discard = t -> { };
        for (int s = 0; s < boxed.length; s++)
        {
            reduce.process(boxed[s], new Trade().symbol(s), discard);
            map.put(boxed[s], new long[2]);
        }
        aggregateOut = bh::consume;
        reduceOut = bh::consume;
    }

    /**
     * Baseline: primitive arrays indexed by symbol.
     *
     * @param bh consumes the updated totals.
     */
    @Benchmark
    public void handWrittenArray(final Blackhole bh)
    {
        final Trade t = trades[next++ & MASK];
        final int s = t.symbol();
        bh.consume(++count[s]);
        bh.consume(sumQty[s] += t.qty());
    }

    /**
     * Baseline: a {@code HashMap<Integer, long[]>} keyed by the pre-boxed key.
     *
     * @param bh consumes the updated accumulator.
     */
    @Benchmark
    public void handWrittenHashMap(final Blackhole bh)
    {
        final int i = next++ & MASK;
        final long[] acc = map.get(keys[i]);
        acc[0]++;
        acc[1] += trades[i].qty();
        bh.consume(acc);
    }

    /** The engine's {@code KeyedAggregateOperator}, emitting after every record. */
    @Benchmark
    public void aggregate()
    {
        final int i = next++ & MASK;
        aggregate.process(keys[i], trades[i], aggregateOut);
    }

    /** The engine's {@code KeyedReduceOperator}, emitting after every record. */
    @Benchmark
    public void reduce()
    {
        final int i = next++ & MASK;
        reduce.process(keys[i], trades[i], reduceOut);
    }
}
