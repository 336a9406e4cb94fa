package io.rivulet.bench.harness;

import io.rivulet.operators.Output;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The W5-handwritten baseline's join operator driven by hand, one record and one watermark at a time. */
class W5IntervalJoinTest
{
    private static final long T = 1_700_000_000_000L;

    private final W5HandwrittenScenario.IntervalJoin join = new W5HandwrittenScenario.IntervalJoin();
    private final List<String> out = new ArrayList<>();
    private final Output<W5HandwrittenScenario.W5Row> output = row -> out.add(row.tradeSeq + "->" + row.orderId);

    private void order(final long orderId, final long tsMs)
    {
        join.process(0, new W5Record().order(orderId, tsMs), output);
    }

    private void trade(final long seq, final long tsMs, final long orderId)
    {
        join.process(0, new W5Record().trade(seq, tsMs, orderId), output);
    }

    @Test
    void shouldJoinTradesWithinZeroToFiveSecondsAfterTheirOrderBoundsInclusive()
    {
        order(7, T);
        trade(1, T, 7);
        trade(2, T + 5_000, 7);
        trade(3, T - 1, 7);
        trade(4, T + 5_001, 7);
        trade(5, T + 100, 8);
        assertThat(out).containsExactly("1->7", "2->7");
    }

    @Test
    void shouldHoldTradesThatArriveBeforeTheirOrderAndJoinThemWhenItComes()
    {
        trade(1, T + 10, 9);
        trade(2, T - 10, 9);
        trade(3, T + 20, 9);
        assertThat(out).isEmpty();
        assertThat(join.stateRows()).isEqualTo(3);
        order(9, T);
        assertThat(out).containsExactly("1->9", "3->9");
        assertThat(join.stateRows()).isEqualTo(1);
    }

    @Test
    void shouldEvictAnOrderOnlyOnceNoFutureTradeCanMatchIt()
    {
        order(1, T);
        join.onWatermark(T + 4_999, output);
        assertThat(join.stateRows()).isEqualTo(1);
        trade(1, T + 5_000, 1);
        assertThat(out).containsExactly("1->1");
        join.onWatermark(T + 5_000, output);
        assertThat(join.stateRows()).isZero();
    }

    @Test
    void shouldEvictAWaitingTradeOnceNoFutureOrderCanMatchIt()
    {
        trade(1, T + 10, 3);
        trade(2, T + 30, 3);
        join.onWatermark(T + 10, output);
        assertThat(join.stateRows()).isEqualTo(1);
        order(3, T + 20);
        assertThat(out).containsExactly("2->3");
        join.onWatermark(T + 30, output);
        assertThat(join.stateRows()).isEqualTo(1);
        join.onWatermark(T + 5_020, output);
        assertThat(join.stateRows()).isZero();
    }
}
