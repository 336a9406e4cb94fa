package io.rivulet.operators.join;

import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.join.JoinRowsFixture.Click;
import io.rivulet.operators.join.JoinRowsFixture.Imp;
import io.rivulet.operators.join.JoinRowsFixture.Sink;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.rivulet.operators.join.JoinRowsFixture.clicksWithin10s;
import static io.rivulet.operators.join.JoinRowsFixture.operator;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Joins whose inputs do not both carry a watermark, under Spark's rule
 * ({@link JoinSettings#evictsSide}: a side is evicted only when its own input and the other input carry
 * a watermark, with a time range; an input without a watermark has no late rows).
 */
class OneSidedWatermarkJoinTest {
    private final Sink<String> out = new Sink<>();

    private static JoinSettings<String, Imp, Click> settings(JoinType type, boolean microBatch, boolean leftWm, boolean rightWm) {
        return clicksWithin10s(type, microBatch).withWatermarkedInputs(leftWm, rightWm);
    }

    private static long[] rows(StreamStreamJoinOperator<String, Imp, Click, String> op) {
        StateMetrics l = new StateMetrics();
        StateMetrics r = new StateMetrics();
        op.stateMetrics(l, r);
        return new long[] {l.numRowsTotal(), r.numRowsTotal()};
    }

    /** Feeds the same rows and watermark to a join: a matched pair, an unmatched row on each side, then w = 100 s. */
    private void drive(StreamStreamJoinOperator<String, Imp, Click, String> op, boolean microBatch) {
        op.process("a", new Imp("a", 1_000), out);
        op.processRight("a", new Click("a", 5_000), out);
        op.process("b", new Imp("b", 2_000), out);
        op.processRight("c", new Click("c", 3_000), out);
        op.onWatermark(100_000, out);
        op.onEpoch(0, out);
    }

    @Test
    void shouldEvictASideOnlyWhenBothInputsCarryAWatermarkAndThereIsATimeRange() {
        assertThat(JoinSettings.evictsSide(true, true, true)).isTrue();
        assertThat(JoinSettings.evictsSide(true, false, true)).as("own input without a watermark").isFalse();
        assertThat(JoinSettings.evictsSide(true, true, false)).as("other input without a watermark").isFalse();
        assertThat(JoinSettings.evictsSide(false, true, true)).as("no time range").isFalse();
        JoinSettings<String, Imp, Click> rightOnly = settings(JoinType.LEFT_OUTER, false, false, true);
        assertThat(rightOnly.evictsLeft()).isFalse();
        assertThat(rightOnly.evictsRight()).isFalse();
        assertThat(rightOnly.leftStateWatermarkMs(100_000)).isEqualTo(Long.MIN_VALUE);
        assertThat(rightOnly.judgesLeftLate()).isFalse();
        assertThat(rightOnly.judgesRightLate()).isTrue();
        JoinSettings<String, Imp, Click> both = settings(JoinType.LEFT_OUTER, false, true, true);
        assertThat(both.leftStateWatermarkMs(100_000)).isEqualTo(100_000 - 10_000 - 1);
        assertThat(both.rightStateWatermarkMs(100_000)).isEqualTo(100_000 - 1);
    }

    @ParameterizedTest(name = "micro-batch: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitMatchesButNeverALeftOuterNullRowNorEvictWithAWatermarkOnTheRightInputOnly(boolean microBatch) {
        var op = operator(settings(JoinType.LEFT_OUTER, microBatch, false, true));
        drive(op, microBatch);
        assertThat(out.drain()).as("Spark 4.0: the left side has no state watermark, so b's null row never comes out")
            .containsExactly("a|1000|5000");
        assertThat(rows(op)).as("left rows a, b and right rows a, c all kept").containsExactly(2, 2);
    }

    @ParameterizedTest(name = "micro-batch: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitMatchesButNeverARightOuterNullRowNorEvictWithAWatermarkOnTheLeftInputOnly(boolean microBatch) {
        var op = operator(settings(JoinType.RIGHT_OUTER, microBatch, true, false));
        drive(op, microBatch);
        assertThat(out.drain()).containsExactly("a|1000|5000");
        assertThat(rows(op)).containsExactly(2, 2);
    }

    @ParameterizedTest(name = "left watermark {0}, right watermark {1}")
    @CsvSource({"true, false", "false, true"})
    void shouldEmitFullOuterNullRowsOfNeitherSideWithAWatermarkOnOneInputOnly(boolean leftWm, boolean rightWm) {
        var op = operator(settings(JoinType.FULL_OUTER, false, leftWm, rightWm));
        drive(op, false);
        assertThat(out.drain()).containsExactly("a|1000|5000");
        assertThat(rows(op)).containsExactly(2, 2);
    }

    @Test
    void shouldEmitFullOuterNullRowsOfBothSidesAndEvictBothWithAWatermarkOnBothInputs() {
        var op = operator(settings(JoinType.FULL_OUTER, true, true, true));
        drive(op, true);
        assertThat(out.drain()).containsExactly("a|1000|5000", "b|2000|-", "c|-|3000");
        assertThat(rows(op)).containsExactly(0, 0);
    }

    @ParameterizedTest(name = "micro-batch: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitALeftSemiRowOnItsFirstMatchAndKeepTheStateWithAWatermarkOnTheRightInputOnly(boolean microBatch) {
        var op = operator(settings(JoinType.LEFT_SEMI, microBatch, false, true));
        op.process("a", new Imp("a", 1_000), out);
        op.processRight("a", new Click("a", 5_000), out);
        op.processRight("a", new Click("a", 6_000), out);
        op.onWatermark(100_000, out);
        op.onEpoch(0, out);
        op.process("a", new Imp("a", 2_000), out);
        assertThat(out.drain()).as("a left row from long before the watermark still joins: the left input has no late rows")
            .containsExactly("a|1000|-", "a|2000|-");
        assertThat(rows(op)).as("the right rows are never evicted").containsExactly(1, 2);
    }

    @ParameterizedTest(name = "micro-batch: {0}")
    @ValueSource(booleans = {false, true})
    void shouldDropLateRowsOnlyOfTheInputThatCarriesAWatermark(boolean microBatch) {
        var op = operator(settings(JoinType.INNER, microBatch, false, true));
        op.onWatermark(50_000, out);
        op.onEpoch(0, out);
        op.process("a", new Imp("a", 1_000), out);
        op.processRight("a", new Click("a", 2_000), out);
        op.processRight("a", new Click("a", 60_000), out);
        op.process("a", new Imp("a", 55_000), out);
        assertThat(out.drain()).as("the left row at 1 s is kept (no left watermark); the click at 2 s is late")
            .containsExactly("a|55000|60000");
        StateMetrics l = new StateMetrics();
        StateMetrics r = new StateMetrics();
        op.stateMetrics(l, r);
        assertThat(l.numRowsDroppedByWatermark()).isZero();
        assertThat(r.numRowsDroppedByWatermark()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JoinType.class)
    void shouldKeepEverySideSStateAcrossASnapshotAndRestoreWhenNothingIsEvicted(JoinType type) {
        var op = operator(settings(type, true, false, true));
        op.process("b", new Imp("b", 2_000), out);
        op.onWatermark(100_000, out);
        op.onEpoch(0, out);
        var restored = operator(settings(type, true, false, true));
        KeyGroupBuffers buffers = KeyGroupBuffers.all(KeyGroups.DEFAULT_MAX_PARALLELISM);
        OperatorSnapshot snapshot = op.snapshotState(0);
        snapshot.writeTo(buffers);
        snapshot.release();
        buffers.restoreInto(restored, new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM));
        restored.onWatermark(200_000, out);
        restored.onEpoch(1, out);
        restored.processRight("b", new Click("b", 3_000), out);
        out.drain();
        assertThat(rows(restored)[0]).as("the left row survives every watermark").isEqualTo(1);
    }
}
