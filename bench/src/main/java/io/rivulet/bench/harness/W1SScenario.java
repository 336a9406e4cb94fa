package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Row;

/**
 * W1 in the structured API: {@code where("qty > 100").selectExpr("seq", "symbol", "price * qty AS notional")} over
 * the trade rows, fused with the sink into the source's thread. Not thread-safe; one instance per run.
 */
final class W1SScenario extends StructuredScenario
{
    W1SScenario()
    {
        super(Workload.W1);
    }

    @Override
    StreamingQuery start(final Dataset<Row> trades, final Pacer pacer, final MeasuredWindow window,
        final HarnessOptions options, final String queryName)
    {
        sink = new MeasuringSink<>(id(), pacer, window, W1SProbe::new);
        final Dataset<Row> notional = trades
            .where("qty > 100")
            .selectExpr("seq", "symbol", "price * qty AS notional");
        return options.start(notional.asStream().writeStream(sink), queryName);
    }

    /** Reads each result row into the W1 checksum; keeps no reference. Owned by the writer's thread. */
    private static final class W1SProbe extends ChecksumProbe<Row>
    {
        @Override
        public long onResult(final Row row)
        {
            acc.add(Checksum.w1(row.getDouble(2)));
            return row.getLong(0);
        }
    }
}
