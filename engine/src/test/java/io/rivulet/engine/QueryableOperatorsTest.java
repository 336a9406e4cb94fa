package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queryable state of the operators beyond the running aggregations (windows, sessions, group state),
 * read through a running query: reads equal a direct computation after {@code processAllAvailable}.
 */
@ExtendWith(NoLeakedThreads.class)
class QueryableOperatorsTest {
    static final long T0 = 1_700_000_000_000L;

    record Event(String key, long tsMs) {
    }

    /** Events of 13 keys over 40 s of event time, deterministic; shared with {@link QueryableStatefulOperatorsTest}. */
    static List<Event> events(int from, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(new Event("k" + (i * 7919 % 13), T0 + (i * 104_729L % 40_000)));
        }
        return events;
    }

    /** The query's trigger for a test parameter: {@code continuous} or micro-batch, both every 5 ms. */
    static DataStreamWriter<?> trigger(DataStreamWriter<?> writer, String mode) {
        return mode.equals("continuous") ? writer.trigger(Trigger.continuous(Duration.ofMillis(5)))
            : writer.trigger(Trigger.processingTime(Duration.ofMillis(5)));
    }

    /** Per key, its sliding (10 s every 5 s) windows' counts, by window start: nothing is evicted (1 h delay). */
    private static TreeMap<String, List<WindowedValue<String, Long>>> windowCounts(List<Event> events) {
        TreeMap<String, TreeMap<Long, Long>> counts = new TreeMap<>();
        for (Event e : events) {
            long last = Math.floorDiv(e.tsMs(), 5_000L) * 5_000L;
            for (long start = last; start > e.tsMs() - 10_000; start -= 5_000) {
                counts.computeIfAbsent(e.key(), k -> new TreeMap<>()).merge(start, 1L, Long::sum);
            }
        }
        TreeMap<String, List<WindowedValue<String, Long>>> rows = new TreeMap<>();
        counts.forEach((key, byStart) -> byStart.forEach((start, count) -> rows.computeIfAbsent(key, k -> new ArrayList<>())
            .add(new WindowedValue<>(key, new Window(start, start + 10_000), count))));
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous:append", "continuous:update", "microbatch:append", "microbatch:update"})
    void shouldReadEachKeysWindowsAsADirectCountWhileTheQueryRuns(String setting) throws Exception {
        String mode = setting.split(":")[0];
        OutputMode outputMode = setting.endsWith("append") ? OutputMode.APPEND : OutputMode.UPDATE;
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<?> writer = rivulet.readStream(input)
                .withWatermark(Event::tsMs, Duration.ofHours(1))
                .keyBy(Event::key, 3)
                .window(Windows.sliding(Duration.ofSeconds(10), Duration.ofSeconds(5)), Event::tsMs)
                .count()
                .queryableAs("windows")
                .writeStream(Sinks.collecting())
                .outputMode(outputMode)
                .queryName("queryable-windows-" + setting.replace(':', '-'));
            StreamingQuery query = trigger(writer, mode).start();
            QueryableState<String, List<WindowedValue<String, Long>>> windows =
                query.<String, List<WindowedValue<String, Long>>>state("windows").withTimeout(Duration.ofSeconds(30));
            input.addData(events(0, 400));
            query.processAllAvailable();
            assertWindows(windows, windowCounts(events(0, 400)));
            input.addData(events(400, 300));
            query.processAllAvailable();
            assertWindows(windows, windowCounts(events(0, 700)));
            assertThat(windows.get("absent")).isEmpty();
            query.stop();
        }
    }

    private static void assertWindows(QueryableState<String, List<WindowedValue<String, Long>>> windows,
                                      Map<String, List<WindowedValue<String, Long>>> expected) throws Exception {
        List<KeyValue<String, List<WindowedValue<String, Long>>>> scanned = windows.scan();
        assertThat(scanned).extracting(KeyValue::key).containsExactlyElementsOf(expected.keySet());
        for (KeyValue<String, List<WindowedValue<String, Long>>> row : scanned) {
            assertThat(row.value()).as("windows of %s", row.key()).containsExactlyElementsOf(expected.get(row.key()));
        }
        for (Map.Entry<String, List<WindowedValue<String, Long>>> e : expected.entrySet()) {
            assertThat(windows.get(e.getKey())).hasValueSatisfying(v -> assertThat(v).containsExactlyElementsOf(e.getValue()));
        }
    }

    /** Per key, its events' summed time offsets (the group state the query below keeps). */
    private static TreeMap<String, Long> offsetSums(List<Event> events) {
        TreeMap<String, Long> sums = new TreeMap<>();
        for (Event e : events) {
            sums.merge(e.key(), e.tsMs() - T0, Long::sum);
        }
        return sums;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous", "microbatch"})
    void shouldReadEachKeysGroupStateAsADirectSumWhileTheQueryRuns(String mode) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<?> writer = rivulet.readStream(input)
                .keyBy(Event::key, 3)
                .<Long, Long>mapGroupsWithState(GroupStateTimeout.NO_TIMEOUT, (key, values, state) -> {
                    long sum = state.exists() ? state.get() : 0L;
                    while (values.hasNext()) {
                        sum += values.next().tsMs() - T0;
                    }
                    if (key.equals("k0")) {
                        state.remove(); // a removed key reads as absent
                    } else {
                        state.update(sum);
                    }
                    return sum;
                })
                .queryableAs("sums")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .queryName("queryable-group-state-" + mode);
            StreamingQuery query = trigger(writer, mode).start();
            QueryableState<String, Long> sums = query.<String, Long>state("sums").withTimeout(Duration.ofSeconds(30));
            for (int round = 1; round <= 2; round++) {
                input.addData(events((round - 1) * 300, 300));
                query.processAllAvailable();
                TreeMap<String, Long> expected = offsetSums(events(0, round * 300));
                expected.remove("k0");
                assertThat(sums.scan()).extracting(KeyValue::key).containsExactlyElementsOf(expected.keySet());
                for (KeyValue<String, Long> row : sums.scan()) {
                    assertThat(row.value()).as("sum of %s", row.key()).isEqualTo(expected.get(row.key()));
                }
                for (Map.Entry<String, Long> e : expected.entrySet()) {
                    assertThat(sums.get(e.getKey())).contains(e.getValue());
                }
                assertThat(sums.get("k0")).isEmpty();
            }
            query.stop();
        }
    }

    /** Per key, its sessions (gap 3 s, overlapping or touching merge) with their counts, by start: nothing is evicted. */
    private static TreeMap<String, List<WindowedValue<String, Long>>> sessionCounts(List<Event> events) {
        TreeMap<String, TreeMap<Long, Long>> byTs = new TreeMap<>();
        for (Event e : events) {
            byTs.computeIfAbsent(e.key(), k -> new TreeMap<>()).merge(e.tsMs(), 1L, Long::sum);
        }
        TreeMap<String, List<WindowedValue<String, Long>>> rows = new TreeMap<>();
        byTs.forEach((key, counts) -> {
            List<WindowedValue<String, Long>> sessions = rows.computeIfAbsent(key, k -> new ArrayList<>());
            long start = Long.MIN_VALUE;
            long end = Long.MIN_VALUE;
            long count = 0;
            for (Map.Entry<Long, Long> c : counts.entrySet()) {
                if (count > 0 && c.getKey() > end) {
                    sessions.add(new WindowedValue<>(key, new Window(start, end), count));
                    count = 0;
                }
                if (count == 0) {
                    start = c.getKey();
                }
                end = c.getKey() + 3_000;
                count += c.getValue();
            }
            sessions.add(new WindowedValue<>(key, new Window(start, end), count));
        });
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous", "microbatch"})
    void shouldReadEachKeysSessionsAsADirectSessionizationWhileTheQueryRuns(String mode) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<?> writer = rivulet.readStream(input)
                .withWatermark(Event::tsMs, Duration.ofHours(1))
                .keyBy(Event::key, 2)
                .sessionWindow(Duration.ofSeconds(3), Event::tsMs)
                .count()
                .queryableAs("sessions")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.APPEND)
                .queryName("queryable-sessions-" + mode);
            StreamingQuery query = trigger(writer, mode).start();
            QueryableState<String, List<WindowedValue<String, Long>>> sessions =
                query.<String, List<WindowedValue<String, Long>>>state("sessions").withTimeout(Duration.ofSeconds(30));
            input.addData(events(0, 50));
            query.processAllAvailable();
            assertWindows(sessions, sessionCounts(events(0, 50)));
            input.addData(events(50, 150));
            query.processAllAvailable();
            assertWindows(sessions, sessionCounts(events(0, 200)));
            query.stop();
        }
    }
}
