package io.rivulet.operators;

/**
 * A {@link TwoInputKeyedOperator} whose key is a primitive {@code long} (the long-key join): the runtime
 * hands both inputs' keys unboxed, {@link #processLong} for the left input and {@link #processRightLong}
 * for the right, so neither the exchanges nor the operator allocate a key per record. For callers that
 * hold boxed keys (tests, the contract harness), {@link #process} and {@link #processRight} unbox and
 * delegate.
 *
 * <p>A {@code long} key belongs to the key group {@code KeyGroups.keyGroupOf(long, ...)} gives, the same
 * as its boxed {@code Long}'s, for both inputs.
 *
 * <p>Not thread-safe; one instance is owned by one partition worker.
 *
 * @param <L> left input record type
 * @param <R> right input record type
 * @param <O> output record type
 */
public interface TwoInputLongKeyedOperator<L, R, O>
        extends TwoInputKeyedOperator<Long, L, R, O>, LongKeyedOperator<L, O> {
    /**
     * Processes one record of the right input.
     *
     * @param key the record's key
     * @param record the record; never {@code null}
     * @param out where results go
     */
    void processRightLong(long key, R record, Output<O> out);

    /**
     * Unboxes the key and calls {@link #processRightLong}.
     *
     * @param key the record's key; never {@code null}
     * @param record the record; never {@code null}
     * @param out where results go
     */
    @Override
    default void processRight(Long key, R record, Output<O> out) {
        processRightLong(key, record, out);
    }
}
