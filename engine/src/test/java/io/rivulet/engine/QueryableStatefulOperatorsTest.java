package io.rivulet.engine;

import io.rivulet.engine.QueryableOperatorsTest.Event;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.process.KeyedProcessFunction;
import io.rivulet.operators.state.KeyedStateStore;
import io.rivulet.operators.state.ListState;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;
import io.rivulet.operators.topn.RankedValue;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.rivulet.engine.QueryableOperatorsTest.T0;
import static io.rivulet.engine.QueryableOperatorsTest.events;
import static io.rivulet.engine.QueryableOperatorsTest.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queryable state of deduplication, process functions, top-N and orderBy(..).limit(n), read through a
 * running query: reads equal a direct computation after {@code processAllAvailable}.
 */
@ExtendWith(NoLeakedThreads.class)
class QueryableStatefulOperatorsTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous", "microbatch"})
    void shouldReadEachDeduplicatedKeysExpiryAsItsFirstRowTimePlusTheDelay(String mode) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<?> writer = rivulet.readStream(input)
                .withWatermark(Event::tsMs, Duration.ofHours(1))
                .keyBy(Event::key, 3)
                .dropDuplicatesWithinWatermark()
                .queryableAs("ids")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.APPEND)
                .queryName("queryable-dedup-" + mode);
            StreamingQuery query = trigger(writer, mode).start();
            QueryableState<String, Long> ids = query.<String, Long>state("ids").withTimeout(Duration.ofSeconds(30));
            for (int round = 1; round <= 2; round++) {
                input.addData(events((round - 1) * 100, 100));
                query.processAllAvailable();
                TreeMap<String, Long> expected = new TreeMap<>();
                for (Event e : events(0, round * 100)) {
                    expected.putIfAbsent(e.key(), e.tsMs() + Duration.ofHours(1).toMillis());
                }
                assertThat(ids.scan()).containsExactlyElementsOf(rows(expected));
                assertThat(ids.get("k3")).contains(expected.get("k3"));
                assertThat(ids.get("absent")).isEmpty();
            }
            query.stop();
        }
    }

    /** Per key: the count of its events and the offsets seen, in two named states. */
    static final class Tracker extends KeyedProcessFunction<String, Event, Long> {
        ValueState<Long> count;
        ListState<Long> offsets;

        @Override
        public void open(KeyedStateStore states) {
            count = states.state(StateDescriptor.value("count", StateCodecs.longs()));
            offsets = states.state(StateDescriptor.list("offsets", StateCodecs.longs()));
        }

        @Override
        public void processElement(Event value, Context<String, Long> ctx, Output<Long> out) {
            Long c = count.value();
            count.update(c == null ? 1 : c + 1);
            offsets.add(value.tsMs() - T0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous", "microbatch"})
    void shouldReadEachKeysProcessFunctionStatesByName(String mode) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<?> writer = rivulet.readStream(input)
                .keyBy(Event::key, 2)
                .transformWithState("tracker", Tracker::new)
                .queryableAs("tracker")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.APPEND)
                .queryName("queryable-process-" + mode);
            StreamingQuery query = trigger(writer, mode).start();
            QueryableState<String, Map<String, Object>> tracker =
                query.<String, Map<String, Object>>state("tracker").withTimeout(Duration.ofSeconds(30));
            input.addData(events(0, 150));
            query.processAllAvailable();
            TreeMap<String, List<Long>> offsets = new TreeMap<>();
            for (Event e : events(0, 150)) {
                offsets.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.tsMs() - T0);
            }
            List<KeyValue<String, Map<String, Object>>> scanned = tracker.scan();
            assertThat(scanned).extracting(KeyValue::key).containsExactlyElementsOf(offsets.keySet());
            for (KeyValue<String, Map<String, Object>> row : scanned) {
                List<Long> expected = offsets.get(row.key());
                assertThat(row.value()).isEqualTo(Map.of("count", (long) expected.size(), "offsets", expected));
            }
            assertThat(tracker.get("k5")).hasValueSatisfying(v -> assertThat(v.get("offsets")).isEqualTo(offsets.get("k5")));
            assertThat(tracker.get("absent")).isEmpty();
            query.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous", "microbatch"})
    void shouldReadTheRunningTopNRanksAsADirectSortOfTheCounts(String mode) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<?> writer = rivulet.readStream(input)
                .keyBy(Event::key, 3)
                .topN(3, Aggregates.<Event>count(), Comparator.<Long>naturalOrder(), Comparator.<String>naturalOrder())
                .queryableAs("top")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .queryName("queryable-topn-" + mode);
            StreamingQuery query = trigger(writer, mode).start();
            QueryableState<String, RankedValue<String, Long>> top =
                query.<String, RankedValue<String, Long>>state("top").withTimeout(Duration.ofSeconds(30));
            input.addData(events(0, 200));
            query.processAllAvailable();
            TreeMap<String, Long> counts = new TreeMap<>();
            for (Event e : events(0, 200)) {
                counts.merge(e.key(), 1L, Long::sum);
            }
            List<String> keys = new ArrayList<>(counts.keySet());
            keys.sort(Comparator.comparing((String k) -> counts.get(k)).reversed().thenComparing(Comparator.naturalOrder()));
            TreeMap<String, RankedValue<String, Long>> expected = new TreeMap<>();
            for (int r = 0; r < 3; r++) {
                expected.put(keys.get(r), new RankedValue<>(null, r + 1, keys.get(r), counts.get(keys.get(r))));
            }
            assertThat(top.scan()).containsExactlyElementsOf(rows(expected));
            assertThat(top.get(keys.get(0))).contains(expected.get(keys.get(0)));
            assertThat(top.get(keys.get(3))).isEmpty(); // ranks below N
            query.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous", "microbatch"})
    void shouldReadTheLastSortedLimitedResultByPosition(String mode) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<?> writer = rivulet.readStream(input)
                .keyBy(Event::key, 2)
                .count()
                .orderBy(Comparator.comparing((KeyValue<String, Long> row) -> row.value()).reversed()
                    .thenComparing(KeyValue::key))
                .limit(2)
                .queryableAs("leaders")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.COMPLETE)
                .queryName("queryable-sort-" + mode);
            StreamingQuery query = trigger(writer, mode).start();
            QueryableState<Integer, KeyValue<String, Long>> leaders =
                query.<Integer, KeyValue<String, Long>>state("leaders").withTimeout(Duration.ofSeconds(30));
            input.addData(events(0, 120));
            query.processAllAvailable();
            TreeMap<String, Long> counts = new TreeMap<>();
            for (Event e : events(0, 120)) {
                counts.merge(e.key(), 1L, Long::sum);
            }
            List<KeyValue<String, Long>> sorted = new ArrayList<>();
            counts.forEach((k, v) -> sorted.add(new KeyValue<>(k, v)));
            sorted.sort(Comparator.comparing((KeyValue<String, Long> row) -> row.value()).reversed()
                .thenComparing(KeyValue::key));
            assertThat(leaders.scan()).containsExactly(new KeyValue<>(1, sorted.get(0)), new KeyValue<>(2, sorted.get(1)));
            assertThat(leaders.get(1)).contains(sorted.get(0));
            assertThat(leaders.get(3)).isEmpty();
            query.stop();
        }
    }

    private static <K, V> List<KeyValue<K, V>> rows(Map<K, V> expected) {
        List<KeyValue<K, V>> rows = new ArrayList<>();
        expected.forEach((k, v) -> rows.add(new KeyValue<>(k, v)));
        return rows;
    }
}
