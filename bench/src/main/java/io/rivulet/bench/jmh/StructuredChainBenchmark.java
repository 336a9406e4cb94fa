package io.rivulet.bench.jmh;

import io.rivulet.bench.workload.Trade;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.Predicate;
import io.rivulet.engine.sql.expressions.Projection;
import io.rivulet.engine.sql.internal.FillOperator;
import io.rivulet.engine.sql.internal.RowOperator;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.Output;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.SplittableRandom;

/**
 * W1S's fused chain as the planner builds it, with the engine's real operators: a refilling connector's
 * {@link FillOperator} (trade into a row of W1S's trade schema), {@code where("qty > 100")} ({@link RowOperator},
 * filter only) and {@code selectExpr("seq", "symbol", "price * qty AS notional")} ({@link RowOperator}, compiled
 * projection), into a consumer that reads the notional. {@code reuse=true}: the source and the projection refill
 * one row each (what the planner does when the rows' consumers only read them); {@code false}: a new row per record
 * at both (what it does when a consumer keeps rows, and what W1S did before). Operations are one trade each, so
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per event: expect 0 with reuse, two rows without.
 *
 * <p>{@link #chain()} runs the where and the select as two operators; {@link #w1s()} runs them as W1S's planner
 * fuses {@code where(..).selectExpr(..)}: one {@link RowOperator} testing the condition, then projecting.
 *
 * <p>Setup runs every pre-generated trade through both chains and checks the notional against the hand computation.
 */
@State(Scope.Thread)
public class StructuredChainBenchmark extends BenchmarkDefaults
{
    private static final StructType TRADES =
        StructType.fromDDL("seq BIGINT, ts TIMESTAMP, symbol INT, price DOUBLE, qty BIGINT");

    @Param({"true", "false"})
    public boolean reuse;

    private final Trade[] trades = new Trade[RECORDS];
    private FillOperator<Trade> source;
    private Output<Trade> chain;
    private Output<Trade> fused;
    private Consumer consumer;
    private int index;

    /** Reads each result's notional into a sink. Owned by the benchmark thread. */
    private static final class Consumer implements Output<Row>
    {
        Blackhole blackhole;
        double last;
        long count;

        @Override
        public void emit(final Row row)
        {
            last = row.getDouble(2);
            count++;
            if (blackhole != null)
            {
                blackhole.consume(last);
            }
        }
    }

    @Setup
    public void setUp(final Blackhole blackhole)
    {
        final Predicate where = Analyzer.predicate(TRADES, SqlParsers.parseExpression("qty > 100"));
        final Projection select = Analyzer.projection(TRADES, List.of(SqlParsers.parseSelectItem("seq"),
            SqlParsers.parseSelectItem("symbol"), SqlParsers.parseSelectItem("price * qty AS notional")));
        final RowOperator<Row> filter = new RowOperator<>(where, null, TRADES, -1, null, false);
        final RowOperator<Row> project = new RowOperator<>(null, select, select.outputSchema(), -1, null, reuse);
        source = new FillOperator<>(TRADES, StructuredChainBenchmark::fill, reuse);
        consumer = new Consumer();
        final Output<Row> projected = row -> project.process(row, consumer);
        final Output<Row> filtered = row -> filter.process(row, projected);
        chain = trade -> source.process(trade, filtered);
        final RowOperator<Row> whereSelect = new RowOperator<>(where, select, select.outputSchema(), -1, null, reuse);
        final FillOperator<Trade> fusedSource = new FillOperator<>(TRADES, StructuredChainBenchmark::fill, reuse);
        final Output<Row> fusedOut = row -> whereSelect.process(row, consumer);
        fused = trade -> fusedSource.process(trade, fusedOut);
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < RECORDS; i++)
        {
            trades[i] = new Trade().set(i, 1_700_000_000_000L + i, random.nextInt(1000), random.nextDouble(1, 500),
                random.nextLong(1, 200), i);
            check(chain, trades[i], i);
            check(fused, trades[i], i);
        }
        consumer.blackhole = blackhole;
    }

    private void check(final Output<Trade> through, final Trade trade, final int i)
    {
        final long before = consumer.count;
        through.emit(trade);
        final boolean passed = consumer.count != before;
        if (passed != trade.qty() > 100 || passed && consumer.last != trade.price() * trade.qty())
        {
            throw new IllegalStateException("chain disagrees on trade " + i + ": " + consumer.last);
        }
    }

    private static void fill(final Trade trade, final MutableRow row)
    {
        row.setLong(0, trade.seq());
        row.setTimestampMicros(1, trade.tsMs() * 1_000L);
        row.setInt(2, trade.symbol());
        row.setDouble(3, trade.price());
        row.setLong(4, trade.qty());
    }

    @Benchmark
    public void chain()
    {
        chain.emit(trades[index++ & MASK]);
    }

    @Benchmark
    public void w1s()
    {
        fused.emit(trades[index++ & MASK]);
    }
}
