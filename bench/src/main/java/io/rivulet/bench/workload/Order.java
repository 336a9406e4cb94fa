package io.rivulet.bench.workload;

/**
 * A mutable order event (W5), reused by the generator and ring slots so that producing an event allocates
 * nothing.
 *
 * <p>Fields: {@code orderId} (equal to the order's 0-based sequence number), {@code tsMs} (event time, epoch ms)
 * and {@code symbol}. Setters are fluent and return {@code this}.
 *
 * <p>Not thread-safe; publish it through a happens-before edge (e.g. a ring buffer sequence).
 */
public final class Order
{
    private long orderId;
    private long tsMs;
    private int symbol;

    /** Creates a zeroed order. */
    public Order()
    {
    }

    /**
     * Sets every field at once.
     *
     * @param orderId order id.
     * @param tsMs    event time, epoch ms.
     * @param symbol  symbol id.
     * @return this.
     */
    public Order set(final long orderId, final long tsMs, final int symbol)
    {
        this.orderId = orderId;
        this.tsMs = tsMs;
        this.symbol = symbol;
        return this;
    }

    /**
     * Copies every field of {@code other} into this order.
     *
     * @param other source order.
     * @return this.
     */
    public Order copyFrom(final Order other)
    {
        return set(other.orderId, other.tsMs, other.symbol);
    }

    /** @return order id, which is also its 0-based sequence number in the order stream. */
    public long orderId()
    {
        return orderId;
    }

    /**
     * @param orderId order id.
     * @return this.
     */
    public Order orderId(final long orderId)
    {
        this.orderId = orderId;
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
    public Order tsMs(final long tsMs)
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
    public Order symbol(final int symbol)
    {
        this.symbol = symbol;
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "Order{orderId=" + orderId + ", tsMs=" + tsMs + ", symbol=" + symbol + '}';
    }
}
