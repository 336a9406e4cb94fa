package io.rivulet.operators.groupstate;

import java.util.Iterator;

/**
 * The function of {@code flatMapGroupsWithState} (Spark's Java
 * {@code FlatMapGroupsWithStateFunction}): any number of output records per call.
 *
 * <p>Called on the partition worker's thread only; one instance serves every key of the query, so
 * per-key data belongs in the {@link GroupState}, not in fields. A throw fails the query with it as
 * the cause.
 *
 * @param <K> key type
 * @param <V> value (input record) type
 * @param <S> state type
 * @param <R> output type
 */
@FunctionalInterface
public interface FlatMapGroupsWithStateFunction<K, V, S, R> {
    /**
     * @param key the key
     * @param values the key's new values, in arrival order (all of one batch in micro-batch mode, one
     *     in continuous mode); empty when the key timed out. Valid only during the call
     * @param state the key's state
     * @return the output records, drained at once (state changes take effect after); never
     *     {@code null}; a {@code null} element fails the query naming the key
     * @throws Exception to fail the query
     */
    Iterator<R> call(K key, Iterator<V> values, GroupState<S> state) throws Exception;
}
