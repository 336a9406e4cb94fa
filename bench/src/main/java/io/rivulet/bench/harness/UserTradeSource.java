package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.TradeGenerator;

/**
 * The trade stream of WORKLOADS.md as a user's source writes it: a new {@link UserTrade} per event, built when the
 * event is due (the same pacing as {@link TradeSource}, event {@code seq} due at {@code pacer.dueNs(seq)}). The spec's
 * generator fills one private scratch {@link Trade}, as a decoder fills its buffer, and the source copies its fields
 * into the new record; nothing it emits is ever reused, so any operator may keep it.
 *
 * <p>Immutable description; the reader it opens is owned by the source task's thread.
 */
public final class UserTradeSource extends ScheduledSource<UserTrade>
{
    private final long eventRate;

    /**
     * @param trades      events to emit, {@code >= 0}.
     * @param eventRate   nominal event-time rate {@code R} of the generator, events/s.
     * @param pacer       the schedule, or {@code null} for throughput mode (no pacing).
     * @param stopAfterNs time limit after the schedule start (paced) or the first poll (unpaced), ns.
     * @param stats       receives the run's statistics.
     */
    public UserTradeSource(final long trades, final long eventRate, final Pacer pacer, final long stopAfterNs,
        final SourceStats stats)
    {
        super(trades, pacer, stopAfterNs, stats);
        this.eventRate = eventRate;
    }

    /**
     * @param trades the run's trade stream (its schedule, rate, time limit and statistics are taken over).
     * @return the same stream as new {@link UserTrade} records.
     */
    public static UserTradeSource like(final TradeSource trades)
    {
        return new UserTradeSource(trades.events(), trades.eventRate(), trades.pacer(), trades.stopAfterNs(),
            trades.stats());
    }

    @Override
    public String description()
    {
        return "user trades[n=" + events() + (pacer() != null ? ", rate=" + pacer().rate() : ", unpaced") + "]";
    }

    @Override
    protected Generator<UserTrade> newGenerator()
    {
        final TradeGenerator generator = new TradeGenerator(eventRate, false);
        final Trade scratch = new Trade();
        return out ->
        {
            generator.next(scratch);
            out.emit(newTrade(scratch));
        };
    }

    /**
     * @param fields a generated trade.
     * @return a new user trade with its fields.
     */
    static UserTrade newTrade(final Trade fields)
    {
        return new UserTrade(fields.seq(), fields.tsMs(), fields.symbol(), fields.price(), fields.qty());
    }
}
