package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.bench.workload.WorkloadSpec;
import io.rivulet.engine.DataStreamWriter;
import io.rivulet.engine.RecordCopier;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;
import io.rivulet.operators.OutputMode;

import java.time.Duration;

/**
 * The windowed workloads W2-W4 as real Rivulet queries: {@code withWatermark(ts, 500 ms)}, a keyed
 * event-time window in append mode, and (W4) a per-window ranking. A window's result is measured
 * from the scheduled time of the event whose event time moves the watermark past the window's end
 * (WORKLOADS.md section 5): nominal offset {@code windowEnd + 500 - T0} ms. Windows still open at the
 * end of input are flushed, as the spec requires; in latency runs they fall after the measured
 * window. Trades cross the keyed exchange by copy into the ring's pre-allocated slots ({@link #TRADES}), so the
 * source refills one trade for every event. Not thread-safe; one instance per run.
 *
 * @param <R> the sink's record type
 */
abstract class WindowScenario<R> extends ChecksumScenario<R>
{
    /** Copies trades into the exchange's ring slots, so the source refills one {@link Trade} for every event. */
    static final RecordCopier<Trade> TRADES = new RecordCopier<>()
    {
        @Override
        public Trade newInstance()
        {
            return new Trade();
        }

        @Override
        public void copy(final Trade from, final Trade into)
        {
            into.copyFrom(from);
        }
    };

    WindowScenario(final Workload workload)
    {
        super(workload);
    }

    /**
     * The workload's query from the trades with a watermark to its results.
     *
     * @param trades     the trades, with event time and watermark
     * @param partitions keyed partitions
     * @return the results
     */
    abstract Stream<R> query(Stream<Trade> trades, int partitions);

    /**
     * @param rate the nominal event rate, events per second, for due times
     * @return a probe that adds each result's checksum and returns the seq its latency is measured from
     */
    abstract WindowProbe<R> probe(long rate);

    @Override
    public boolean reusesTrade()
    {
        return true;
    }

    @Override
    public StreamingQuery start(final Rivulet rivulet, final Source<Trade> source, final Pacer pacer,
        final MeasuredWindow window, final HarnessOptions options, final String queryName)
    {
        final long rate = pacer != null ? pacer.rate() : WorkloadSpec.THROUGHPUT_RATE;
        sink = new MeasuringSink<>(id(), pacer, window, () -> probe(rate))
            .measuringAtCommit(options.checkpointDir() != null);
        final Stream<Trade> trades = rivulet.readStream(source)
            .withWatermark(Trade::tsMs, Duration.ofMillis(WorkloadSpec.WATERMARK_LAG_MS));
        final DataStreamWriter<R> writer = query(trades, options.partitions())
            .writeStream(sink)
            .outputMode(OutputMode.APPEND);
        return options.start(writer, queryName);
    }

    /**
     * @param windowEndMs a window's end
     * @param rate        the nominal event rate
     * @return the seq of the event whose event time first moves the watermark past the window's end
     */
    static long dueSeq(final long windowEndMs, final long rate)
    {
        return (windowEndMs + WorkloadSpec.WATERMARK_LAG_MS - WorkloadSpec.T0_MS) * rate / 1000;
    }

    /**
     * Accumulates a window workload's checksum. Not thread-safe; owned by one writer's thread.
     *
     * @param <R> record type
     */
    abstract static class WindowProbe<R> extends ChecksumProbe<R>
    {
        final long rate;

        WindowProbe(final long rate)
        {
            this.rate = rate;
        }
    }
}
