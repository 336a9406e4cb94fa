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

    void emitted(final long total, final long nowNs, final long lastLatenessNs)
    {
        if (firstEmitNs == 0)
        {
            firstEmitNs = nowNs;
        }
        lastEmitNs = nowNs;
        behindNs = lastLatenessNs;
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
