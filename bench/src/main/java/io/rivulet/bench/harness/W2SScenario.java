package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Checksum;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Row;
import io.rivulet.operators.OutputMode;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.count;
import static io.rivulet.engine.sql.functions.sum;
import static io.rivulet.engine.sql.functions.window;

/**
 * W2 in the structured API: {@code withWatermark("ts", "500 milliseconds").groupBy(window(col("ts"), "1 second"),
 * col("symbol")).agg(count("*"), sum(col("qty")))} in append mode. A window's latency is measured from the due time of the
 * event whose event time moves the watermark past its end, as in {@link W2Scenario}. Not thread-safe; one instance
 * per run.
 */
final class W2SScenario extends StructuredScenario
{
    W2SScenario()
    {
        super(Workload.W2);
    }

    @Override
    StreamingQuery start(final Dataset<Row> trades, final Pacer pacer, final MeasuredWindow window,
        final HarnessOptions options, final String queryName)
    {
        final long rate = pacer != null ? pacer.rate() : WorkloadSpec.THROUGHPUT_RATE;
        sink = new MeasuringSink<Row>(id(), pacer, window, () -> new W2SProbe(rate))
            .measuringAtCommit(options.checkpointDir() != null);
        final Dataset<Row> counts = trades
            .withWatermark("ts", WorkloadSpec.WATERMARK_LAG_MS + " milliseconds")
            .groupBy(window(col("ts"), "1 second"), col("symbol"))
            .agg(count("*").as("count"), sum(col("qty")).as("sumQty"));
        return options.start(counts.asStream().writeStream(sink).outputMode(OutputMode.APPEND), queryName);
    }

    /** Reads each window row ({@code window, symbol, count, sumQty}) into the W2 checksum. Owned by the writer's thread. */
    private static final class W2SProbe extends ChecksumProbe<Row>
    {
        private final long rate;

        W2SProbe(final long rate)
        {
            this.rate = rate;
        }

        @Override
        public long onResult(final Row row)
        {
            final long windowEndMs = Math.floorDiv(row.getStruct(0).getTimestampMicros(1), 1_000L);
            acc.add(Checksum.w2(row.getInt(1), windowEndMs, row.getLong(2), row.getLong(3)));
            return WindowScenario.dueSeq(windowEndMs, rate);
        }
    }
}
