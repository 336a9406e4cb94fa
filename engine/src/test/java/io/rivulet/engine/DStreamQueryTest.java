package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.dstream.State;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DStream operations in running micro-batch queries, each against a direct computation over the
 * same batches. The batch interval is an hour of a fake wall clock that the test moves one interval
 * per batch, so no trigger fires by itself: each batch is one {@code processAllAvailable()}.
 */
@ExtendWith(NoLeakedThreads.class)
class DStreamQueryTest {
    private static final Duration INTERVAL = Duration.ofHours(1);
    private static final long START_MS = 1_700_000_000_000L;

    @TempDir
    Path checkpoints;

    /** Random batches of words over 5 words; some batches empty. */
    static List<List<String>> batches(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<String>> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            List<String> batch = new ArrayList<>();
            int size = random.nextInt(4) == 0 ? 0 : random.nextInt(7);
            for (int i = 0; i < size; i++) {
                batch.add("w" + random.nextInt(5));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Runs {@code query} over the batches; returns each batch's output. */
    static <O> List<List<O>> run(List<List<String>> batches, Function<DStream<String>, DStream<O>> query) {
        return run(batches, query, null, Sources.memoryStream("words"), Sinks.memory("out"), 0);
    }

    /**
     * Runs {@code query} over the batches, batch {@code i} at {@code firstBatch + i} intervals from the
     * start (plus a few ms, as a batch starts a little after its trigger). The first batch's data is
     * there before the query starts, so its first trigger runs it.
     */
    static <O> List<List<O>> run(List<List<String>> batches, Function<DStream<String>, DStream<O>> query, Path checkpoint,
                                 MemoryStream<String> input, MemorySink<O> sink, int firstBatch) {
        List<List<O>> out = new ArrayList<>();
        AtomicLong clockMs = new AtomicLong(START_MS + firstBatch * INTERVAL.toMillis());
        try (Rivulet rivulet = Rivulet.builder().clocks(SystemNanoClock.INSTANCE, clockMs::get).build()) {
            DataStreamWriter<O> writer = query.apply(rivulet.readStream(input).batches(INTERVAL)).writeStream(sink);
            if (checkpoint != null) {
                writer.checkpointLocation(checkpoint);
            }
            int seen = sink.size();
            StreamingQuery running = null;
            for (int i = 0; i < batches.size(); i++) {
                clockMs.set(START_MS + (firstBatch + i) * INTERVAL.toMillis() + 7 * i);
                if (!batches.get(i).isEmpty()) {
                    input.addData(batches.get(i));
                }
                if (running == null) {
                    running = writer.start();
                }
                try {
                    running.processAllAvailable();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                List<O> rows = sink.rows();
                out.add(new ArrayList<>(rows.subList(seen, rows.size())));
                seen = rows.size();
            }
            running.stop();
        }
        return out;
    }

    static Map<String, Long> counts(List<List<String>> batches, int from, int to) {
        Map<String, Long> counts = new TreeMap<>();
        for (int b = Math.max(0, from); b <= to; b++) {
            for (String w : batches.get(b)) {
                counts.merge(w, 1L, Long::sum);
            }
        }
        return counts;
    }

    static <V> Map<String, V> asMap(List<KeyValue<String, V>> pairs) {
        Map<String, V> map = new TreeMap<>();
        for (KeyValue<String, V> kv : pairs) {
            assertThat(map.put(kv.key(), kv.value())).as("one row per key: %s", kv.key()).isNull();
        }
        return map;
    }

    @Test
    void shouldReduceByKeyWithinEachBatch() {
        List<List<String>> batches = batches(1, 12);
        List<List<KeyValue<String, Long>>> out = run(batches,
            words -> words.mapToPair(w -> new KeyValue<>(w, 1L)).reduceByKey(Long::sum));
        for (int n = 0; n < batches.size(); n++) {
            assertThat(asMap(out.get(n))).as("batch %d", n).isEqualTo(counts(batches, n, n));
        }
    }

    @Test
    void shouldCountByValueWithinEachBatch() {
        List<List<String>> batches = batches(2, 12);
        List<List<KeyValue<String, Long>>> out = run(batches, DStream::countByValue);
        for (int n = 0; n < batches.size(); n++) {
            assertThat(asMap(out.get(n))).as("batch %d", n).isEqualTo(counts(batches, n, n));
        }
    }

    @Test
    void shouldReduceByKeyAndWindowOverWholeBatches() {
        List<List<String>> batches = batches(3, 14);
        List<List<KeyValue<String, Long>>> out = run(batches, words -> words.mapToPair(w -> new KeyValue<>(w, 1L))
            .reduceByKeyAndWindow(Long::sum, INTERVAL.multipliedBy(3), INTERVAL.multipliedBy(2)));
        for (int n = 0; n < batches.size(); n++) {
            Map<String, Long> expected = (n + 1) % 2 == 0 ? counts(batches, n - 2, n) : Map.of();
            assertThat(asMap(out.get(n))).as("batch %d", n).isEqualTo(expected);
        }
    }

    @Test
    void shouldReduceByKeyAndWindowIncrementallyWithAnInverseAndFilter() {
        List<List<String>> batches = batches(4, 14);
        List<List<KeyValue<String, Long>>> out = run(batches, words -> words.mapToPair(w -> new KeyValue<>(w, 1L))
            .reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, INTERVAL.multipliedBy(3), INTERVAL, kv -> kv.value() > 0));
        for (int n = 0; n < batches.size(); n++) {
            assertThat(asMap(out.get(n))).as("batch %d", n).isEqualTo(counts(batches, n - 2, n));
        }
    }

    @Test
    void shouldCountByValueAndWindow() {
        List<List<String>> batches = batches(5, 14);
        List<List<KeyValue<String, Long>>> out = run(batches,
            words -> words.countByValueAndWindow(INTERVAL.multipliedBy(4), INTERVAL.multipliedBy(2)));
        for (int n = 0; n < batches.size(); n++) {
            Map<String, Long> expected = (n + 1) % 2 == 0 ? counts(batches, n - 3, n) : Map.of();
            assertThat(asMap(out.get(n))).as("batch %d", n).isEqualTo(expected);
        }
    }

    @Test
    void shouldCountByWindowOnceARecordWasSeen() {
        List<List<String>> batches = batches(6, 14);
        List<List<Long>> out = run(batches, words -> words.countByWindow(INTERVAL.multipliedBy(2), INTERVAL));
        boolean seen = false;
        for (int n = 0; n < batches.size(); n++) {
            seen |= !batches.get(n).isEmpty();
            long expected = counts(batches, n - 1, n).values().stream().mapToLong(Long::longValue).sum();
            assertThat(out.get(n)).as("batch %d", n).isEqualTo(seen ? List.of(expected) : List.of());
        }
    }

    @Test
    void shouldReduceByWindowAndEmitNothingForAnEmptyWindow() {
        List<List<String>> batches = batches(7, 14);
        List<List<String>> out = run(batches, words -> words.reduceByWindow((a, b) -> a.compareTo(b) >= 0 ? a : b,
            INTERVAL.multipliedBy(2), INTERVAL));
        for (int n = 0; n < batches.size(); n++) {
            List<String> expected = counts(batches, n - 1, n).keySet().stream().reduce((a, b) -> b).map(List::of)
                .orElse(List.of());
            assertThat(out.get(n)).as("largest word of batches %d..%d", n - 1, n).isEqualTo(expected);
        }
    }

    @Test
    void shouldReduceEachBatchToOneRecord() {
        List<List<String>> batches = batches(12, 12);
        List<List<String>> out = run(batches, words -> words.reduce((a, b) -> a.compareTo(b) <= 0 ? a : b));
        for (int n = 0; n < batches.size(); n++) {
            List<String> expected = batches.get(n).stream().sorted().limit(1).toList();
            assertThat(out.get(n)).as("smallest word of batch %d", n).isEqualTo(expected);
        }
    }

    @Test
    void shouldReduceByWindowIncrementallyWithAnInverse() {
        List<List<String>> batches = batches(13, 14);
        List<List<Long>> out = run(batches, words -> words.map(w -> (long) w.charAt(1))
            .reduceByWindow(Long::sum, (a, b) -> a - b, INTERVAL.multipliedBy(3), INTERVAL));
        boolean seen = false;
        for (int n = 0; n < batches.size(); n++) {
            seen |= !batches.get(n).isEmpty();
            long expected = 0;
            for (int b = Math.max(0, n - 2); b <= n; b++) {
                expected += batches.get(b).stream().mapToLong(w -> w.charAt(1)).sum();
            }
            assertThat(out.get(n)).as("batch %d", n).isEqualTo(seen ? List.of(expected) : List.of());
        }
    }

    @Test
    void shouldWindowTheRecordsOfTheLastBatchesAtEachSlide() {
        List<List<String>> batches = batches(8, 14);
        List<List<String>> out = run(batches, words -> words.window(INTERVAL.multipliedBy(3), INTERVAL.multipliedBy(3)));
        for (int n = 0; n < batches.size(); n++) {
            List<String> expected = new ArrayList<>();
            if ((n + 1) % 3 == 0) {
                for (int b = n - 2; b <= n; b++) {
                    expected.addAll(batches.get(b));
                }
            }
            assertThat(out.get(n)).as("batch %d", n).isEqualTo(expected);
        }
    }

    @Test
    void shouldUpdateStateByKeyEveryBatchAndEmitTheWholeState() {
        List<List<String>> batches = batches(9, 14);
        // Running count; a word idle for a batch is forgotten (the function is called without values).
        List<List<KeyValue<String, Long>>> out = run(batches, words -> words.mapToPair(w -> new KeyValue<>(w, 1L))
            .updateStateByKey((List<Long> values, Optional<Long> state) -> values.isEmpty() ? Optional.<Long>empty()
                : Optional.of(state.orElse(0L) + values.size())));
        Map<String, Long> expected = new TreeMap<>();
        for (int n = 0; n < batches.size(); n++) {
            Map<String, Long> batch = counts(batches, n, n);
            expected.keySet().retainAll(batch.keySet());
            batch.forEach((w, c) -> expected.merge(w, c, Long::sum));
            assertThat(asMap(out.get(n))).as("batch %d", n).isEqualTo(expected);
        }
    }

    static String sumWithTimeout(String word, Optional<Long> one, State<Long> state) {
        if (state.isTimingOut()) {
            return word + " idle at " + state.get();
        }
        long count = state.getOption().orElse(0L) + one.orElseThrow();
        state.update(count);
        return word + "=" + count;
    }

    @Test
    void shouldMapWithStatePerRecordAndTimeOutIdleKeysAndSnapshotTheState() {
        List<List<String>> batches = batches(10, 16);
        StateSpec<String, Long, Long, String> spec = StateSpec.function(DStreamQueryTest::sumWithTimeout)
            .timeout(INTERVAL.multipliedBy(2));
        List<List<String>> mapped = run(batches, words -> words.mapToPair(w -> new KeyValue<>(w, 1L)).mapWithState(spec));
        List<List<KeyValue<String, Long>>> snapshots = run(batches,
            words -> words.mapToPair(w -> new KeyValue<>(w, 1L)).mapWithState(spec).stateSnapshots());
        Map<String, Long> state = new TreeMap<>();
        Map<String, Integer> last = new HashMap<>();
        int timeouts = 0;
        for (int n = 0; n < batches.size(); n++) {
            List<String> expected = new ArrayList<>();
            for (String w : batches.get(n)) {
                expected.add(w + "=" + state.merge(w, 1L, Long::sum));
                last.put(w, n);
            }
            List<String> idle = new ArrayList<>();
            for (String w : new ArrayList<>(state.keySet())) {
                if (n - last.get(w) > 2) {
                    idle.add(w + " idle at " + state.remove(w));
                    timeouts++;
                }
            }
            List<String> got = mapped.get(n);
            List<String> all = new ArrayList<>(expected);
            all.addAll(idle);
            assertThat(got).as("batch %d", n).containsExactlyInAnyOrderElementsOf(all);
            for (String w : counts(batches, n, n).keySet()) {
                assertThat(got.stream().filter(r -> r.startsWith(w + "=")).toList()).as("%s's calls in order", w)
                    .isEqualTo(expected.stream().filter(r -> r.startsWith(w + "=")).toList());
            }
            assertThat(asMap(snapshots.get(n))).as("snapshot of batch %d", n).isEqualTo(state);
        }
        assertThat(timeouts).isPositive();
    }

    @Test
    void shouldKeepUpdateStateByKeyAndMapWithStateStateAcrossARestartFromTheCheckpoint() {
        List<List<String>> batches = batches(11, 10);
        Function<DStream<String>, DStream<KeyValue<String, Long>>> running = words -> words
            .mapToPair(w -> new KeyValue<>(w, 1L))
            .updateStateByKey((List<Long> values, Optional<Long> state) -> Optional.of(state.orElse(0L) + values.size()));
        Path first = checkpoints.resolve("updateStateByKey");
        MemoryStream<String> input = Sources.memoryStream("words");
        MemorySink<KeyValue<String, Long>> sink = Sinks.memory("counts");
        run(batches.subList(0, 5), running, first, input, sink, 0);
        List<List<KeyValue<String, Long>>> resumed = run(batches.subList(5, 10), running, first, input, sink, 5);
        assertThat(asMap(resumed.get(4))).as("counts over both runs").isEqualTo(counts(batches, 0, 9));

        Function<DStream<String>, DStream<String>> mapped = words -> words.mapToPair(w -> new KeyValue<>(w, 1L))
            .mapWithState(StateSpec.function(DStreamQueryTest::sumWithTimeout));
        Path second = checkpoints.resolve("mapWithState");
        MemoryStream<String> words = Sources.memoryStream("words2");
        MemorySink<String> mappedSink = Sinks.memory("mapped");
        run(batches.subList(0, 5), mapped, second, words, mappedSink, 0);
        List<List<String>> after = run(batches.subList(5, 10), mapped, second, words, mappedSink, 5);
        Map<String, Long> state = counts(batches, 0, 4);
        List<String> expected = new ArrayList<>();
        for (int n = 5; n < 10; n++) {
            for (String w : batches.get(n)) {
                expected.add(w + "=" + state.merge(w, 1L, Long::sum));
            }
        }
        assertThat(after.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldRejectAWindowThatIsNotAMultipleOfTheBatchIntervalAsSparkDoes() {
        try (Rivulet rivulet = Rivulet.create()) {
            DStream<String> words = rivulet.readStream(Sources.<String>memoryStream("w")).batches(Duration.ofSeconds(2));
            assertThatThrownBy(() -> words.countByValueAndWindow(Duration.ofSeconds(5), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The window duration of windowed DStream (5000 ms) must be a multiple of the slide"
                    + " duration of parent DStream (2000 ms)");
            DStream<String> windowed = words.window(Duration.ofSeconds(8), Duration.ofSeconds(4));
            assertThatThrownBy(() -> windowed.reduceByWindow((a, b) -> a, Duration.ofSeconds(8), Duration.ofSeconds(6)))
                .as("a window of a window: multiples of its slide")
                .hasMessageContaining("The slide duration of windowed DStream (6000 ms) must be a multiple of the slide"
                    + " duration of parent DStream (4000 ms)");
            assertThatThrownBy(() -> rivulet.readStream(Sources.<String>memoryStream("x")).batches(Duration.ZERO))
                .hasMessageContaining("batchInterval must be whole milliseconds between 1 ms and 1 day");
        }
    }

    @Test
    void shouldRejectATriggerOtherThanTheBatchIntervalAtStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            PairDStream<String, Long> counts = rivulet.readStream(Sources.<String>memoryStream("w"))
                .batches(Duration.ofSeconds(2)).countByValue();
            assertThatThrownBy(() -> counts.writeStream(Sinks.memory("a")).trigger(Trigger.processingTime(Duration.ofSeconds(1)))
                .start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has batch interval PT2S but the query's trigger is ProcessingTime(PT1S)");
            assertThatThrownBy(() -> counts.toStream().writeStream(Sinks.memory("b")).start())
                .as("written as a plain stream: the default continuous trigger")
                .hasMessageContaining("the trigger must be Trigger.processingTime(PT2S)");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }
}
