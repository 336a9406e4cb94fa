package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class BruteForceDetectorTest {
    @Test
    void shouldAlertOnExactlyTheIpsAndWindowsWhoseFailedLoginsExceedTheThreshold() throws Exception {
        List<String> lines = BruteForceDetectorMain.authLog(12, 7);
        long threshold = 20;
        CollectingSink<WindowedValue<String, Long>> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            BruteForceDetectorMain.alerts(rivulet.readStream(Sources.fromIterable(lines)), threshold)
                .writeStream(sink).start().awaitTermination();
        }
        // The same alerts, computed directly: each failed login counts in every 1-minute window (every 10 s) holding it.
        long sizeMs = BruteForceDetectorMain.WINDOW.toMillis();
        long slideMs = BruteForceDetectorMain.SLIDE.toMillis();
        Map<String, Long> failures = new TreeMap<>();
        for (String line : lines) {
            BruteForceDetectorMain.Login login = BruteForceDetectorMain.parse(line);
            if (login == null || !login.failed()) {
                continue;
            }
            long lastStart = Math.floorDiv(login.timestampMs(), slideMs) * slideMs;
            for (long start = lastStart; start > login.timestampMs() - sizeMs; start -= slideMs) {
                failures.merge(login.ip() + "@" + start, 1L, Long::sum);
            }
        }
        Map<String, Long> expected = new TreeMap<>();
        failures.forEach((k, n) -> {
            if (n > threshold) {
                expected.put(k, n);
            }
        });
        Map<String, Long> actual = new TreeMap<>();
        for (WindowedValue<String, Long> row : sink.received()) {
            assertThat(actual.put(row.key() + "@" + row.window().startMs(), row.value())).as("one alert per IP and window").isNull();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.keySet()).as("only the attackers").allMatch(k -> List.of(BruteForceDetectorMain.ATTACKERS)
            .contains(k.substring(0, k.indexOf('@')))).isNotEmpty();
    }

    @Test
    void shouldParseFailedAndAcceptedSshdLinesAndSkipOthers() {
        assertThat(BruteForceDetectorMain.parse("2023-11-14T22:13:20Z bastion sshd[4242]: Failed password for root from"
            + " 203.0.113.7 port 52144 ssh2")).isEqualTo(new BruteForceDetectorMain.Login(1_700_000_000_000L, true, "203.0.113.7"));
        assertThat(BruteForceDetectorMain.parse("2023-11-14T22:13:20.5Z bastion sshd[1]: Accepted password for bob from"
            + " 10.0.0.1 port 1 ssh2")).isEqualTo(new BruteForceDetectorMain.Login(1_700_000_000_500L, false, "10.0.0.1"));
        assertThat(BruteForceDetectorMain.parse("2023-11-14T22:13:20Z bastion CRON[7]: session opened")).isNull();
    }
}
