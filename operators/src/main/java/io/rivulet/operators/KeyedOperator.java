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
