package io.rivulet.bench.harness;

import io.rivulet.bench.workload.Zipf;

import java.util.Locale;

/**
 * How K1L draws the account key of a trade from its sequence number, over {@link K1LScenario#KEYS} keys: a pure
 * function of the sequence, so the engine run, the hand-written loop and the check see the same keys. Immutable.
 */
public enum KeyDistribution
{
    /**
     * The top 20 bits of {@code seq * 0x9E3779B97F4A7C15} (Fibonacci hashing): every key about once per 2^20 trades,
     * the state as large as it gets from the first second on, almost every record a cache miss. The worst case.
     */
    UNIFORM
    {
        @Override
        public long key(final long seq)
        {
            return (seq * PHI) >>> 44;
        }
    },
    /**
     * Zipf (s = 1, the skew of the trade symbols) over the 2^20 keys ({@link Zipf#rank}), drawn from a SplitMix64
     * mix of the sequence; rank {@code r} is key {@code r * 0x9E3779B1 mod 2^20} (a bijection, so hot keys are not
     * neighbours). The 1 000 hottest keys take about half the trades, the 65 536 hottest about 80 %.
     */
    ZIPF
    {
        @Override
        public long key(final long seq)
        {
            long z = (seq + 1) * PHI;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            final int rank = Zipf.rank((z >>> 11) * 0x1.0p-53, K1LScenario.KEYS, LOG1P_KEYS);
            return (rank * 0x9E3779B1L) & (K1LScenario.KEYS - 1);
        }
    };

    private static final long PHI = 0x9E3779B97F4A7C15L;
    private static final double LOG1P_KEYS = Math.log1p(K1LScenario.KEYS);

    /**
     * @param seq a trade's sequence number.
     * @return its account key, in {@code [0, K1LScenario.KEYS)}.
     */
    public abstract long key(long seq);

    /** @return the name on the command line and in reports. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code uniform} or {@code zipf}.
     * @return the distribution.
     * @throws IllegalArgumentException naming {@code --keys} and the choices.
     */
    public static KeyDistribution named(final String name)
    {
        return switch (name)
        {
            case "uniform" -> UNIFORM;
            case "zipf" -> ZIPF;
            default -> throw new IllegalArgumentException("--keys must be uniform or zipf, got '" + name + "'");
        };
    }
}
