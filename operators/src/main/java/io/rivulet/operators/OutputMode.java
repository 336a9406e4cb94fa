package io.rivulet.operators;

/**
 * What a query writes to its sink at each epoch (Spark's output modes).
 */
public enum OutputMode {
    /** Only rows that will never change again: a window once the watermark passed its end. */
    APPEND,
    /** The rows that changed since the previous epoch, with their current values. */
    UPDATE,
    /** The whole result table, every epoch. */
    COMPLETE
}
