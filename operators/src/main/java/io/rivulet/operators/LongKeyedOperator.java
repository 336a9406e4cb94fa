package io.rivulet.operators;

/**
 * A keyed operator whose key is a primitive {@code long}: the runtime hands it the key unboxed
 * ({@link #processLong}), so neither the exchange nor the operator allocates a key per record. It is
 * still a {@link KeyedOperator} of {@code Long} keys, for callers that hold boxed keys (tests, the
 * contract harness): {@link #process} unboxes and delegates.
 *
 * <p>A {@code long} key belongs to the key group {@code KeyGroups.keyGroupOf(long, ...)} gives, the
 * same as its boxed {@code Long}'s: records reach the same partition either way, and state saved per
 * key group restores into any partition count.
 *
 * <p>Not thread-safe; one instance is owned by one partition worker.
 *
 * @param <I> input record type
 * @param <O> output record type
 */
public interface LongKeyedOperator<I, O> extends KeyedOperator<Long, I, O> {
    /**
     * Processes one record of key {@code key}.
     *
     * @param key the record's key
     * @param record the record; never {@code null}
     * @param out where results go
     */
    void processLong(long key, I record, Output<O> out);

    /**
     * Unboxes the key and calls {@link #processLong}.
     *
     * @param key the record's key; never {@code null}
     * @param record the record; never {@code null}
     * @param out where results go
     */
    @Override
    default void process(Long key, I record, Output<O> out) {
        processLong(key, record, out);
    }
}
