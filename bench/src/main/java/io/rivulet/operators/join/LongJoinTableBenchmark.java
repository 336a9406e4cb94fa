package io.rivulet.operators.join;

import io.rivulet.bench.harness.W5Record;
import io.rivulet.bench.jmh.BenchmarkDefaults;
import io.rivulet.bench.jmh.StreamJoinBenchmark;
import io.rivulet.operators.Output;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;

/**
 * {@link StreamJoinBenchmark}'s workload (inner interval join, {@code rightTime BETWEEN leftTime AND leftTime + 1 s},
 * 1 000 rows per ms alternating sides over a 1 M key permutation, watermark = event time − 200 ms advanced per ms)
 * through the long-key join table ({@link LongJoinTable}, package-private: hence this package) with the matching and
 * eviction an operator over it would do, minus late checks, outer rows, snapshots and counters: what the planned
 * long-key join path can reach, to read against {@code StreamJoinBenchmark.handWrittenIntervalJoin} in the same
 * minute. Eviction pops each side's rows from its {@link RowTimeIndex}, as the operator will.
 *
 * <p>{@code payload}: {@code columns} keeps each row as one {@code long} column (its pair: no reference stored),
 * {@code objects} as a reference to a pre-allocated row holder (one reference store per row), to see what the
 * reference stores cost under G1. {@link #check()} fails the run unless every right row with a partner produced
 * exactly one result.
 *
 * <p>{@link #operatorIntervalJoin()} drives the same workload through the real {@link StreamStreamLongJoinOperator}
 * (late checks, counters, the budget check and the watermark calls included; no snapshot is taken, so no change log is
 * kept), with W5-shaped rows: orders (left: order id, time) and trades (right: sequence, time, order id) as
 * {@link W5Record}s, the join writing each result into one reused {@link Joined}. With {@code columns} the rows are
 * stored through {@link JoinRowLayout}s (order: id, time; trade: sequence, time) and each input reuses one record, as a
 * copying input does; with {@code objects} the operator keeps references to records from a ring of holders.
 */
@State(Scope.Thread)
public class LongJoinTableBenchmark extends BenchmarkDefaults
{
    private static final int KEYS = StreamJoinBenchmark.KEYS;
    private static final int EVENTS_PER_MS = StreamJoinBenchmark.EVENTS_PER_MS;
    private static final long LAG_PAIRS = StreamJoinBenchmark.LAG_PAIRS;
    private static final int SLOTS = StreamJoinBenchmark.SLOTS;
    private static final long UPPER_MS = StreamJoinBenchmark.UPPER_MS;
    private static final long DELAY_MS = StreamJoinBenchmark.DELAY_MS;

    /** How rows are held: {@code columns} or {@code objects}. */
    @Param({"columns", "objects"})
    public String payload;

    private final long[] keys = new long[KEYS];
    private final StreamJoinBenchmark.Row[] rows = new StreamJoinBenchmark.Row[SLOTS];
    private LongJoinTable table;
    private JoinSlab left;
    private JoinSlab right;
    private boolean objects;
    private final RowTimeIndex leftRows = new RowTimeIndex();
    private final RowTimeIndex rightRows = new RowTimeIndex();
    private long results;
    private long partnered;
    private long n;
    private long lastTsMs;
    private long seq;
    private StreamStreamLongJoinOperator<W5Record, W5Record, Joined> operator;
    private final W5Record[] orders = new W5Record[SLOTS];
    private final W5Record[] trades = new W5Record[SLOTS];
    private final Output<Joined> counting = row -> results++;

    /** A join result, refilled for every result (the output reads it during the call). */
    public static final class Joined
    {
        long tradeSeq;
        long orderId;

        Joined set(final long tradeSeq, final long orderId)
        {
            this.tradeSeq = tradeSeq;
            this.orderId = orderId;
            return this;
        }
    }

    /** An order's columns: id, time. */
    static final class OrderLayout implements JoinRowLayout<W5Record>
    {
        @Override
        public int width()
        {
            return 2;
        }

        @Override
        public void write(final W5Record row, final long[] into, final int at)
        {
            into[at] = row.orderId();
            into[at + 1] = row.tsMs();
        }

        @Override
        public W5Record read(final long[] from, final int at, final W5Record reuse)
        {
            return (reuse != null ? reuse : new W5Record()).order(from[at], from[at + 1]);
        }
    }

    /** A trade's columns: sequence, time (its order id is the key). */
    static final class TradeLayout implements JoinRowLayout<W5Record>
    {
        @Override
        public int width()
        {
            return 2;
        }

        @Override
        public void write(final W5Record row, final long[] into, final int at)
        {
            into[at] = row.seq();
            into[at + 1] = row.tsMs();
        }

        @Override
        public W5Record read(final long[] from, final int at, final W5Record reuse)
        {
            return (reuse != null ? reuse : new W5Record()).trade(from[at], from[at + 1], -1);
        }
    }

