package io.rivulet.bench.workload;

/**
 * Checksum terms {@code h(r)} of section 3; all arithmetic is {@code long} and wraps. A run's checksum is the
 * (order independent) wrapping sum of {@code h(r)} over its results, see {@link ChecksumAccumulator}.
 *
 * <p>Primitive overloads let hot loops skip building output records. Stateless, thread-safe.
 */
public final class Checksum
{
    private Checksum()
    {
    }

    /**
     * @param r W1 result.
     * @return {@code Math.round(notional * 100.0)}.
     */
    public static long h(final W1Out r)
    {
        return w1(r.notional());
    }

    /**
     * @param r W2 result.
     * @return {@code ((windowEnd * 1_000_003 + symbol) * 1_000_033 + count) * 1_000_037 + sumQty}.
     */
    public static long h(final W2Out r)
    {
        return w2(r.symbol(), r.windowEndMs(), r.count(), r.sumQty());
    }

    /**
     * @param r W3 result.
     * @return {@code (windowEnd * 1_000_003 + symbol) * 1_000_033 + Math.round(vwap * 10_000.0)}.
     */
    public static long h(final W3Out r)
    {
        return w3(r.symbol(), r.windowEndMs(), r.vwap());
    }

    /**
     * @param r W4 result.
     * @return {@code sum over ranks r of (windowEnd * 1_000_003 + r * 1_009 + symbols[r]) * 1_000_037 + qty[r]}.
     */
    public static long h(final W4Out r)
    {
        long sum = 0;
        for (int rank = 0; rank < r.size(); rank++)
        {
            sum += w4Rank(r.windowEndMs(), rank, r.symbols()[rank], r.qty()[rank]);
        }
        return sum;
    }

    /**
     * @param r W5 result.
     * @return {@code tradeSeq * 1_000_003 + orderId}.
     */
    public static long h(final W5Out r)
    {
        return w5(r.tradeSeq(), r.orderId());
    }

    /**
     * @param notional {@code price * qty}.
     * @return W1 term.
     */
    public static long w1(final double notional)
    {
        return Math.round(notional * 100.0);
    }

    /**
     * @param symbol      symbol id.
     * @param windowEndMs exclusive window end, epoch ms.
     * @param count       trade count.
     * @param sumQty      quantity sum.
     * @return W2 term.
     */
    public static long w2(final int symbol, final long windowEndMs, final long count, final long sumQty)
    {
        return ((windowEndMs * 1_000_003L + symbol) * 1_000_033L + count) * 1_000_037L + sumQty;
    }

    /**
     * @param symbol      symbol id.
     * @param windowEndMs exclusive window end, epoch ms.
     * @param vwap        volume-weighted average price.
     * @return W3 term.
     */
    public static long w3(final int symbol, final long windowEndMs, final double vwap)
    {
        return (windowEndMs * 1_000_003L + symbol) * 1_000_033L + Math.round(vwap * 10_000.0);
    }

    /**
     * Term of one rank of a W4 result; a W4 result's {@code h} is the sum over its ranks.
     *
     * @param windowEndMs exclusive window end, epoch ms.
     * @param rank        0-based rank.
     * @param symbol      symbol at that rank.
     * @param qty         quantity sum at that rank.
     * @return W4 rank term.
     */
    public static long w4Rank(final long windowEndMs, final int rank, final int symbol, final long qty)
    {
        return (windowEndMs * 1_000_003L + rank * 1_009L + symbol) * 1_000_037L + qty;
    }

    /**
     * @param tradeSeq trade sequence number.
     * @param orderId  order id.
     * @return W5 term.
     */
    public static long w5(final long tradeSeq, final long orderId)
    {
        return tradeSeq * 1_000_003L + orderId;
    }
}
