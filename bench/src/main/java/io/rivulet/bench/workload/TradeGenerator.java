package io.rivulet.bench.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The sequential trade stream of section 1.1: {@code SplittableRandom(42)} for the trade fields, a separate
 * {@code SplittableRandom(7)} for the W5 order ids, a per-symbol multiplicative price walk, Zipf symbols,
 * uniform quantities and 5 % of events out of order by 0..400 ms.
 *
 * <p>The trade fields are identical whether or not order ids are generated. {@link #next(Trade)} allocates
 * nothing. Not thread-safe: one generator per source thread.
 */
public final class TradeGenerator
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MAX_JOIN_LAG_MS = 6000;

    static
    {
        BoundedIntProfile.ensure();
    }

    private final SplittableRandom rng = new SplittableRandom(42);
    private final SplittableRandom joinRng = new SplittableRandom(7);
    private final double[] px = new double[WorkloadSpec.SYMBOLS];
    private final long rate;
    private final boolean withOrderIds;
    private long seq;

    /**
     * @param rate         nominal event-time rate {@code R} in events/s ({@link WorkloadSpec#THROUGHPUT_RATE} in
     *                     throughput mode), must be positive.
     * @param withOrderIds whether to draw W5 order ids; otherwise {@code orderId} is
     *                     {@link WorkloadSpec#NO_ORDER_ID}.
     */
    public TradeGenerator(final long rate, final boolean withOrderIds)
    {
        if (rate <= 0)
        {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        this.rate = rate;
        this.withOrderIds = withOrderIds;
        Arrays.fill(px, 100.0);
    }

    /**
     * Fills {@code into} with the next trade, drawing in exactly the spec's order.
     *
     * @param into trade to overwrite.
     */
    public void next(final Trade into)
    {
        final long s = seq++;
        final int sym = Zipf.symbol(rng.nextDouble());
        final double p = px[sym] * (1.0 + (rng.nextDouble() - 0.5) * 0.002);
        px[sym] = p;
        final long qty = 1 + rng.nextInt(1000);
        final long delayMs = rng.nextDouble() < 0.05 ? rng.nextInt(401) : 0;
        final long nomOffMs = s * 1000 / rate;
        final long tsMs = WorkloadSpec.T0_MS + nomOffMs - delayMs;
        final long orderId = withOrderIds ? orderIdFor(nomOffMs) : WorkloadSpec.NO_ORDER_ID;
        into.set(s, tsMs, sym, p, qty, orderId);
    }

    /** @return sequence number the next trade will get, i.e. the number of trades generated so far. */
    public long nextSeq()
    {
        return seq;
    }

    /** @return nominal rate {@code R} in events/s. */
    public long rate()
    {
        return rate;
    }

    /**
     * Scheduled emission offset of an event from the start of the run: {@code seq * 1e9 / rate} ns, computed
     * in {@code long} arithmetic without overflow for any {@code seq >= 0} and {@code rate < 9.2e9}.
     * Order {@code j} is due at {@code dueNanosOffset(10 * j, rate)}.
     *
     * @param seq  event sequence number, {@code >= 0}.
     * @param rate schedule rate in events/s, {@code > 0}.
     * @return offset in ns from the run start (truncated).
     */
    public static long dueNanosOffset(final long seq, final long rate)
    {
        final long whole = seq / rate;
        final long rem = seq % rate;
        return whole * NANOS_PER_SECOND + rem * NANOS_PER_SECOND / rate;
    }

    private long orderIdFor(final long nomOffMs)
    {
        final long targetMs = nomOffMs - joinRng.nextInt((int)Math.min(MAX_JOIN_LAG_MS, nomOffMs + 1));
        return targetMs * rate / 10_000;
    }
}
