package io.rivulet.operators.join;

import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.join.JoinRowsFixture.Click;
import io.rivulet.operators.join.JoinRowsFixture.Imp;
import io.rivulet.operators.join.JoinRowsFixture.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.rivulet.operators.join.JoinRowsFixture.clicksWithin10s;
import static io.rivulet.operators.join.JoinRowsFixture.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream-stream join's behaviour, driven by hand, one call at a time. */
class StreamStreamJoinOperatorTest {
    private final Sink<String> out = new Sink<>();

    @ParameterizedTest(name = "micro-batch: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitAnInnerPairOnceWhenItsLaterRowArrivesOnEitherSide(boolean microBatch) {
        var op = operator(clicksWithin10s(JoinType.INNER, microBatch));
        op.process("a", new Imp("a", 1_000), out);
        assertThat(out.drain()).isEmpty();
        op.processRight("a", new Click("a", 5_000), out);
        assertThat(out.drain()).containsExactly("a|1000|5000");
        op.processRight("b", new Click("b", 6_000), out);
        op.process("b", new Imp("b", 2_000), out);
        assertThat(out.drain()).containsExactly("b|2000|6000");
        op.process("a", new Imp("a", 3_000), out);
        assertThat(out.drain()).as("a new left row matches the buffered right row, not the old pair again")
            .containsExactly("a|3000|5000");
    }

    @Test
    void shouldMatchOnlyRowsWithinTheTimeRangeHonouringOpenAndClosedBounds() {
        var closed = operator(clicksWithin10s(JoinType.INNER, false));
        closed.process("a", new Imp("a", 10_000), out);
        for (long ts : new long[] {9_999, 10_000, 20_000, 20_001}) {
            closed.processRight("a", new Click("a", ts), out);
        }
        assertThat(out.drain()).containsExactly("a|10000|10000", "a|10000|20000");

        var open = operator(JoinSettings.<String, Imp, Click>of(JoinType.INNER).withEventTimes(Imp::ts, Click::ts)
            .withTimeRange(JoinTimeRange.of(0, false, 10_000, false)));
        open.process("a", new Imp("a", 10_000), out);
        for (long ts : new long[] {10_000, 10_001, 19_999, 20_000}) {
            open.processRight("a", new Click("a", ts), out);
        }
        assertThat(out.drain()).containsExactly("a|10000|10001", "a|10000|19999");
    }

    @Test
    void shouldMatchARightRowThatPrecedesTheLeftOneWithANegativeRange() {
        var op = operator(JoinSettings.<String, Imp, Click>of(JoinType.INNER).withEventTimes(Imp::ts, Click::ts)
            .withTimeRange(JoinTimeRange.between(-5_000, 0)));
        op.processRight("a", new Click("a", 1_000), out);
        op.processRight("a", new Click("a", 7_000), out);
        op.process("a", new Imp("a", 6_000), out);
        assertThat(out.drain()).containsExactly("a|6000|1000");
    }

    @Test
    void shouldEmitALeftOuterNullRowAsSoonAsTheWatermarkPassesTheBoundInContinuousMode() {
        var op = operator(clicksWithin10s(JoinType.LEFT_OUTER, false));
        op.process("a", new Imp("a", 1_000), out);
        op.process("b", new Imp("b", 2_000), out);
        op.processRight("b", new Click("b", 3_000), out);
        assertThat(out.drain()).containsExactly("b|2000|3000");
        // Left state watermark = w - 10 000 - 1 (closed upper bound): a's row goes when w - 10 001 >= 1 000.
        op.onWatermark(11_000, out);
        assertThat(out.drain()).isEmpty();
        op.onWatermark(11_001, out);
        assertThat(out.drain()).as("only the unmatched row, with a null right side").containsExactly("a|1000|-");
        op.onWatermark(50_000, out);
        assertThat(out.drain()).as("b matched: evicted silently").isEmpty();
    }

