package io.rivulet.operators.groupstate;

import java.util.Iterator;

/**
 * The function of {@code mapGroupsWithState} (Spark's Java {@code MapGroupsWithStateFunction}): one
 * output record per call.
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
public interface MapGroupsWithStateFunction<K, V, S, R> {
    /**
     * @param key the key
     * @param values the key's new values, in arrival order (all of one batch in micro-batch mode, one
     *     in continuous mode); empty when the key timed out. Valid only during the call
     * @param state the key's state
     * @return the output record; never {@code null}: a stream carries no null records, so a
     *     {@code null} fails the query naming the key (Spark would emit a null row; to emit nothing for a
     *     call, use {@code flatMapGroupsWithState})
     * @throws Exception to fail the query
     */
    R call(K key, Iterator<V> values, GroupState<S> state) throws Exception;
}
