package io.rivulet.bench.harness;

/**
 * The due times whose events are recorded (WORKLOADS.md section 5): {@code start + warm-up <= due <= start + warm-up
 * + measured}. Immutable, thread-safe.
 *
 * @param fromNs first due time recorded, monotonic ns (inclusive).
 * @param toNs   last due time recorded, monotonic ns (inclusive).
 */
public record MeasuredWindow(long fromNs, long toNs)
{
    /**
     * @param pacer     the schedule.
     * @param warmupNs  warm-up length, ns.
     * @param measureNs measured length, ns.
     * @return the window after the warm-up.
     */
    public static MeasuredWindow of(final Pacer pacer, final long warmupNs, final long measureNs)
    {
        return new MeasuredWindow(pacer.startNs() + warmupNs, pacer.startNs() + warmupNs + measureNs);
    }

    /**
     * @param dueNs an event's due time.
     * @return whether its latency is recorded.
     */
    public boolean contains(final long dueNs)
    {
        return dueNs - fromNs >= 0 && dueNs - toNs <= 0;
    }

    /**
     * {@link #contains} as an index, computed without a branch: a sink picks its histogram with it, so the code
     * that records measured samples is the code that ran, and was compiled, during warm-up (a branch first taken
     * when measurement starts would deoptimise the sink right then and charge the recompilation to the first
     * measured results).
     *
     * @param dueNs a due time, monotonic ns
     * @return {@link #MEASURED} if {@code dueNs} lies in the window, else {@link #UNMEASURED}
     */
    public int index(final long dueNs)
    {
        return (int)(~((dueNs - fromNs) | (toNs - dueNs)) >>> 63);
    }

    /** {@link #index} of a due time outside the window. */
    public static final int UNMEASURED = 0;

    /** {@link #index} of a due time inside the window. */
    public static final int MEASURED = 1;
}
