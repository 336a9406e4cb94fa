package io.rivulet.engine.internal.terminal;

import io.rivulet.engine.QueryProgress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressLineTest {
    /** 2023-11-14T22:13:20.000Z. */
    private static final long T0 = 1_700_000_000_000L;
    private static final String ERASE = "\033[K";

    private static QueryProgress progress(long batchId, Instant watermark, List<QueryProgress.StateOperatorProgress> state,
                                          QueryProgress.Latency latency) {
        return new QueryProgress(UUID.randomUUID(), UUID.randomUUID(), "trading-demo", Instant.ofEpochMilli(T0), batchId,
            1000, 200_000, 200_000.4, 199_870.2, 21, 0, 1_400_000, 147, watermark, state, 0, latency, List.of(),
            "console");
    }

    private static QueryProgress full(long batchId) {
        return progress(batchId, Instant.ofEpochMilli(T0 - 500),
            List.of(new QueryProgress.StateOperatorProgress("aggregate", 20, 3, 0, 0, 4096),
                new QueryProgress.StateOperatorProgress("dedup", 1_000, 3, 0, 0, 4096)),
            new QueryProgress.Latency(147, 900, 1_434.6, 2_000, 3_000));
    }

    /** A stream that records bytes as UTF-8 text. */
    private static final class Captured {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldFormatRateLatencyWatermarkWithLagAndStateRows() {
        assertThat(ProgressLine.format(full(7))).isEqualTo("trading-demo  epoch 7  in 200,000/s  out 199,870/s"
            + "  p99 1.43 ms  watermark 22:13:19.500 (lag 0.5 s)  state 1,020 rows  total 1,400,000");
    }

    @Test
    void shouldLeaveOutWhatTheQueryDoesNotHave() {
        QueryProgress stateless = progress(2, null, List.of(), new QueryProgress.Latency(0, 0, 0, 0, 0));
        assertThat(ProgressLine.format(stateless))
            .isEqualTo("trading-demo  epoch 2  in 200,000/s  out 199,870/s  total 1,400,000");
        QueryProgress fast = progress(3, null, List.of(), new QueryProgress.Latency(5, 10, 850.4, 900, 900));
        assertThat(ProgressLine.format(fast)).contains("  p99 850 us  ");
        QueryProgress slow = progress(4, null, List.of(), new QueryProgress.Latency(5, 10, 2_100_000, 3e6, 3e6));
        assertThat(ProgressLine.format(slow)).contains("  p99 2.10 s  ");
    }

    @Test
    void shouldShowTheWatermarkLagInAUnitThatReadsWell() {
        List<QueryProgress.StateOperatorProgress> none = List.of();
        assertThat(ProgressLine.format(progress(1, Instant.ofEpochMilli(T0 - 750_000), none, null)))
            .contains("  watermark 22:00:50.000 (lag 12.5 min)  ");
        assertThat(ProgressLine.format(progress(1, Instant.ofEpochMilli(T0 - 3 * 3_600_000), none, null)))
            .contains(" (lag 3.0 h)  ");
        assertThat(ProgressLine.format(progress(1, Instant.ofEpochMilli(T0 - 1117L * 86_400_000), none, null)))
            .contains(" (lag 1117 d)  ");
        // A watermark ahead of the wall clock (event times from the future) shows a negative lag.
        assertThat(ProgressLine.format(progress(1, Instant.ofEpochMilli(T0 + 2_000), none, null)))
            .contains(" (lag -2.0 s)  ");
    }

    @Test
    void shouldChooseTheUpdatingLineOnlyOnATerminalThatIsNotDumb() {
        assertThat(ProgressLine.mode(null, true, "xterm-256color")).isEqualTo(ProgressLine.Mode.LINE);
        assertThat(ProgressLine.mode("auto", true, "xterm")).isEqualTo(ProgressLine.Mode.LINE);
        assertThat(ProgressLine.mode(null, false, "xterm")).isEqualTo(ProgressLine.Mode.PLAIN);
        assertThat(ProgressLine.mode(null, true, "dumb")).isEqualTo(ProgressLine.Mode.PLAIN);
        assertThat(ProgressLine.mode(null, true, null)).isEqualTo(ProgressLine.Mode.PLAIN);
        assertThat(ProgressLine.mode(null, true, "")).isEqualTo(ProgressLine.Mode.PLAIN);
        // The property wins either way.
        assertThat(ProgressLine.mode("off", true, "xterm")).isEqualTo(ProgressLine.Mode.OFF);
        assertThat(ProgressLine.mode("plain", true, "xterm")).isEqualTo(ProgressLine.Mode.PLAIN);
        assertThat(ProgressLine.mode("LINE", false, null)).isEqualTo(ProgressLine.Mode.LINE);
        assertThatThrownBy(() -> ProgressLine.mode("fancy", true, "xterm"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("rivulet.progress must be auto, line, plain or off, got 'fancy'");
    }

    @Test
    void shouldRewriteOneLineInPlaceOnATerminalAtMostTwiceASecond() {
        Captured err = new Captured();
        ProgressLine line = new ProgressLine(err.stream, ProgressLine.Mode.LINE);
        line.show(null, 0);
        assertThat(err.text()).isEmpty();
        line.show(full(1), 0);
        line.show(full(2), 499);
        line.show(full(3), 500);
        line.clear();
        line.clear();
        assertThat(err.text()).isEqualTo("\r" + ProgressLine.format(full(1)) + ERASE
            + "\r" + ProgressLine.format(full(3)) + ERASE + "\r" + ERASE).doesNotContain("\n");
    }

    @Test
    void shouldPrintANewReportAsAPlainLineEveryFiveSecondsWhenNotATerminal() {
        Captured err = new Captured();
        ProgressLine line = new ProgressLine(err.stream, ProgressLine.Mode.PLAIN);
        QueryProgress first = full(1);
        line.show(first, 0);
        line.show(full(2), 4_999);
        line.show(first, 5_000);        // printed already
        QueryProgress third = full(3);
        line.show(third, 5_001);
        line.show(third, 20_000);
        line.clear();
        assertThat(err.text()).isEqualTo(ProgressLine.format(first) + System.lineSeparator()
            + ProgressLine.format(third) + System.lineSeparator()).doesNotContain("\r", ERASE);
    }

    @Test
    void shouldWriteNothingWhenOff() {
        Captured err = new Captured();
        ProgressLine line = new ProgressLine(err.stream, ProgressLine.Mode.OFF);
        line.show(full(1), 0);
        line.clear();
        assertThat(err.text()).isEmpty();
        assertThat(line.interleaving(err.stream)).isSameAs(err.stream);
    }

    @Test
    void shouldEraseTheLineBeforeStandardOutputWritesOnATerminalAndLeaveTheOutputUnchanged() {
        Captured terminal = new Captured();  // stdout and stderr on one terminal
        ProgressLine line = new ProgressLine(terminal.stream, ProgressLine.Mode.LINE);
        PrintStream stdout = line.interleaving(terminal.stream);
        line.show(full(1), 0);
        stdout.println("Batch: 1");
        stdout.println("+------+");
        line.show(full(2), 1_000);
        assertThat(terminal.text()).isEqualTo("\r" + ProgressLine.format(full(1)) + ERASE + "\r" + ERASE
            + "Batch: 1" + System.lineSeparator() + "+------+" + System.lineSeparator()
            + "\r" + ProgressLine.format(full(2)) + ERASE);

        Captured piped = new Captured();
        assertThat(new ProgressLine(piped.stream, ProgressLine.Mode.PLAIN).interleaving(piped.stream)).isSameAs(piped.stream);
    }
}