    /** Generates the key permutation (as {@link StreamJoinBenchmark} does) and builds the table. */
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
            keys[i] = permutation[i];
        }
        for (int i = 0; i < SLOTS; i++)
        {
            rows[i] = new StreamJoinBenchmark.Row();
        }
        objects = "objects".equals(payload);
        left = new JoinSlab(objects ? 0 : 1, objects, 1 << 16);
        right = new JoinSlab(objects ? 0 : 1, objects, 1 << 16);
        table = new LongJoinTable(left, right, 1 << 16);
        final Joined joined = new Joined();
        JoinSettings<Long, W5Record, W5Record> settings = JoinSettings.<Long, W5Record, W5Record>of(JoinType.INNER)
            .withEventTimes(W5Record::tsMs, W5Record::tsMs)
            .withTimeRange(JoinTimeRange.between(0, UPPER_MS));
        if (!objects)
        {
            settings = settings.withRowLayouts(new OrderLayout(), new TradeLayout());
        }
        operator = StreamStreamLongJoinOperator.of(
            (key, order, trade) -> joined.set(trade.seq(), order.orderId()), settings);
        final int holders = objects ? SLOTS : 1;
        for (int i = 0; i < holders; i++)
        {
            orders[i] = new W5Record();
            trades[i] = new W5Record();
        }
    }

    /** Fails the run unless every right row with a partner produced exactly one result. */
    @TearDown(Level.Trial)
    public void check()
    {
        if (results != partnered)
        {
            throw new IllegalStateException("table join produced " + results + " results for " + partnered
                + " right rows that each have exactly one partner");
        }
    }

    /**
     * One row through the table (left or right in turn), and eviction when event time moved on.
     *
     * @return results so far
     */
    @Benchmark
    public long tableIntervalJoin()
    {
        final long i = n++;
        final long tsMs = i / EVENTS_PER_MS;
        if (tsMs != lastTsMs)
        {
            lastTsMs = tsMs;
            final long watermarkMs = tsMs - DELAY_MS;
            evict(true, leftRows, watermarkMs - UPPER_MS - 1);
            evict(false, rightRows, watermarkMs - 1);
        }
        final long pair = i >> 1;
        if ((i & 1) == 0)
        {
            final long key = keys[(int)(pair % KEYS)];
            final boolean matched = match(key, tsMs, false);
            store(true, left, leftRows, key, tsMs, pair, matched);
        }
        else
        {
            final long p = pair - LAG_PAIRS;
            if (p >= 0)
            {
                partnered++;
            }
            final long key = keys[(int)Math.floorMod(p, (long)KEYS)];
            final boolean matched = match(key, tsMs, true);
            store(false, right, rightRows, key, tsMs, p, matched);
        }
        return results;
    }

    /**
     * One row through the real long-key join operator (order or trade in turn), and the watermark when event time
     * moved on.
     *
     * @return results so far
     */
    @Benchmark
    public long operatorIntervalJoin()
    {
        final long i = n++;
        final long tsMs = i / EVENTS_PER_MS;
        if (tsMs != lastTsMs)
        {
            lastTsMs = tsMs;
            operator.onWatermark(tsMs - DELAY_MS, counting);
        }
        final long pair = i >> 1;
        final int holder = objects ? (int)(pair & (SLOTS - 1)) : 0;
        if ((i & 1) == 0)
        {
            final long key = keys[(int)(pair % KEYS)];
            operator.processLong(key, orders[holder].order(key, tsMs), counting);
        }
        else
        {
            final long p = pair - LAG_PAIRS;
            if (p >= 0)
            {
                partnered++;
            }
            final long key = keys[(int)Math.floorMod(p, (long)KEYS)];
            operator.processRightLong(key, trades[holder].trade(p, tsMs, key), counting);
        }
        return results;
    }

    /** Matches a row of one side against the other side's rows of its key; marks and counts each match. */
    private boolean match(final long key, final long tsMs, final boolean isRight)
    {
        final int slot = table.find(key);
        if (slot == LongJoinTable.ABSENT)
        {
            return false;
        }
        final JoinSlab others = isRight ? left : right;
        boolean matched = false;
        for (int row = table.firstRow(slot, isRight); row != JoinSlab.NONE; row = others.next(row))
        {
            final long otherMs = others.timeMs(row);
            final long leftMs = isRight ? otherMs : tsMs;
            final long rightMs = isRight ? tsMs : otherMs;
            if (rightMs >= leftMs && rightMs <= leftMs + UPPER_MS)
            {
                others.markMatched(row);
                matched = true;
                results++;
            }
        }
        return matched;
    }

    private void store(final boolean isLeft, final JoinSlab slab, final RowTimeIndex index, final long key,
        final long tsMs, final long pair, final boolean matched)
    {
        final long rowSeq = seq++;
        final int row = table.addRow(isLeft, key, tsMs, rowSeq, matched);
        if (objects)
        {
            final StreamJoinBenchmark.Row holder = rows[(int)(seq & (SLOTS - 1))];
            holder.tsMs = tsMs;
            holder.pair = pair;
            slab.value(row, holder);
        }
        else
        {
            slab.columns()[slab.columnsAt(row)] = pair;
        }
        index.add(row, tsMs, rowSeq);
    }

    private void evict(final boolean isLeft, final RowTimeIndex index, final long thresholdMs)
    {
        while (index.earliestMs() <= thresholdMs)
        {
            table.removeRow(isLeft, (int) index.poll());
        }
    }
}
