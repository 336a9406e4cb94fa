package io.rivulet.bench.workload;

import java.util.Locale;

/**
 * The five trading workloads of section 3. Immutable, thread-safe.
 */
public enum Workload
{
    /** Stateless filter {@code qty > 100} and map to notional. */
    W1,
    /** Per symbol, 1 s tumbling window: count and sum of quantity. */
    W2,
    /** Per symbol VWAP over 10 s windows sliding by 1 s. */
    W3,
    /** Top 10 symbols by sum of quantity per 1 s tumbling window. */
    W4,
    /** Interval join of trades to orders on order id. */
    W5;

    /**
     * Parses a workload id such as {@code W3}, {@code w3} or {@code 3}.
     *
     * @param id workload id.
     * @return the workload.
     * @throws IllegalArgumentException if {@code id} names no workload.
     */
    public static Workload parse(final String id)
    {
        final String s = id.trim().toUpperCase(Locale.ROOT);
        return valueOf(s.startsWith("W") ? s : "W" + s);
    }

    /** @return whether the workload also consumes the order stream (W5). */
    public boolean hasOrders()
    {
        return this == W5;
    }

    /**
     * Number of trades a run over {@code n} requested trades generates: {@code n}, rounded up to a multiple of
     * {@link WorkloadSpec#TRADES_PER_ORDER} for W5.
     *
     * @param n requested number of trades, {@code >= 0}.
     * @return number of trades.
     */
    public long trades(final long n)
    {
        if (!hasOrders())
        {
            return n;
        }
        final long k = WorkloadSpec.TRADES_PER_ORDER;
        return (n + k - 1) / k * k;
    }

    /**
     * @param n requested number of trades.
     * @return number of orders: {@code trades(n) / 10} for W5, else 0.
     */
    public long orders(final long n)
    {
        return hasOrders() ? trades(n) / WorkloadSpec.TRADES_PER_ORDER : 0;
    }

    /**
     * @param n requested number of trades.
     * @return total events (trades plus orders) a run processes.
     */
    public long events(final long n)
    {
        return trades(n) + orders(n);
    }
}
