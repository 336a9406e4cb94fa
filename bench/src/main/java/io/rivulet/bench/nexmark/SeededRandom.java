package io.rivulet.bench.nexmark;

/**
 * The linear congruential generator specified by {@link java.util.Random}'s documentation, without
 * its atomic seed: same seed, same sequence of {@code nextInt}, {@code nextInt(bound)},
 * {@code nextLong} and {@code nextDouble} values. Beam's generator seeds a {@code java.util.Random}
 * with each event id; reseeding this one instead keeps the stream identical while avoiding an
 * allocation and a CAS per draw.
 *
 * <p>Not thread-safe: one instance per generating thread.
 */
final class SeededRandom {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long seed;

    SeededRandom() {
        setSeed(0);
    }

    SeededRandom(final long seed) {
        setSeed(seed);
    }

    /** Resets the state exactly as {@code new java.util.Random(seed)} would. */
    void setSeed(final long seed) {
        this.seed = (seed ^ MULTIPLIER) & MASK;
    }

    private int next(final int bits) {
        seed = (seed * MULTIPLIER + ADDEND) & MASK;
        return (int) (seed >>> (48 - bits));
    }

    int nextInt() {
        return next(32);
    }

    /** Uniform in {@code [0, bound)}, by the documented rejection algorithm. */
    int nextInt(final int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        int r = next(31);
        final int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        int u = r;
        while (u - (r = u % bound) + m < 0) {
            u = next(31);
        }
        return r;
    }

    long nextLong() {
        return ((long) next(32) << 32) + next(32);
    }

    double nextDouble() {
        return (((long) next(26) << 27) + next(27)) * DOUBLE_UNIT;
    }
}
