package io.rivulet.operators;

/**
 * What a stateful aggregation writes to its sink at the end of each epoch (Spark's output modes,
 * with Spark's meaning).
 *
 * <p>Which mode a query may use depends on its operators (Spark's legality matrix, checked when the
 * query starts); the operators only implement the behaviour.
 */
public enum OutputMode {
    /**
     * Only rows that will never change again: a window's row is emitted once, when the watermark
     * passes its end, and its state is then dropped. Records whose window has already ended
     * (window end &lt;= watermark) are late: dropped, or sent to a late output.
     */
    APPEND,
    /**
     * The rows that changed since the previous epoch, each once with its current value. State of
     * windows the watermark has passed is dropped without output; late records are dropped as in
     * {@link #APPEND}.
     */
    UPDATE,
    /**
     * The whole result table, every epoch. Nothing is ever evicted, so state grows without bound.
     * Time-window aggregations accept late records (Spark never drops them in this mode); session
     * windows still drop them.
     */
    COMPLETE
}
