package io.rivulet.bench.workload;

import java.util.SplittableRandom;

/**
 * The sequential order stream of W5 (section 1.2): {@code SplittableRandom(43)}; order {@code j} has
 * {@code orderId = j}, a Zipf symbol and {@code ts = T0 + j * 10_000 / R - delay} with 5 % of orders out of order
 * by 0..400 ms. Order {@code j} has the same nominal time as trade {@code 10 * j}.
 *
 * <p>{@link #next(Order)} allocates nothing. Not thread-safe: one generator per source thread.
 */
public final class OrderGenerator
{

    static
    {
        BoundedIntProfile.ensure();
    }

    private final SplittableRandom rng = new SplittableRandom(43);
    private final long rate;
    private long orderId;

    /**
     * @param rate nominal event-time rate {@code R} of the trade stream in events/s (orders come at
     *             {@code R / 10}), must be positive.
     */
    public OrderGenerator(final long rate)
    {
        if (rate <= 0)
        {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        this.rate = rate;
    }

    /**
     * Fills {@code into} with the next order, drawing in exactly the spec's order.
     *
     * @param into order to overwrite.
     */
    public void next(final Order into)
    {
        final long j = orderId++;
        final int sym = Zipf.symbol(rng.nextDouble());
        final long delayMs = rng.nextDouble() < 0.05 ? rng.nextInt(401) : 0;
        final long tsMs = WorkloadSpec.T0_MS + j * 10_000 / rate - delayMs;
        into.set(j, tsMs, sym);
    }

    /** @return id the next order will get, i.e. the number of orders generated so far. */
    public long nextOrderId()
    {
        return orderId;
    }

    /** @return nominal trade rate {@code R} in events/s. */
    public long rate()
    {
        return rate;
    }

    /**
     * Scheduled emission offset of order {@code orderId} from the start of the run, in ns: the due time of
     * trade {@code 10 * orderId}.
     *
     * @param orderId order id, {@code >= 0}.
     * @param rate    trade schedule rate in events/s.
     * @return offset in ns from the run start.
     */
    public static long dueNanosOffset(final long orderId, final long rate)
    {
        return TradeGenerator.dueNanosOffset(orderId * WorkloadSpec.TRADES_PER_ORDER, rate);
    }
}
