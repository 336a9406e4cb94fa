package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;

import java.util.Objects;

/**
 * The trade stream of WORKLOADS.md as a Rivulet {@link Source}: one partition (the generator is sequential), paced by
 * a {@link Pacer} (latency mode) or flat out (throughput mode), stopping after {@code trades} events or at its time
 * limit ({@link SourceStats#truncated()}).
 *
 * <p>{@code poll} never blocks for long: it emits what is due (at most {@link Pacer#MAX_BATCH} per call), spins up to
 * {@link Pacer#PARK_THRESHOLD_NS} for an event about to be due, or parks at most {@link #MAX_PARK_NS} and returns 0.
 *
 * <p>Records: with {@code reuseTrade} one {@link Trade} instance is refilled for every event, which is only correct
 * while every operator consuming it runs fused in the source thread and keeps no reference (W1); a stream that
 * crosses a keyed exchange needs a fresh {@code Trade} per event, because the engine's rings carry references.
 *
 * <p>Immutable description; the reader it opens is owned by the source task's thread.
 */
public final class TradeSource implements Source<Trade>
{
    /** Longest single park inside {@code poll}, so that the source task still sees barriers and stops. */
    public static final long MAX_PARK_NS = 1_000_000L;

    private final long trades;
    private final long eventRate;
    private final Pacer pacer;
    private final long stopAfterNs;
    private final boolean reuseTrade;
    private final SourceStats stats;

    /**
     * @param trades      events to emit, {@code >= 0}.
     * @param eventRate   nominal event-time rate {@code R} of the generator, events/s.
     * @param pacer       the schedule, or {@code null} for throughput mode (no pacing).
     * @param stopAfterNs time limit after the schedule start (paced) or the first poll (unpaced), ns.
     * @param reuseTrade  whether one {@code Trade} instance is refilled for every event.
     * @param stats       receives the run's statistics.
     */
    public TradeSource(
        final long trades,
        final long eventRate,
        final Pacer pacer,
        final long stopAfterNs,
        final boolean reuseTrade,
        final SourceStats stats)
    {
        if (trades < 0)
        {
            throw new IllegalArgumentException("trades must be >= 0, got " + trades);
        }
        if (stopAfterNs <= 0)
        {
            throw new IllegalArgumentException("stopAfterNs must be > 0, got " + stopAfterNs);
        }
        this.trades = trades;
        this.eventRate = eventRate;
        this.pacer = pacer;
        this.stopAfterNs = stopAfterNs;
        this.reuseTrade = reuseTrade;
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public String description()
    {
        return "trades[n=" + trades + (pacer != null ? ", rate=" + pacer.rate() : ", unpaced") + "]";
    }

    @Override
    public int numPartitions()
    {
        return 1;
    }

    @Override
    public SourceReader<Trade> open(final SourceContext context)
    {
        final TradeGenerator generator = new TradeGenerator(eventRate, false);
        return pacer != null ? new PacedReader(this, generator) : new UnpacedReader(this, generator);
    }

    /** Shared by both readers: generates and emits events {@code next .. next + n - 1}. Owned by the task thread. */
    private abstract static class Reader implements SourceReader<Trade>
    {
        final TradeSource source;
        final TradeGenerator generator;
        final Trade reused = new Trade();
        long next;

        Reader(final TradeSource source, final TradeGenerator generator)
        {
            this.source = source;
            this.generator = generator;
        }

        final void emit(final SourceOutput<Trade> out, final int n)
        {
            final boolean reuse = source.reuseTrade;
            for (int i = 0; i < n; i++)
            {
                final Trade trade = reuse ? reused : new Trade();
                generator.next(trade);
                out.emit(trade);
            }
            next += n;
        }
    }

    private static final class PacedReader extends Reader
    {
        private final Pacer pacer;

        PacedReader(final TradeSource source, final TradeGenerator generator)
        {
            super(source, generator);
            this.pacer = source.pacer;
        }

        @Override
        public int poll(final SourceOutput<Trade> out, final int limit)
        {
            final long end = source.trades;
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
                now = Pacer.awaitDue(pacer.dueNs(next), now, MAX_PARK_NS);
                n = pacer.dueBatch(next, end, now, max);
                if (n == 0)
                {
                    return 0;
                }
            }
            emit(out, n);
            source.stats.emitted(next, now, now - pacer.dueNs(next - 1));
            return n;
        }
    }

    private static final class UnpacedReader extends Reader
    {
        private long startNs;

        UnpacedReader(final TradeSource source, final TradeGenerator generator)
        {
            super(source, generator);
        }

        @Override
        public int poll(final SourceOutput<Trade> out, final int limit)
        {
            final long remaining = source.trades - next;
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
            source.stats.emitted(next, now, 0);
            return n;
        }
    }
}
