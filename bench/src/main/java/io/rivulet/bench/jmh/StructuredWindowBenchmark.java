package io.rivulet.bench.jmh;

import io.rivulet.bench.harness.CountSumQty;
import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.ComplexAccess;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.internal.AggregationBuffer;
import io.rivulet.engine.sql.internal.GroupAggregation;
import io.rivulet.engine.sql.internal.GroupKeys;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.window.WindowAggregateOperator;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.window.WindowedValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * W2S's keyed stage in one thread, as {@code groupBy(window(col("ts"), "1 second"), col("symbol")).agg(count("*"),
 * sum(col("qty")))} plans it: the structured key function ({@link GroupKeys#of}), event time
 * ({@link GroupKeys#eventTimeMs}) and aggregation ({@link GroupAggregation}: slot buffers, generated update) on the
 * tumbling {@link WindowAggregateOperator}, over pre-generated trade rows (Zipf symbols, event time advancing at the
 * spec's 1M events/s) with the watermark every 1000 records; windows close into the Blackhole. An operation is one
 * record plus its share of emission and eviction; {@code -prof gc} gives bytes per record.
 *
 * <p>Baseline: W2's typed stage on the same trades ({@link CountSumQty} over {@code long[2]}, pre-boxed symbol keys),
 * what {@code WindowAggregationBenchmark.tumblingCountSum} measures. {@code -Drivulet.sql.codegen=false} (with
 * {@code -jvmArgsAppend}) measures the interpreted update.
 */
@State(Scope.Thread)
public class StructuredWindowBenchmark extends BenchmarkDefaults
{
    private static final StructType TRADES =
        StructType.fromDDL("seq BIGINT, ts TIMESTAMP, symbol INT, price DOUBLE, qty BIGINT");
    private static final int WATERMARK_EVERY = 1000;

    private final Trade[] trades = new Trade[RECORDS];
    private final Integer[] keys = new Integer[RECORDS];
    private final MutableRow[] rows = new MutableRow[RECORDS];
    private WindowAggregateOperator<Integer, Trade, long[], long[]> typed;
    private WindowAggregateOperator<Object, Row, AggregationBuffer, Row> structured;
    private Function<Row, Object> structuredKeys;
    private Output<WindowedValue<Integer, long[]>> typedOut;
    private Output<WindowedValue<Object, Row>> structuredOut;
    private long seq;

    /**
     * Pre-generates trades, their keys and rows, and builds both stages in append mode.
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
            rows[i] = MutableRow.create(TRADES);
            rows[i].setLong(0, trades[i].seq());
            rows[i].setInt(2, trades[i].symbol());
            rows[i].setDouble(3, trades[i].price());
            rows[i].setLong(4, trades[i].qty());
        }
        typed = new WindowAggregateOperator<>(WindowAssigner.tumbling(1000), Trade::tsMs, new CountSumQty(),
            OutputMode.APPEND);
        final List<Aggregate> aggregates = new ArrayList<>();
        for (final String call : List.of("count(1)", "sum(qty)"))
        {
            final Expression e = Analyzer.projection(TRADES, List.of(SqlParsers.parseSelectItem(call))).expressions().get(0);
            aggregates.add((Aggregate)(e instanceof ComplexAccess.Alias a ? a.children().get(0) : e));
        }
        final GroupAggregation aggregation = new GroupAggregation(aggregates, List.of("count", "sumQty"),
            new int[] {-1, 4}, TRADES);
        if (!aggregation.compiled() && !"false".equals(System.getProperty("rivulet.sql.codegen")))
        {
            throw new IllegalStateException("the aggregation update did not compile");
        }
        final ToLongFunction<Row> timeMs = GroupKeys.eventTimeMs(TRADES, 1);
        structured = new WindowAggregateOperator<>(WindowAssigner.tumbling(1000), timeMs, aggregation,
            OutputMode.APPEND, null, StateCodecs.dynamic(), aggregation.codec());
        structuredKeys = GroupKeys.of(TRADES, new int[] {2});
        typedOut = bh::consume;
        structuredOut = bh::consume;
    }

    /** The next record, its event time moved on to {@code T0 + seq / 1000} ms (1M events/s nominal). */
    private int nextRecord()
    {
        final int i = (int)(seq & MASK);
        final long tsMs = WorkloadSpec.T0_MS + seq / 1000;
        trades[i].tsMs(tsMs);
        rows[i].setTimestampMicros(1, tsMs * 1_000L);
        seq++;
        return i;
    }

    private long watermark()
    {
        return WorkloadSpec.T0_MS + seq / 1000 - WorkloadSpec.WATERMARK_LAG_MS;
    }

    /** Baseline: W2's typed stage, tumbling 1 s, count and sum of qty per pre-boxed symbol. */
    @Benchmark
    public void typedCountSum()
    {
        final int i = nextRecord();
        typed.process(keys[i], trades[i], typedOut);
        if (seq % WATERMARK_EVERY == 0)
        {
            typed.onWatermark(watermark(), typedOut);
        }
    }

    /** W2S's stage: the key read from the row, then the same window with the structured aggregation. */
    @Benchmark
    public void structuredCountSum()
    {
        final int i = nextRecord();
        final Row row = rows[i];
        structured.process(structuredKeys.apply(row), row, structuredOut);
        if (seq % WATERMARK_EVERY == 0)
        {
            structured.onWatermark(watermark(), structuredOut);
        }
    }
}
