package io.rivulet.bench.jmh;

import io.rivulet.operators.Output;
import io.rivulet.operators.join.JoinSettings;
import io.rivulet.operators.join.JoinTimeRange;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.join.StreamStreamJoinOperator;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;

/**
 * An inner interval join over 1 M keys, one row per operation, as one partition of a continuous query
 * runs it: the real {@link StreamStreamJoinOperator} (continuous mode, {@code rightTime BETWEEN leftTime
 * AND leftTime + 1 s}) gets the key as the exchange hands it (a boxed {@code Long}, pre-boxed here), the
 * row, and, each time event time moves on by a millisecond, the watermark (event time − 200 ms).
 *
 * <p>The input: {@value #EVENTS_PER_MS} rows per millisecond of event time, alternating sides. Operation
 * {@code 2j} is the left row of pair {@code j}, operation {@code 2j + 1} the right row of pair
 * {@code j − LAG_PAIRS} (500 ms later, so it matches that left row: one result per right row). Pair
 * {@code j} uses key {@code perm[j mod 1 M]} of a random permutation, so a key comes back every 2 s,
 * after its rows are evicted (left rows live about 1.2 s, right rows 0.2 s): about 600 k keys hold a
 * left row and 100 k a right row in steady state, spread over the whole 1 M key space. Rows are mutable
 * holders, one per slot of a ring of {@value #SLOTS}, longer than a row lives, so a holder is refilled
 * only after the join has dropped it.
 *
 * <p>Every result is counted; {@link #check()} fails the run unless each right row that has a partner
 * produced exactly one result.
 *
 * <p>Baseline: {@code handWrittenIntervalJoin}: the same rows through two Agrona {@code Long2LongHashMap}s
 * (key to time, one row per key and side) with FIFO eviction by time: a floor for an interval join with
 * in-order input, primitive keys, no late check, no outer rows, no snapshots and no counters.
 */
@State(Scope.Thread)
public class StreamJoinBenchmark extends BenchmarkDefaults
{
    /** Distinct keys. */
    public static final int KEYS = 1_000_000;
    /** Rows per millisecond of event time (both sides). */
    public static final int EVENTS_PER_MS = 1_000;
    /** A right row follows its left row by this many pairs (500 ms). */
    public static final long LAG_PAIRS = 250_000;
    /** Row holders per side; a power of two, more than the rows that live at once. */
    public static final int SLOTS = 1 << 21;
    /** The join's upper bound, ms. */
    public static final long UPPER_MS = 1_000;
    /** Watermark delay, ms. */
    public static final long DELAY_MS = 200;

    /** A row: its event time and its pair. Refilled when its slot comes round again. */
    public static final class Row
    {
        /** Event time, epoch ms. */
        public long tsMs;
        /** The pair it belongs to. */
        public long pair;
    }

    private final Long[] keys = new Long[KEYS];
    private final long[] rawKeys = new long[KEYS];
    private final Row[] lefts = new Row[SLOTS];
    private final Row[] rights = new Row[SLOTS];
    private StreamStreamJoinOperator<Long, Row, Row, Row> operator;
    private Output<Row> out;
    private long results;
    private long partnered;
    private long n;
    private long lastTsMs;

    private Long2LongHashMap rawLeft;
    private Long2LongHashMap rawRight;
    private LongArrayQueue rawLeftKeys;
    private LongArrayQueue rawLeftTimes;
    private LongArrayQueue rawRightKeys;
    private LongArrayQueue rawRightTimes;

