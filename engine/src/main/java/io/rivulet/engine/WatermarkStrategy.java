package io.rivulet.engine;

import io.rivulet.engine.internal.Options;

import java.time.Duration;
import java.util.Objects;

/**
 * How a stream's watermark follows its event time: Spark's {@code withWatermark(col, delay)} —
 * watermark = the largest event time seen − {@code delay} — plus a guard Spark lacks against a
 * single far-future timestamp jumping the watermark.
 *
 * <p>Immutable and thread-safe; every setter returns a validated copy.
 */
public final class WatermarkStrategy {
    /** What happens to a record whose event time is too far ahead. */
    public enum FutureEventPolicy {
        /** Off: every event time moves the watermark, as in Spark. */
        NONE,
        /** The record is processed, but its event time does not move the watermark. Counted. */
        IGNORE,
        /** The record is processed; the watermark moves only up to the bound. Counted. */
        CLAMP
    }

    private final Duration delay;
    private final Duration maxAhead;
    private final FutureEventPolicy futurePolicy;

    private WatermarkStrategy(Duration delay, Duration maxAhead, FutureEventPolicy futurePolicy) {
        this.delay = delay;
        this.maxAhead = maxAhead;
        this.futurePolicy = futurePolicy;
    }

    /**
     * Watermark = largest event time seen − {@code delay}.
     *
     * @param delay how late a record may be and still count; zero or more
     * @return the strategy
     */
    public static WatermarkStrategy delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("watermark delay must be zero or more, got " + delay);
        }
        return new WatermarkStrategy(delay, Duration.ZERO, FutureEventPolicy.NONE);
    }

    /**
     * Keeps one outlier from jumping the watermark: an event time more than {@code bound} ahead of
     * the largest event time seen so far is handled by {@code policy} and counted in progress.
     *
     * @param bound how far ahead an event time may be, positive
     * @param policy {@link FutureEventPolicy#IGNORE} or {@link FutureEventPolicy#CLAMP}
     * @return a copy with the guard
     */
    public WatermarkStrategy maxAhead(Duration bound, FutureEventPolicy policy) {
        Options.positive("maxAhead", bound);
        Objects.requireNonNull(policy, "policy");
        if (policy == FutureEventPolicy.NONE) {
            throw new IllegalArgumentException("maxAhead needs policy IGNORE or CLAMP; NONE turns the guard off");
        }
        return new WatermarkStrategy(delay, bound, policy);
    }

    /**
     * @return the delay
     */
    public Duration delay() {
        return delay;
    }

    /**
     * @return the bound ahead, or zero when the guard is off
     */
    public Duration maxAhead() {
        return maxAhead;
    }

    /**
     * @return what happens to records too far ahead
     */
    public FutureEventPolicy futurePolicy() {
        return futurePolicy;
    }

    @Override
    public String toString() {
        return "delay=" + delay + (futurePolicy == FutureEventPolicy.NONE ? "" : ", maxAhead=" + maxAhead + " " + futurePolicy);
    }
}
