package io.rivulet.operators.dstream;

import io.rivulet.operators.state.SnapshotInput;

/**
 * Numbers the batches of a DStream: batch {@code n} is the {@code n}-th trigger of the batch interval
 * since the query first ran, so a trigger that ran no batch (no data, no state) still counts, as
 * Spark's DStream runs a (possibly empty) job every interval.
 *
 * <p>The index comes from the processing time the runtime passes once per batch, before the batch
 * ends: {@code anchorIndex + round((now - anchorMs) / interval)}, never less than the previous index
 * + 1. Triggers fire at multiples of the interval from the first one, so rounding absorbs the time a
 * batch takes to start (less than half an interval). Without a processing time (a test that only ends
 * epochs) each batch is the previous + 1. The last index is operator state; after a restore the first
 * batch is the next index and the anchor is taken again there (the time the query was down does not
 * count as batches). The operators ask for a batch at the first trigger of a run
 * ({@link #nextBatchDueMs}), so batch 0 is the query's first trigger, as Spark's first batch is one
 * interval after the stream's zero time.
 *
 * <p>Not thread-safe; owned by the operator's partition worker.
 */
final class BatchClock {
    private final long intervalMs;
    private long lastIndex = -1;
    private long nowMs = Long.MIN_VALUE;
    private long anchorIndex = -1;
    private long anchorMs = Long.MIN_VALUE;
    private long lastBatchMs = Long.MIN_VALUE;
    private boolean restored;

    BatchClock(long intervalMs) {
        if (intervalMs < 1) {
            throw new IllegalArgumentException("batch interval must be >= 1 ms, got " + intervalMs + " ms");
        }
        this.intervalMs = intervalMs;
    }

    long intervalMs() {
        return intervalMs;
    }

    /** The processing time of the batch now running (the runtime's clock, read once per batch). */
    void onProcessingTime(long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
    }

    /**
     * Ends a batch.
     *
     * @return its index, from 0
     */
    long nextBatch() {
        long index = lastIndex + 1;
        if (nowMs != Long.MIN_VALUE) {
            if (anchorMs == Long.MIN_VALUE) {
                anchorMs = nowMs;
                anchorIndex = index;
            } else {
                long elapsed = nowMs - anchorMs;
                long byClock = anchorIndex + (elapsed + intervalMs / 2) / intervalMs;
                index = Math.max(index, byClock);
            }
            lastBatchMs = nowMs;
        }
        lastIndex = index;
        return index;
    }

    /** @return the index of the last batch ended, or -1 before the first */
    long lastIndex() {
        return lastIndex;
    }

    /**
     * When the next batch is due, so that the micro-batch driver runs a no-data batch: at the first
     * trigger of a run (so that batch 0, or the first after a restore, is the query's first trigger,
     * with data or not, and later batches count from it); then, while the operator holds anything a
     * batch would act on, half an interval after the last batch (any later trigger is at least an
     * interval later).
     *
     * @param hasState whether the operator holds anything a batch would act on
     * @return epoch ms; {@code Long.MIN_VALUE} for at once, {@code Long.MAX_VALUE} when no batch is needed
     */
    long nextBatchDueMs(boolean hasState) {
        if (lastBatchMs == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return hasState ? lastBatchMs + Math.max(1, intervalMs / 2) : Long.MAX_VALUE;
    }

    /** Merges a restored operator state: the largest index over the old partitions. */
    void restore(SnapshotInput in) {
        long restoredIndex = in.readLong();
        lastIndex = restored ? Math.max(lastIndex, restoredIndex) : restoredIndex;
        restored = true;
    }
}
