package io.rivulet.engine.runtime;

import io.rivulet.operators.Output;

/**
 * One element of a fused chain: receives records and the in-band control signals. The head of a
 * chain is called by its task; each link calls the next as plain method calls.
 *
 * <p>Not thread-safe; owned by the task running the chain.
 *
 * @param <T> type of the records received
 */
abstract class Link<T> implements Output<T> {
    /**
     * The input watermark advanced.
     *
     * @param watermarkMs new watermark, epoch ms
     */
    abstract void onWatermark(long watermarkMs);

    /**
     * Epoch {@code epochId} ended on every input of the task.
     *
     * @param epochId the epoch
     */
    abstract void onEpoch(long epochId);

    /**
     * Every input ended, or the query stops: pass the end on. Only the end of a bounded input closes
     * open state (windows are flushed); a stop leaves the state as the last barrier saw it, so that a
     * restart from its checkpoint resumes where it stopped.
     *
     * @param flush whether the input ended ({@code true}) rather than the query stopping
     */
    abstract void onEnd(boolean flush);
}
