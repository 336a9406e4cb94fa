package io.rivulet.bench.harness;

import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;

import java.util.Objects;

/**
 * A sequential generator as a one-partition Rivulet {@link Source} (WORKLOADS.md section 4): paced by a {@link Pacer}
 * (latency mode: event {@code i} is due at {@code pacer.dueNs(i)}) or flat out (throughput mode), stopping after
 * {@code events} events or at its time limit ({@link SourceStats#truncated()}).
 *
 * <p>{@code poll} never blocks for long: it emits what is due (at most {@link Pacer#MAX_BATCH} per call), spins up to
 * {@link Pacer#PARK_THRESHOLD_NS} for an event about to be due, or parks at most {@link #MAX_PARK_NS} and returns 0.
 * Behind schedule it catches up as fast as it can, dropping and re-timing nothing.
 *
 * <p>Immutable description; the reader it opens is owned by the source task's thread.
 *
 * @param <T> record type
 */
public abstract class ScheduledSource<T> implements Source<T>
{
    /** Longest single park inside {@code poll}, so that the source task still sees barriers and stops. */
    public static final long MAX_PARK_NS = 1_000_000L;

    private final long events;
    private final Pacer pacer;
    private final long stopAfterNs;
    private final SourceStats stats;

    /**
     * @param events      events to emit, {@code >= 0}.
     * @param pacer       the schedule, or {@code null} for throughput mode (no pacing).
     * @param stopAfterNs time limit after the schedule start (paced) or the first poll (unpaced), ns.
     * @param stats       receives the run's statistics.
     */
    protected ScheduledSource(final long events, final Pacer pacer, final long stopAfterNs, final SourceStats stats)
    {
        if (events < 0)
        {
            throw new IllegalArgumentException("events must be >= 0, got " + events);
        }
        if (stopAfterNs <= 0)
        {
            throw new IllegalArgumentException("stopAfterNs must be > 0, got " + stopAfterNs);
        }
        this.events = events;
        this.pacer = pacer;
        this.stopAfterNs = stopAfterNs;
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** Generates the events, in order. Owned by the source task's thread. */
    protected interface Generator<T>
    {
        /**
         * Generates the next event and emits it.
         *
         * @param out where the event goes.
         */
        void emitNext(SourceOutput<T> out);
    }

    /** @return a fresh generator, positioned at the first event. */
    protected abstract Generator<T> newGenerator();

    /** @return events this source emits when it is not cut short. */
    public final long events()
    {
        return events;
    }

    /** @return the schedule, or {@code null} when unpaced. */
    public final Pacer pacer()
    {
        return pacer;
    }

    /** @return the time limit after the schedule start (paced) or the first poll (unpaced), ns. */
    public final long stopAfterNs()
    {
        return stopAfterNs;
    }

    /** @return where the run's statistics go. */
    public final SourceStats stats()
    {
        return stats;
    }

    @Override
    public final int numPartitions()
    {
        return 1;
    }

    @Override
    public final SourceReader<T> open(final SourceContext context)
    {
        return pacer != null ? new PacedReader<>(this, newGenerator(), context) : new UnpacedReader<>(this, newGenerator());
    }

    private abstract static class Reader<T> implements SourceReader<T>
    {
        final ScheduledSource<T> source;
        final Generator<T> generator;
        long next;

        Reader(final ScheduledSource<T> source, final Generator<T> generator)
        {
            this.source = source;
            this.generator = generator;
        }

        @Override
        public void close()
        {
        }

        final void emit(final SourceOutput<T> out, final int n)
        {
            for (int i = 0; i < n; i++)
            {
                generator.emitNext(out);
            }
            next += n;
        }
    }

    private static final class PacedReader<T> extends Reader<T>
    {
        private final Pacer pacer;
        private final SourceContext context;

        PacedReader(final ScheduledSource<T> source, final Generator<T> generator, final SourceContext context)
        {
            super(source, generator);
            this.pacer = source.pacer;
            this.context = context;
        }

        @Override
        public int poll(final SourceOutput<T> out, final int limit)
        {
            final long end = source.events;
            if (next >= end)
            {
                return END_OF_INPUT;
            }
            long now = System.nanoTime();
            if (now - pacer.startNs() >= source.stopAfterNs)
            {
                source.stats.truncate();
                return END_OF_INPUT;
            }
            final int max = Math.min(limit, Pacer.MAX_BATCH);
            int n = pacer.dueBatch(next, end, now, max);
            if (n == 0)
            {
                final long due = pacer.dueNs(next);
                // The last stretch before an event is due is spun through the source's context, which lets the
                // tasks sharing this thread (a fused join's stage hosted here) take the other inputs' records.
                now = due - now <= Pacer.PARK_THRESHOLD_NS && !Pacer.YIELD ? context.awaitUntil(due, MAX_PARK_NS)
                    : Pacer.awaitDue(due, now, MAX_PARK_NS);
                // Nothing due after the wait (it ended early: the epoch's end, or MAX_PARK_NS) is rare, so it is no
                // branch of its own: warm-up seldom takes it, C2 would compile it as an uncommon trap, and each time it
                // is taken in the measured window the source thread's compiled cycle was deoptimised (up to four times
                // per run; docs/benchmarks.md, "Issue 14", stalls). n == 0 emits nothing and changes no statistic.
                n = pacer.dueBatch(next, end, now, max);
            }
            emit(out, n);
            source.stats.emitted(next, now, now - pacer.dueNs(next - 1), n);
            return n;
        }
    }

    private static final class UnpacedReader<T> extends Reader<T>
    {
        private long startNs;

        UnpacedReader(final ScheduledSource<T> source, final Generator<T> generator)
        {
            super(source, generator);
        }

        @Override
        public int poll(final SourceOutput<T> out, final int limit)
        {
            final long remaining = source.events - next;
            if (remaining <= 0)
            {
                return END_OF_INPUT;
            }
            final long now = System.nanoTime();
            if (startNs == 0)
            {
                startNs = now;
            }
            else if (now - startNs >= source.stopAfterNs)
            {
                source.stats.truncate();
                return END_OF_INPUT;
            }
            final int n = (int)Math.min(limit, remaining);
            emit(out, n);
            source.stats.emitted(next, now, 0, n);
            return n;
        }
    }
}
