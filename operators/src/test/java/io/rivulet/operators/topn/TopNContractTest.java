package io.rivulet.operators.topn;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The top-N operators through the shared operator contract harness: snapshot, restore and rescale are invisible. */
class TopNContractTest {
    private static final Object ALL = Boolean.TRUE;

    /** Running values of 12 keys under the single internal key, epochs now and then. */
    private static OperatorContractHarness.Script running(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        for (int i = 0; i < 60; i++) {
            script.record(ALL, new KeyValue<>("k" + random.nextInt(12), (long) random.nextInt(10)));
            if (random.nextInt(6) == 0) {
                script.epoch();
            }
        }
        return script.epoch().end();
    }

    /** Windowed rows over a few 10 ms windows, rising watermarks (some rows late), epochs. */
    private static OperatorContractHarness.Script windowed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        for (int i = 0; i < 60; i++) {
            long start = (i / 10 + random.nextInt(2)) * 10L;
            script.record(ALL, new WindowedValue<>("k" + random.nextInt(8), new Window(start, start + 10),
                (long) random.nextInt(10)));
            if (random.nextInt(6) == 0) {
                script.watermark((i / 10 + 1) * 10L);
            }
            if (random.nextInt(6) == 0) {
                script.epoch();
            }
        }
        return script.epoch().end();
    }

    /**
     * No rescale check: the running ranking keeps each ranked key's entry in that key's group (so a
     * barrier writes only the groups that changed), and a global stage always runs in one partition,
     * which then owns every group.
     */
    @Test
    void shouldEmitTheSameRunningRanksWhenRestoredAtAnyStepFromIncrementalSnapshots() {
        for (long seed = 1; seed <= 3; seed++) {
            for (boolean perRecord : new boolean[] {true, false}) {
                List<Object> output = OperatorContractHarness.<Object, KeyValue<String, Long>, RankedValue<String, Long>>of(
                    side -> new TopNOperator<>(3, Comparator.<Long>naturalOrder(), null, perRecord), running(seed))
                    .rescale(false).run();
                assertThat(output).isNotEmpty();
            }
        }
    }

    /**
     * No rescale check either: the windowed ranking keeps each (window, ranked key) entry in its own
     * key group (incremental snapshots), and the global stage always runs in one partition.
     */
    @Test
    void shouldEmitTheSameWindowRanksAndLateRowsWhenRestoredAtAnyStepFromIncrementalSnapshots() {
        for (long seed = 1; seed <= 3; seed++) {
            for (boolean finalOnly : new boolean[] {true, false}) {
                List<Object> output = OperatorContractHarness
                    .<Object, WindowedValue<String, Long>, RankedValue<String, Long>>of(
                        side -> new WindowTopNOperator<>(3, Comparator.<Long>naturalOrder(), null, finalOnly, false, side),
                        windowed(seed)).rescale(false).run();
                assertThat(output).anyMatch(r -> r instanceof RankedValue<?, ?>);
                assertThat(output).as("late rows reach the side output").anyMatch(r -> r instanceof OperatorContractHarness.Side);
            }
        }
    }
}
