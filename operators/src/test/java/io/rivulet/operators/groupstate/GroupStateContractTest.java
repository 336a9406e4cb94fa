package io.rivulet.operators.groupstate;

import io.rivulet.operators.state.OperatorContractHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The group-state operator through the shared operator contract harness: snapshot, restore, rescale. */
class GroupStateContractTest {
    /** Records over 8 keys (some behind the watermark), rising watermarks and epochs now and then. */
    static OperatorContractHarness.Script script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long clock = 100;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(4);
            String key = "k" + random.nextInt(8);
            long ts = clock - random.nextInt(6);
            script.record(key, new GroupStateOperatorTest.Event(key, ts, random.nextInt(50)));
            if (random.nextInt(5) == 0) {
                script.watermark(clock - 3);
            }
            if (random.nextInt(6) == 0) {
                script.epoch();
            }
        }
        return script.watermark(clock + 100).epoch().end();
    }

    @Test
    void shouldCallAndTimeOutTheSameWayWhenRestoredAtAnyStepOrRescaledInContinuousMode() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Object> output = OperatorContractHarness.<String, GroupStateOperatorTest.Event, String>of(
                late -> GroupStateOperatorTest.eventTimeOperator(false, late), script(seed, 80)).run();
            assertThat(output).as("timeouts fired").anyMatch(r -> r instanceof String s && s.endsWith("expired"));
            assertThat(output).as("late rows").anyMatch(r -> r instanceof OperatorContractHarness.Side);
        }
    }

    @Test
    void shouldCallAndTimeOutTheSameWayWhenRestoredAtAnyEpochOrRescaledInMicroBatchMode() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Object> output = OperatorContractHarness.<String, GroupStateOperatorTest.Event, String>of(
                late -> GroupStateOperatorTest.eventTimeOperator(true, late), script(seed, 80))
                .snapshotPoints(OperatorContractHarness.SnapshotPoints.AFTER_EPOCH).run();
            assertThat(output).as("timeouts fired").anyMatch(r -> r instanceof String s && s.endsWith("expired"));
        }
    }
}
