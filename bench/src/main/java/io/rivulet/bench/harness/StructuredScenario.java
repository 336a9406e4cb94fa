package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.types.StructType;

import java.util.Locale;

/**
 * A spec workload written with the structured API (issue 13), as a Spark user writes it: the trades as a
 * {@code Dataset<Row>} of {@link #TRADE_SCHEMA} (written into rows in the source's task by a refilling connector,
 * {@code ConnectorSource.refilling}, as a structured source decodes its input: the engine refills one row while the
 * query's operators only read rows, and the workloads' do), column expressions and {@code groupBy(window(..), ..)}. The sink reads each result row into the
 * spec's checksum; results are checked as the typed workload's. Not thread-safe; one instance per run.
 */
abstract class StructuredScenario extends ChecksumScenario<Row>
{
    /** Suffix of a structured workload's id: {@code W1S} is W1 in the structured API. */
    static final String SUFFIX = "S";

    /** The trades' row schema. */
    static final StructType TRADE_SCHEMA =
        StructType.fromDDL("seq BIGINT, ts TIMESTAMP, symbol INT, price DOUBLE, qty BIGINT");

    StructuredScenario(final Workload workload)
    {
        super(workload);
    }

    /**
     * @param id a workload id, any case.
     * @return whether it names a structured workload ({@code W1S}, {@code W2S}).
     */
    static boolean isStructured(final String id)
    {
        final String s = id.trim().toUpperCase(Locale.ROOT);
        return s.equals("W1" + SUFFIX) || s.equals("W2" + SUFFIX);
    }

    @Override
    public String id()
    {
        return super.id() + SUFFIX;
    }

    /** The trade is turned into a new row in the source's task, so the source may refill one trade. */
    @Override
    public final boolean reusesTrade()
    {
        return true;
    }

    @Override
    public final StreamingQuery start(final Rivulet rivulet, final Source<Trade> source, final Pacer pacer,
        final MeasuredWindow window, final HarnessOptions options, final String queryName)
    {
        final Dataset<Row> trades = rivulet.readStream()
            .source(ConnectorSource.refilling(source, TRADE_SCHEMA, StructuredScenario::fill));
        return start(trades, pacer, window, options, queryName);
    }

    /**
     * @param trade a trade.
     * @return a new row of {@link #TRADE_SCHEMA} holding it ({@code ts} in µs).
     */
    static Row toRow(final Trade trade)
    {
        final MutableRow row = MutableRow.create(TRADE_SCHEMA);
        fill(trade, row);
        return row;
    }

    /**
     * @param trade a trade.
     * @param row   a row of {@link #TRADE_SCHEMA}; every field is written ({@code ts} in µs).
     */
    static void fill(final Trade trade, final MutableRow row)
    {
        row.setLong(0, trade.seq());
        row.setTimestampMicros(1, trade.tsMs() * 1_000L);
        row.setInt(2, trade.symbol());
        row.setDouble(3, trade.price());
        row.setLong(4, trade.qty());
    }

    /**
     * Builds the workload's query on the trade rows, sets {@link #sink} and starts it.
     *
     * @param trades    the trades as rows.
     * @param pacer     the schedule, or {@code null} in throughput mode.
     * @param window    due times whose latency is recorded; {@code null} in throughput mode.
     * @param options   the run's settings.
     * @param queryName the query's name.
     * @return the running query.
     */
    abstract StreamingQuery start(Dataset<Row> trades, Pacer pacer, MeasuredWindow window, HarnessOptions options,
        String queryName);
}
