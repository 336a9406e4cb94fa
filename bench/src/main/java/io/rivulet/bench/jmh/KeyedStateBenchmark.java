package io.rivulet.bench.jmh;

import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.LongValueState;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;
import org.agrona.collections.Long2LongHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The keyed state backend's hot path and its snapshot stall: one operation is one state update of one key, over a
 * pre-generated sequence of {@value #SEQUENCE} uniformly random keys out of {@code keys}.
 *
 * <p>Baseline: {@code rawLong2LongMap} (an Agrona {@code Long2LongHashMap} increment: the floor). {@code longValueState}
 * sets a primitive current key and increments a {@link LongValueState} (key group computed per key, copy-on-write
 * check per write). {@code objectValueState} sets a boxed key (pre-boxed, as the exchange hands it) and increments a
 * {@code long[]} held in a {@link ValueState} in place. {@code snapshotStall} holds {@value #SNAPSHOT_KEYS} keys and
 * measures one {@code snapshotState} plus the {@value #WRITES_AFTER_SNAPSHOT} writes after it (which copy every key
 * group they touch), per write; {@code writesWithoutSnapshot} is the same writes with no snapshot, its baseline.
 */
@State(Scope.Thread)
public class KeyedStateBenchmark extends BenchmarkDefaults
{
    /** Length of the pre-generated key sequence; a power of two. */
    public static final int SEQUENCE = 1 << 16;
    /** Keys held by the snapshot-stall benchmarks. */
    public static final int SNAPSHOT_KEYS = 1_000_000;
    /** Writes measured with each snapshot. */
    public static final int WRITES_AFTER_SNAPSHOT = 4096;

    /** Distinct keys of the update benchmarks: 10 000 keep the maps in L2; {@code -p keys=1000000} measures misses. */
    @Param({"10000"})
    public int keys;

    private final long[] sequence = new long[SEQUENCE];
    private final Long[] boxedKeys = new Long[SEQUENCE];
    private final Long2LongHashMap raw = new Long2LongHashMap(0);
    private KeyedStateBackend<Long> longBackend;
    private LongValueState counter;
    private KeyedStateBackend<Long> objectBackend;
    private ValueState<long[]> accumulator;
    private int next;

    /** Pre-generates the key sequence and fills every state with all keys. */
    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final Long[] boxed = new Long[keys];
        for (int k = 0; k < keys; k++)
        {
            boxed[k] = (long)k;
        }
        for (int i = 0; i < SEQUENCE; i++)
        {
            final int k = random.nextInt(keys);
            sequence[i] = k;
            boxedKeys[i] = boxed[k];
        }
        longBackend = KeyedStateBackend.allKeyGroups(StateCodecs.longs());
        counter = longBackend.state(StateDescriptor.longValue("count", 0));
        objectBackend = KeyedStateBackend.allKeyGroups(StateCodecs.longs());
        accumulator = objectBackend.state(StateDescriptor.value("acc", StateCodecs.dynamic()));
        for (int k = 0; k < keys; k++)
        {
            raw.put(k, 1);
            longBackend.setCurrentKey((long)k);
            counter.update(1);
            objectBackend.setCurrentKey(boxed[k]);
            accumulator.update(new long[1]);
        }
    }

    /**
     * Baseline: a raw Agrona {@code Long2LongHashMap} increment.
     *
     * @return the new count
     */
    @Benchmark
    public long rawLong2LongMap()
    {
        final long key = sequence[next++ & (SEQUENCE - 1)];
        final long value = raw.get(key) + 1;
        raw.put(key, value);
        return value;
    }

    /**
     * A primitive-keyed {@link LongValueState} increment through the state API.
     *
     * @return the new count
     */
    @Benchmark
    public long longValueState()
    {
        longBackend.setCurrentKey(sequence[next++ & (SEQUENCE - 1)]);
        final long value = counter.value() + 1;
        counter.update(value);
        return value;
    }

    /**
     * A boxed-key {@link ValueState} of a {@code long[]} incremented in place.
     *
     * @return the accumulator
     */
    @Benchmark
    public long[] objectValueState()
    {
        objectBackend.setCurrentKey(boxedKeys[next++ & (SEQUENCE - 1)]);
        final long[] acc = accumulator.value();
        acc[0]++;
        accumulator.update(acc);
        return acc;
    }

    /** {@value #SNAPSHOT_KEYS} keys of a {@link LongValueState}, for the snapshot stall. */
    @State(Scope.Thread)
    public static class Snapshotting
    {
        private final long[] keys = new long[WRITES_AFTER_SNAPSHOT];
        private KeyedStateBackend<Long> backend;
        private LongValueState counter;
        private long epoch;

        /** Fills the state and picks the keys written after each snapshot. */
        @Setup
        public void setUp()
        {
            backend = KeyedStateBackend.allKeyGroups(StateCodecs.longs());
            counter = backend.state(StateDescriptor.longValue("count", 0));
            for (long k = 0; k < SNAPSHOT_KEYS; k++)
            {
                backend.setCurrentKey(k);
                counter.update(1);
            }
            final SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < keys.length; i++)
            {
                keys[i] = random.nextInt(SNAPSHOT_KEYS);
            }
            if (KeyGroups.DEFAULT_MAX_PARALLELISM != 128)
            {
                throw new IllegalStateException("the stall figures assume 128 key groups");
            }
        }

        long writes()
        {
            long sum = 0;
            for (final long key : keys)
            {
                backend.setCurrentKey(key);
                sum += counter.addAndGet(1);
            }
            return sum;
        }
    }

    /**
     * A snapshot and the writes after it (each copies its key group on first touch), per write. The snapshot is
     * released unwritten: this measures the data thread's stall, not the writer's work.
     *
     * @param s the 1 M-key state
     * @return a checksum
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(WRITES_AFTER_SNAPSHOT)
    public long snapshotStall(final Snapshotting s)
    {
        final OperatorSnapshot snapshot = s.backend.snapshotState(++s.epoch);
        final long sum = s.writes();
        snapshot.release();
        return sum;
    }

    /**
     * Baseline of {@code snapshotStall}: the same writes without a snapshot, per write.
     *
     * @param s the 1 M-key state
     * @return a checksum
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(WRITES_AFTER_SNAPSHOT)
    public long writesWithoutSnapshot(final Snapshotting s)
    {
        return s.writes();
    }
}
