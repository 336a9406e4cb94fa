package io.rivulet.operators.dstream;

import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A key's state in a {@link MapWithStateFunction} call (Spark's {@code State}). Valid only during the
 * call it is passed to; not thread-safe.
 *
 * @param <S> state type
 */
public interface State<S> {
    /** @return whether the key has state */
    boolean exists();

    /**
     * @return the state
     * @throws NoSuchElementException if the key has none
     */
    S get();

    /**
     * @return the state, or empty
     */
    Optional<S> getOption();

    /**
     * Sets the key's state (kept after the call).
     *
     * @param newState the new state, not {@code null}
     * @throws IllegalArgumentException if the state was removed in this call or the key is timing out
     *     (Spark: "Cannot update the state that is timing out")
     */
    void update(S newState);

    /**
     * Removes the key's state.
     *
     * @throws IllegalArgumentException if it was removed already or the key is timing out (it is
     *     removed after the call anyway)
     */
    void remove();

    /**
     * @return whether this call is the key's timeout: no value, and the state goes after the call
     */
    boolean isTimingOut();
}
