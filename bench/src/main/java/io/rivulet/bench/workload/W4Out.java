package io.rivulet.bench.workload;

import java.util.Arrays;

/**
 * W4 result: the (at most) 10 symbols with the largest total quantity in a 1 s tumbling window, by decreasing
 * quantity, ties broken by smaller symbol first. {@code symbols[r]} and {@code qty[r]} describe rank {@code r}.
 *
 * <p>Arrays are not copied: treat them as immutable once the record is built.
 *
 * @param windowEndMs exclusive window end, epoch ms.
 * @param symbols     symbol ids by rank, length {@code <= 10}.
 * @param qty         total quantity by rank, same length as {@code symbols}.
 */
public record W4Out(long windowEndMs, int[] symbols, long[] qty)
{
    /** Number of symbols ranked in this window. */
    public static final int TOP_N = 10;

    /**
     * @param windowEndMs exclusive window end, epoch ms.
     * @param symbols     symbol ids by rank.
     * @param qty         total quantity by rank.
     * @throws IllegalArgumentException if the lengths differ or exceed {@link #TOP_N}.
     */
    public W4Out
    {
        if (symbols.length != qty.length || symbols.length > TOP_N)
        {
            throw new IllegalArgumentException("symbols/qty length mismatch: " + symbols.length + "/" + qty.length);
        }
    }

    /** @return number of ranked symbols. */
    public int size()
    {
        return symbols.length;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(final Object o)
    {
        return o instanceof W4Out other && windowEndMs == other.windowEndMs &&
            Arrays.equals(symbols, other.symbols) && Arrays.equals(qty, other.qty);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode()
    {
        return (Long.hashCode(windowEndMs) * 31 + Arrays.hashCode(symbols)) * 31 +
            Arrays.hashCode(qty);
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "W4Out[windowEndMs=" + windowEndMs + ", symbols=" + Arrays.toString(symbols) +
            ", qty=" + Arrays.toString(qty) + ']';
    }
}
