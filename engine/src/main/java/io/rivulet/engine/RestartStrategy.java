package io.rivulet.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * What a query with a checkpoint location does when it fails (a user function throws, a sink or the
 * disk refuses): start again from its last checkpoint, inside the same JVM, after a backoff, up to a
 * number of attempts (Flink's restart strategies). The restarted run resumes exactly where the
 * checkpoint left it, so a transient failure costs a little latency and no correctness. When the
 * attempts are used up the query fails with the last failure's cause.
 *
 * <p>Attempts count failures in a row: a run that commits input of its own (an epoch with records)
 * before it fails resets the count, while a record that fails every time it is replayed exhausts it.
 *
 * <p>Immutable.
 *
 * @param attempts restarts allowed in a row; 0 never restarts
 * @param initialBackoff the wait before the first restart
 * @param maxBackoff the longest wait: each restart in a row waits twice the previous one, up to this
 */
public record RestartStrategy(int attempts, Duration initialBackoff, Duration maxBackoff) {
    /** The default with a checkpoint location: 3 restarts in a row, 100 ms doubling up to 10 s. */
    public static final RestartStrategy DEFAULT = exponentialBackoff(3, Duration.ofMillis(100), Duration.ofSeconds(10));

    /**
     * Validates.
     *
     * @param attempts restarts allowed in a row, {@code >= 0}
     * @param initialBackoff {@code >= 0}
     * @param maxBackoff {@code >= initialBackoff}
     */
    public RestartStrategy {
        if (attempts < 0) {
            throw new IllegalArgumentException("restart attempts must be >= 0, got " + attempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("restart backoff must satisfy 0 <= initial <= max, got initial "
                + initialBackoff + ", max " + maxBackoff);
        }
    }

    /**
     * @return never restart: the query fails with its first failure
     */
    public static RestartStrategy none() {
        return new RestartStrategy(0, Duration.ZERO, Duration.ZERO);
    }

    /**
     * @param attempts restarts allowed in a row
     * @param delay the wait before each
     * @return the strategy
     */
    public static RestartStrategy fixedDelay(int attempts, Duration delay) {
        return new RestartStrategy(attempts, delay, delay);
    }

    /**
     * @param attempts restarts allowed in a row
     * @param initial the wait before the first
     * @param max the longest wait (each waits twice the previous)
     * @return the strategy
     */
    public static RestartStrategy exponentialBackoff(int attempts, Duration initial, Duration max) {
        return new RestartStrategy(attempts, initial, max);
    }

    /**
     * @param attempt the restart in a row, from 1
     * @return how long to wait before it
     */
    public Duration backoff(int attempt) {
        Duration backoff = initialBackoff;
        for (int i = 1; i < attempt && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
