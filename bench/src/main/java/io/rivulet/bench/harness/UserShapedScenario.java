package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.Workload;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Source;

import java.util.Locale;

/**
 * A spec workload written exactly as a user writes it with the public API (issue 14): a user {@link Source} that
 * builds a new {@link UserTrade} per event when it is due ({@link UserTradeSource}), operators that build a new result
 * record per output, no {@code RecordCopier} and nothing pre-allocated or refilled. The sink reads each result and
 * keeps no reference to it. Its results are the spec workload's, checked the same way (reference table or direct
 * computation over the same trades); the allocating hand-written loop it is compared with is
 * {@link PacedBaseline}'s. Not thread-safe; one instance per run.
 *
 * @param <R> the sink's record type
 */
abstract class UserShapedScenario<R> extends ChecksumScenario<R>
{
    /** Suffix of a user-shaped workload's id: {@code W1U} is W1 written as a user writes it. */
    static final String SUFFIX = "U";

    UserShapedScenario(final Workload workload)
    {
        super(workload);
    }

    /**
     * @param id a workload id, any case.
     * @return whether it names a user-shaped workload ({@code W1U}, {@code W2U}).
     */
    static boolean isUserShaped(final String id)
    {
        final String s = id.trim().toUpperCase(Locale.ROOT);
        return s.equals("W1" + SUFFIX) || s.equals("W2" + SUFFIX);
    }

    @Override
    public String id()
    {
        return super.id() + SUFFIX;
    }

    /** The user's records are new per event: nothing may be refilled. */
    @Override
    public final boolean reusesTrade()
    {
        return false;
    }

    /**
     * Reads the run's trade stream as the user's source emits it, a new {@link UserTrade} per event, and starts the
     * workload's query on it.
     *
     * @param source the run's {@link TradeSource}: its schedule, rate, time limit and statistics are the user
     *               source's; it is never opened.
     * @throws IllegalArgumentException if {@code source} is not a {@link TradeSource}.
     */
    @Override
    public final StreamingQuery start(final Rivulet rivulet, final Source<Trade> source, final Pacer pacer,
        final MeasuredWindow window, final HarnessOptions options, final String queryName)
    {
        if (!(source instanceof TradeSource trades))
        {
            throw new IllegalArgumentException("source must be the run's TradeSource (its schedule is the user"
                + " source's), got " + source.getClass().getName());
        }
        return start(rivulet.readStream(UserTradeSource.like(trades)), pacer, window, options, queryName);
    }

    /**
     * Builds the workload's query on the user's trades, sets {@link #sink} and starts it.
     *
     * @param trades    the user's trades, a new record per event.
     * @param pacer     the schedule, or {@code null} in throughput mode.
     * @param window    due times whose latency is recorded; {@code null} in throughput mode.
     * @param options   the run's settings.
     * @param queryName the query's name.
     * @return the running query.
     */
    abstract StreamingQuery start(Stream<UserTrade> trades, Pacer pacer, MeasuredWindow window, HarnessOptions options,
        String queryName);
}
