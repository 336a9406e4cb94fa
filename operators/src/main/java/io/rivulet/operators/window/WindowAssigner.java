package io.rivulet.operators.window;

/**
 * Assigns event times to tumbling or sliding windows exactly as Spark's
 * {@code window(timeColumn, windowDuration, slideDuration, startTime)} does.
 *
 * <p>Windows are {@code [start, start + sizeMs)} with {@code start ≡ offsetMs (mod slideMs)}, for
 * event times before the epoch too. Spark (since 3.4, SPARK-39347) computes, per record,
 * <pre>
 *   remainder = (timestamp - startTime) % slideDuration          // Java/Scala remainder, may be negative
 *   lastStart = timestamp - (remainder &lt; 0 ? remainder + slideDuration : remainder)
 *   window i  = [lastStart - i * slideDuration, that + windowDuration),  i = 0 .. ceil(window / slide) - 1
 * </pre>
 * and keeps the candidates that contain the timestamp (all of them when the size is a multiple of
 * the slide). This class does the same arithmetic. The older formula
 * {@code timestamp - (timestamp - startTime + slideDuration) % slideDuration} put some pre-epoch
 * timestamps into a window that does not contain them; it is not used.
 *
 * <p>Immutable and thread-safe. Arithmetic is in {@code long} milliseconds; event times within
 * {@code sizeMs} of {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE} overflow (as in Spark).
 */
public final class WindowAssigner {
    private final long sizeMs;
    private final long slideMs;
    private final long offsetMs;
    private final int maxWindowsPerRecord;

    private WindowAssigner(long sizeMs, long slideMs, long offsetMs) {
        this.sizeMs = sizeMs;
        this.slideMs = slideMs;
        this.offsetMs = offsetMs;
        this.maxWindowsPerRecord = (int) Math.min(Integer.MAX_VALUE, (sizeMs + slideMs - 1) / slideMs);
    }

    /**
     * Tumbling windows aligned to the epoch: {@code [k * sizeMs, (k + 1) * sizeMs)}.
     *
     * @param sizeMs window length in ms; &gt; 0
     * @return the assigner
     * @throws IllegalArgumentException if {@code sizeMs <= 0}
     */
    public static WindowAssigner tumbling(long sizeMs) {
        return tumbling(sizeMs, 0);
    }

    /**
     * Tumbling windows {@code [k * sizeMs + offsetMs, (k + 1) * sizeMs + offsetMs)} (Spark's
     * {@code window(col, size, size, offset)}).
     *
     * @param sizeMs window length in ms; &gt; 0
     * @param offsetMs shift of the window starts from the epoch; {@code |offsetMs| < sizeMs}
     * @return the assigner
     * @throws IllegalArgumentException if a rule is broken; the message names it
     */
    public static WindowAssigner tumbling(long sizeMs, long offsetMs) {
        return sliding(sizeMs, sizeMs, offsetMs);
    }

    /**
     * Sliding windows aligned to the epoch.
     *
     * @param sizeMs window length in ms; &gt; 0
     * @param slideMs distance between window starts in ms; {@code 0 < slideMs <= sizeMs}
     * @return the assigner
     * @throws IllegalArgumentException if a rule is broken; the message names it
     */
    public static WindowAssigner sliding(long sizeMs, long slideMs) {
        return sliding(sizeMs, slideMs, 0);
    }

    /**
     * Sliding windows {@code [k * slideMs + offsetMs, k * slideMs + offsetMs + sizeMs)}, Spark's
     * {@code window(col, windowDuration, slideDuration, startTime)}, validated with Spark's rules.
     *
     * @param sizeMs window length in ms ({@code windowDuration}); &gt; 0
     * @param slideMs distance between window starts in ms ({@code slideDuration});
     *     {@code 0 < slideMs <= sizeMs}
     * @param offsetMs shift of the window starts from the epoch ({@code startTime});
     *     {@code |offsetMs| < slideMs}
     * @return the assigner
     * @throws IllegalArgumentException if a rule is broken; the message names it
     */
    public static WindowAssigner sliding(long sizeMs, long slideMs, long offsetMs) {
        if (sizeMs <= 0) {
            throw new IllegalArgumentException("sizeMs (" + sizeMs + ") must be greater than 0");
        }
        if (slideMs <= 0) {
            throw new IllegalArgumentException("slideMs (" + slideMs + ") must be greater than 0");
        }
        if (slideMs > sizeMs) {
            throw new IllegalArgumentException(
                "slideMs (" + slideMs + ") must be less than or equal to sizeMs (" + sizeMs + ")");
        }
        if (offsetMs <= -slideMs || offsetMs >= slideMs) {
            throw new IllegalArgumentException(
                "the absolute value of offsetMs (" + offsetMs + ") must be less than slideMs (" + slideMs + ")");
        }
        return new WindowAssigner(sizeMs, slideMs, offsetMs);
    }

    /**
     * Writes the starts of the windows that contain {@code timestampMs} into {@code startsOut},
     * ascending, and returns how many there are (at least 1, at most
     * {@link #maxWindowsPerRecord()}). Allocates nothing.
     *
     * @param timestampMs the event time in epoch ms
     * @param startsOut receives the window starts; length at least {@link #maxWindowsPerRecord()}
     * @return the number of windows written
     * @throws ArrayIndexOutOfBoundsException if {@code startsOut} is too short
     */
    public int assignWindows(long timestampMs, long[] startsOut) {
        long remainder = (timestampMs - offsetMs) % slideMs;
        long lastStart = timestampMs - (remainder < 0 ? remainder + slideMs : remainder);
        if (sizeMs == slideMs) {
            startsOut[0] = lastStart;
            return 1;
        }
        int count = 0;
        for (int i = maxWindowsPerRecord - 1; i >= 0; i--) {
            long start = lastStart - i * slideMs;
            if (start + sizeMs > timestampMs) {
                startsOut[count++] = start;
            }
        }
        return count;
    }

    /**
     * @return window length in ms
     */
    public long sizeMs() {
        return sizeMs;
    }

    /**
     * @return distance between window starts in ms ({@code == sizeMs} for tumbling windows)
     */
    public long slideMs() {
        return slideMs;
    }

    /**
     * @return shift of the window starts from the epoch in ms
     */
    public long offsetMs() {
        return offsetMs;
    }

    /**
     * @return the most windows one event time can fall in: {@code ceil(sizeMs / slideMs)}
     */
    public int maxWindowsPerRecord() {
        return maxWindowsPerRecord;
    }

    /**
     * @return whether windows do not overlap ({@code slideMs == sizeMs})
     */
    public boolean isTumbling() {
        return sizeMs == slideMs;
    }

    @Override
    public String toString() {
        return isTumbling()
            ? "tumbling(sizeMs=" + sizeMs + ", offsetMs=" + offsetMs + ")"
            : "sliding(sizeMs=" + sizeMs + ", slideMs=" + slideMs + ", offsetMs=" + offsetMs + ")";
    }
}
