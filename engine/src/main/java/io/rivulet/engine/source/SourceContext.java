package io.rivulet.engine.source;

import io.rivulet.operators.state.SnapshotInput;

/**
 * What a source partition knows about where it runs. Clock values are read once per duty cycle of
 * the source task and cached, so a reader sees the same time throughout one {@code poll}.
 *
 * <p>Not thread-safe; owned by the partition's source task.
 */
public interface SourceContext {
    /**
     * @return the partition this reader reads, from 0
     */
    int partition();

    /**
     * @return the number of partitions of the source
     */
    int numPartitions();

    /**
     * How the query reads its sources, as a source that plans its own batches needs to know (Spark's
     * trigger kinds): continuous processing, or micro-batches of one of three kinds.
     */
    enum ReadMode {
        /** Record at a time: each partition's reader is polled on its own thread, without batches. */
        CONTINUOUS,
        /**
         * Micro-batches ({@code Trigger.processingTime}): the driver thread drains every partition's
         * reader in turn, partition 0 first, until each returns 0; a batch obeys per-trigger limits.
         */
        MICRO_BATCH,
        /** One micro-batch of everything available, without per-trigger limits ({@code Trigger.once}). */
        ONCE,
        /**
         * Micro-batches within per-trigger limits until what was available at the start is read, then the
         * query stops ({@code Trigger.availableNow}): a batch that reads nothing ends it.
         */
        AVAILABLE_NOW
    }

    /**
     * @return how the query reads its sources; {@link ReadMode#CONTINUOUS} unless the runtime says otherwise
     */
    default ReadMode readMode() {
        return ReadMode.CONTINUOUS;
    }

    /**
     * @return the name of the query reading the source
     */
    String queryName();

    /**
     * @return monotonic time in nanoseconds, as of the current duty cycle
     */
    long nanoTime();

    /**
     * @return wall-clock time in epoch milliseconds, as of the current duty cycle
     */
    long epochMillis();

    /**
     * The position this partition resumes after, as its reader wrote it into the checkpoint the query
     * restarts from ({@link SourceReader#writePosition}); {@code null} on a first start or without a
     * checkpoint. A reader given one emits exactly the records that followed it.
     *
     * @return the saved position, or {@code null}
     */
    default SnapshotInput restoredPosition() {
        return null;
    }

    /**
     * Whether the query saves checkpoints: the reader will be asked for its position at every epoch
     * end and must be able to rewind to any position it wrote after the last committed epoch (a
     * memory stream keeps its records until their epoch commits).
     *
     * @return {@code false} unless the query has a checkpoint location
     */
    default boolean checkpointing() {
        return false;
    }

    /**
     * Counts records the reader read but dropped as malformed (a file source's {@code DROPMALFORMED}
     * mode): they show in the query's progress as {@code numRowsFailed}. Called on the source task's
     * thread, only for a dropped record.
     *
     * @param count records dropped, at least 1
     */
    default void recordsDropped(int count) {
    }

    /**
     * Busy-waits until {@code System.nanoTime()}-scale time {@code deadlineNs} (the engine's clock, as
     * {@link #nanoTime()}), at most {@code maxWaitNs}: for a reader's short waits inside {@code poll}, such as a
     * pacing source's last microseconds before an event is due. The runtime's implementation lets the other
     * tasks that share this source's thread work meanwhile (a one-partition keyed stage this source hosts,
     * fed also by other sources: the join of two streams), so their records are not held up by this
     * reader's wait; a source alone on its thread just spins. It may return before the deadline (in
     * continuous mode, when the task's epoch ends meanwhile, so that its barrier is not held up by the
     * wait): a reader then emits what is due by the time returned, possibly nothing. Longer waits belong to
     * the runtime: return 0 from {@code poll} and it idles.
     *
     * <p>Called on the source task's thread, from {@code poll} only (not while records of this poll are
     * half-written).
     *
     * @param deadlineNs when to return, on the engine's nanosecond clock
     * @param maxWaitNs the longest wait, ns; 0 returns at once
     * @return the engine's nanosecond clock on return
     */
    default long awaitUntil(long deadlineNs, long maxWaitNs) {
        long now = System.nanoTime();
        long end = now + Math.max(0, maxWaitNs);
        while (now - deadlineNs < 0 && now - end < 0) {
            Thread.onSpinWait();
            now = System.nanoTime();
        }
        return now;
    }
}
