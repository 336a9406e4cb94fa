package io.rivulet.operators.join;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.join.StreamStreamLongJoinOperatorTest.Ask;
import io.rivulet.operators.join.StreamStreamLongJoinOperatorTest.Bid;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long-key join through the shared operator contract harness (restore at every step,
 * snapshot-then-mutate, long-lived and kept snapshots, rescale 2 → 1 and 2 → 3), for every join type,
 * in both modes, with column rows and with object rows. {@link TwoInputs} presents the join as a
 * one-input keyed operator (bids to {@code processLong}, asks to {@code processRightLong}).
 */
class StreamStreamLongJoinContractTest {
    /** The join as a one-input keyed operator over a union of both sides' rows. */
    static final class TwoInputs implements KeyedOperator<Long, Object, String>, CheckpointedOperator {
        final StreamStreamLongJoinOperator<Bid, Ask, String> join;

        TwoInputs(StreamStreamLongJoinOperator<Bid, Ask, String> join) {
            this.join = join;
        }

        @Override
        public void process(Long key, Object record, Output<String> out) {
            if (record instanceof Bid bid) {
                join.processLong(key, bid, out);
            } else {
                join.processRightLong(key, (Ask) record, out);
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

    /** Rows of both sides over 8 long keys, out of order (some late), rising watermarks, epochs now and then. */
    static OperatorContractHarness.Script script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long clock = 10_000;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(1_500);
            Long key = StreamStreamLongJoinOperatorTest.KEYS[random.nextInt(8)];
            long ts = clock - random.nextInt(6_000);
            script.record(key, random.nextBoolean() ? new Bid(ts, random.nextInt(100)) : new Ask(ts, random.nextInt(100)));
            if (random.nextInt(5) == 0) {
                script.watermark(clock - 4_000);
            }
            if (random.nextInt(6) == 0) {
                script.epoch();
            }
        }
        return script.watermark(clock + 100_000).epoch().end();
    }

    private static List<Object> run(JoinType type, boolean microBatch, boolean layouts, long seed) {
        return OperatorContractHarness.<Long, Object, String>of(late -> new TwoInputs(
            StreamStreamLongJoinOperatorTest.bidsAndAsks(type, microBatch, layouts, 128, new KeyGroupRange(0, 128), late)),
            script(seed, 70)).maxParallelism(128).run();
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldJoinTheSameWayWhenRestoredAtAnyStepOrRescaledInContinuousMode(JoinType type) {
        for (boolean layouts : new boolean[] {true, false}) {
            List<Object> output = run(type, false, layouts, 1);
            assertThat(output).as("joined rows")
                .anyMatch(r -> r instanceof String s && (type == JoinType.LEFT_SEMI || !s.contains("null")));
            assertThat(output).as("late rows").anyMatch(r -> r instanceof OperatorContractHarness.Side);
            if (type.emitsUnmatchedLeft() || type.emitsUnmatchedRight()) {
                assertThat(output).as("outer rows").anyMatch(r -> r instanceof String s && s.contains("null"));
            }
        }
    }

    /**
     * Orders-and-trades shaped: the unique side's rows get keys 0, 1, 2... (bids if {@code uniqueBids}, else asks),
     * the other side's refer to a recent key, 3 per unique row; some rows out of order (some late).
     */
    static OperatorContractHarness.Script uniqueScript(long seed, int records, boolean uniqueBids) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long clock = 10_000;
        long nextKey = 0;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(800);
            long ts = random.nextInt(6) == 0 ? clock - random.nextInt(6_000) : clock;
            boolean unique = i % 4 == 0;
            long key = unique ? nextKey++ : Math.max(0, nextKey - 1 - random.nextInt(6));
            boolean bid = unique == uniqueBids;
            script.record(key, bid ? new Bid(ts, random.nextInt(100)) : new Ask(ts, random.nextInt(100)));
            if (random.nextInt(5) == 0) {
                script.watermark(clock - 4_000);
            }
            if (random.nextInt(6) == 0) {
                script.epoch();
            }
        }
        return script.watermark(clock + 100_000).epoch().end();
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldJoinTheSameWayWhenRestoredAtAnyStepOrRescaledWithAUniqueSideHeldInline(JoinType type) {
        for (boolean microBatch : new boolean[] {false, true}) {
            for (boolean uniqueBids : new boolean[] {true, false}) {
                List<Object> output = OperatorContractHarness.<Long, Object, String>of(late -> {
                    var join = StreamStreamLongJoinOperatorTest.bidsAndAsks(type, microBatch, true, 128,
                        new KeyGroupRange(0, 128), late, uniqueBids, !uniqueBids);
                    return new TwoInputs(join);
                }, uniqueScript(5, 120, uniqueBids)).maxParallelism(128).run();
                assertThat(output).as("joined rows")
                    .anyMatch(r -> r instanceof String s && (type == JoinType.LEFT_SEMI || !s.contains("null")));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldJoinTheSameWayWhenRestoredAtAnyStepOrRescaledInMicroBatchMode(JoinType type) {
        for (boolean layouts : new boolean[] {true, false}) {
            assertThat(run(type, true, layouts, 3)).as("joined rows").anyMatch(r -> r instanceof String);
        }
    }
}
