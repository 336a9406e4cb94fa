package io.rivulet.operators.join;

/**
 * The event-time condition of an interval join: {@code rightTime BETWEEN leftTime + lowerMs AND
 * leftTime + upperMs}, each bound closed ({@code <=}) or open ({@code <}).
 *
 * <p>Bounds may be negative, so either side may come first: Spark's {@code clickTime >= impTime AND
 * clickTime <= impTime + interval 10 seconds} is {@code between(0, 10_000)} with impressions on the
 * left; "the right row at most 5 s before the left one" is {@code between(-5_000, 0)}.
 *
 * <p><b>State watermarks</b> (Spark's {@code StreamingJoinHelper.getStateValueWatermark}): rows that
 * arrive later have event times above the watermark {@code w} (rows at or below it are late and
 * dropped), so a left row can no longer match once {@code leftTime + upperMs <= w}, and a right row
 * once {@code rightTime - lowerMs <= w}. Spark solves each bound's inequality for the state side and
 * subtracts one millisecond for a closed bound, so it evicts:
 * <ul>
 *   <li>a left row when {@code leftTime <= w - upperMs - (upper closed ? 1 : 0)}
 *       ({@link #leftStateWatermarkMs});</li>
 *   <li>a right row when {@code rightTime <= w + lowerMs - (lower closed ? 1 : 0)}
 *       ({@link #rightStateWatermarkMs}).</li>
 * </ul>
 * The extra millisecond for a closed bound keeps a row one millisecond longer than strictly needed;
 * we follow Spark so that state rows and outer rows come out in the same batches.
 *
 * <p>Immutable and thread-safe; a value ({@code equals}, {@code hashCode}).
 */
public final class JoinTimeRange {
    private final long lowerMs;
    private final boolean lowerInclusive;
    private final long upperMs;
    private final boolean upperInclusive;

    private JoinTimeRange(long lowerMs, boolean lowerInclusive, long upperMs, boolean upperInclusive) {
        if (lowerMs > upperMs) {
            throw new IllegalArgumentException("lowerMs " + lowerMs + " > upperMs " + upperMs
                + ": a join time range needs lowerMs <= upperMs");
        }
        if (lowerMs == upperMs && !(lowerInclusive && upperInclusive)) {
            throw new IllegalArgumentException("lowerMs == upperMs == " + lowerMs + " with an open bound: the range"
                + " would be empty; a join time range with equal bounds needs both bounds closed");
        }
        if (Math.abs(lowerMs) > MAX_BOUND_MS || Math.abs(upperMs) > MAX_BOUND_MS) {
            throw new IllegalArgumentException("bounds [" + lowerMs + ", " + upperMs + "] exceed +-" + MAX_BOUND_MS
                + " ms: a join time range's bounds must be at most about 292 years");
        }
        this.lowerMs = lowerMs;
        this.lowerInclusive = lowerInclusive;
        this.upperMs = upperMs;
        this.upperInclusive = upperInclusive;
    }

    /** The largest bound accepted, so that bound arithmetic on epoch-ms times cannot overflow. */
    public static final long MAX_BOUND_MS = 1L << 53;

    /**
     * {@code rightTime BETWEEN leftTime + lowerMs AND leftTime + upperMs}, both bounds closed.
     *
     * @param lowerMs the lower bound's offset from the left row's time, ms (may be negative)
     * @param upperMs the upper bound's offset, ms; {@code >= lowerMs}
     * @return the range
     * @throws IllegalArgumentException if {@code lowerMs > upperMs} or a bound exceeds {@link #MAX_BOUND_MS}
     */
    public static JoinTimeRange between(long lowerMs, long upperMs) {
        return new JoinTimeRange(lowerMs, true, upperMs, true);
    }

    /**
     * A range with each bound closed or open.
     *
     * @param lowerMs the lower bound's offset from the left row's time, ms (may be negative)
     * @param lowerInclusive {@code true}: {@code rightTime >= leftTime + lowerMs}; {@code false}: {@code >}
     * @param upperMs the upper bound's offset, ms; {@code >= lowerMs}
     * @param upperInclusive {@code true}: {@code rightTime <= leftTime + upperMs}; {@code false}: {@code <}
     * @return the range
     * @throws IllegalArgumentException if {@code lowerMs > upperMs}, if the bounds are equal and one is
     *     open (the range would be empty), or if a bound exceeds {@link #MAX_BOUND_MS}
     */
    public static JoinTimeRange of(long lowerMs, boolean lowerInclusive, long upperMs, boolean upperInclusive) {
        return new JoinTimeRange(lowerMs, lowerInclusive, upperMs, upperInclusive);
    }

    /** @return the lower bound's offset, ms */
    public long lowerMs() {
        return lowerMs;
    }

    /** @return whether the lower bound is closed ({@code >=}) */
    public boolean lowerInclusive() {
        return lowerInclusive;
    }

    /** @return the upper bound's offset, ms */
    public long upperMs() {
        return upperMs;
    }

    /** @return whether the upper bound is closed ({@code <=}) */
    public boolean upperInclusive() {
        return upperInclusive;
    }

    /**
     * @param leftTimeMs the left row's event time, epoch ms
     * @param rightTimeMs the right row's event time, epoch ms
     * @return whether the two rows' times satisfy the condition
     */
    public boolean matches(long leftTimeMs, long rightTimeMs) {
        long d = rightTimeMs - leftTimeMs;
        return (lowerInclusive ? d >= lowerMs : d > lowerMs) && (upperInclusive ? d <= upperMs : d < upperMs);
    }

    /**
     * The left state watermark: left rows with an event time {@code <=} it can match no future right
     * row and are evicted.
     *
     * @param watermarkMs the operator's watermark; {@code Long.MIN_VALUE} for none
     * @return {@code watermarkMs - upperMs - (upperInclusive ? 1 : 0)}, or {@code Long.MIN_VALUE} without
     *     a watermark
     */
    public long leftStateWatermarkMs(long watermarkMs) {
        if (watermarkMs == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return saturatedAdd(watermarkMs, -upperMs - (upperInclusive ? 1 : 0));
    }

    /**
     * The right state watermark: right rows with an event time {@code <=} it can match no future left
     * row and are evicted.
     *
     * @param watermarkMs the operator's watermark; {@code Long.MIN_VALUE} for none
     * @return {@code watermarkMs + lowerMs - (lowerInclusive ? 1 : 0)}, or {@code Long.MIN_VALUE} without
     *     a watermark
     */
    public long rightStateWatermarkMs(long watermarkMs) {
        if (watermarkMs == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return saturatedAdd(watermarkMs, lowerMs - (lowerInclusive ? 1 : 0));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinTimeRange r && r.lowerMs == lowerMs && r.upperMs == upperMs
            && r.lowerInclusive == lowerInclusive && r.upperInclusive == upperInclusive;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lowerMs) * 31 + Long.hashCode(upperMs) * 7 + (lowerInclusive ? 2 : 0) + (upperInclusive ? 1 : 0);
    }

    @Override
    public String toString() {
        return "rightTime " + (lowerInclusive ? ">= " : "> ") + "leftTime + " + lowerMs + "ms AND rightTime "
            + (upperInclusive ? "<= " : "< ") + "leftTime + " + upperMs + "ms";
    }
}
