package io.rivulet.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * When a query's results are made final. Rivulet runs record-at-a-time; a continuous trigger sets
 * the epoch interval: how often sources insert a barrier, after which the sink commits the epoch,
 * progress is reported and (later) state is checkpointed. Spark's {@code Trigger.Continuous}.
 */
public final class Trigger {
    /** The default epoch interval. */
    public static final Duration DEFAULT_EPOCH_INTERVAL = Duration.ofMillis(100);

    private final Duration epochInterval;

    private Trigger(Duration epochInterval) {
        this.epochInterval = epochInterval;
    }

    /**
     * Continuous processing with an epoch every {@code epochInterval}.
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
        return new Trigger(epochInterval);
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
     * @return the epoch interval
     */
    public Duration epochInterval() {
        return epochInterval;
    }

    @Override
    public String toString() {
        return "Continuous(" + epochInterval + ")";
    }
}
