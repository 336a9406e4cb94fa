package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.JoinOptions;
import io.rivulet.engine.LongKeyedStream;
import io.rivulet.engine.RecordCopier;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.WatermarkStrategy;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.join.JoinRowLayout;
import io.rivulet.operators.join.JoinType;

import java.time.Duration;

/**
 * W5: trades interval-joined with orders on {@code orderId}, a pair emitted iff {@code order.ts <= trade.ts <=
 * order.ts + 5000}. Two sources (trades; orders at a tenth of the rate, same schedule start), each with its own
 * {@code withWatermark(ts, 500 ms)}; the join's watermark is the minimum of the two. Both watermarks are aligned
 * ({@link #MAX_DRIFT}), so neither source reads more than 1 s of event time ahead of the other.
 *
 * <p>The join is the engine's long-key stream-stream join: {@code orders.keyByLong(orderId).join(trades.keyByLong(orderId),
 * INNER within [0, 5 s])}, the key unboxed through both exchanges. Both inputs reuse one record instance each (the
 * sources refill theirs) and cross the exchange by copy into pre-allocated ring slots ({@link #RECORDS}); the join
 * stores both sides as {@code long} columns ({@link #ORDER_COLUMNS}, {@link #TRADE_COLUMNS}), so it keeps no
 * reference to an input record. The join function returns the trade row it is handed (a ring slot's record, or the
 * operator's reused instance its columns were read into): the sink reads it during the call, as the spec's output
 * {@code (tradeSeq, orderId)}, and nothing is allocated per result. The hand-written operator this replaced is the
 * baseline scenario {@code W5-handwritten} ({@link W5HandwrittenScenario}). A result's latency is measured from the
 * later of its two partners' scheduled times (WORKLOADS.md section 5). Not thread-safe; one instance per run.
 */
final class W5Scenario extends ChecksumScenario<W5Record>
{
    /** The join's upper bound: {@code trade.ts <= order.ts + BOUND_MS}. */
    static final long BOUND_MS = 5_000;

    /** Copies join inputs into the exchange's pre-allocated ring slots. */
    static final RecordCopier<W5Record> RECORDS = new RecordCopier<>()
    {
        @Override
        public W5Record newInstance()
        {
            return new W5Record();
        }

        @Override
        public void copy(final W5Record from, final W5Record into)
        {
            into.copyFrom(from);
        }
    };

    /** An order as two columns: id, event time. */
    static final JoinRowLayout<W5Record> ORDER_COLUMNS = new JoinRowLayout<>()
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
            return (reuse == null ? new W5Record() : reuse).order(from[at], from[at + 1]);
        }
    };

    /** A trade as three columns: sequence number, event time, order id (the result row reads all of them). */
    static final JoinRowLayout<W5Record> TRADE_COLUMNS = new JoinRowLayout<>()
    {
        @Override
        public int width()
        {
            return 3;
        }

        @Override
        public void write(final W5Record row, final long[] into, final int at)
        {
            into[at] = row.seq();
            into[at + 1] = row.tsMs();
            into[at + 2] = row.orderId();
        }

        @Override
        public W5Record read(final long[] from, final int at, final W5Record reuse)
        {
            return (reuse == null ? new W5Record() : reuse).trade(from[at], from[at + 1], from[at + 2]);
        }
    };

    /**
     * Orders on the left, trades on the right: {@code trade.ts BETWEEN order.ts AND order.ts + 5 s}; order ids are
     * unique (one order per id, the workload's primary key), so a trade that finds its order is not buffered.
     */
    static final JoinOptions<W5Record, W5Record> JOIN = JoinOptions.<W5Record, W5Record>of(JoinType.INNER)
        .withEventTimes(W5Record::tsMs, W5Record::tsMs)
        .withTimeRange(Duration.ZERO, Duration.ofMillis(BOUND_MS))
        .withRowLayouts(ORDER_COLUMNS, TRADE_COLUMNS)
        .withUniqueKeys(true, false);

    /** The watermark alignment group of the join's two inputs. */
    static final String ALIGNMENT_GROUP = "w5-join-inputs";

    /**
     * How far ahead in event time of the trades the orders source may read (and the other way round). Unpaced, the
     * cheap orders source would otherwise run far ahead, and the join, whose watermark is the trades', would hold
     * every order read ahead (about 2M rows instead of 600k at 5M trades/s); this is the setting a user of a
     * multi-source join should make, as with Flink's {@code withWatermarkAlignment}. Paced, both sources follow the
     * same schedule and alignment never pauses either.
     */
    static final Duration MAX_DRIFT = Duration.ofSeconds(1);

    private SourceStats orderStats;

    W5Scenario()
    {
        super(Workload.W5);
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
        final WatermarkStrategy watermark = WatermarkStrategy.delay(Duration.ofMillis(WorkloadSpec.WATERMARK_LAG_MS))
            .withAlignment(ALIGNMENT_GROUP, MAX_DRIFT);
        final LongKeyedStream<W5Record> trades = rivulet.readStream(source)
            .withWatermark(Trade::tsMs, watermark)
            .map((Trade t) -> tradeRecord.trade(t.seq(), t.tsMs(), t.orderId()))
            .keyByLong("orderId", W5Record::orderId)
            .copyingRecords(RECORDS);
        final LongKeyedStream<W5Record> orderStream = rivulet.readStream(orders)
            .withWatermark(W5Record::tsMs, watermark)
            .keyByLong("orderId", W5Record::orderId, options.partitions())
            .copyingRecords(RECORDS);
        return options.start(orderStream
            .join(trades, JOIN, (orderId, order, trade) -> trade)
            .writeStream(sink)
            .outputMode(OutputMode.APPEND), queryName);
    }

    /** Adds each result's checksum term; its latency runs from the later partner's due time. */
    static final class W5Probe extends ChecksumProbe<W5Record>
    {
        @Override
        public long onResult(final W5Record trade)
        {
            acc.add(Checksum.w5(trade.seq(), trade.orderId()));
            // Order j is due with trade 10 j: the later partner's due time is that of the larger trade seq.
            return Math.max(trade.seq(), trade.orderId() * WorkloadSpec.TRADES_PER_ORDER);
        }
    }
}
