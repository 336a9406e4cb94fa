package io.rivulet.operators.join;

/**
 * How a long-key join stores one side's rows as a fixed number of {@code long} columns instead of
 * object references (column rows): the row's fields are written into the side's slab when it is
 * buffered and read back into a reused instance when it matches or comes out unmatched. Column rows
 * keep no reference to the input record, so the input may reuse its records, and buffered rows cost
 * the garbage collector nothing.
 *
 * <p>Called on the operator's owner thread only. Implementations must be deterministic:
 * {@code read(write(row))} must equal {@code row} in every field the join function reads; the columns are
 * also what the operator checkpoints for the row.
 *
 * @param <T> the side's row type
 */
public interface JoinRowLayout<T> {
    /** @return the number of {@code long} columns per row; at least 1 */
    int width();

    /**
     * Writes a row's columns.
     *
     * @param row the row; never {@code null}
     * @param into the slab
     * @param at index of the row's first column in {@code into}; {@link #width()} columns from there are the row's
     */
    void write(T row, long[] into, int at);

    /**
     * Reads a row's columns into a row instance.
     *
     * @param from the slab
     * @param at index of the row's first column
     * @param reuse an instance this layout returned before, to fill and return, or {@code null} to create one
     * @return the row; the caller holds it only until its next {@code read}
     */
    T read(long[] from, int at, T reuse);
}
