package io.rivulet.engine.runtime;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Validated settings of one query run, assembled by the public writer API.
 *
 * @param name query name, unique among active queries
 * @param epochIntervalNs how often sources end an epoch
 * @param idleStrategies creates the idle strategy of each task thread (one instance per thread)
 * @param ringCapacity slots per ring, a power of two
 * @param defaultParallelism partitions of a keyed stage that names none
 * @param stopTimeoutNs how long {@code stop()} waits for a graceful drain before aborting
 * @param nanoClock monotonic clock for latency and epochs
 * @param epochClock wall clock for timestamps
 */
public record QueryOptions(String name, long epochIntervalNs, Supplier<? extends IdleStrategy> idleStrategies,
                           int ringCapacity, int defaultParallelism, long stopTimeoutNs,
                           NanoClock nanoClock, EpochClock epochClock) {
    /**
     * Validates the settings.
     */
    public QueryOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(idleStrategies, "idleStrategies");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(epochClock, "epochClock");
        if (epochIntervalNs <= 0) {
            throw new IllegalArgumentException("epoch interval must be positive, got " + epochIntervalNs + " ns");
        }
        if (ringCapacity < 2 || Integer.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("ringCapacity must be a power of two >= 2, got " + ringCapacity);
        }
        if (defaultParallelism < 1) {
            throw new IllegalArgumentException("defaultParallelism must be >= 1, got " + defaultParallelism);
        }
        if (stopTimeoutNs <= 0) {
            throw new IllegalArgumentException("stopTimeout must be positive, got " + stopTimeoutNs + " ns");
        }
    }
}
