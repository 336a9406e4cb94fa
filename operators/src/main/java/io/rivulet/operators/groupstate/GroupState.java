package io.rivulet.operators.groupstate;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The state of one key of a {@code mapGroupsWithState} / {@code flatMapGroupsWithState} operator,
 * with Spark's {@code GroupState} contract (the {@code get…} names are Spark's, on purpose).
 *
 * <p><b>Lifecycle.</b> The operator hands the function one instance per call, for the call's key;
 * it is valid only during that call (do not keep it). Changes take effect when the call returns
 * (for {@code flatMapGroupsWithState}, once its output iterator is drained): {@link #update} stores
 * the value, {@link #remove} deletes it. The timeout is reset at every call: unless the function sets
 * one again, the key has none afterwards (Spark's rule), so a key whose function does not renew its
 * timeout never times out.
 *
 * <p><b>Timeouts.</b> {@link #setTimeoutDuration} (processing time) needs
 * {@link GroupStateTimeout#PROCESSING_TIME_TIMEOUT}; {@link #setTimeoutTimestamp} (event time) needs
 * {@link GroupStateTimeout#EVENT_TIME_TIMEOUT}. A key times out when the processing time, or the
 * watermark, is strictly past its timeout; the function is then called with no values and
 * {@link #hasTimedOut()} true. A removed key with a timeout still set keeps only its timeout.
 *
 * <p>Not thread-safe; owned by the partition worker and used only on its thread.
 *
 * @param <S> state type
 */
public interface GroupState<S> {
    /**
     * @return whether the key has a state value
     */
    boolean exists();

    /**
     * @return the key's state value
     * @throws NoSuchElementException if the key has none (never set, or removed), as Spark does
     */
    S get();

    /**
     * @return the key's state value, or empty if it has none
     */
    Optional<S> getOption();

    /**
     * Sets the key's state value.
     *
     * @param newState the new value
     * @throws IllegalArgumentException if {@code newState} is {@code null} (Spark: "'null' is not a
     *     valid state value"; use {@link #remove()})
     */
    void update(S newState);

    /** Removes the key's state value; a timeout set in this call stays set. */
    void remove();

    /**
     * @return whether this call happens because the key timed out (its values are then empty)
     */
    boolean hasTimedOut();

    /**
     * Makes the key time out when the processing time passes {@link #getCurrentProcessingTimeMs()}
     * {@code + durationMs} without another call for it.
     *
     * @param durationMs the duration, positive, in ms
     * @throws UnsupportedOperationException unless the operator's timeout is
     *     {@link GroupStateTimeout#PROCESSING_TIME_TIMEOUT}
     * @throws IllegalArgumentException if {@code durationMs <= 0}
     */
    void setTimeoutDuration(long durationMs);

    /**
     * {@link #setTimeoutDuration(long)} with a {@link Duration}.
     *
     * @param duration the duration, positive
     * @throws UnsupportedOperationException unless the operator's timeout is
     *     {@link GroupStateTimeout#PROCESSING_TIME_TIMEOUT}
     * @throws IllegalArgumentException if the duration is not positive
     */
    void setTimeoutDuration(Duration duration);

    /**
     * {@link #setTimeoutDuration(long)} with Spark's interval string, e.g. {@code "10 seconds"},
     * {@code "1 hour 30 minutes"}, {@code "interval 2 days"}: pairs of a number and a unit ({@code year},
     * {@code month} (31 days), {@code week}, {@code day}, {@code hour}, {@code minute}, {@code second},
     * {@code millisecond}, {@code microsecond}, singular or plural, case-insensitive; a fraction for
     * {@code second} and smaller), added up.
     *
     * @param duration the interval string
     * @throws UnsupportedOperationException unless the operator's timeout is
     *     {@link GroupStateTimeout#PROCESSING_TIME_TIMEOUT}
     * @throws IllegalArgumentException if the string is not an interval (Spark's "Error parsing
     *     '&lt;duration&gt;' to interval, &lt;reason&gt;"), is negative (Spark's "Provided duration
     *     (&lt;duration&gt;) is negative"), or is zero (under a millisecond)
     */
    void setTimeoutDuration(String duration);

    /**
     * Makes the key time out when the watermark passes {@code timestampMs} (strictly).
     *
     * @param timestampMs event time, epoch ms, positive
     * @throws UnsupportedOperationException unless the operator's timeout is
     *     {@link GroupStateTimeout#EVENT_TIME_TIMEOUT}
     * @throws IllegalArgumentException if {@code timestampMs <= 0}, or it is earlier than the current
     *     watermark (Spark: "Timeout timestamp (t) cannot be earlier than the current watermark (w)")
     */
    void setTimeoutTimestamp(long timestampMs);

    /**
     * {@link #setTimeoutTimestamp(long)} with {@code timestampMs + additional}.
     *
     * @param timestampMs event time, epoch ms
     * @param additional added to it, not negative
     * @throws UnsupportedOperationException unless the operator's timeout is
     *     {@link GroupStateTimeout#EVENT_TIME_TIMEOUT}
     * @throws IllegalArgumentException as {@link #setTimeoutTimestamp(long)}, or if {@code additional}
     *     is negative
     */
    void setTimeoutTimestamp(long timestampMs, Duration additional);

    /**
     * {@link #setTimeoutTimestamp(long)} with {@code timestampMs} + an interval string, e.g.
     * {@code setTimeoutTimestamp(ts, "1 hour")}; the string as {@link #setTimeoutDuration(String)}
     * reads it.
     *
     * @param timestampMs event time, epoch ms
     * @param additionalDuration the interval string added to it, not negative
     * @throws UnsupportedOperationException unless the operator's timeout is
     *     {@link GroupStateTimeout#EVENT_TIME_TIMEOUT}
     * @throws IllegalArgumentException as {@link #setTimeoutTimestamp(long)}, or if the string is not an
     *     interval or is negative (the messages of {@link #setTimeoutDuration(String)})
     */
    void setTimeoutTimestamp(long timestampMs, String additionalDuration);

    /**
     * @return the event-time watermark the operator acts on now, epoch ms (0 before the first)
     * @throws UnsupportedOperationException if the query has no watermark upstream of the operator
     *     (Spark: "Cannot get event time watermark timestamp without setting watermark before
     *     [map|flatMap]GroupsWithState")
     */
    long getCurrentWatermarkMs();

    /**
     * @return the processing time of the batch (micro-batch mode) or the one last passed to the
     *     operator (continuous mode), epoch ms
     */
    long getCurrentProcessingTimeMs();
}
