package io.rivulet.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Generator and helper contracts: Zipf search, pacing arithmetic and the shape of the trade and order streams.
 */
class WorkloadGeneratorTest
{
    private static final long R = WorkloadSpec.THROUGHPUT_RATE;

    @Test
    void shouldDrawZipfRanksInRangeWithTheContinuousZipfHeadShare()
    {
        final int n = 1 << 20;
        final double log1pN = Math.log1p(n);
        assertThat(Zipf.rank(0.0, n, log1pN)).isZero();
        assertThat(Zipf.rank(Math.nextDown(1.0), n, log1pN)).isEqualTo(n - 1);
        final SplittableRandom random = new SplittableRandom(3);
        final int draws = 1_000_000;
        int top = 0;
        int head = 0;
        for (int i = 0; i < draws; i++)
        {
            final int r = Zipf.rank(random.nextDouble(), n, log1pN);
            assertThat(r).isBetween(0, n - 1);
            top += r == 0 ? 1 : 0;
            head += r < 1000 ? 1 : 0;
        }
        // F(x) = ln(1 + x) / ln(1 + n): rank 0 takes ln 2 / ln(n + 1), the first 1 000 ranks ln 1001 / ln(n + 1).
        assertThat(top / (double)draws).isCloseTo(Math.log(2) / log1pN, Offset.offset(0.002));
        assertThat(head / (double)draws).isCloseTo(Math.log(1001) / log1pN, Offset.offset(0.003));
    }

    @Test
    void zipfGuideTableAndBinarySearchEqualLinearScan()
    {
        final SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2_000_000; i++)
        {
            final double u = rng.nextDouble();
            final int expected = Zipf.symbolLinear(u);
            assertThat(Zipf.symbol(u)).isEqualTo(expected);
            assertThat(Zipf.symbolBinary(u)).isEqualTo(expected);
        }
        for (int b = 1; b < 1 << 16; b++)
        {
            final double start = (double)b / (1 << 16);
            for (final double u : new double[] {start, Math.nextDown(start), Math.nextUp(start)})
            {
                assertThat(Zipf.symbol(u)).as("u=%s", u).isEqualTo(Zipf.symbolLinear(u));
            }
        }
        for (int i = 0; i < WorkloadSpec.SYMBOLS; i++)
        {
            final double c = Zipf.cdf(i);
            for (final double u : new double[] {c, Math.nextDown(c), Math.nextUp(c)})
            {
                if (u < 1.0)
                {
                    assertThat(Zipf.symbol(u)).as("u=%s", u).isEqualTo(Zipf.symbolLinear(u));
                }
            }
        }
        assertThat(Zipf.symbol(0.0)).isZero();
        assertThat(Zipf.symbol(Math.nextDown(1.0))).isEqualTo(Zipf.symbolLinear(Math.nextDown(1.0)));
        assertThat(Zipf.cdf(WorkloadSpec.SYMBOLS - 1)).isEqualTo(1.0);
    }

    @Test
    void zipfPopularityMatchesSpec()
    {
        assertThat(Zipf.cdf(0)).isBetween(0.133, 0.135);
    }

    @Test
    void dueNanosOffsetIsExactAndDoesNotOverflow()
    {
        final long[] seqs = {0, 1, 999_999, 1_000_000, 123_456_789_012L, Long.MAX_VALUE / 3, Long.MAX_VALUE};
        final long[] rates = {1, 3, 100_000, 1_000_000, 7_777_777};
        for (final long seq : seqs)
        {
            for (final long rate : rates)
            {
                final BigInteger exact = BigInteger.valueOf(seq).multiply(BigInteger.valueOf(1_000_000_000L))
                    .divide(BigInteger.valueOf(rate));
                if (exact.bitLength() < 63)
                {
                    assertThat(TradeGenerator.dueNanosOffset(seq, rate)).isEqualTo(exact.longValueExact());
                }
            }
        }
        assertThat(OrderGenerator.dueNanosOffset(7, R)).isEqualTo(TradeGenerator.dueNanosOffset(70, R));
    }

    @Test
    void tradeFieldsDoNotDependOnOrderIds()
    {
        final TradeGenerator plain = new TradeGenerator(R, false);
        final TradeGenerator joined = new TradeGenerator(R, true);
        final Trade a = new Trade();
        final Trade b = new Trade();
        for (int i = 0; i < 100_000; i++)
        {
            plain.next(a);
            joined.next(b);
            assertThat(a.seq()).isEqualTo(i).isEqualTo(b.seq());
            assertThat(a.tsMs()).isEqualTo(b.tsMs());
            assertThat(a.symbol()).isEqualTo(b.symbol());
            assertThat(a.price()).isEqualTo(b.price());
            assertThat(a.qty()).isEqualTo(b.qty()).isBetween(1L, 1000L);
            assertThat(a.orderId()).isEqualTo(WorkloadSpec.NO_ORDER_ID);
        }
    }

    @Test
    void tradesReferToOrdersUpToSixSecondsEarlierAndAreNeverLate()
    {
        final TradeGenerator gen = new TradeGenerator(R, true);
        final Trade t = new Trade();
        long maxTsMs = Long.MIN_VALUE;
        String violation = null;
        for (int i = 0; i < 8_000_000 && violation == null; i++)
        {
            gen.next(t);
            final long nomMs = WorkloadSpec.T0_MS + i * 1000L / R;
            final long orderNomMs = WorkloadSpec.T0_MS + t.orderId() * 10_000L / R;
            final boolean ok = t.tsMs() >= nomMs - 400 && t.tsMs() <= nomMs &&
                t.tsMs() + WorkloadSpec.WATERMARK_LAG_MS > maxTsMs &&
                nomMs - orderNomMs >= 0 && nomMs - orderNomMs < 6000 &&
                t.orderId() * WorkloadSpec.TRADES_PER_ORDER <= t.seq();
            if (!ok)
            {
                violation = t.toString();
            }
            maxTsMs = Math.max(maxTsMs, t.tsMs());
        }
        assertThat(violation).isNull();
    }

    @Test
    void ordersFollowSpec()
    {
        final OrderGenerator gen = new OrderGenerator(R);
        final Order o = new Order();
        for (int j = 0; j < 100_000; j++)
        {
            gen.next(o);
            final long nomMs = WorkloadSpec.T0_MS + j * 10_000L / R;
            assertThat(o.orderId()).isEqualTo(j);
            assertThat(o.tsMs()).isBetween(nomMs - 400, nomMs);
            assertThat(o.symbol()).isBetween(0, WorkloadSpec.SYMBOLS - 1);
        }
        assertThat(gen.nextOrderId()).isEqualTo(100_000);
    }

    @Test
    void firstTradeIsAtT0()
    {
        final Trade t = new Trade();
        new TradeGenerator(R, true).next(t);
        assertThat(t.seq()).isZero();
        assertThat(t.orderId()).isZero();
        assertThat(t.tsMs()).isBetween(WorkloadSpec.T0_MS - 400, WorkloadSpec.T0_MS);
    }
}
