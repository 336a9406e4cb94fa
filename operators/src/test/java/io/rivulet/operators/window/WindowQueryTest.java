package io.rivulet.operators.window;

import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Queryable state of window aggregations: a read between records equals a direct count of the records. */
class WindowQueryTest {
    record Event(String key, long ts) {
    }

    private static final String[] KEYS = {"a", "b", "c", "d", "e"};

    /** The expected read of {@code key}: every window still held with a non-zero count, by start. */
    private static List<WindowedValue<String, Long>> expected(List<Event> events, String key, long sizeMs, long slideMs,
                                                              long offsetMs, long watermarkMs, OutputMode mode) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        for (Event e : events) {
            if (!e.key().equals(key)) {
                continue;
            }
            long first = e.ts() - sizeMs + 1;
            long remainder = Math.floorMod(offsetMs - first, slideMs);
            for (long start = first + remainder; start <= e.ts(); start += slideMs) {
                if (mode == OutputMode.COMPLETE || start + sizeMs > watermarkMs) {
                    counts.merge(start, 1L, Long::sum);
                }
            }
        }
        List<WindowedValue<String, Long>> rows = new ArrayList<>();
        counts.forEach((start, count) -> rows.add(new WindowedValue<>(key, new Window(start, start + sizeMs), count)));
        return rows;
    }

    @ParameterizedTest(name = "{0} size={1} slide={2} offset={3}")
    @CsvSource({
        "APPEND, 10, 10, 0", "UPDATE, 10, 10, 0", "COMPLETE, 10, 10, 0",
        "APPEND, 10, 5, 0", "UPDATE, 10, 5, 0", "COMPLETE, 10, 5, 0",
        "APPEND, 15, 6, 2", "UPDATE, 15, 6, 2", "APPEND, 10, 4, 1"})
    void shouldReadEachKeysHeldWindowsAsADirectCountBetweenRecords(OutputMode mode, long sizeMs, long slideMs, long offsetMs) {
        WindowAssigner assigner = sizeMs == slideMs ? WindowAssigner.tumbling(sizeMs, offsetMs)
            : WindowAssigner.sliding(sizeMs, slideMs, offsetMs);
        var op = new WindowAggregateOperator<String, Event, long[], Long>(assigner, Event::ts, Aggregates.count(), mode);
        Output<WindowedValue<String, Long>> ignored = row -> { };
        SplittableRandom random = new SplittableRandom(42);
        List<Event> accepted = new ArrayList<>();
        long watermarkMs = Long.MIN_VALUE;
        long clockMs = 0;
        for (int i = 0; i < 600; i++) {
            clockMs += random.nextInt(3);
            Event event = new Event(KEYS[random.nextInt(KEYS.length)], clockMs - random.nextInt(25));
            op.process(event.key(), event, ignored);
            accepted.add(event);
            if (i % 37 == 36) {
                watermarkMs = Math.max(watermarkMs, clockMs - 20);
                op.onWatermark(watermarkMs, ignored);
                op.onEpoch(i, ignored);
            }
            if (i % 7 == 0) {
                long wm = watermarkMs;
                // A window still held ends after the watermark, so no record of it was late: the model counts all.
                Map<String, List<WindowedValue<String, Long>>> scanned = new TreeMap<>();
                op.scanValues(key -> true, scanned::put);
                for (String key : KEYS) {
                    List<WindowedValue<String, Long>> want = expected(accepted, key, sizeMs, slideMs, offsetMs, wm, mode);
                    List<WindowedValue<String, Long>> read = op.queryValue(key);
                    if (want.isEmpty()) {
                        assertThat(read).as("key %s at record %d", key, i).isNull();
                        assertThat(scanned).doesNotContainKey(key);
                    } else {
                        assertThat(read).as("key %s at record %d", key, i).containsExactlyElementsOf(want);
                        assertThat(scanned.get(key)).containsExactlyElementsOf(want);
                    }
                }
            }
        }
    }

    @Test
    void shouldReadOnlyTheKeysTheFilterAccepts() {
        var op = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts,
            Aggregates.count(), OutputMode.UPDATE);
        Output<WindowedValue<String, Long>> ignored = row -> { };
        for (String key : KEYS) {
            op.process(key, new Event(key, 3), ignored);
        }
        Map<String, List<WindowedValue<String, Long>>> scanned = new TreeMap<>();
        op.scanValues(key -> key.compareTo("c") < 0, scanned::put);
        assertThat(scanned.keySet()).containsExactly("a", "b");
    }

    @Test
    void shouldHandOutACopyThatLaterRecordsDoNotChange() {
        AggregateFunction<Event, ArrayList<Long>, ArrayList<Long>> collect = new AggregateFunction<>() {
            @Override
            public ArrayList<Long> createAccumulator() {
                return new ArrayList<>();
            }

            @Override
            public ArrayList<Long> add(ArrayList<Long> accumulator, Event value) {
                accumulator.add(value.ts());
                return accumulator;
            }

            @Override
            public ArrayList<Long> merge(ArrayList<Long> a, ArrayList<Long> b) {
                a.addAll(b);
                return a;
            }

            @Override
            public ArrayList<Long> result(ArrayList<Long> accumulator) {
                return accumulator;
            }
        };
        for (OutputMode mode : List.of(OutputMode.UPDATE, OutputMode.APPEND)) {
            var op = new WindowAggregateOperator<String, Event, ArrayList<Long>, ArrayList<Long>>(
                WindowAssigner.sliding(10, 5), Event::ts, collect, mode);
            Output<WindowedValue<String, ArrayList<Long>>> ignored = row -> { };
            op.process("a", new Event("a", 7), ignored);
            List<WindowedValue<String, ArrayList<Long>>> read = op.queryValue("a");
            op.process("a", new Event("a", 8), ignored);
            assertThat(read).as("%s", mode).extracting(w -> (List<Long>) w.value()).containsExactly(List.of(7L), List.of(7L));
            assertThat(op.queryValue("a")).as("%s", mode).extracting(w -> (List<Long>) w.value())
                .containsExactly(List.of(7L, 8L), List.of(7L, 8L));
        }
    }
}
