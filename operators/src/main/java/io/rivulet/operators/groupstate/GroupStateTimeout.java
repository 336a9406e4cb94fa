package io.rivulet.operators.groupstate;

/**
 * Which timeout a group-state query may set on its keys (Spark's {@code GroupStateTimeout}). Chosen
 * once per operator, when the query is built; the {@link GroupState} methods that set a timeout of
 * another kind throw.
 */
public enum GroupStateTimeout {
    /** Spark's {@code NoTimeout}: keys never time out; their state lives until the function removes it. */
    NO_TIMEOUT,
    /**
     * Spark's {@code ProcessingTimeTimeout}: {@link GroupState#setTimeoutDuration(long)} makes the key
     * time out once the processing time passes {@code now + duration} without the function being
     * called for it again. Processing time is the query clock's, read by the runtime (once per batch,
     * or once per duty cycle in continuous mode).
     */
    PROCESSING_TIME_TIMEOUT,
    /**
     * Spark's {@code EventTimeTimeout}: {@link GroupState#setTimeoutTimestamp(long)} makes the key time
     * out once the watermark passes that event time. The query needs a watermark
     * ({@code withWatermark}) upstream, checked when it starts.
     */
    EVENT_TIME_TIMEOUT
}
