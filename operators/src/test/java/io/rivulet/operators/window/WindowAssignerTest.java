package io.rivulet.operators.window;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowAssignerTest {
    private static final long MINUTE = 60_000;

    @Test
    void shouldAssignSameWindowsAsBruteForceReference() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 500; trial++) {
            long slide = 1 + random.nextInt(50);
            long size = slide * (1 + random.nextInt(4)) + (random.nextBoolean() ? 0 : random.nextInt((int) slide));
            long offset = random.nextLong(-slide + 1, slide);
            WindowAssigner assigner = WindowAssigner.sliding(size, slide, offset);
            long[] starts = new long[assigner.maxWindowsPerRecord()];
            for (int i = 0; i < 50; i++) {
                long ts = random.nextLong(-1_000, 1_000);
                int n = assigner.assignWindows(ts, starts);
                assertThat(Arrays.copyOf(starts, n)).as("%s at %d", assigner, ts).containsExactly(bruteForce(size, slide, offset, ts));
            }
        }
    }

    @Test
    void shouldAssignTimestampOnWindowStartToWindowStartingThere() {
        long[] starts = new long[2];
        WindowAssigner tumbling = WindowAssigner.tumbling(10_000);
        assertThat(tumbling.assignWindows(10_000, starts)).isEqualTo(1);
        assertThat(starts[0]).isEqualTo(10_000);
        assertThat(tumbling.assignWindows(9_999, starts)).isEqualTo(1);
        assertThat(starts[0]).isEqualTo(0);

        WindowAssigner sliding = WindowAssigner.sliding(10_000, 5_000);
        assertThat(sliding.assignWindows(10_000, starts)).isEqualTo(2);
        assertThat(starts).containsExactly(5_000, 10_000);
    }

    @Test
    void shouldAssignPreEpochTimestampToWindowContainingIt() {
        // SPARK-39347: 1969-12-31 00:00:02 with window(10 s, 10 s, 5 s) falls in [23:59:55, 00:00:05).
        long ts = Instant.parse("1969-12-31T00:00:02Z").toEpochMilli();
        long[] starts = new long[1];
        WindowAssigner.tumbling(10_000, 5_000).assignWindows(ts, starts);
        assertThat(new Window(starts[0], starts[0] + 10_000))
            .hasToString("{1969-12-30T23:59:55Z, 1969-12-31T00:00:05Z}");

        WindowAssigner.tumbling(10_000).assignWindows(-11, starts);
        assertThat(starts[0]).isEqualTo(-10_000);
    }

    @Test
    void shouldMatchSparkDocumentedExampleWithOffsetAndUnevenSlide() {
        // TimeWindowing's scaladoc: 12:05, window 12 min, slide 5 min, start 0 min and 2 min.
        long ts = 12 * 60 * MINUTE + 5 * MINUTE;
        long[] starts = new long[3];
        int n = WindowAssigner.sliding(12 * MINUTE, 5 * MINUTE, 0).assignWindows(ts, starts);
        assertThat(Arrays.copyOf(starts, n)).containsExactly(ts - 10 * MINUTE, ts - 5 * MINUTE, ts);
        n = WindowAssigner.sliding(12 * MINUTE, 5 * MINUTE, 2 * MINUTE).assignWindows(ts, starts);
        assertThat(Arrays.copyOf(starts, n)).containsExactly(ts - 8 * MINUTE, ts - 3 * MINUTE);
    }

    @Test
    void shouldRejectInvalidParametersNamingTheRule() {
        assertThatThrownBy(() -> WindowAssigner.tumbling(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("sizeMs (0) must be greater than 0");
        assertThatThrownBy(() -> WindowAssigner.sliding(10, 0)).hasMessage("slideMs (0) must be greater than 0");
        assertThatThrownBy(() -> WindowAssigner.sliding(10, 11))
            .hasMessage("slideMs (11) must be less than or equal to sizeMs (10)");
        assertThatThrownBy(() -> WindowAssigner.sliding(10, 5, 5))
            .hasMessage("the absolute value of offsetMs (5) must be less than slideMs (5)");
        assertThatThrownBy(() -> WindowAssigner.sliding(10, 5, -5))
            .hasMessage("the absolute value of offsetMs (-5) must be less than slideMs (5)");
        assertThat(WindowAssigner.sliding(10, 5, -4).offsetMs()).isEqualTo(-4);
    }

    @Test
    void shouldBoundWindowsPerRecordByCeilingOfSizeOverSlide() {
        assertThat(WindowAssigner.tumbling(1_000).maxWindowsPerRecord()).isEqualTo(1);
        assertThat(WindowAssigner.sliding(10_000, 1_000).maxWindowsPerRecord()).isEqualTo(10);
        assertThat(WindowAssigner.sliding(12, 5).maxWindowsPerRecord()).isEqualTo(3);
        assertThat(WindowAssigner.sliding(12, 5).isTumbling()).isFalse();
    }

    @Test
    void shouldPrintWindowLikeSparkStructWithIsoInstants() {
        assertThat(new Window(0, 1_500)).hasToString("{1970-01-01T00:00:00Z, 1970-01-01T00:00:01.500Z}");
        assertThat(new Window(0, 10).contains(10)).isFalse();
        assertThat(new Window(0, 10).contains(0)).isTrue();
        assertThatThrownBy(() -> new Window(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Every start ≡ offset (mod slide) whose window [start, start + size) contains ts, ascending. */
    private static long[] bruteForce(long size, long slide, long offset, long ts) {
        List<Long> starts = new ArrayList<>();
        for (long start = ts - size - slide; start <= ts; start++) {
            if (Math.floorMod(start - offset, slide) == 0 && start <= ts && ts < start + size) {
                starts.add(start);
            }
        }
        return starts.stream().mapToLong(Long::longValue).toArray();
    }
}
