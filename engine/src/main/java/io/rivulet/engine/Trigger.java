package io.rivulet.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * When a query's results are made final. Rivulet runs record-at-a-time; a continuous trigger sets
 * the epoch interval: how often sources insert a barrier, after which the sink commits the epoch,
 * progress is reported and (later) state is checkpointed. Spark's {@code Trigger.Continuous}.
 */
public final class Trigger {
    /** The default epoch interval of continuous processing. */
    public static final Duration DEFAULT_EPOCH_INTERVAL = Duration.ofMillis(100);

    /** How a trigger runs the query. */
    enum Kind {
        CONTINUOUS, PROCESSING_TIME, ONCE, AVAILABLE_NOW
    }

    private final Kind kind;
    private final Duration interval;

    private Trigger(Kind kind, Duration interval) {
        this.kind = kind;
        this.interval = interval;
    }

    /**
     * Continuous processing (Rivulet's default): record at a time, with an epoch every
     * {@code epochInterval}; each epoch the sink commits and progress is reported.
     *
     * @param epochInterval between 1 ms and 1 day
     * @return the trigger
     * @throws IllegalArgumentException if the interval is out of range
     */
    public static Trigger continuous(Duration epochInterval) {
        Objects.requireNonNull(epochInterval, "epochInterval");
        if (epochInterval.compareTo(Duration.ofMillis(1)) < 0 || epochInterval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("trigger epoch interval must be between 1 ms and 1 day, got " + epochInterval);
        }
        return new Trigger(Kind.CONTINUOUS, epochInterval);
    }

    /**
     * Continuous processing with an epoch every {@code epochIntervalMs} milliseconds.
     *
     * @param epochIntervalMs between 1 and 86 400 000
     * @return the trigger
     */
    public static Trigger continuous(long epochIntervalMs) {
        return continuous(Duration.ofMillis(epochIntervalMs));
    }

    /**
     * Micro-batches with Spark's exact per-batch semantics, one every {@code interval} (zero: each
     * as soon as the previous one ends, Spark's default trigger). The first trigger fires at start;
     * each later one at the next multiple of the interval after the previous trigger, counted from
     * the first, so a batch that overran its interval is followed at once by the next (Spark's
     * {@code ProcessingTimeExecutor}). A trigger runs one batch, only when there is new data or the
     * watermark calls for a no-data batch; each batch reads at most a source's
     * {@code Source.maxRecordsPerTrigger()} records per partition.
     *
     * @param interval zero or more, at most 1 day
     * @return the trigger
     */
    public static Trigger processingTime(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("processing-time interval must be between 0 and 1 day, got " + interval);
        }
        return new Trigger(Kind.PROCESSING_TIME, interval);
    }

    /**
     * One micro-batch of everything available, then the query stops (Spark's {@code Once}): no
     * per-trigger cap, no no-data batch.
     *
     * @return the trigger
     */
    public static Trigger once() {
        return new Trigger(Kind.ONCE, Duration.ZERO);
    }

    /**
     * Micro-batches until everything available at start is processed, with the no-data batches
     * the watermark calls for, then the query stops (Spark's {@code AvailableNow}). Each batch reads
     * at most a source's {@code Source.maxRecordsPerTrigger()} records per partition; sources read
     * with the clock frozen at the start (a {@code rate} source yields the rows due then), until a
     * batch finds nothing.
     *
     * @return the trigger
     */
    public static Trigger availableNow() {
        return new Trigger(Kind.AVAILABLE_NOW, Duration.ZERO);
    }

    Kind kind() {
        return kind;
    }

    /**
     * @return the epoch interval (continuous) or the batch interval (processing time); zero otherwise
     */
    public Duration interval() {
        return interval;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONTINUOUS -> "Continuous(" + interval + ")";
            case PROCESSING_TIME -> "ProcessingTime(" + interval + ")";
            case ONCE -> "Once";
            case AVAILABLE_NOW -> "AvailableNow";
        };
    }
}
