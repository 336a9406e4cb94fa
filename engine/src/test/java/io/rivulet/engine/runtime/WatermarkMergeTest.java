package io.rivulet.engine.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WatermarkMergeTest {
    private static final boolean MIN = false;
    private static final boolean MAX = true;

    @Test
    void shouldTakeMinimumOfParticipatingInputsUnderMinPolicy() {
        WatermarkMerge merge = new WatermarkMerge(MIN, new boolean[] {true, true});
        assertThat(merge.onWatermark(0, 100)).isFalse();
        assertThat(merge.watermarkMs()).isEqualTo(Long.MIN_VALUE);
        assertThat(merge.onWatermark(1, 50)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(50);
        assertThat(merge.onWatermark(1, 150)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(100);
    }

    @Test
    void shouldTakeMaximumOfParticipatingInputsUnderMaxPolicy() {
        WatermarkMerge merge = new WatermarkMerge(MAX, new boolean[] {true, true});
        assertThat(merge.onWatermark(0, 100)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(100);
        assertThat(merge.onWatermark(1, 50)).isFalse();
        assertThat(merge.onWatermark(1, 150)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(150);
    }

    @Test
    void shouldIgnoreInputWithoutWatermarkGeneratorUntilItSendsOne() {
        WatermarkMerge merge = new WatermarkMerge(MIN, new boolean[] {true, false});
        assertThat(merge.onWatermark(0, 100)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(100);
        // Once it sends one, it holds the watermark back like any other input (never below what was emitted).
        assertThat(merge.onWatermark(1, 40)).isFalse();
        assertThat(merge.onWatermark(0, 200)).isFalse();
        assertThat(merge.watermarkMs()).isEqualTo(100);
        assertThat(merge.onWatermark(1, 180)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(180);
    }

    @Test
    void shouldHaveNoWatermarkWithoutParticipatingInput() {
        WatermarkMerge merge = new WatermarkMerge(MIN, new boolean[] {false, false});
        assertThat(merge.onEnded(0)).isFalse();
        assertThat(merge.idle(1, true)).isFalse();
        assertThat(merge.watermarkMs()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldReleaseHoldOfEndedInputAndRiseToHighestWhenAllEnded() {
        WatermarkMerge merge = new WatermarkMerge(MIN, new boolean[] {true, true, true});
        merge.onWatermark(0, 10);
        merge.onWatermark(1, 30);
        merge.onWatermark(2, 20);
        assertThat(merge.watermarkMs()).isEqualTo(10);
        assertThat(merge.onEnded(0)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(20);
        assertThat(merge.onEnded(0)).isFalse();
        assertThat(merge.onEnded(2)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(30);
        assertThat(merge.onEnded(1)).isFalse();
        assertThat(merge.watermarkMs()).isEqualTo(30);
    }

    @Test
    void shouldRiseToHighestPromisedWhenEveryInputEndedEvenUnderMinPolicy() {
        WatermarkMerge merge = new WatermarkMerge(MIN, new boolean[] {true, true});
        merge.onWatermark(0, 10);
        merge.onWatermark(1, 70);
        merge.onEnded(1);
        assertThat(merge.watermarkMs()).isEqualTo(10);
        assertThat(merge.onEnded(0)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(70);
    }

    @Test
    void shouldStopHoldingBackWhileIdleAndNeverGoBackDownWhenItResumes() {
        WatermarkMerge merge = new WatermarkMerge(MIN, new boolean[] {true, true});
        merge.onWatermark(0, 100);
        merge.onWatermark(1, 20);
        assertThat(merge.watermarkMs()).isEqualTo(20);
        assertThat(merge.idle(1, true)).isTrue();
        assertThat(merge.isIdle(1)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(100);
        assertThat(merge.idle(1, false)).isFalse();
        assertThat(merge.watermarkMs()).isEqualTo(100);
        assertThat(merge.onWatermark(0, 300)).isFalse();
        assertThat(merge.onWatermark(1, 250)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(250);
    }

    @Test
    void shouldRiseToHighestWhenEveryInputIsIdle() {
        WatermarkMerge merge = new WatermarkMerge(MIN, new boolean[] {true, true});
        merge.onWatermark(0, 5);
        merge.onWatermark(1, 9);
        merge.idle(0, true);
        assertThat(merge.watermarkMs()).isEqualTo(9);
        merge.onWatermark(1, 12);
        assertThat(merge.idle(1, true)).isFalse();
        assertThat(merge.watermarkMs()).isEqualTo(12);
    }

    @Test
    void shouldIgnoreWatermarkBelowInputsPrevious() {
        WatermarkMerge merge = new WatermarkMerge(MAX, new boolean[] {true});
        merge.onWatermark(0, 50);
        assertThat(merge.onWatermark(0, 40)).isFalse();
        assertThat(merge.inputWatermarkMs(0)).isEqualTo(50);
    }

    @Test
    void shouldAddInputsWhilePlanning() {
        WatermarkMerge merge = new WatermarkMerge(MIN);
        assertThat(merge.addInput(true)).isZero();
        assertThat(merge.addInput(false)).isEqualTo(1);
        merge.participates(1, true);
        assertThat(merge.inputs()).isEqualTo(2);
        assertThat(merge.onWatermark(0, 7)).isFalse();
        assertThat(merge.onWatermark(1, 3)).isTrue();
        assertThat(merge.watermarkMs()).isEqualTo(3);
    }

    /**
     * Every sequence of four signals over two inputs (watermarks 1..3, end, idle, resume), from every
     * initial participation, under both policies, against the rule computed from scratch: the policy
     * over participating inputs that are neither ended nor idle, or the highest of the participating
     * if none is, never below what was already reached; a signal reports a rise exactly when it rose.
     */
    @Test
    void shouldMatchTheRuleComputedFromScratchForEverySequenceOfSignals() {
        int inputs = 2;
        int[][] ops = new int[inputs * 6][];
        int n = 0;
        for (int i = 0; i < inputs; i++) {
            for (int v = 1; v <= 3; v++) {
                ops[n++] = new int[] {0, i, v};
            }
            ops[n++] = new int[] {1, i, 0};
            ops[n++] = new int[] {2, i, 0};
            ops[n++] = new int[] {3, i, 0};
        }
        int length = 4;
        int sequences = (int) Math.pow(ops.length, length);
        long checked = 0;
        for (boolean policy : new boolean[] {MIN, MAX}) {
            for (int participation = 0; participation < 1 << inputs; participation++) {
                for (int seq = 0; seq < sequences; seq++) {
                    checkSequence(policy, participation, inputs, ops, seq, length);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(2L * 4 * sequences);
    }

    private static void checkSequence(boolean maxPolicy, int participation, int inputs, int[][] ops, int seq, int length) {
        boolean[] participates = new boolean[inputs];
        for (int i = 0; i < inputs; i++) {
            participates[i] = (participation & (1 << i)) != 0;
        }
        WatermarkMerge merge = new WatermarkMerge(maxPolicy, participates);
        long[] wm = new long[inputs];
        Arrays.fill(wm, Long.MIN_VALUE);
        boolean[] ended = new boolean[inputs];
        boolean[] idle = new boolean[inputs];
        boolean[] joined = participates.clone();
        long expected = Long.MIN_VALUE;
        int code = seq;
        StringBuilder trace = new StringBuilder(maxPolicy ? "max" : "min").append(" participation=").append(participation);
        for (int step = 0; step < length; step++) {
            int[] op = ops[code % ops.length];
            code /= ops.length;
            int input = op[1];
            boolean rose;
            switch (op[0]) {
                case 0 -> {
                    trace.append(" wm(").append(input).append(',').append(op[2]).append(')');
                    joined[input] = true;
                    wm[input] = Math.max(wm[input], op[2]);
                    rose = merge.onWatermark(input, op[2]);
                }
                case 1 -> {
                    trace.append(" end(").append(input).append(')');
                    ended[input] = true;
                    rose = merge.onEnded(input);
                }
                case 2 -> {
                    trace.append(" idle(").append(input).append(')');
                    idle[input] = true;
                    rose = merge.idle(input, true);
                }
                default -> {
                    trace.append(" resume(").append(input).append(')');
                    idle[input] = false;
                    rose = merge.idle(input, false);
                }
            }
            long rule = fromScratch(maxPolicy, joined, wm, ended, idle);
            long before = expected;
            expected = Math.max(expected, rule);
            assertThat(merge.watermarkMs()).as(trace.toString()).isEqualTo(expected);
            assertThat(rose).as(trace.toString()).isEqualTo(expected > before);
        }
    }

    private static long fromScratch(boolean maxPolicy, boolean[] participates, long[] wm, boolean[] ended, boolean[] idle) {
        List<Long> active = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < wm.length; i++) {
            if (participates[i]) {
                all.add(wm[i]);
                if (!ended[i] && !idle[i]) {
                    active.add(wm[i]);
                }
            }
        }
        if (all.isEmpty()) {
            return Long.MIN_VALUE;
        }
        if (active.isEmpty()) {
            return Collections.max(all);
        }
        return maxPolicy ? Collections.max(active) : Collections.min(active);
    }
}
