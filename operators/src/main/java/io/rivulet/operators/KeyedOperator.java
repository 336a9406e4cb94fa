package io.rivulet.operators;

/**
 * A single-threaded operator whose records arrive with their key already extracted.
 *
 * <p>The runtime routes records to partitions by key and hands the key along, so a keyed operator
 * never computes it twice. Not thread-safe; one instance is owned by one partition worker, and it
 * sees every record of the keys routed to that partition, in arrival order.
 *
 * @param <K> key type; must implement {@code equals} and {@code hashCode}
 * @param <I> input record type
 * @param <O> output record type
 */
public interface KeyedOperator<K, I, O> {
    /**
     * Processes one record of key {@code key}.
     *
     * @param key the record's key; never {@code null}
     * @param record the record; never {@code null}
     * @param out where results go
     */
    void process(K key, I record, Output<O> out);

    /**
     * See {@link Operator#onWatermark(long, Output)}.
     *
     * @param watermarkMs the new watermark in epoch milliseconds
     * @param out where results released by the watermark go
     */
    default void onWatermark(long watermarkMs, Output<O> out) {
    }

    /**
     * Called with the processing time: the wall-clock time of the runtime's injected clock, read once
     * by the runtime, never by the operator. The runtime calls it at most once per duty cycle
     * (continuous mode) or once per batch (micro-batch mode), so an operator sees processing time
     * advance in steps; it fires processing-time timers and expires state TTL against it. The time
     * passed never decreases.
     *
     * @param nowMs processing time in epoch milliseconds
     * @param out where results it causes (fired timers) go
     */
    default void onProcessingTime(long nowMs, Output<O> out) {
    }

    /**
     * Whether this operator acts on processing time, so that the runtime calls
     * {@link #onProcessingTime} (reading its clock once per duty cycle only for such operators).
     *
     * @return {@code false} unless the operator overrides it
     */
    default boolean usesProcessingTime() {
        return false;
    }

    /**
     * The earliest processing time at which {@link #onProcessingTime} would act (fire a timer or a
     * timeout), so that a micro-batch driver runs a no-data batch only when one is due. Owner thread.
     *
     * @return epoch milliseconds, or {@code Long.MAX_VALUE} when nothing waits on processing time
     */
    default long nextProcessingTimeMs() {
        return Long.MAX_VALUE;
    }

    /**
     * See {@link Operator#onEpoch(long, Output)}.
     *
     * @param epochId the epoch that ends
     * @param out where per-epoch results go
     */
    default void onEpoch(long epochId, Output<O> out) {
    }

    /**
     * See {@link Operator#onEnd(Output)}.
     *
     * @param out where final results go
     */
    default void onEnd(Output<O> out) {
    }
}
