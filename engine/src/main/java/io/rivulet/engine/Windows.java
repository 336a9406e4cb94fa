package io.rivulet.engine;

import io.rivulet.operators.window.WindowAssigner;

import java.time.Duration;
import java.util.Objects;

/**
 * Event-time windows as Spark's {@code window(col, windowDuration, slideDuration, startTime)}
 * defines them: {@code [start, end)}, starts aligned to the epoch plus an offset. For session
 * windows see {@link KeyedStream#sessionWindow}.
 */
public final class Windows {
    private Windows() {
    }

    /**
     * Tumbling windows: back to back, each record in exactly one.
     *
     * @param size the window length, at least 1 ms
     * @return the windows
     */
    public static WindowAssigner tumbling(Duration size) {
        return WindowAssigner.tumbling(millis("size", size));
    }

    /**
     * Tumbling windows shifted by an offset (Spark's {@code startTime}).
     *
     * @param size the window length
     * @param offset where windows start relative to the epoch, less than {@code size}
     * @return the windows
     */
    public static WindowAssigner tumbling(Duration size, Duration offset) {
        return WindowAssigner.tumbling(millis("size", size), Objects.requireNonNull(offset, "offset").toMillis());
    }

    /**
     * Sliding windows: a window of {@code size} starts every {@code slide}; a record is in
     * {@code size / slide} of them.
     *
     * @param size the window length
     * @param slide how often a window starts, at most {@code size}
     * @return the windows
     */
    public static WindowAssigner sliding(Duration size, Duration slide) {
        return WindowAssigner.sliding(millis("size", size), millis("slide", slide));
    }

    /**
     * Sliding windows shifted by an offset.
     *
     * @param size the window length
     * @param slide how often a window starts
     * @param offset where windows start relative to the epoch, less than {@code slide}
     * @return the windows
     */
    public static WindowAssigner sliding(Duration size, Duration slide, Duration offset) {
        return WindowAssigner.sliding(millis("size", size), millis("slide", slide),
            Objects.requireNonNull(offset, "offset").toMillis());
    }

    private static long millis(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.toMillis() < 1 || duration.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("window " + name + " must be a positive whole number of milliseconds, got "
                + duration);
        }
        return duration.toMillis();
    }
}
