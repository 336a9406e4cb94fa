package io.rivulet.bench.jmh;

import io.rivulet.bench.workload.Trade;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.LongKeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.keyed.LongKeyedAggregateOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import org.agrona.collections.Long2LongHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;

/**
 * Running keyed state on 1 M distinct {@code long} keys (issue 11's target, operator level): a running sum of qty per
 * key, one operation per record. Keys are {@value #KEYS} distinct random 64-bit values; each record's key is drawn
 * uniformly from them (pre-drawn, {@value #DRAWS} draws cycled), so almost every record misses the caches: this
 * measures the state table, not a hot set. Records come from 4096 pre-generated trades (in L2).
 *
 * <p>{@code longOperator} runs the engine's {@link LongKeyedAggregateOperator} ({@code sum}, {@code ON_EPOCH}, no
 * barrier during the measurement, so the per-record path alone: what {@code -prof gc} reports per operation is its
 * allocation). {@code handWrittenLong2LongHashMap} is the baseline: Agrona's {@code Long2LongHashMap}, a get and a
 * put. {@code boxedOperator} is the boxed path for the same work ({@code keyBy} + {@link KeyedAggregateOperator} with
 * {@code Aggregates.sumLong}, keys pre-boxed as the exchange hands them over). The teardown checks
 * the state against a direct computation at the end of the trial (a fast wrong answer fails the run). Every key is
 * held from the setup on (sum 0), so the measurement is the steady state: updates, no insertion, no growth.
 */
@State(Scope.Thread)
public class LongKeyStateBenchmark extends BenchmarkDefaults
{
    /** Distinct keys: 2^20. */
    static final int KEYS = 1 << 20;
    /** Pre-drawn keys cycled through: 2^22 (each key about four times). */
    static final int DRAWS = 1 << 22;

    private final Trade[] trades = new Trade[RECORDS];
    private final long[] keys = new long[DRAWS];
    private final Long[] boxedKeys = new Long[DRAWS];
    private Long2LongHashMap map;
    private LongKeyedAggregateOperator<Trade> longOperator;
    private KeyedAggregateOperator<Long, Trade, long[], Long> boxedOperator;
    private final Output<LongKeyValue> longOut = r -> { };
    private final Output<KeyValue<Long, Long>> boxedOut = r -> { };
    private int nextMap;
    private int nextLong;
    private int nextBoxed;

    /** Draws the keys and trades once. */
    @Setup(Level.Trial)
    public void setUpTrial()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final long[] distinct = new long[KEYS];
        final Long[] boxed = new Long[KEYS];
        for (int k = 0; k < KEYS; k++)
        {
            distinct[k] = random.nextLong();
            boxed[k] = distinct[k];
        }
        for (int i = 0; i < DRAWS; i++)
        {
            final int k = i < KEYS ? i : random.nextInt(KEYS); // every key at least once
            keys[i] = distinct[k];
            boxedKeys[i] = boxed[k];
        }
        for (int i = 0; i < RECORDS; i++)
        {
            trades[i] = new Trade().qty(1 + random.nextInt(100));
        }
        // Every key is held before the measurement (with a sum of 0): the steady state, updates only, no growth.
        map = new Long2LongHashMap(Long.MIN_VALUE);
        longOperator = LongKeyedAggregateOperator.sum(Trade::qty, EmitPolicy.ON_EPOCH, KeyGroups.DEFAULT_MAX_PARALLELISM,
            new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM));
        boxedOperator = new KeyedAggregateOperator<>(Aggregates.sumLong(Trade::qty), EmitPolicy.ON_EPOCH);
        final Trade zero = new Trade().qty(0);
        for (int k = 0; k < KEYS; k++)
        {
            map.put(distinct[k], 0);
            longOperator.processLong(distinct[k], zero, longOut);
            boxedOperator.process(boxed[k], zero, boxedOut);
        }
    }

    /** Checks whichever structure ran against a direct computation over the same records. */
    @TearDown(Level.Trial)
    public void check()
    {
        if (nextMap > 0 && !map.equals(expected(nextMap)))
        {
            throw new IllegalStateException("handWrittenLong2LongHashMap differs from the direct computation");
        }
        if (nextLong > 0)
        {
            expected(nextLong).forEachLong((key, sum) ->
            {
                if (longOperator.queryValue(key) != sum)
                {
                    throw new IllegalStateException("longOperator: key " + key + " has " + longOperator.queryValue(key)
                        + ", expected " + sum);
                }
            });
        }
        if (nextBoxed > 0)
        {
            expected(nextBoxed).forEachLong((key, sum) ->
            {
                if (!Long.valueOf(sum).equals(boxedOperator.queryValue(key)))
                {
                    throw new IllegalStateException("boxedOperator: key " + key + " has " + boxedOperator.queryValue(key)
                        + ", expected " + sum);
                }
            });
        }
    }

    private Long2LongHashMap expected(final int records)
    {
        final Long2LongHashMap expected = new Long2LongHashMap(Long.MIN_VALUE);
        for (int i = 0; i < DRAWS; i++)
        {
            expected.put(keys[i], 0);
        }
        for (int i = 0; i < records; i++)
        {
            final long key = keys[i & (DRAWS - 1)];
            expected.put(key, expected.get(key) + trades[i & MASK].qty());
        }
        return expected;
    }

    /** Baseline: Agrona's {@code Long2LongHashMap}, a get and a put per record. */
    @Benchmark
    public void handWrittenLong2LongHashMap()
    {
        final int i = nextMap++;
        final long key = keys[i & (DRAWS - 1)];
        final long sum = map.get(key);
        map.put(key, (sum == Long.MIN_VALUE ? 0 : sum) + trades[i & MASK].qty());
    }

    /** The engine's {@code LongKeyedAggregateOperator}: a running long sum per long key. */
    @Benchmark
    public void longOperator()
    {
        final int i = nextLong++;
        longOperator.processLong(keys[i & (DRAWS - 1)], trades[i & MASK], longOut);
    }

    /** The boxed path for the same work: {@code KeyedAggregateOperator} over pre-boxed {@code Long} keys. */
    @Benchmark
    public void boxedOperator()
    {
        final int i = nextBoxed++;
        boxedOperator.process(boxedKeys[i & (DRAWS - 1)], trades[i & MASK], boxedOut);
    }
}
