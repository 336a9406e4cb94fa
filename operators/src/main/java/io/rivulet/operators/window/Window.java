package io.rivulet.operators.window;

import java.time.Instant;

/**
 * An event-time window {@code [startMs, endMs)}: start inclusive, end exclusive, in epoch
 * milliseconds. The {@code window} / {@code session_window} struct of Spark's output rows.
 *
 * @param startMs first millisecond in the window
 * @param endMs first millisecond after the window; greater than {@code startMs}
 */
public record Window(long startMs, long endMs) {
    /**
     * The event time a record without one reads as ({@code Long.MIN_VALUE}): the window operators and the
     * pre-aggregator drop such a record, as Spark's {@code window}/{@code session_window} drop rows whose time column
     * is NULL; it is neither counted as late nor sent to a late output.
     */
    public static final long NO_EVENT_TIME = Long.MIN_VALUE;

    /**
     * Creates a window.
     *
     * @param startMs first millisecond in the window
     * @param endMs first millisecond after the window
     * @throws IllegalArgumentException if {@code endMs <= startMs}
     */
    public Window {
        if (endMs <= startMs) {
            throw new IllegalArgumentException("window end (" + endMs + ") must be after its start (" + startMs + ")");
        }
    }

    /**
     * @return {@code endMs - startMs}
     */
    public long sizeMs() {
        return endMs - startMs;
    }

    /**
     * @param timestampMs an event time in epoch milliseconds
     * @return whether {@code startMs <= timestampMs < endMs}
     */
    public boolean contains(long timestampMs) {
        return startMs <= timestampMs && timestampMs < endMs;
    }

    /**
     * Spark's struct as {@code show()} prints it, with ISO-8601 UTC instants:
     * {@code {2024-01-01T00:00:00Z, 2024-01-01T00:00:10Z}}.
     */
    @Override
    public String toString() {
        return "{" + Instant.ofEpochMilli(startMs) + ", " + Instant.ofEpochMilli(endMs) + "}";
    }
}
