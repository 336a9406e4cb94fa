package io.rivulet.operators;

/**
 * An operator that holds state across records and reports it.
 *
 * <p>Called on the thread that owns the operator, typically once per epoch.
 */
public interface StatefulOperator {
    /**
     * Writes the operator's state figures into {@code into} without allocating. Reading resets the
     * "since the previous read" figures ({@link StateMetrics#numRowsUpdated()},
     * {@link StateMetrics#numRowsRemoved()}).
     *
     * @param into the holder to fill
     */
    void stateMetrics(StateMetrics into);
}
