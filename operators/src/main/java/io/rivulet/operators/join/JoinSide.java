package io.rivulet.operators.join;

/**
 * One input of a two-input join: the left input arrives through
 * {@link io.rivulet.operators.TwoInputKeyedOperator#process}, the right through
 * {@link io.rivulet.operators.TwoInputKeyedOperator#processRight}.
 *
 * <p>Immutable and thread-safe.
 */
public enum JoinSide {
    /** The left input. */
    LEFT,
    /** The right input. */
    RIGHT
}