    /** Generates the key permutation and the row holders; builds the operator and the baseline's maps. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final int[] permutation = new int[KEYS];
        for (int i = 0; i < KEYS; i++)
        {
            permutation[i] = i;
        }
        for (int i = KEYS - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        for (int i = 0; i < KEYS; i++)
        {
            rawKeys[i] = permutation[i];
            keys[i] = (long)permutation[i];
        }
        for (int i = 0; i < SLOTS; i++)
        {
            lefts[i] = new Row();
            rights[i] = new Row();
        }
        operator = StreamStreamJoinOperator.of((Long key, Row left, Row right) -> left,
            JoinSettings.<Long, Row, Row>of(JoinType.INNER)
                .withEventTimes((Row r) -> r.tsMs, (Row r) -> r.tsMs)
                .withTimeRange(JoinTimeRange.between(0, UPPER_MS)));
        out = row -> results++;
        rawLeft = new Long2LongHashMap(Long.MIN_VALUE);
        rawRight = new Long2LongHashMap(Long.MIN_VALUE);
        rawLeftKeys = new LongArrayQueue(Long.MIN_VALUE);
        rawLeftTimes = new LongArrayQueue(Long.MIN_VALUE);
        rawRightKeys = new LongArrayQueue(Long.MIN_VALUE);
        rawRightTimes = new LongArrayQueue(Long.MIN_VALUE);
    }

    /** Fails the run unless every right row with a partner produced exactly one result. */
    @TearDown(Level.Trial)
    public void check()
    {
        if (results != partnered)
        {
            throw new IllegalStateException("join produced " + results + " results for " + partnered
                + " right rows that each have exactly one partner");
        }
    }

    /**
     * Baseline: the same rows through two primitive maps with FIFO eviction, a hand-written floor.
     *
     * @return results so far
     */
    @Benchmark
    public long handWrittenIntervalJoin()
    {
        final long i = n++;
        final long tsMs = i / EVENTS_PER_MS;
        if (tsMs != lastTsMs)
        {
            lastTsMs = tsMs;
            final long watermarkMs = tsMs - DELAY_MS;
            evict(rawLeft, rawLeftKeys, rawLeftTimes, watermarkMs - UPPER_MS - 1);
            evict(rawRight, rawRightKeys, rawRightTimes, watermarkMs - 1);
        }
        final long pair = i >> 1;
        if ((i & 1) == 0)
        {
            final long key = rawKeys[(int)(pair % KEYS)];
            final long rightTs = rawRight.get(key);
            if (rightTs != Long.MIN_VALUE && rightTs >= tsMs && rightTs <= tsMs + UPPER_MS)
            {
                results++;
            }
            rawLeft.put(key, tsMs);
            rawLeftKeys.addLong(key);
            rawLeftTimes.addLong(tsMs);
        }
        else
        {
            final long p = pair - LAG_PAIRS;
            final long key = rawKeys[(int)Math.floorMod(p, (long)KEYS)];
            if (p >= 0)
            {
                partnered++;
            }
            final long leftTs = rawLeft.get(key);
            if (leftTs != Long.MIN_VALUE && tsMs >= leftTs && tsMs <= leftTs + UPPER_MS)
            {
                results++;
            }
            rawRight.put(key, tsMs);
            rawRightKeys.addLong(key);
            rawRightTimes.addLong(tsMs);
        }
        return results;
    }

    private static void evict(final Long2LongHashMap map, final LongArrayQueue keys, final LongArrayQueue times,
        final long thresholdMs)
    {
        while (!times.isEmpty() && times.peekLong() <= thresholdMs)
        {
            final long key = keys.pollLong();
            final long ts = times.pollLong();
            if (map.get(key) == ts)
            {
                map.remove(key);
            }
        }
    }

    /**
     * One row through {@link StreamStreamJoinOperator} (left or right in turn), and the watermark when event
     * time moved on.
     *
     * @return results so far
     */
    @Benchmark
    public long intervalJoin()
    {
        final long i = n++;
        final long tsMs = i / EVENTS_PER_MS;
        if (tsMs != lastTsMs)
        {
            lastTsMs = tsMs;
            operator.onWatermark(tsMs - DELAY_MS, out);
        }
        final long pair = i >> 1;
        if ((i & 1) == 0)
        {
            final Row row = lefts[(int)(pair & (SLOTS - 1))];
            row.tsMs = tsMs;
            row.pair = pair;
            operator.process(keys[(int)(pair % KEYS)], row, out);
        }
        else
        {
            final long p = pair - LAG_PAIRS;
            if (p >= 0)
            {
                partnered++;
            }
            final Row row = rights[(int)(pair & (SLOTS - 1))];
            row.tsMs = tsMs;
            row.pair = p;
            operator.processRight(keys[(int)Math.floorMod(p, (long)KEYS)], row, out);
        }
        return results;
    }
}
