package io.rivulet.bench.workload;

/**
 * Hand-written single-threaded implementations of W1..W5 in throughput mode: generate the trades (and, for W5,
 * the orders, order {@code j} just before trade {@code 10 j}, as the schedule implies) as fast as possible and
 * feed them straight into the computation, with no framework in between. The reference for both results and
 * the no-framework cost; the generator is inside the measurement as in every engine.
 *
 * <p>Stateless, thread-safe: each run uses its own generators and state.
 */
public final class Baseline
{
    private Baseline()
    {
    }

    /**
     * Runs a workload over {@code n} trades at the nominal rate {@link WorkloadSpec#THROUGHPUT_RATE}.
     *
     * @param workload workload to run.
     * @param n        number of trades ({@code >= 0}; rounded up to a multiple of 10 for W5).
     * @return results count, checksum and timing.
     */
    public static BaselineResult run(final Workload workload, final long n)
    {
        return run(workload, n, WorkloadSpec.THROUGHPUT_RATE);
    }

    /**
     * Runs a workload over {@code n} trades whose event times follow the nominal rate {@code rate}.
     *
     * @param workload workload to run.
     * @param n        number of trades ({@code >= 0}; rounded up to a multiple of 10 for W5).
     * @param rate     nominal event-time rate {@code R} in events/s.
     * @return results count, checksum and timing.
     */
    public static BaselineResult run(final Workload workload, final long n, final long rate)
    {
        final long trades = workload.trades(n);
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final long startNs = System.nanoTime();
        switch (workload)
        {
            case W1 -> runW1(trades, rate, acc);
            case W2 -> runW2(trades, rate, acc);
            case W3 -> runW3(trades, rate, acc);
            case W4 -> runW4(trades, rate, acc);
            case W5 -> runW5(trades, rate, acc);
            default -> throw new IllegalArgumentException(String.valueOf(workload));
        }
        final long elapsedNs = System.nanoTime() - startNs;
        return new BaselineResult(workload, trades, workload.events(n), acc.count(), acc.sum(), elapsedNs);
    }

    /**
     * W1: keep {@code qty > 100}, map to {@code (seq, symbol, price * qty)}.
     *
     * @param trades number of trades.
     * @param rate   nominal rate in events/s.
     * @param acc    receives one term per result.
     */
    public static void runW1(final long trades, final long rate, final ChecksumAccumulator acc)
    {
        final TradeGenerator gen = new TradeGenerator(rate, false);
        final Trade t = new Trade();
        for (long i = 0; i < trades; i++)
        {
            gen.next(t);
            if (t.qty() > 100)
            {
                final double notional = t.price() * t.qty();
                acc.add(Checksum.w1(notional));
            }
        }
    }

    /**
     * W2 over {@code trades} trades, see {@link BaselineW2}.
     *
     * @param trades number of trades.
     * @param rate   nominal rate in events/s.
     * @param acc    receives one term per result.
     */
    public static void runW2(final long trades, final long rate, final ChecksumAccumulator acc)
    {
        final TradeGenerator gen = new TradeGenerator(rate, false);
        final Trade t = new Trade();
        final BaselineW2 w2 = new BaselineW2(acc);
        for (long i = 0; i < trades; i++)
        {
            gen.next(t);
            w2.onTrade(t.tsMs(), t.symbol(), t.qty());
        }
        w2.finish();
    }

    /**
     * W3 over {@code trades} trades, see {@link BaselineW3}.
     *
     * @param trades number of trades.
     * @param rate   nominal rate in events/s.
     * @param acc    receives one term per result.
     */
    public static void runW3(final long trades, final long rate, final ChecksumAccumulator acc)
    {
        final TradeGenerator gen = new TradeGenerator(rate, false);
        final Trade t = new Trade();
        final BaselineW3 w3 = new BaselineW3(acc);
        for (long i = 0; i < trades; i++)
        {
            gen.next(t);
            w3.onTrade(t.tsMs(), t.symbol(), t.price(), t.qty());
        }
        w3.finish();
    }

    /**
     * W4 over {@code trades} trades, see {@link BaselineW4}.
     *
     * @param trades number of trades.
     * @param rate   nominal rate in events/s.
     * @param acc    receives one term per result.
     */
    public static void runW4(final long trades, final long rate, final ChecksumAccumulator acc)
    {
        final TradeGenerator gen = new TradeGenerator(rate, false);
        final Trade t = new Trade();
        final BaselineW4 w4 = new BaselineW4(acc);
        for (long i = 0; i < trades; i++)
        {
            gen.next(t);
            w4.onTrade(t.tsMs(), t.symbol(), t.qty());
        }
        w4.finish();
    }

    /**
     * W5 over {@code trades} trades and {@code trades / 10} orders, order {@code j} emitted just before trade
     * {@code 10 j}; see {@link BaselineW5}.
     *
     * @param trades number of trades, a multiple of 10.
     * @param rate   nominal rate in events/s.
     * @param acc    receives one term per result.
     */
    public static void runW5(final long trades, final long rate, final ChecksumAccumulator acc)
    {
        final TradeGenerator tradeGen = new TradeGenerator(rate, true);
        final OrderGenerator orderGen = new OrderGenerator(rate);
        final Trade t = new Trade();
        final Order o = new Order();
        final BaselineW5 w5 = new BaselineW5(acc);
        final long orders = trades / WorkloadSpec.TRADES_PER_ORDER;
        for (long i = 0; i < trades; i++)
        {
            if (i % WorkloadSpec.TRADES_PER_ORDER == 0 && orderGen.nextOrderId() < orders)
            {
                orderGen.next(o);
                w5.onOrder(o.orderId(), o.tsMs());
            }
            tradeGen.next(t);
            w5.onTrade(t.seq(), t.tsMs(), t.orderId());
        }
        w5.finish();
    }
}
