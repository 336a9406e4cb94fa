package io.rivulet.engine;

import io.rivulet.engine.internal.Options;

import java.time.Duration;
import java.util.Objects;

/**
 * How a stream's watermark follows its event time: Spark's {@code withWatermark(col, delay)} —
 * watermark = the largest event time seen − {@code delay} — plus a guard Spark lacks against a
 * single far-future timestamp jumping the watermark, and Flink's watermark alignment
 * ({@link #withAlignment}) between sources read at different speeds.
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
    private final String alignmentGroup;
    private final Duration maxDrift;

    private WatermarkStrategy(Duration delay, Duration maxAhead, FutureEventPolicy futurePolicy, String alignmentGroup,
                              Duration maxDrift) {
        this.delay = delay;
        this.maxAhead = maxAhead;
        this.futurePolicy = futurePolicy;
        this.alignmentGroup = alignmentGroup;
        this.maxDrift = maxDrift;
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
        return new WatermarkStrategy(delay, Duration.ZERO, FutureEventPolicy.NONE, null, Duration.ZERO);
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
        return new WatermarkStrategy(delay, bound, policy, alignmentGroup, maxDrift);
    }

    /**
     * Watermark alignment (Flink's {@code withWatermarkAlignment}): every source task whose stream has
     * this strategy publishes its watermark to the query's group {@code group}; a task whose watermark is
     * more than {@code maxDrift} ahead of the group's smallest stops reading its source (it still ends
     * epochs) until the others catch up. A fast source then cannot run far ahead in event time of a slow
     * one, so a join or union downstream, whose watermark is the minimum of its inputs, keeps bounded
     * state. A task with no watermark yet does not count in the minimum; a task whose input ended
     * leaves the group. A task whose watermark stops rising without its input ending (an idle
     * partition) holds the group at its watermark + {@code maxDrift}, as in Flink without idleness.
     *
     * <p>Applies in continuous mode, to a {@code withWatermark} in a source's own task (before any
     * {@code keyBy}); micro-batch reads every source on the driver thread and ignores it. The drift
     * counts in whole milliseconds; the group's minimum is read once per poll of the source, so a task
     * may overshoot the drift by one poll's records.
     *
     * @param group the group's name, shared by the streams to align, non-empty
     * @param maxDrift how far ahead of the group's smallest watermark a task may read, positive
     * @return a copy with alignment
     */
    public WatermarkStrategy withAlignment(String group, Duration maxDrift) {
        Objects.requireNonNull(group, "group");
        if (group.isBlank()) {
            throw new IllegalArgumentException("watermark alignment group must be a non-empty name, got \"" + group + "\"");
        }
        Options.positive("maxDrift", maxDrift);
        return new WatermarkStrategy(delay, maxAhead, futurePolicy, group, maxDrift);
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

    /**
     * @return the alignment group's name, or {@code null} when the watermark is not aligned
     */
    public String alignmentGroup() {
        return alignmentGroup;
    }

    /**
     * @return how far ahead of its alignment group's smallest watermark a task may read, or zero when not aligned
     */
    public Duration maxDrift() {
        return maxDrift;
    }

    @Override
    public String toString() {
        return "delay=" + delay + (futurePolicy == FutureEventPolicy.NONE ? "" : ", maxAhead=" + maxAhead + " " + futurePolicy)
            + (alignmentGroup == null ? "" : ", aligned in " + alignmentGroup + " within " + maxDrift);
    }
}
