package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Baseline;
import io.rivulet.bench.workload.BaselineResult;
import io.rivulet.bench.workload.ChecksumAccumulator;
import io.rivulet.bench.workload.Workload;
import org.HdrHistogram.Histogram;

import java.util.Optional;

/**
 * A spec workload (W1-W4) whose sink writers each accumulate the spec's checksum terms; the run's result is their
 * merge, checked against the spec's reference table for that N, or else against the hand-written baseline over the
 * same trades. Not thread-safe; one instance per run, read after the query ended.
 *
 * @param <R> the sink's record type
 */
abstract class ChecksumScenario<R> implements Scenario
{
    private final Workload workload;
    /** Set by {@code start}. */
    MeasuringSink<R> sink;

    ChecksumScenario(final Workload workload)
    {
        this.workload = workload;
    }

    @Override
    public String id()
    {
        return workload.name();
    }

    @Override
    public Histogram latency()
    {
        return sink.mergedLatency();
    }

    @Override
    public long results()
    {
        return merged().count();
    }

    @Override
    public long checksum()
    {
        return merged().sum();
    }

    @Override
    public long lastResultNs()
    {
        return sink.lastResultNs();
    }

    @Override
    public ResultCheck check(final long trades, final long eventRate, final boolean reference)
    {
        final ChecksumAccumulator got = merged();
        final Optional<ReferenceResults.Row> row = reference ? ReferenceResults.find(workload, trades) : Optional.empty();
        if (row.isPresent())
        {
            return ResultCheck.compare("spec reference " + workload + " N=" + trades, row.get().results(),
                row.get().checksum(), got.count(), got.sum(), true);
        }
        final BaselineResult expected = Baseline.run(workload, trades, eventRate);
        return ResultCheck.compare("direct computation of " + workload + " over " + trades + " trades",
            expected.results(), expected.checksum(), got.count(), got.sum(), false);
    }

    private ChecksumAccumulator merged()
    {
        final ChecksumAccumulator total = new ChecksumAccumulator();
        for (final MeasuringSink.Writer<R> writer : sink.writers())
        {
            total.merge(((ChecksumProbe<R>)writer.probe()).acc);
        }
        return total;
    }

    /**
     * Accumulates checksum terms. Not thread-safe; owned by one writer's thread.
     *
     * @param <R> record type
     */
    abstract static class ChecksumProbe<R> implements MeasuringSink.Probe<R>
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
    }
}
