package io.rivulet.operators.join;

/**
 * Which rows a join emits, as Spark names its stream-stream join types.
 *
 * <p>Immutable and thread-safe.
 */
public enum JoinType {
    /** Every matching (left, right) pair, once, when the later of the two arrives. */
    INNER(false, false),
    /** Every pair, plus each left row that never matched, with {@code null} for the right side. */
    LEFT_OUTER(true, false),
    /** Every pair, plus each right row that never matched, with {@code null} for the left side. */
    RIGHT_OUTER(false, true),
    /** Every pair, plus the unmatched rows of both sides, each with {@code null} for the other side. */
    FULL_OUTER(true, true),
    /** Each left row that has a match, once, when it first matches; the right side is never emitted. */
    LEFT_SEMI(false, false);

    private final boolean leftNulls;
    private final boolean rightNulls;

    JoinType(boolean leftNulls, boolean rightNulls) {
        this.leftNulls = leftNulls;
        this.rightNulls = rightNulls;
    }

    /**
     * @return whether an unmatched left row is emitted (with a {@code null} right side) once the
     *     watermark rules out a match
     */
    public boolean emitsUnmatchedLeft() {
        return leftNulls;
    }

    /**
     * @return whether an unmatched right row is emitted (with a {@code null} left side) once the
     *     watermark rules out a match
     */
    public boolean emitsUnmatchedRight() {
        return rightNulls;
    }

    /**
     * @return whether the join needs an event-time range to end its rows' waits: every type but
     *     {@link #INNER} (Spark rejects outer and semi joins without a watermark and a range condition)
     */
    public boolean needsTimeRange() {
        return this != INNER;
    }
}
