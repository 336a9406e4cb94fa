package io.rivulet.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Window firing, tie-breaking and join state handling of the baseline operators on small hand-made inputs,
 * plus the W5 join under schedules where one stream runs ahead of the other.
 */
class BaselineOperatorsTest
{
    private static final long T0 = WorkloadSpec.T0_MS;
    private static final long R = WorkloadSpec.THROUGHPUT_RATE;

    @Test
    void w2FiresWindowExactlyWhenMaxEventTimeReachesEndPlusLag()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW2 w2 = new BaselineW2(acc);
        w2.onTrade(T0 + 10, 3, 5);
        w2.onTrade(T0 + 999, 3, 7);
        w2.onTrade(T0 + 500, 4, 1);
        w2.onTrade(T0 + 1499, 3, 1);
        assertThat(acc.count()).isZero();
        w2.onTrade(T0 + 1500, 3, 2);
        assertThat(acc.count()).isEqualTo(2);
        final long expected = Checksum.h(new W2Out(3, T0 + 1000, 2, 12)) + Checksum.h(new W2Out(4, T0 + 1000, 1, 1));
        assertThat(acc.sum()).isEqualTo(expected);

        w2.finish();
        assertThat(acc.count()).isEqualTo(3);
        assertThat(acc.sum()).isEqualTo(expected + Checksum.h(new W2Out(3, T0 + 2000, 2, 3)));
    }

    @Test
    void w2AcceptsOutOfOrderEventsBeforeTheFirstWindowFiresAndRejectsLateOnes()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW2 w2 = new BaselineW2(acc);
        w2.onTrade(T0, 1, 1);
        w2.onTrade(T0 - 300, 1, 1);
        assertThat(acc.count()).isZero();
        w2.onTrade(T0 + 2000, 1, 1);
        // windows ending T0 and T0+1000 are due (max >= end + 500)
        assertThat(acc.count()).isEqualTo(2);
        assertThatThrownBy(() -> w2.onTrade(T0 - 1, 1, 1)).isInstanceOf(IllegalStateException.class);
        w2.finish();
        assertThat(acc.count()).isEqualTo(3);
        assertThat(acc.sum()).isEqualTo(Checksum.w2(1, T0, 1, 1) + Checksum.w2(1, T0 + 1000, 1, 1) +
            Checksum.w2(1, T0 + 3000, 1, 1));
    }

    @Test
    void w3SingleTradeContributesToTenWindows()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW3 w3 = new BaselineW3(acc);
        w3.onTrade(T0 + 1234, 9, 101.5, 3);
        w3.finish();
        long expected = 0;
        for (int k = 2; k <= 11; k++)
        {
            expected += Checksum.h(new W3Out(9, T0 + k * 1000L, 101.5));
        }
        assertThat(acc.count()).isEqualTo(10);
        assertThat(acc.sum()).isEqualTo(expected);
    }

    @Test
    void w3ComputesVwapOverTheWholeSlidingWindow()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW3 w3 = new BaselineW3(acc);
        w3.onTrade(T0 + 100, 0, 10.0, 1);
        assertThat(acc.count()).isZero();
        w3.onTrade(T0 + 9_900, 0, 20.0, 3);
        // windows ending T0+1000 .. T0+9000 are due
        assertThat(acc.count()).isEqualTo(9);
        w3.onTrade(T0 + 10_500, 1, 1.0, 1);
        // window ending T0+10_000 is due; it covers both symbol-0 trades
        assertThat(acc.count()).isEqualTo(10);
        w3.finish();
        long expected = 0;
        for (int k = 1; k <= 9; k++)
        {
            expected += Checksum.h(new W3Out(0, T0 + k * 1000L, 10.0));
        }
        expected += Checksum.h(new W3Out(0, T0 + 10_000, (10.0 + 60.0) / 4));
        for (int k = 11; k <= 19; k++)
        {
            expected += Checksum.h(new W3Out(0, T0 + k * 1000L, 20.0));
        }
        for (int k = 11; k <= 20; k++)
        {
            expected += Checksum.h(new W3Out(1, T0 + k * 1000L, 1.0));
        }
        assertThat(acc.count()).isEqualTo(10 + 9 + 10);
        assertThat(acc.sum()).isEqualTo(expected);
    }

    @Test
    void w4RanksByQuantityThenSmallerSymbol()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW4 w4 = new BaselineW4(acc);
        for (int symbol = 20; symbol >= 0; symbol--)
        {
            w4.onTrade(T0 + symbol, symbol, 5);
        }
        w4.onTrade(T0 + 1, 17, 1);
        w4.onTrade(T0 + 2, 19, 1);
        w4.finish();
        final W4Out expected = new W4Out(
            T0 + 1000, new int[] {17, 19, 0, 1, 2, 3, 4, 5, 6, 7}, new long[] {6, 6, 5, 5, 5, 5, 5, 5, 5, 5});
        assertThat(acc.count()).isEqualTo(1);
        assertThat(acc.sum()).isEqualTo(Checksum.h(expected));
    }

    @Test
    void w4EmitsFewerThanTenWhenFewerSymbolsTraded()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW4 w4 = new BaselineW4(acc);
        w4.onTrade(T0, 2, 3);
        w4.onTrade(T0 + 5, 1, 3);
        w4.onTrade(T0 + 7, 9, 4);
        w4.finish();
        assertThat(acc.count()).isEqualTo(1);
        assertThat(acc.sum()).isEqualTo(Checksum.h(new W4Out(T0 + 1000, new int[] {9, 1, 2}, new long[] {4, 3, 3})));
    }

    @Test
    void w5JoinsInclusiveBoundsAndTradesThatArriveBeforeTheirOrder()
    {
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW5 w5 = new BaselineW5(acc);
        w5.onOrder(0, T0);
        w5.onTrade(0, T0, 0);
        w5.onTrade(1, T0 + 5000, 0);
        w5.onTrade(2, T0 + 5001, 0);
        w5.onTrade(3, T0 - 1, 0);
        w5.onTrade(4, T0 + 100, 7);
        w5.onTrade(5, T0 + 99, 7);
        w5.onTrade(6, T0 + 100, 5);
        assertThat(w5.pendingTrades()).isEqualTo(3);
        w5.onOrder(7, T0 + 99);
        assertThat(w5.pendingTrades()).isZero();
        w5.onTrade(7, T0 + 120, 7);
        w5.finish();
        final long expected = Checksum.w5(0, 0) + Checksum.w5(1, 0) + Checksum.w5(4, 7) + Checksum.w5(5, 7) +
            Checksum.w5(7, 7);
        assertThat(acc.count()).isEqualTo(5);
        assertThat(acc.sum()).isEqualTo(expected);
        assertThatThrownBy(() -> w5.onOrder(7, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void w5IsExactWhenOrdersLagTradesBySchedule()
    {
        final long n = 2_000_000;
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW5 w5 = new BaselineW5(acc);
        final TradeGenerator trades = new TradeGenerator(R, true);
        final OrderGenerator orders = new OrderGenerator(R);
        final Trade t = new Trade();
        final Order o = new Order();
        final long lagTrades = 700_000; // orders 0.7 s of schedule behind the trades
        int maxPending = 0;
        for (long i = 0; i < n; i++)
        {
            trades.next(t);
            w5.onTrade(t.seq(), t.tsMs(), t.orderId());
            maxPending = Math.max(maxPending, w5.pendingTrades());
            final long due = i - lagTrades;
            if (due >= 0 && due % 10 == 0)
            {
                orders.next(o);
                w5.onOrder(o.orderId(), o.tsMs());
            }
        }
        while (orders.nextOrderId() < n / 10)
        {
            orders.next(o);
            w5.onOrder(o.orderId(), o.tsMs());
        }
        w5.finish();
        assertThat(maxPending).isGreaterThan(100_000);
        assertThat(acc.count()).isEqualTo(1_969_868L);
        assertThat(acc.sum()).isEqualTo(1981850306192633514L);
    }

    @Test
    void w5IsExactWhenAllOrdersArriveFirst()
    {
        final long n = 2_000_000;
        final ChecksumAccumulator acc = new ChecksumAccumulator();
        final BaselineW5 w5 = new BaselineW5(acc);
        final OrderGenerator orders = new OrderGenerator(R);
        final Order o = new Order();
        for (long j = 0; j < n / 10; j++)
        {
            orders.next(o);
            w5.onOrder(o.orderId(), o.tsMs());
        }
        assertThat(w5.orderCapacity()).isGreaterThanOrEqualTo((int)(n / 10));
        final TradeGenerator trades = new TradeGenerator(R, true);
        final Trade t = new Trade();
        for (long i = 0; i < n; i++)
        {
            trades.next(t);
            w5.onTrade(t.seq(), t.tsMs(), t.orderId());
        }
        w5.finish();
        assertThat(acc.count()).isEqualTo(1_969_868L);
        assertThat(acc.sum()).isEqualTo(1981850306192633514L);
    }

    @Test
    void w5RingStaysBoundedInTheSpecSchedule()
    {
        final BaselineW5 w5 = new BaselineW5(new ChecksumAccumulator());
        final TradeGenerator trades = new TradeGenerator(R, true);
        final OrderGenerator orders = new OrderGenerator(R);
        final Trade t = new Trade();
        final Order o = new Order();
        for (long i = 0; i < 12_000_000; i++)
        {
            if (i % 10 == 0)
            {
                orders.next(o);
                w5.onOrder(o.orderId(), o.tsMs());
            }
            trades.next(t);
            w5.onTrade(t.seq(), t.tsMs(), t.orderId());
        }
        // about 5.5 s of orders at 100k/s are live at any time
        assertThat(w5.orderCapacity()).isLessThanOrEqualTo(1 << 20);
        assertThat(w5.pendingTrades()).isZero();
    }
}
