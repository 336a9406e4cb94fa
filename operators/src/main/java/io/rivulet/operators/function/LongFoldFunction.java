package io.rivulet.operators.function;

/**
 * Folds a record into a {@code long} state, as in a running per-key count, sum, maximum or bit set of
 * a {@code long}-keyed stream: the state stays a primitive, so the fold allocates nothing.
 *
 * <p>Called on the partition's thread, one record at a time; an implementation needs no
 * synchronisation but must not keep the record (it may be a reused instance).
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface LongFoldFunction<T> {
    /**
     * Folds one record into the key's state.
     *
     * @param state the key's state so far: the initial value for its first record
     * @param record the new record; never {@code null}
     * @return the new state
     * @throws Exception to fail the query (or go to its error policy)
     */
    long update(long state, T record) throws Exception;
}
