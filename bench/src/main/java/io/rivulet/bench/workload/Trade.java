package io.rivulet.bench.workload;

/**
 * A mutable trade event, reused by generators and ring slots so that producing an event allocates nothing.
 *
 * <p>Fields: {@code seq} (0-based sequence number in the trade stream), {@code tsMs} (event time, epoch ms),
 * {@code symbol} ({@code 0 .. SYMBOLS - 1}), {@code price}, {@code qty} ({@code 1 .. 1000}) and {@code orderId}
 * (W5 only, otherwise {@link WorkloadSpec#NO_ORDER_ID}). Setters are fluent and return {@code this}.
 *
 * <p>Not thread-safe; publish it through a happens-before edge (e.g. a ring buffer sequence).
 */
public final class Trade
{
    private long seq;
    private long tsMs;
    private int symbol;
    private double price;
    private long qty;
    private long orderId = WorkloadSpec.NO_ORDER_ID;

    /** Creates a zeroed trade with no order id. */
    public Trade()
    {
    }

    /**
     * Sets every field at once.
     *
     * @param seq     sequence number.
     * @param tsMs    event time, epoch ms.
     * @param symbol  symbol id.
     * @param price   price.
     * @param qty     quantity.
     * @param orderId order id, or {@link WorkloadSpec#NO_ORDER_ID}.
     * @return this.
     */
    public Trade set(final long seq, final long tsMs, final int symbol, final double price, final long qty, final long orderId)
    {
        this.seq = seq;
        this.tsMs = tsMs;
        this.symbol = symbol;
        this.price = price;
        this.qty = qty;
        this.orderId = orderId;
        return this;
    }

    /**
     * Copies every field of {@code other} into this trade.
     *
     * @param other source trade.
     * @return this.
     */
    public Trade copyFrom(final Trade other)
    {
        return set(other.seq, other.tsMs, other.symbol, other.price, other.qty, other.orderId);
    }

    /** @return sequence number of the trade in its stream, starting at 0. */
    public long seq()
    {
        return seq;
    }

    /**
     * @param seq sequence number.
     * @return this.
     */
    public Trade seq(final long seq)
    {
        this.seq = seq;
        return this;
    }

    /** @return event time, epoch ms. */
    public long tsMs()
    {
        return tsMs;
    }

    /**
     * @param tsMs event time, epoch ms.
     * @return this.
     */
    public Trade tsMs(final long tsMs)
    {
        this.tsMs = tsMs;
        return this;
    }

    /** @return symbol id, {@code 0 .. SYMBOLS - 1}. */
    public int symbol()
    {
        return symbol;
    }

    /**
     * @param symbol symbol id.
     * @return this.
     */
    public Trade symbol(final int symbol)
    {
        this.symbol = symbol;
        return this;
    }

    /** @return trade price. */
    public double price()
    {
        return price;
    }

    /**
     * @param price trade price.
     * @return this.
     */
    public Trade price(final double price)
    {
        this.price = price;
        return this;
    }

    /** @return traded quantity, {@code 1 .. 1000}. */
    public long qty()
    {
        return qty;
    }

    /**
     * @param qty traded quantity.
     * @return this.
     */
    public Trade qty(final long qty)
    {
        this.qty = qty;
        return this;
    }

    /** @return id of the order this trade refers to (W5), or {@link WorkloadSpec#NO_ORDER_ID}. */
    public long orderId()
    {
        return orderId;
    }

    /**
     * @param orderId order id, or {@link WorkloadSpec#NO_ORDER_ID}.
     * @return this.
     */
    public Trade orderId(final long orderId)
    {
        this.orderId = orderId;
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "Trade{seq=" + seq + ", tsMs=" + tsMs + ", symbol=" + symbol + ", price=" + price +
            ", qty=" + qty + ", orderId=" + orderId + '}';
    }
}