    @Test
    void shouldEmitOuterRowsOnlyAtOnEpochInMicroBatchMode() {
        var op = operator(clicksWithin10s(JoinType.LEFT_OUTER, true));
        op.process("a", new Imp("a", 1_000), out);
        op.onWatermark(20_000, out);
        assertThat(out.drain()).as("the watermark alone emits nothing in micro-batch mode").isEmpty();
        op.onEpoch(0, out);
        assertThat(out.drain()).containsExactly("a|1000|-");
    }

    @Test
    void shouldEmitUnmatchedRowsOfBothSidesInAFullOuterJoinAndOfTheRightSideInARightOuterJoin() {
        var full = operator(clicksWithin10s(JoinType.FULL_OUTER, false));
        var right = operator(clicksWithin10s(JoinType.RIGHT_OUTER, false));
        for (var op : List.of(full, right)) {
            op.process("a", new Imp("a", 1_000), out);
            op.processRight("b", new Click("b", 2_000), out);
            op.process("c", new Imp("c", 3_000), out);
            op.processRight("c", new Click("c", 4_000), out);
        }
        assertThat(out.drain()).containsExactly("c|3000|4000", "c|3000|4000");
        full.onWatermark(100_000, out);
        assertThat(out.drain()).as("full outer: left nulls, then right nulls").containsExactly("a|1000|-", "b|-|2000");
        right.onWatermark(100_000, out);
        assertThat(out.drain()).as("right outer").containsExactly("b|-|2000");
    }

    @ParameterizedTest(name = "micro-batch: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitALeftSemiRowOnceOnItsFirstMatch(boolean microBatch) {
        var op = operator(clicksWithin10s(JoinType.LEFT_SEMI, microBatch));
        op.process("a", new Imp("a", 1_000), out);
        op.processRight("a", new Click("a", 2_000), out);
        op.processRight("a", new Click("a", 3_000), out);
        assertThat(out.drain()).containsExactly("a|1000|-");
        op.process("a", new Imp("a", 1_500), out);
        assertThat(out.drain()).as("a left row that matches on arrival: emitted at once, once").containsExactly("a|1500|-");
        op.processRight("a", new Click("a", 5_000), out);
        assertThat(out.drain()).as("both left rows have matched already").isEmpty();
        StateMetrics left = new StateMetrics();
        op.stateMetrics(left, new StateMetrics());
        assertThat(left.numRowsTotal()).as("a left row matched on arrival is never buffered").isEqualTo(1);
        op.onWatermark(100_000, out);
        op.onEpoch(0, out);
        assertThat(out.drain()).as("semi joins emit no outer rows").isEmpty();
    }

    @ParameterizedTest(name = "micro-batch: {0}")
    @ValueSource(booleans = {false, true})
    void shouldDropRowsAtOrBehindTheWatermarkCountThemPerSideAndSendThemToTheLateOutputs(boolean microBatch) {
        List<Object> lateLeft = new ArrayList<>();
        List<Object> lateRight = new ArrayList<>();
        var op = operator(clicksWithin10s(JoinType.INNER, microBatch).withLateOutputs(lateLeft::add, lateRight::add));
        op.onWatermark(5_000, out);
        op.onEpoch(0, out);
        op.process("a", new Imp("a", 5_000), out);
        op.process("a", new Imp("a", 5_001), out);
        op.processRight("a", new Click("a", 4_000), out);
        op.processRight("a", new Click("a", 4_500), out);
        op.processRight("a", new Click("a", 6_000), out);
        assertThat(out.drain()).containsExactly("a|5001|6000");
        assertThat(lateLeft).containsExactly(new Imp("a", 5_000));
        assertThat(lateRight).containsExactly(new Click("a", 4_000), new Click("a", 4_500));
        StateMetrics left = new StateMetrics();
        StateMetrics right = new StateMetrics();
        op.stateMetrics(left, right);
        assertThat(left.numRowsDroppedByWatermark()).isEqualTo(1);
        assertThat(right.numRowsDroppedByWatermark()).isEqualTo(2);
    }

