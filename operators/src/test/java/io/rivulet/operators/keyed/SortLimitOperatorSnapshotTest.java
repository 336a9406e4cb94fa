package io.rivulet.operators.keyed;

import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.state.OperatorSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortLimitOperatorSnapshotTest {
    @Test
    void shouldProduceTheSameTopRowsWhenRestoredAfterEveryEpoch() {
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long[] values = {5, 1, 9, 3, 7, 2, 8, 6, 4, 0, 11, 10};
        for (int i = 0; i < values.length; i++) {
            script.record("all", values[i]);
            if (i % 4 == 3) {
                script.epoch();
            }
        }
        script.record("all", 42L).end();
        List<Object> output = OperatorContractHarness.<Object, Long, Long>of(
                late -> new SortLimitOperator<>(Comparator.<Long>reverseOrder(), 2), script)
            .snapshotPoints(OperatorContractHarness.SnapshotPoints.AFTER_EPOCH)
            .rescale(false)
            .run();
        assertThat(output).containsExactly(9L, 5L, 8L, 7L, 11L, 10L, 42L);
    }

    @Test
    void shouldSnapshotNothingRightAfterAnEpoch() {
        SortLimitOperator<Long> op = new SortLimitOperator<>(Comparator.naturalOrder(), 1);
        op.process("k", 1L, r -> { });
        op.onEpoch(0, r -> { });
        assertThat(op.snapshotState(0)).isSameAs(OperatorSnapshot.EMPTY);
    }

    @Test
    void shouldRefuseASnapshotWhileRowsOfTheEpochAreHeld() {
        SortLimitOperator<Long> op = new SortLimitOperator<>(Comparator.naturalOrder(), 1);
        op.process("k", 1L, r -> { });
        assertThatThrownBy(() -> op.snapshotState(3)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("1 rows").hasMessageContaining("right after onEpoch");
    }
}
