package io.rivulet.engine.runtime;

/**
 * The largest event time one {@code withWatermark} node has seen, for the micro-batch driver,
 * which computes the next batch's watermark from it between batches. Owned by the driver thread
 * (micro-batch runs every task on it).
 */
final class WatermarkTracker {
    private final long delayMs;
    private long maxEventMs = Long.MIN_VALUE;

    WatermarkTracker(long delayMs) {
        this.delayMs = delayMs;
    }

    void observe(long eventMs) {
        if (eventMs > maxEventMs) {
            maxEventMs = eventMs;
        }
    }

    /**
     * @return largest event time − delay; 0 (the epoch) before any record, as Spark counts it
     */
    long watermarkMs() {
        return maxEventMs == Long.MIN_VALUE ? 0 : Math.max(0, maxEventMs - delayMs);
    }

    boolean hasData() {
        return maxEventMs != Long.MIN_VALUE;
    }
}
