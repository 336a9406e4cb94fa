package io.rivulet.bench.harness;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link TradeSource} reports about its run: events emitted (readable while it runs), when it started and
 * stopped emitting, how late its last event left, and whether it stopped early.
 *
 * <p>Written only by the source's task thread (ordered stores); read by the harness while the query runs (the
 * {@link #emitted()} counter) or after it ended (everything else; the query's thread join orders the reads).
 */
public final class SourceStats
{
    private final AtomicLong emitted = new AtomicLong();
    private long firstEmitNs;
    private long lastEmitNs;
    private long behindNs;
    private boolean truncated;

    /**
     * A poll emitted {@code count} events (possibly none), without a branch on {@code count} after the first emission:
     * a poll that emits nothing is rare and would otherwise be an uncommon trap in the source's compiled cycle.
     *
     * @param total          events emitted so far.
     * @param nowNs          the poll's time.
     * @param lastLatenessNs how late the poll's last event was; ignored when {@code count} is 0.
     * @param count          events this poll emitted, {@code >= 0}.
     */
    void emitted(final long total, final long nowNs, final long lastLatenessNs, final int count)
    {
        if (firstEmitNs == 0 && count > 0)
        {
            firstEmitNs = nowNs;
        }
        final long emittedNow = ((long)-count) >> 63; // all ones when count > 0, else 0
        lastEmitNs = (nowNs & emittedNow) | (lastEmitNs & ~emittedNow);
        behindNs = (lastLatenessNs & emittedNow) | (behindNs & ~emittedNow);
        emitted.lazySet(total);
    }

    void truncate()
    {
        truncated = true;
    }

    /** @return events emitted so far; safe to read while the source runs. */
    public long emitted()
    {
        return emitted.get();
    }

    /** @return monotonic time of the first emission, ns (0 if none). */
    public long firstEmitNs()
    {
        return firstEmitNs;
    }

    /** @return monotonic time of the last emission, ns. */
    public long lastEmitNs()
    {
        return lastEmitNs;
    }

    /** @return how late, after its due time, the last event left the source, ns (0 when unpaced). */
    public long behindNs()
    {
        return behindNs;
    }

    /** @return whether the source stopped at its time limit before emitting every event. */
    public boolean truncated()
    {
        return truncated;
    }
}
