package io.rivulet.operators.join;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.join.JoinRowsFixture.Click;
import io.rivulet.operators.join.JoinRowsFixture.Imp;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream-stream join through the shared operator contract harness (restore at every step,
 * snapshot-then-mutate, long-lived and kept snapshots, rescale 2 → 1 and 2 → 3), in both modes and
 * for every join type, and restored from one partition into two.
 *
 * <p>The harness drives one-input keyed operators; {@link TwoInputs} presents the join as one, sending
 * impressions to {@code process} and clicks to {@code processRight}, as the runtime's two-input stage does.
 */
class StreamStreamJoinContractTest {
    /** The join as a one-input keyed operator over a union of both sides' rows. */
    static final class TwoInputs implements KeyedOperator<String, Object, String>, CheckpointedOperator {
        final StreamStreamJoinOperator<String, Imp, Click, String> join;

        TwoInputs(StreamStreamJoinOperator<String, Imp, Click, String> join) {
            this.join = join;
        }

        @Override
        public void process(String key, Object record, Output<String> out) {
            if (record instanceof Imp imp) {
                join.process(key, imp, out);
            } else {
                join.processRight(key, (Click) record, out);
            }
        }

        @Override
        public void onWatermark(long watermarkMs, Output<String> out) {
            join.onWatermark(watermarkMs, out);
        }

        @Override
        public void onEpoch(long epochId, Output<String> out) {
            join.onEpoch(epochId, out);
        }

        @Override
        public void onEnd(Output<String> out) {
            join.onEnd(out);
        }

        @Override
        public OperatorSnapshot snapshotState(long epochId) {
            return join.snapshotState(epochId);
        }

        @Override
        public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
            join.restoreKeyGroup(keyGroup, in);
        }

        @Override
        public void restoreOperatorState(SnapshotInput in) {
            join.restoreOperatorState(in);
        }
    }

    /** Rows of both sides over 8 keys, out of order (some late), rising watermarks, epochs now and then. */
    static OperatorContractHarness.Script script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long clock = 10_000;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(1_500);
            String key = "k" + random.nextInt(8);
            long ts = clock - random.nextInt(6_000);
            script.record(key, random.nextBoolean() ? new Imp(key, ts) : new Click(key, ts));
            if (random.nextInt(5) == 0) {
                script.watermark(clock - 4_000);
            }
            if (random.nextInt(6) == 0) {
                script.epoch();
            }
        }
        return script.watermark(clock + 100_000).epoch().end();
    }

    static TwoInputs operator(JoinType type, boolean microBatch, Output<Object> late, int maxParallelism,
                              KeyGroupRange range) {
        return new TwoInputs(JoinRowsFixture.operator(JoinRowsFixture.clicksWithin10s(type, microBatch)
            .withLateOutputs(late::emit, late::emit).withKeyGroups(maxParallelism, range)));
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldJoinTheSameWayWhenRestoredAtAnyStepOrRescaledInContinuousMode(JoinType type) {
        for (long seed = 1; seed <= 1; seed++) {
            List<Object> output = OperatorContractHarness.<String, Object, String>of(
                late -> operator(type, false, late, 128, new KeyGroupRange(0, 128)), script(seed, 70)).run();
            assertThat(output).as("joined rows").anyMatch(r -> r instanceof String);
            assertThat(output).as("late rows").anyMatch(r -> r instanceof OperatorContractHarness.Side);
            if (type.emitsUnmatchedLeft() || type.emitsUnmatchedRight()) {
                assertThat(output).as("outer rows").anyMatch(r -> r instanceof String s && s.contains("-"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldJoinTheSameWayWhenRestoredAtAnyStepOrRescaledInMicroBatchMode(JoinType type) {
        for (long seed = 3; seed <= 3; seed++) {
            List<Object> output = OperatorContractHarness.<String, Object, String>of(
                late -> operator(type, true, late, 128, new KeyGroupRange(0, 128)), script(seed, 70)).run();
            assertThat(output).as("joined rows").anyMatch(r -> r instanceof String);
        }
    }

    @Test
    void shouldRestoreOnePartitionsSnapshotIntoTwoPartitionsWithTheSameRowsAndFigures() {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        List<OperatorContractHarness.Step> steps = script(7, 120).steps();
        int cut = steps.size() / 2;
        while (!(steps.get(cut) instanceof OperatorContractHarness.EpochEnd)) {
            cut++;
        }
        List<Object> reference = new ArrayList<>();
        TwoInputs straight = operator(JoinType.FULL_OUTER, true, reference::add, max, new KeyGroupRange(0, max));
        for (OperatorContractHarness.Step step : steps) {
            apply(straight, step, reference);
        }

        List<Object> rescaled = new ArrayList<>();
        TwoInputs one = operator(JoinType.FULL_OUTER, true, rescaled::add, max, new KeyGroupRange(0, max));
        for (int i = 0; i <= cut; i++) {
            apply(one, steps.get(i), rescaled);
        }
        StateMetrics before = new StateMetrics();
        one.join.stateMetrics(before);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(max);
        OperatorSnapshot snapshot = one.snapshotState(0);
        snapshot.writeTo(buffers);
        snapshot.release();

        List<TwoInputs> two = new ArrayList<>();
        StateMetrics after = new StateMetrics();
        for (int p = 0; p < 2; p++) {
            KeyGroupRange range = KeyGroups.rangeOf(p, max, 2);
            TwoInputs partition = operator(JoinType.FULL_OUTER, true, rescaled::add, max, range);
            buffers.restoreInto(partition, range);
            StateMetrics m = new StateMetrics();
            partition.join.stateMetrics(m);
            after.set(after.numRowsTotal() + m.numRowsTotal(), 0, 0, 0, 0);
            assertThat(m.numRowsTotal()).as("partition %d holds some of the rows", p).isPositive();
            two.add(partition);
        }
        assertThat(after.numRowsTotal()).as("rows restored over both partitions").isEqualTo(before.numRowsTotal());
        for (int i = cut + 1; i < steps.size(); i++) {
            OperatorContractHarness.Step step = steps.get(i);
            if (step instanceof OperatorContractHarness.Item item) {
                int p = KeyGroups.partitionOf(KeyGroups.keyGroupOf(item.key(), max), max, 2);
                apply(two.get(p), step, rescaled);
            } else {
                for (TwoInputs partition : two) {
                    apply(partition, step, rescaled);
                }
            }
        }
        assertThat(rescaled).containsExactlyInAnyOrderElementsOf(reference);
        assertThat(reference).anyMatch(r -> r instanceof String s && s.contains("-"));
    }

    private static void apply(TwoInputs op, OperatorContractHarness.Step step, List<Object> sink) {
        Output<String> out = sink::add;
        if (step instanceof OperatorContractHarness.Item item) {
            op.process((String) item.key(), item.value(), out);
        } else if (step instanceof OperatorContractHarness.Watermark w) {
            op.onWatermark(w.watermarkMs(), out);
        } else if (step instanceof OperatorContractHarness.EpochEnd e) {
            op.onEpoch(e.epochId(), out);
        } else {
            op.onEnd(out);
        }
    }
}
