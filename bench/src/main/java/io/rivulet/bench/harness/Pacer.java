package io.rivulet.bench.harness;

import io.rivulet.bench.workload.TradeGenerator;

import java.util.concurrent.locks.LockSupport;

/**
 * The fixed-rate schedule of WORKLOADS.md section 4: event {@code seq} is due at {@code start + seq * 1e9 / R} ns.
 * A paced source emits every event already due in batches of at most {@link #MAX_BATCH}; when the next event is not
 * due yet it parks for {@code gap - 60 µs} if the gap exceeds 100 µs, otherwise spins with
 * {@link Thread#onSpinWait()} ({@code -Dbench.wait=yield}: {@link Thread#yield()}). A source that falls behind emits
 * what is due as fast as it can: nothing is dropped or re-timed, so latencies measured from the due time include the
 * queueing that coordinated omission would hide.
 *
 * <p>Immutable and thread-safe: the source reads the schedule to pace, the sinks to find each event's due time.
 */
public final class Pacer
{
    /** Most events emitted per batch. */
    public static final int MAX_BATCH = 256;
    /** A gap to the next due event above this is slept through (parked), not spun. */
    public static final long PARK_THRESHOLD_NS = 100_000L;
    /** How early a park ends before the due time, so that timer slack does not make the event late. */
    public static final long PARK_MARGIN_NS = 60_000L;
    /** The spec's offset of the schedule start from the first caller's clock reading. */
    public static final long START_DELAY_NS = 100_000_000L;

    static final boolean YIELD = "yield".equals(System.getProperty("bench.wait"));

    private final long startNs;
    private final long rate;

    /**
     * @param startNs monotonic time ({@link System#nanoTime()}) at which event 0 is due.
     * @param rate    offered rate in events/s, positive.
     * @throws IllegalArgumentException if {@code rate} is not positive.
     */
    public Pacer(final long startNs, final long rate)
    {
        if (rate <= 0)
        {
            throw new IllegalArgumentException("rate must be > 0 events/s, got " + rate);
        }
        this.startNs = startNs;
        this.rate = rate;
    }

    /**
     * A schedule starting {@link #START_DELAY_NS} after {@code nowNs}.
     *
     * @param nowNs the first caller's clock reading.
     * @param rate  offered rate in events/s.
     * @return the schedule.
     */
    public static Pacer startingAfter(final long nowNs, final long rate)
    {
        return new Pacer(nowNs + START_DELAY_NS, rate);
    }

    /** @return monotonic time at which event 0 is due, ns. */
    public long startNs()
    {
        return startNs;
    }

    /** @return offered rate, events/s. */
    public long rate()
    {
        return rate;
    }

    /**
     * @param seq event sequence number, {@code >= 0}.
     * @return monotonic time at which the event is due: {@code start + seq * 1e9 / R} (truncated), ns.
     */
    public long dueNs(final long seq)
    {
        return startNs + TradeGenerator.dueNanosOffset(seq, rate);
    }

    /**
     * How many events from {@code nextSeq} on are due at {@code nowNs}.
     *
     * @param nextSeq  the first event not emitted yet.
     * @param endSeq   one past the last event of the run.
     * @param nowNs    the current monotonic time.
     * @param maxBatch the most to return, at most {@link #MAX_BATCH} is the spec's batch.
     * @return events {@code nextSeq .. nextSeq + n - 1} are due; {@code n <= maxBatch}.
     */
    public int dueBatch(final long nextSeq, final long endSeq, final long nowNs, final int maxBatch)
    {
        // One loop exit, decided by a sign bit. Which limit ends a batch varies (a full batch when behind schedule,
        // the run's last event, else the first event not yet due); with a branch per limit, C2 compiles a limit that
        // warm-up never reached as an uncommon trap, and the first full batch of the measured window deoptimised the
        // source thread's whole compiled cycle (docs/benchmarks.md, "Issue 14", stalls). dueNs is arithmetic, so
        // evaluating it one event past a limit is harmless.
        final long remaining = endSeq - nextSeq;
        final long over = maxBatch - remaining;
        final long limit = remaining + (over & (over >> 63));
        int n = 0;
        while (((n - limit) & (dueNs(nextSeq + n) - nowNs - 1)) < 0)
        {
            n++;
        }
        return n;
    }

    /**
     * The spec's wait decision for a gap to the next due event.
     *
     * @param gapNs time until the next event is due, ns.
     * @return how long to park ({@code gap - PARK_MARGIN_NS}) when {@code gap > PARK_THRESHOLD_NS}, else 0: spin.
     */
    public static long parkNanosFor(final long gapNs)
    {
        return gapNs > PARK_THRESHOLD_NS ? gapNs - PARK_MARGIN_NS : 0L;
    }

    /**
     * Waits toward {@code dueNs}, but for at most about {@code maxWaitNs}, so that a caller that must return promptly
     * (a source reader's {@code poll}) can. Spins when the gap is short, parks when it is long.
     *
     * @param dueNs     when the next event is due.
     * @param nowNs     the current monotonic time.
     * @param maxWaitNs the longest park, ns; a spin never exceeds {@link #PARK_THRESHOLD_NS}.
     * @return the monotonic time after waiting.
     */
    public static long awaitDue(final long dueNs, final long nowNs, final long maxWaitNs)
    {
        final long park = parkNanosFor(dueNs - nowNs);
        if (park > 0)
        {
            LockSupport.parkNanos(Math.min(park, maxWaitNs));
            return System.nanoTime();
        }
        long now = nowNs;
        while (now - dueNs < 0)
        {
            if (YIELD)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
            now = System.nanoTime();
        }
        return now;
    }

    @Override
    public String toString()
    {
        return "Pacer{startNs=" + startNs + ", rate=" + rate + '}';
    }
}
