package io.rivulet.bench.workload;

/**
 * The Zipf (s = 1.0) symbol distribution over {@link WorkloadSpec#SYMBOLS} symbols, exactly as specified:
 * {@code H = sum_{k=1..1000} 1/k} and {@code CDF[i] = sum_{k=1..i+1} (1/k)/H}, both accumulated in {@code double}
 * in increasing {@code k}, then {@code CDF[999] = 1.0}. Symbol {@code i} has popularity rank {@code i + 1}.
 *
 * <p>The table is built once per class load. Immutable, thread-safe.
 *
 * <p>The spec fixes the function, not how it is computed; the generator runs inside every measurement, so the
 * lookup is a guide table (Chen and Asau's method): {@code u} picks one of {@value #GUIDE_BUCKETS} equal
 * buckets of {@code [0, 1)}, whose entry is the answer for the bucket's lowest value, and a short forward scan
 * finishes. Because {@code u * 2^16} is exact in {@code double}, the bucket start never exceeds {@code u}, so
 * the result is identical to the linear scan (a test compares them over millions of draws and every CDF
 * boundary). A plain binary search costs ten unpredictable branches per trade and was the single largest item
 * in the source thread's JFR profile. {@code -Drivulet.bench.zipf=binary} selects the binary search instead, for
 * runs that should carry the generator cost the peers' figures in WORKLOADS.md were measured with.
 */
public final class Zipf
{
    private static final int GUIDE_BITS = 16;
    private static final int GUIDE_BUCKETS = 1 << GUIDE_BITS;
    private static final double[] CDF = buildCdf(WorkloadSpec.SYMBOLS);
    private static final short[] GUIDE = buildGuide(CDF);
    /** Whether {@link #symbol} uses the binary search ({@code -Drivulet.bench.zipf=binary}); a constant to the JIT. */
    private static final boolean BINARY = lookup(System.getProperty("rivulet.bench.zipf", "guide"));

    private Zipf()
    {
    }

    /**
     * Maps a uniform draw to a symbol: the smallest {@code i} with {@code u < CDF[i]}.
     *
     * <p>Starts from the guide table's entry for {@code u}'s bucket and scans forward; usually zero or one step.
     *
     * @param u uniform draw in {@code [0, 1)}, e.g. {@code SplittableRandom.nextDouble()}.
     * @return symbol id in {@code 0 .. SYMBOLS - 1}.
     */
    public static int symbol(final double u)
    {
        if (BINARY)
        {
            return symbolBinary(u);
        }
        final double[] cdf = CDF;
        int i = GUIDE[(int)(u * GUIDE_BUCKETS)];
        while (u >= cdf[i])
        {
            i++;
        }
        return i;
    }

    /**
     * Binary-search version of {@link #symbol(double)}: the first entry strictly greater than {@code u}.
     *
     * @param u uniform draw in {@code [0, 1]}.
     * @return symbol id in {@code 0 .. SYMBOLS - 1}.
     */
    static int symbolBinary(final double u)
    {
        return symbolBinary(CDF, u);
    }

    private static int symbolBinary(final double[] cdf, final double u)
    {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (u < cdf[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Reference linear-scan version of {@link #symbol(double)}, for tests.
     *
     * @param u uniform draw in {@code [0, 1)}.
     * @return the smallest {@code i} with {@code u < CDF[i]}, or {@code SYMBOLS - 1} if none.
     */
    public static int symbolLinear(final double u)
    {
        final double[] cdf = CDF;
        for (int i = 0; i < cdf.length; i++)
        {
            if (u < cdf[i])
            {
                return i;
            }
        }
        return cdf.length - 1;
    }

    /**
     * @param i symbol id.
     * @return {@code CDF[i]}.
     */
    public static double cdf(final int i)
    {
        return CDF[i];
    }

    /**
     * Maps a uniform draw to one of {@code n} ranks with the same skew law as {@link #symbol} (s = 1), for key spaces
     * too large for a table: the inverse of the continuous Zipf CDF {@code F(x) = ln(1 + x) / ln(1 + n)}, so rank
     * {@code r} has probability {@code ln((r + 2) / (r + 1)) / ln(1 + n)}, about {@code 1 / ((r + 1.5) ln(1 + n))}
     * where the discrete law has {@code 1 / ((r + 1) H_n)}. One {@code exp} and no memory: a CDF and guide table over
     * 2^20 ranks would be 8 MB or more, one cache miss per draw inside every measurement.
     *
     * @param u uniform draw in {@code [0, 1)}.
     * @param n number of ranks, {@code >= 1}.
     * @param log1pN {@code Math.log1p(n)}, computed once by the caller (it is not a constant to the JIT).
     * @return rank in {@code 0 .. n - 1}, rank 0 the most popular.
     */
    public static int rank(final double u, final int n, final double log1pN)
    {
        final int r = (int)(Math.exp(u * log1pN) - 1.0);
        return Math.min(r, n - 1);
    }

    private static boolean lookup(final String name)
    {
        return switch (name)
        {
            case "guide" -> false;
            case "binary" -> true;
            default -> throw new IllegalArgumentException("rivulet.bench.zipf must be guide or binary, got '" + name + "'");
        };
    }

    private static short[] buildGuide(final double[] cdf)
    {
        final short[] guide = new short[GUIDE_BUCKETS];
        for (int b = 0; b < GUIDE_BUCKETS; b++)
        {
            guide[b] = (short)symbolBinary(cdf, (double)b / GUIDE_BUCKETS);
        }
        return guide;
    }

    private static double[] buildCdf(final int n)
    {
        double h = 0.0;
        for (int k = 1; k <= n; k++)
        {
            h += 1.0 / k;
        }

        final double[] cdf = new double[n];
        double acc = 0.0;
        for (int k = 1; k <= n; k++)
        {
            acc += (1.0 / k) / h;
            cdf[k - 1] = acc;
        }
        cdf[n - 1] = 1.0;

        for (int i = 1; i < n; i++)
        {
            if (!(cdf[i - 1] <= cdf[i]))
            {
                throw new IllegalStateException("Zipf CDF not monotone at " + i);
            }
        }
        return cdf;
    }
}
