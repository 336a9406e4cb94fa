package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongArrayQueue;

import java.time.Duration;

/**
 * W5 as it ran before the engine had a join: the baseline scenario {@code W5-handwritten}, kept to compare the
 * engine's long-key join ({@link W5Scenario}) with what a Rivulet user wrote by hand. The same query (trades
 * interval-joined with orders on {@code orderId}, a pair iff {@code order.ts <= trade.ts <= order.ts + 5000}, two
 * sources each with its own {@code withWatermark(ts, 500 ms)}), the same check; the join is a user
 * {@link KeyedOperator} ({@link IntervalJoin}) over a union of the two streams: Flink's {@code KeyedCoProcessFunction}
 * pattern. The stream is keyed by a <em>key group</em> of the order id (one of {@value #KEY_GROUPS} pre-boxed
 * integers, {@link #keyGroup}, as Flink's key groups): every record of one order id reaches the same partition, and
 * the operator keeps its state per order id in Agrona's primitive maps, so no key is boxed per record. A result's
 * latency is measured from the later of its two partners' scheduled times (WORKLOADS.md section 5). Not thread-safe;
 * one instance per run.
 */
final class W5HandwrittenScenario extends ChecksumScenario<W5HandwrittenScenario.W5Row>
{
    /** Key groups, a power of two. */
    static final int KEY_GROUPS = 1024;
    private static final int KEY_GROUP_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(KEY_GROUPS);
    private static final Integer[] GROUP_KEYS = new Integer[KEY_GROUPS];
    /** The join's upper bound: {@code trade.ts <= order.ts + BOUND_MS}. */
    static final long BOUND_MS = W5Scenario.BOUND_MS;

    static
    {
        for (int g = 0; g < KEY_GROUPS; g++)
        {
            GROUP_KEYS[g] = g;
        }
    }

    /** The scenario's id, as {@code bin/bench} takes it (case-insensitive). */
    static final String ID = "W5-HANDWRITTEN";

    private SourceStats orderStats;

    W5HandwrittenScenario()
    {
        super(Workload.W5);
    }

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public boolean reusesTrade()
    {
        return true;
    }

    @Override
    public boolean needsOrderIds()
    {
        return true;
    }

    @Override
    public long extraEvents()
    {
        return orderStats == null ? 0 : orderStats.emitted();
    }

    @Override
    public StreamingQuery start(final Rivulet rivulet, final Source<Trade> source, final Pacer pacer,
        final MeasuredWindow window, final HarnessOptions options, final String queryName)
    {
        final long rate = pacer != null ? pacer.rate() : WorkloadSpec.THROUGHPUT_RATE;
        orderStats = new SourceStats();
        final OrderSource orders = new OrderSource(options.trades() / WorkloadSpec.TRADES_PER_ORDER, rate, pacer,
            options.stopAfterNs(), orderStats);
        sink = new MeasuringSink<>(id(), pacer, window, W5Probe::new);
        // The trade stream has one partition, so this map runs in one task: it may refill one record.
        final W5Record tradeRecord = new W5Record();
        final Duration lag = Duration.ofMillis(WorkloadSpec.WATERMARK_LAG_MS);
        final Stream<W5Record> trades = rivulet.readStream(source)
            .withWatermark(Trade::tsMs, lag)
            .map((Trade t) -> tradeRecord.trade(t.seq(), t.tsMs(), t.orderId()));
        final Stream<W5Record> orderStream = rivulet.readStream(orders)
            .withWatermark(W5Record::tsMs, lag);
        return options.start(trades.union(orderStream)
            .keyBy((W5Record r) -> GROUP_KEYS[keyGroup(r.orderId())], options.partitions())
            .copyingRecords(W5Scenario.RECORDS)
            .process("intervalJoin", IntervalJoin::new)
            .writeStream(sink)
            .outputMode(OutputMode.APPEND), queryName);
    }

    /**
     * The key group of an order id: the top bits of its Fibonacci hash. Trades refer only to every hundredth order at
     * 1M events/s (order ids {@code target * R / 10000}), so low bits would put them all in even groups, one partition.
     *
     * @param orderId an order id
     * @return its group, {@code 0 .. KEY_GROUPS - 1}
     */
    static int keyGroup(final long orderId)
    {
        return (int)((orderId * 0x9E3779B97F4A7C15L) >>> KEY_GROUP_SHIFT);
    }

    /** Adds each result's checksum term; its latency runs from the later partner's due time. */
    static final class W5Probe extends ChecksumProbe<W5Row>
    {
        @Override
        public long onResult(final W5Row row)
        {
            acc.add(Checksum.w5(row.tradeSeq, row.orderId));
            // Order j is due with trade 10 j: the later partner's due time is that of the larger trade seq.
            return Math.max(row.tradeSeq, row.orderId * WorkloadSpec.TRADES_PER_ORDER);
        }
    }

    /** A join result, refilled for every result (the sink reads it during the call). */
    static final class W5Row
    {
        long tradeSeq;
        long orderId;

