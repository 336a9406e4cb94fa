package io.rivulet.operators;

/**
 * A single-threaded, record-at-a-time operator.
 *
 * <p>Not thread-safe; one instance is owned by one partition worker (or one test). Implementations
 * start no threads, do no I/O and read no clock. Watermarks and epoch barriers are forwarded
 * downstream by the runtime after the corresponding callback returns; an operator only emits the
 * records they cause.
 *
 * @param <I> input record type
 * @param <O> output record type
 */
public interface Operator<I, O> {
    /**
     * Processes one record.
     *
     * @param record the input record; never {@code null}
     * @param out where results go
     */
    void process(I record, Output<O> out);

    /**
     * Called when the event-time watermark of this operator's input advances.
     *
     * @param watermarkMs the new watermark in epoch milliseconds; never lower than a previous one
     * @param out where results released by the watermark go
     */
    default void onWatermark(long watermarkMs, Output<O> out) {
    }

    /**
     * Called when the barrier that ends epoch {@code epochId} has reached this operator on every
     * input: every record of the epoch has been processed and none of the next epoch has.
     *
     * @param epochId the epoch that ends
     * @param out where per-epoch results go
     */
    default void onEpoch(long epochId, Output<O> out) {
    }

    /**
     * Called once when every input has ended (bounded input only). Emits what is still held.
     *
     * @param out where final results go
     */
    default void onEnd(Output<O> out) {
    }
}
