package io.rivulet.bench.harness;

/**
 * One input of W5's join, either side: a trade ({@code seq >= 0}) or an order ({@link #ORDER}). Both streams are
 * mapped to this one mutable type so that they can be united and cross the keyed exchange by copy into pre-allocated
 * ring slots ({@link W5Scenario#RECORDS}). Not thread-safe; each instance is owned by one thread at a time.
 */
public final class W5Record
{
    /** {@link #seq()} of an order. */
    public static final long ORDER = -1L;

    private long seq;
    private long tsMs;
    private long orderId;

    /**
     * @param seq     the trade's sequence number ({@code >= 0})
     * @param tsMs    the trade's event time
     * @param orderId the order it refers to
     * @return this
     */
    public W5Record trade(final long seq, final long tsMs, final long orderId)
    {
        this.seq = seq;
        this.tsMs = tsMs;
        this.orderId = orderId;
        return this;
    }

    /**
     * @param orderId the order's id
     * @param tsMs    its event time
     * @return this
     */
    public W5Record order(final long orderId, final long tsMs)
    {
        this.seq = ORDER;
        this.tsMs = tsMs;
        this.orderId = orderId;
        return this;
    }

    /**
     * @param other the record to copy
     * @return this
     */
    public W5Record copyFrom(final W5Record other)
    {
        this.seq = other.seq;
        this.tsMs = other.tsMs;
        this.orderId = other.orderId;
        return this;
    }

    /** @return whether this is an order (else a trade). */
    public boolean isOrder()
    {
        return seq == ORDER;
    }

    /** @return the trade's sequence number, or {@link #ORDER}. */
    public long seq()
    {
        return seq;
    }

    /** @return event time, epoch ms. */
    public long tsMs()
    {
        return tsMs;
    }

    /** @return the order id: the order's own, or the one the trade refers to. */
    public long orderId()
    {
        return orderId;
    }

    @Override
    public String toString()
    {
        return (isOrder() ? "Order{" : "Trade{seq=" + seq + ", ") + "orderId=" + orderId + ", tsMs=" + tsMs + '}';
    }
}