        W5Row set(final long tradeSeq, final long orderId)
        {
            this.tradeSeq = tradeSeq;
            this.orderId = orderId;
            return this;
        }

        @Override
        public String toString()
        {
            return "W5Row{tradeSeq=" + tradeSeq + ", orderId=" + orderId + '}';
        }
    }

    /**
     * The interval join of one partition: a symmetric hash join whose state the watermark bounds. An order is kept
     * while a future trade could still match it ({@code order.ts + 5000 > watermark}: future events are later than the
     * watermark); a trade whose order has not arrived waits while a future order could still match it
     * ({@code trade.ts > watermark}). Both wait in arrival order; eviction stops at the first entry still needed, so an
     * entry may outlive its need by the input's disorder, never the reverse. Keeps no reference to its input records
     * (they live in ring slots). Not thread-safe; owned by the partition's thread.
     */
    static final class IntervalJoin implements KeyedOperator<Integer, W5Record, W5Row>
    {
        private static final long MISSING = Long.MIN_VALUE;

        private final Long2LongHashMap orderTsById = new Long2LongHashMap(MISSING);
        private final LongArrayQueue orderIds = new LongArrayQueue(MISSING);
        private final LongArrayQueue orderTimes = new LongArrayQueue(MISSING);
        /** Trades waiting for their order: order id to (seq, ts) pairs. */
        private final Long2ObjectHashMap<LongArrayList> waitingById = new Long2ObjectHashMap<>();
        private final LongArrayQueue waitingIds = new LongArrayQueue(MISSING);
        private final LongArrayQueue waitingTimes = new LongArrayQueue(MISSING);
        private final W5Row row = new W5Row();

        @Override
        public void process(final Integer keyGroup, final W5Record record, final Output<W5Row> out)
        {
            final long orderId = record.orderId();
            if (record.isOrder())
            {
                onOrder(orderId, record.tsMs(), out);
            }
            else
            {
                onTrade(record.seq(), record.tsMs(), orderId, out);
            }
        }

        private void onOrder(final long orderId, final long orderTs, final Output<W5Row> out)
        {
            orderTsById.put(orderId, orderTs);
            orderIds.addLong(orderId);
            orderTimes.addLong(orderTs);
            final LongArrayList waiting = waitingById.remove(orderId);
            if (waiting != null)
            {
                for (int i = 0, n = waiting.size(); i < n; i += 2)
                {
                    final long tradeTs = waiting.getLong(i + 1);
                    if (matches(orderTs, tradeTs))
                    {
                        out.emit(row.set(waiting.getLong(i), orderId));
                    }
                }
            }
        }

        private void onTrade(final long seq, final long tradeTs, final long orderId, final Output<W5Row> out)
        {
            final long orderTs = orderTsById.get(orderId);
            if (orderTs != MISSING)
            {
                if (matches(orderTs, tradeTs))
                {
                    out.emit(row.set(seq, orderId));
                }
                return;
            }
            LongArrayList waiting = waitingById.get(orderId);
            if (waiting == null)
            {
                waiting = new LongArrayList(2, MISSING);
                waitingById.put(orderId, waiting);
            }
            waiting.addLong(seq);
            waiting.addLong(tradeTs);
            waitingIds.addLong(orderId);
            waitingTimes.addLong(tradeTs);
        }

        @Override
        public void onWatermark(final long watermarkMs, final Output<W5Row> out)
        {
            while (!orderTimes.isEmpty() && orderTimes.peekLong() + BOUND_MS <= watermarkMs)
            {
                orderTimes.pollLong();
                orderTsById.remove(orderIds.pollLong());
            }
            while (!waitingTimes.isEmpty() && waitingTimes.peekLong() <= watermarkMs)
            {
                waitingTimes.pollLong();
                final long orderId = waitingIds.pollLong();
                final LongArrayList waiting = waitingById.get(orderId);
                if (waiting != null)
                {
                    dropUpTo(waiting, watermarkMs);
                    if (waiting.isEmpty())
                    {
                        waitingById.remove(orderId);
                    }
                }
            }
        }

        /** @return trades and orders held: the join's state rows. */
        long stateRows()
        {
            long waiting = 0;
            for (final LongArrayList list : waitingById.values())
            {
                waiting += list.size() / 2;
            }
            return orderTsById.size() + waiting;
        }

        private static void dropUpTo(final LongArrayList pairs, final long watermarkMs)
        {
            int kept = 0;
            for (int i = 0, n = pairs.size(); i < n; i += 2)
            {
                if (pairs.getLong(i + 1) > watermarkMs)
                {
                    pairs.setLong(kept, pairs.getLong(i));
                    pairs.setLong(kept + 1, pairs.getLong(i + 1));
                    kept += 2;
                }
            }
            while (pairs.size() > kept)
            {
                pairs.removeAt(pairs.size() - 1);
            }
        }

        static boolean matches(final long orderTs, final long tradeTs)
        {
            return orderTs <= tradeTs && tradeTs <= orderTs + BOUND_MS;
        }
    }
}
