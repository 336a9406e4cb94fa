package io.rivulet.bench.harness;

/**
 * A mutable W1 result ({@code seq, symbol, notional}, as {@link io.rivulet.bench.workload.W1Out}), refilled for every
 * result so that the W1 query allocates nothing of its own: whatever the harness measures as allocated is the
 * engine's. Correct only where every consumer runs fused in the thread that fills it and keeps no reference, as in
 * W1 (source, filter, map and sink on the source thread). Not thread-safe; owned by that thread.
 */
public final class W1Row
{
    private long seq;
    private int symbol;
    private double notional;

    /**
     * @param seq      sequence number of the source trade.
     * @param symbol   symbol id.
     * @param notional {@code price * qty}.
     * @return this.
     */
    public W1Row set(final long seq, final int symbol, final double notional)
    {
        this.seq = seq;
        this.symbol = symbol;
        this.notional = notional;
        return this;
    }

    /** @return sequence number of the source trade. */
    public long seq()
    {
        return seq;
    }

    /** @return symbol id. */
    public int symbol()
    {
        return symbol;
    }

    /** @return {@code price * qty}. */
    public double notional()
    {
        return notional;
    }

    @Override
    public String toString()
    {
        return "W1Row{seq=" + seq + ", symbol=" + symbol + ", notional=" + notional + '}';
    }
}