    @Test
    void shouldJudgeLateRowsAgainstThePreviousBatchWatermarkInMicroBatchMode() {
        var op = operator(clicksWithin10s(JoinType.INNER, true));
        op.onWatermark(1_000, out);
        op.onEpoch(0, out);
        op.onWatermark(9_000, out);
        op.process("a", new Imp("a", 5_000), out);
        op.processRight("a", new Click("a", 6_000), out);
        assertThat(out.drain()).as("behind this batch's watermark, ahead of the previous one: not late (Spark)")
            .containsExactly("a|5000|6000");
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsDroppedByWatermark()).isZero();
    }

    @Test
    void shouldKeepInnerJoinStateForeverWithoutATimeRange() {
        var op = operator(JoinSettings.<String, Imp, Click>of(JoinType.INNER).withEventTimes(Imp::ts, Click::ts));
        op.process("a", new Imp("a", 1_000), out);
        op.onWatermark(1_000_000_000L, out);
        op.processRight("a", new Click("a", 2_000_000_000L), out);
        assertThat(out.drain()).as("no range: any two rows of a key match").containsExactly("a|1000|2000000000");
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(2);
    }

    @Test
    void shouldEmitAnUnmatchedRowThatIsAlreadyEvictableOnArrivalAtOnceInContinuousMode() {
        // A right row must be 5..10 s after its left row: a click 4 s above the watermark can only match left
        // rows already at or behind it, so no future left row can match it.
        var op = operator(JoinSettings.<String, Imp, Click>of(JoinType.RIGHT_OUTER).withEventTimes(Imp::ts, Click::ts)
            .withTimeRange(JoinTimeRange.between(5_000, 10_000)));
        op.process("a", new Imp("a", 1_000), out);
        op.onWatermark(2_000, out);
        op.processRight("a", new Click("a", 6_000), out);
        op.processRight("b", new Click("b", 6_000), out);
        assertThat(out.drain()).containsExactly("a|1000|6000", "b|-|6000");
        StateMetrics right = new StateMetrics();
        op.stateMetrics(new StateMetrics(), right);
        assertThat(right.numRowsTotal()).as("neither click is buffered").isZero();
    }

    @Test
    void shouldReportRowsAddedRemovedAndBytesPerSide() {
        var op = operator(clicksWithin10s(JoinType.INNER, false));
        op.process("a", new Imp("a", 1_000), out);
        op.process("a", new Imp("a", 2_000), out);
        op.process("b", new Imp("b", 30_000), out);
        op.processRight("a", new Click("a", 3_000), out);
        StateMetrics left = new StateMetrics();
        StateMetrics right = new StateMetrics();
        op.stateMetrics(left, right);
        assertThat(left.numRowsTotal()).isEqualTo(3);
        assertThat(left.numRowsUpdated()).isEqualTo(3);
        assertThat(right.numRowsTotal()).isEqualTo(1);
        assertThat(left.memoryUsedBytes()).isGreaterThan(right.memoryUsedBytes()).isPositive();
        op.onWatermark(20_000, out);
        op.stateMetrics(left, right);
        assertThat(left.numRowsTotal()).isEqualTo(1);
        assertThat(left.numRowsRemoved()).isEqualTo(2);
        assertThat(left.numRowsUpdated()).as("reset by the previous read").isZero();
        assertThat(right.numRowsTotal()).isZero();
        assertThat(right.numRowsRemoved()).isEqualTo(1);
        assertThat(op.backend().range().size()).isEqualTo(128);
    }

    @Test
    void shouldFailWithTheBudgetInTheMessageWhenStateExceedsMaxStateRows() {
        var op = operator(clicksWithin10s(JoinType.INNER, false).withMaxStateRows(2));
        op.process("a", new Imp("a", 1_000), out);
        op.processRight("b", new Click("b", 1_000), out);
        assertThatThrownBy(() -> op.process("c", new Imp("c", 1_000), out))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxStateRows 2");
    }

    @Test
    void shouldReadCopiesOfAKeysBuffersThroughQueryableState() {
        var op = operator(clicksWithin10s(JoinType.INNER, false));
        op.process("a", new Imp("a", 1_000), out);
        op.processRight("a", new Click("a", 30_000), out);
        op.processRight("b", new Click("b", 30_000), out);
        assertThat(op.queryValue("a")).isEqualTo(new JoinBuffers<>(List.of(new Imp("a", 1_000)),
            List.of(new Click("a", 30_000))));
        assertThat(op.queryValue("zz")).isNull();
        Map<String, JoinBuffers<Imp, Click>> all = new HashMap<>();
        op.scanValues(k -> true, all::put);
        assertThat(all).containsOnlyKeys("a", "b");
        assertThat(all.get("b").left()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = JoinType.class, names = {"LEFT_OUTER", "RIGHT_OUTER", "FULL_OUTER", "LEFT_SEMI"})
    void shouldRejectOuterAndSemiJoinsWithoutATimeRange(JoinType type) {
        assertThatThrownBy(() -> operator(JoinSettings.<String, Imp, Click>of(type).withEventTimes(Imp::ts, Click::ts)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("joinType " + type)
            .hasMessageContaining("time range");
    }

    @Test
    void shouldRejectATimeRangeWithoutEventTimes() {
        assertThatThrownBy(() -> operator(JoinSettings.<String, Imp, Click>of(JoinType.INNER)
            .withTimeRange(JoinTimeRange.between(0, 1))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withEventTimes");
    }

    /**
     * Property: on random out-of-order streams where no row is late under either watermark rule, every
     * join type emits the same rows (as a multiset) in continuous and in micro-batch mode.
     */
    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldEmitTheSameRowsInContinuousAndMicroBatchModeWhenNothingIsLate(JoinType type) {
        for (long seed = 1; seed <= 20; seed++) {
            var continuous = operator(clicksWithin10s(type, false));
            var microBatch = operator(clicksWithin10s(type, true));
            Sink<String> c = new Sink<>();
            Sink<String> m = new Sink<>();
            SplittableRandom random = new SplittableRandom(seed);
            long maxTs = 0;
            long watermark = Long.MIN_VALUE;
            long epoch = 0;
            for (int i = 0; i < 300; i++) {
                String key = "k" + random.nextInt(6);
                // Disorder up to 4 s, watermark delay 5 s: nothing is ever late.
                long ts = Math.max(watermark + 1, maxTs + random.nextInt(1_000) - random.nextInt(4_000));
                maxTs = Math.max(maxTs, ts);
                if (random.nextBoolean()) {
                    continuous.process(key, new Imp(key, ts), c);
                    microBatch.process(key, new Imp(key, ts), m);
                } else {
                    continuous.processRight(key, new Click(key, ts), c);
                    microBatch.processRight(key, new Click(key, ts), m);
                }
                if (random.nextInt(10) == 0) {
                    watermark = Math.max(watermark, maxTs - 5_000);
                    continuous.onWatermark(watermark, c);
                    microBatch.onWatermark(watermark, m);
                    continuous.onEpoch(epoch, c);
                    microBatch.onEpoch(epoch++, m);
                }
            }
            continuous.onWatermark(Long.MAX_VALUE / 2, c);
            microBatch.onWatermark(Long.MAX_VALUE / 2, m);
            continuous.onEpoch(epoch, c);
            microBatch.onEpoch(epoch, m);
            assertThat(c.records).as("seed %d: rows emitted", seed).isNotEmpty();
            assertThat(c.records).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(m.records);
            StateMetrics metrics = new StateMetrics();
            continuous.stateMetrics(metrics);
            assertThat(metrics.numRowsDroppedByWatermark()).isZero();
            assertThat(metrics.numRowsTotal()).as("everything evicted at the end").isZero();
        }
    }
}
