package io.rivulet.operators.join;

import io.rivulet.operators.Output;

/**
 * One side of a stream-stream join's figures and late rows, shared by {@link StreamStreamJoinOperator} and
 * {@link StreamStreamLongJoinOperator}: rows and keys held, rows added and removed since the figures were
 * last read, late rows dropped, and where a late row goes.
 *
 * <p>Not thread-safe; owned by the join operator's partition worker.
 *
 * @param <T> the side's row type
 */
final class JoinSideFigures<T> {
    long rows;
    long keys;
    long added;
    long removed;
    long dropped;
    private final Output<? super T> late;

    /**
     * @param late where the side's late rows go, or {@code null} to drop them (counted either way)
     */
    JoinSideFigures(Output<? super T> late) {
        this.late = late;
    }

    /**
     * Counts a late row and sends it to the late output, if any.
     *
     * @param row the late row
     */
    void onLate(T row) {
        dropped++;
        if (late != null) {
            late.emit(row);
        }
    }

    /**
     * @param left the left side
     * @param right the right side
     * @param maxStateRows the budget
     * @return the failure for state beyond the budget, naming the budget and what to change
     */
    static IllegalStateException overBudget(JoinSideFigures<?> left, JoinSideFigures<?> right, long maxStateRows) {
        return new IllegalStateException("join state budget exceeded: " + (left.rows + right.rows)
            + " rows buffered (left " + left.rows + ", right " + right.rows + ") > maxStateRows " + maxStateRows
            + ": narrow the time range, shorten the watermark delay, add partitions or raise the budget");
    }
}
