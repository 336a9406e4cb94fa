package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;

/**
 * The trade stream of WORKLOADS.md as a one-partition {@link ScheduledSource}: event {@code seq} is trade {@code seq}
 * of the spec's generator, due at {@code pacer.dueNs(seq)}; with {@code withOrderIds} the generator also draws W5's
 * order ids (the trade fields are the same either way).
 *
 * <p>Records: with {@code reuseTrade} one {@link Trade} instance is refilled for every event, which is only correct
 * while no operator keeps a reference: the chain is fused into the source thread, or the trades cross a keyed
 * exchange by copy ({@code copyingRecords}); otherwise a fresh {@code Trade} per event.
 *
 * <p>Immutable description; the reader it opens is owned by the source task's thread.
 */
public final class TradeSource extends ScheduledSource<Trade>
{
    /** Longest single park inside {@code poll}, so that the source task still sees barriers and stops. */
    public static final long MAX_PARK_NS = ScheduledSource.MAX_PARK_NS;

    private final long eventRate;
    private final boolean reuseTrade;
    private final boolean withOrderIds;

    /**
     * @param trades       events to emit, {@code >= 0}.
     * @param eventRate    nominal event-time rate {@code R} of the generator, events/s.
     * @param pacer        the schedule, or {@code null} for throughput mode (no pacing).
     * @param stopAfterNs  time limit after the schedule start (paced) or the first poll (unpaced), ns.
     * @param reuseTrade   whether one {@code Trade} instance is refilled for every event.
     * @param withOrderIds whether trades carry W5's order ids.
     * @param stats        receives the run's statistics.
     */
    public TradeSource(
        final long trades,
        final long eventRate,
        final Pacer pacer,
        final long stopAfterNs,
        final boolean reuseTrade,
        final boolean withOrderIds,
        final SourceStats stats)
    {
        super(trades, pacer, stopAfterNs, stats);
        this.eventRate = eventRate;
        this.reuseTrade = reuseTrade;
        this.withOrderIds = withOrderIds;
    }

    /** @return the nominal event-time rate {@code R} of the generator, events/s. */
    public long eventRate()
    {
        return eventRate;
    }

    @Override
    public String description()
    {
        return "trades[n=" + events() + (pacer() != null ? ", rate=" + pacer().rate() : ", unpaced") + "]";
    }

    @Override
    protected Generator<Trade> newGenerator()
    {
        final TradeGenerator generator = new TradeGenerator(eventRate, withOrderIds);
        if (reuseTrade)
        {
            final Trade reused = new Trade();
            return out ->
            {
                generator.next(reused);
                out.emit(reused);
            };
        }
        return out ->
        {
            final Trade trade = new Trade();
            generator.next(trade);
            out.emit(trade);
        };
    }
}
