package io.rivulet.engine.sql.internal;

/**
 * Whether the operator that emits a Dataset's rows may emit one reused row per task (refilled for every record)
 * instead of a new row per record. The structured API decides it when the query starts, from the Dataset's
 * consumers: a consumer that only reads each row while it is handed over (a projection, a filter passing it on to
 * such consumers, {@code withWatermark}, {@code Dataset.asStream()}, a keyed exchange that copies rows into its ring
 * slots) leaves it allowed; any other consumer ({@link #escape}: a sink writer, a state operator that buffers rows,
 * a ring handing references to another thread, a user function) turns it off for every query started afterwards.
 * The structured joins and {@code limit} are such consumers: a stream-stream join (either side) keeps rows by
 * reference in its state; a stream-static join may emit the stream's row itself (a left semi join does); an
 * append-mode {@code limit} hands rows to its one partition by reference. A Dataset under an alias
 * ({@code as("a")}) shares its rows' decision, so a join of an aliased Dataset turns reuse off too.
 *
 * <p>Thread-safe: consumers are added on the thread building queries, the decision is read by each task when it
 * is created. A query already running keeps its decision; its own consumers were all known when it started.
 */
public final class RowReuse {
    private volatile boolean escaped;

    /**
     * Records a consumer that may keep a row, or hand it to another thread, after it returns.
     */
    public void escape() {
        escaped = true;
    }

    /**
     * @return whether no consumer so far keeps rows: the emitting operator may reuse one row.
     */
    public boolean allowed() {
        return !escaped;
    }

    /**
     * @param reuse a Dataset's reuse decision, or {@code null} for rows that are new per record.
     */
    public static void escape(RowReuse reuse) {
        if (reuse != null) {
            reuse.escape();
        }
    }
}
