package io.rivulet.bench.workload;

import java.util.SplittableRandom;

/**
 * Makes the JIT compile the rejection loop of {@link SplittableRandom#nextInt(int)} before any generator runs.
 *
 * <p>The JDK draws a bounded int by rejection: a draw in the last, incomplete multiple of the bound is thrown away
 * and redrawn. For the spec's bounds (1000, 401, up to 6000) that happens once in 3–10 million draws, so at
 * 1 M events/s the first rejection comes seconds into a run, after C2 has compiled the source's loop with the redraw
 * branch as "never taken". The first rejection then deoptimises the source thread's whole compiled cycle (the
 * generator is inlined into it) and the thread runs interpreted until it is recompiled: a 0.5–4 ms stall in the
 * measured window of {@code bin/bench latency W1U 1000000 --warmup 5s} (docs/benchmarks.md, "Issue 14", the
 * p99.99 stall), in the allocating loop too. Drawing with a bound just over 2^30, where half the draws are
 * rejected, records the branch as taken in the method's profile, which every caller's compiled copy reads; the
 * values the generators draw do not change.
 *
 * <p>Thread-safe: idempotent, runs once per class loader.
 */
public final class BoundedIntProfile
{
    /** A bound with about half of all draws rejected. */
    private static final int HALF_REJECTED_BOUND = (1 << 30) + 1;
    /** Draws enough for the interpreter and C1's profiling tier to record the branch. */
    private static final int DRAWS = 200_000;

    /** Keeps the draws from being removed as dead code. */
    static volatile long sink;

    static
    {
        final SplittableRandom random = new SplittableRandom(1);
        long sum = 0;
        for (int i = 0; i < DRAWS; i++)
        {
            sum += random.nextInt(HALF_REJECTED_BOUND);
        }
        sink = sum;
    }

    private BoundedIntProfile()
    {
    }

    /** Runs the profiling draws if they have not run in this class loader yet (calling it initialises the class). */
    public static void ensure()
    {
        // the static initialiser does the work
    }
}
