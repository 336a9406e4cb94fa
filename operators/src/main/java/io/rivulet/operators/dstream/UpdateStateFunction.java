package io.rivulet.operators.dstream;

import java.util.List;
import java.util.Optional;

/**
 * Spark's {@code updateStateByKey} function: called once per batch for every key that has new values
 * or state, with the key's new values of the batch (possibly none) and its state (empty for a new
 * key); returns the new state, or empty to remove the key.
 *
 * @param <V> value type
 * @param <S> state type
 */
@FunctionalInterface
public interface UpdateStateFunction<V, S> {
    /**
     * @param values the key's values of this batch, in arrival order; empty when it had none; the
     *     function may keep the list
     * @param state the key's state, or empty if it has none
     * @return the new state, or empty to remove the key; never {@code null}
     * @throws Exception to fail the query
     */
    Optional<S> call(List<V> values, Optional<S> state) throws Exception;
}
