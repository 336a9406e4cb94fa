package io.rivulet.engine.sql.expressions;

/**
 * The mutable side of evaluating expressions: the null flag of the last primitive result and the statement time
 * {@code current_timestamp()} returns. One per evaluator; the nodes themselves are immutable and shared.
 * <p>
 * Protocol: {@code evalBoolean/evalInt/evalLong/evalDouble} always set {@link #isNull} (true: the result is
 * SQL NULL and the returned primitive is meaningless); {@code evalObject} returns null for NULL and leaves the
 * flag alone. Not thread-safe; owned by the thread that runs the evaluator.
 */
public final class EvalContext {
    /** Whether the last primitive result was NULL. */
    public boolean isNull;

    /** What {@code current_timestamp()} returns, in microseconds since the epoch; set by the planner per epoch. */
    public long currentTimestampMicros;
}
