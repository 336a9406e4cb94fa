package io.rivulet.operators;

/**
 * A keyed operator with two typed inputs (joins, co-processing): records of both inputs are routed by
 * the same key to the same partition, and one instance sees every record of its keys from both sides,
 * in arrival order.
 *
 * <p>The left input arrives through {@link #process} (inherited from {@link KeyedOperator}), the right
 * input through {@link #processRight}. Everything else is shared with the one-input contract, so the
 * runtime drives a two-input operator exactly as a one-input one: one watermark (the inputs' watermarks
 * merged by the query's policy, minimum by default), one barrier per epoch (aligned across both
 * inputs: {@code onEpoch} and the snapshot come once every producer of both sides has passed it),
 * processing time, the end. A two-input operator that holds state implements
 * {@link io.rivulet.operators.state.CheckpointedOperator} and {@link StatefulOperator} as any other.
 *
 * <p>Not thread-safe; owned by one partition worker.
 *
 * @param <K> key type of both inputs; must implement {@code equals} and {@code hashCode}
 * @param <L> left input record type
 * @param <R> right input record type
 * @param <O> output record type
 */
public interface TwoInputKeyedOperator<K, L, R, O> extends KeyedOperator<K, L, O> {
    /**
     * Processes one record of the right input.
     *
     * @param key the record's key; never {@code null}
     * @param record the record; never {@code null}
     * @param out where results go
     */
    void processRight(K key, R record, Output<O> out);
}
