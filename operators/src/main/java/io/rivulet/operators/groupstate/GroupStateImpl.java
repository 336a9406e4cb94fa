package io.rivulet.operators.groupstate;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link GroupState} a {@link GroupStateOperator} passes to its function: one reused instance
 * per operator, reset before each call. Spark's {@code GroupStateImpl} rules, messages included.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <S> state type
 */
final class GroupStateImpl<S> implements GroupState<S> {
    /** No timeout set. */
    static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private final GroupStateTimeout timeoutConf;
    private final boolean watermarkPresent;
    private final String operation;
    private S value;
    private boolean defined;
    private boolean updated;
    private boolean removed;
    private boolean timedOut;
    private long timeoutMs;
    private long watermarkMs;
    private long processingTimeMs;

    GroupStateImpl(GroupStateTimeout timeoutConf, boolean watermarkPresent, String operation) {
        this.timeoutConf = Objects.requireNonNull(timeoutConf, "timeoutConf");
        this.watermarkPresent = watermarkPresent;
        this.operation = operation;
    }

    /**
     * Prepares the instance for one call. The timeout starts unset: Spark resets it at every call.
     *
     * @param value the stored value, or {@code null} if none
     * @param timedOut whether the call is a timeout
     * @param watermarkMs the operator's watermark ({@code Long.MIN_VALUE} before the first)
     * @param processingTimeMs the operator's processing time
     */
    void reset(S value, boolean timedOut, long watermarkMs, long processingTimeMs) {
        this.value = value;
        this.defined = value != null;
        this.updated = false;
        this.removed = false;
        this.timedOut = timedOut;
        this.timeoutMs = NO_TIMESTAMP;
        this.watermarkMs = watermarkMs;
        this.processingTimeMs = processingTimeMs;
    }

    /** Drops the reference to the user's value once the call is over. */
    void clear() {
        value = null;
    }

    S valueOrNull() {
        return defined ? value : null;
    }

    boolean isUpdated() {
        return updated;
    }

    boolean isRemoved() {
        return removed;
    }

    long timeoutMs() {
        return timeoutMs;
    }

    @Override
    public boolean exists() {
        return defined;
    }

    @Override
    public S get() {
        if (!defined) {
            throw new NoSuchElementException("State is either not defined or has already been removed");
        }
        return value;
    }

    @Override
    public Optional<S> getOption() {
        return defined ? Optional.of(value) : Optional.empty();
    }

    @Override
    public void update(S newState) {
        if (newState == null) {
            throw new IllegalArgumentException("'null' is not a valid state value: use remove() to delete the state");
        }
        value = newState;
        defined = true;
        updated = true;
        removed = false;
    }

    @Override
    public void remove() {
        value = null;
        defined = false;
        updated = false;
        removed = true;
    }

    @Override
    public boolean hasTimedOut() {
        return timedOut;
    }

    @Override
    public void setTimeoutDuration(long durationMs) {
        checkProcessingTimeTimeout();
        if (durationMs <= 0) {
            throw new IllegalArgumentException("Timeout duration must be positive, got durationMs " + durationMs);
        }
        timeoutMs = processingTimeMs + durationMs;
    }

    @Override
    public void setTimeoutDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Timeout duration must be positive, got " + duration);
        }
        setTimeoutDuration(duration.toMillis() == 0 ? 1 : duration.toMillis());
    }

    /** Spark checks the timeout kind before it parses the string: so do we. */
    @Override
    public void setTimeoutDuration(String duration) {
        checkProcessingTimeTimeout();
        setTimeoutDuration(IntervalStrings.parseDurationMs(duration));
    }

    @Override
    public void setTimeoutTimestamp(long timestampMs) {
        checkEventTimeTimeout();
        if (timestampMs <= 0) {
            throw new IllegalArgumentException("Timeout timestamp must be positive, got timestampMs " + timestampMs);
        }
        if (watermarkMs != Long.MIN_VALUE && timestampMs < watermarkMs) {
            throw new IllegalArgumentException("Timeout timestamp (" + timestampMs + ") cannot be earlier than the current"
                + " watermark (" + watermarkMs + ")");
        }
        timeoutMs = timestampMs;
    }

    @Override
    public void setTimeoutTimestamp(long timestampMs, Duration additional) {
        Objects.requireNonNull(additional, "additional");
        if (additional.isNegative()) {
            throw new IllegalArgumentException("additional duration must not be negative, got " + additional);
        }
        setTimeoutTimestamp(timestampMs + additional.toMillis());
    }

    @Override
    public void setTimeoutTimestamp(long timestampMs, String additionalDuration) {
        checkEventTimeTimeout();
        setTimeoutTimestamp(Math.addExact(timestampMs, IntervalStrings.parseDurationMs(additionalDuration)));
    }

    private void checkProcessingTimeTimeout() {
        if (timeoutConf != GroupStateTimeout.PROCESSING_TIME_TIMEOUT) {
            throw new UnsupportedOperationException("Cannot set timeout duration without enabling processing time timeout"
                + " in " + operation + " (its timeout is " + timeoutConf + ")");
        }
    }

    private void checkEventTimeTimeout() {
        if (timeoutConf != GroupStateTimeout.EVENT_TIME_TIMEOUT) {
            throw new UnsupportedOperationException("Cannot set timeout timestamp without enabling event time timeout"
                + " in " + operation + " (its timeout is " + timeoutConf + ")");
        }
    }

    @Override
    public long getCurrentWatermarkMs() {
        if (!watermarkPresent) {
            throw new UnsupportedOperationException("Cannot get event time watermark timestamp without setting watermark"
                + " before " + operation + ": add withWatermark(...) upstream");
        }
        return watermarkMs == Long.MIN_VALUE ? 0 : watermarkMs;
    }

    @Override
    public long getCurrentProcessingTimeMs() {
        return processingTimeMs;
    }

    @Override
    public String toString() {
        return "GroupState[" + (defined ? String.valueOf(value) : "<undefined>") + "]";
    }
}
