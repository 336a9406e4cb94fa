package io.rivulet.operators.state;

/**
 * The time a timer is set in.
 */
public enum TimeDomain {
    /** Event time: fires when the watermark reaches the timer's timestamp. */
    EVENT_TIME,
    /** Processing time: fires when the processing time passed to the operator reaches it. */
    PROCESSING_TIME
}
