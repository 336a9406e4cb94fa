package io.rivulet.operators.window;

import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.Aggregates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Queryable state of session windows: a read between records equals a direct sessionization. */
class SessionQueryTest {
    record Event(String key, long ts) {
    }

    private static final String[] KEYS = {"a", "b", "c", "d"};
    private static final long GAP_MS = 10;

    /** A model session: {start, end, count}. */
    private static void accept(List<long[]> sessions, long ts) {
        long start = ts;
        long end = ts + GAP_MS;
        long count = 1;
        for (int i = sessions.size() - 1; i >= 0; i--) {
            long[] s = sessions.get(i);
            if (s[0] <= end && start <= s[1]) { // overlapping or touching
                start = Math.min(start, s[0]);
                end = Math.max(end, s[1]);
                count += s[2];
                sessions.remove(i);
            }
        }
        sessions.add(new long[] {start, end, count});
        sessions.sort((x, y) -> Long.compare(x[0], y[0]));
    }

    private static List<WindowedValue<String, Long>> rows(String key, List<long[]> sessions) {
        List<WindowedValue<String, Long>> rows = new ArrayList<>();
        for (long[] s : sessions) {
            rows.add(new WindowedValue<>(key, new Window(s[0], s[1]), s[2]));
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(OutputMode.class)
    void shouldReadEachKeysHeldSessionsAsADirectSessionizationBetweenRecords(OutputMode mode) {
        var op = new SessionWindowOperator<String, Event, long[], Long>(GAP_MS, Event::ts, Aggregates.count(), mode, null);
        Output<WindowedValue<String, Long>> ignored = row -> { };
        SplittableRandom random = new SplittableRandom(11);
        Map<String, List<long[]>> model = new HashMap<>();
        long watermarkMs = Long.MIN_VALUE;
        long clockMs = 0;
        int held = 0;
        for (int i = 0; i < 500; i++) {
            clockMs += random.nextInt(4);
            Event event = new Event(KEYS[random.nextInt(KEYS.length)], clockMs - random.nextInt(30));
            op.process(event.key(), event, ignored);
            if (event.ts() + GAP_MS > watermarkMs) {
                accept(model.computeIfAbsent(event.key(), k -> new ArrayList<>()), event.ts());
            }
            if (i % 23 == 22) {
                watermarkMs = Math.max(watermarkMs, clockMs - 25);
                op.onWatermark(watermarkMs, ignored);
                op.onEpoch(i, ignored);
                if (mode != OutputMode.COMPLETE) {
                    long wm = watermarkMs;
                    model.values().forEach(sessions -> sessions.removeIf(s -> s[1] <= wm));
                }
            }
            Map<String, List<WindowedValue<String, Long>>> scanned = new TreeMap<>();
            op.scanValues(k -> true, scanned::put);
            for (String key : KEYS) {
                List<long[]> sessions = model.getOrDefault(key, List.of());
                List<WindowedValue<String, Long>> read = op.queryValue(key);
                if (sessions.isEmpty()) {
                    assertThat(read).as("sessions of %s after record %d", key, i).isNull();
                    assertThat(scanned).doesNotContainKey(key);
                } else {
                    held++;
                    assertThat(read).as("sessions of %s after record %d", key, i).containsExactlyElementsOf(rows(key, sessions));
                    assertThat(scanned.get(key)).containsExactlyElementsOf(rows(key, sessions));
                }
            }
        }
        assertThat(held).as("reads of a key holding sessions").isGreaterThan(100);
    }
}
