package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.process.KeyedProcessFunction;
import io.rivulet.operators.process.OutputTag;
import io.rivulet.operators.state.KeyedStateStore;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A query with a checkpoint location, stopped (or failed) and started again on the same location,
 * produces exactly the output of a run without interruption: nothing lost, nothing twice.
 */
@ExtendWith(NoLeakedThreads.class)
class CheckpointRestartTest {
    /** An event: key, event time (ms). */
    record Event(String key, long tsMs) {
    }

    @TempDir
    Path checkpoints;

    /** Events of keys a..e, 10 per second of event time, for {@code seconds} seconds from {@code fromSecond}. */
    private static List<Event> events(int fromSecond, int seconds) {
        List<Event> events = new ArrayList<>();
        for (int s = fromSecond; s < fromSecond + seconds; s++) {
            for (int i = 0; i < 10; i++) {
                events.add(new Event(String.valueOf((char) ('a' + (s * 7 + i) % 5)), s * 1000L + i * 100));
            }
        }
        return events;
    }

    private static StreamingQuery windowedCounts(Rivulet rivulet, MemoryStream<Event> input, MemorySink<WindowedValue<String, Long>> sink,
                                                 Path checkpoints, int partitions, Duration window) {
        return rivulet.readStream(input)
            .withWatermark(Event::tsMs, Duration.ZERO)
            .keyBy(Event::key, partitions)
            .window(Windows.tumbling(window), Event::tsMs)
            .count()
            .writeStream(sink)
            .queryName("windowed")
            .trigger(Trigger.continuous(Duration.ofMillis(10)))
            .checkpointLocation(checkpoints)
            .start();
    }

    /** Window start → key → count, failing on a (window, key) emitted twice. */
    private static Map<String, Long> byWindow(List<WindowedValue<String, Long>> rows) {
        Map<String, Long> result = new TreeMap<>();
        for (WindowedValue<String, Long> row : rows) {
            Long before = result.put(row.window().startMs() + "/" + row.key(), row.value());
            assertThat(before).as("window %s of %s emitted twice", row.window(), row.key()).isNull();
        }
        return result;
    }

    /** What an uninterrupted run emits for the same input: every window the final watermark closed. */
    private static Map<String, Long> expected(List<Event> all, long watermarkMs, long windowMs) {
        Map<String, Long> result = new TreeMap<>();
        for (Event e : all) {
            long start = e.tsMs() - e.tsMs() % windowMs;
            if (start + windowMs <= watermarkMs) {
                result.merge(start + "/" + e.key(), 1L, Long::sum);
            }
        }
        return result;
    }

    @ParameterizedTest(name = "{0} partition(s) after a stop with 2")
    @ValueSource(ints = {2, 1, 3})
    void shouldResumeAfterAStopExactlyWhereItStoppedInAnyPartitionCount(int partitionsAfter) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<WindowedValue<String, Long>> sink = Sinks.memory("counts");
        List<Event> first = events(0, 25);
        List<Event> second = events(25, 20);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = windowedCounts(rivulet, input, sink, checkpoints, 2, Duration.ofSeconds(10));
            input.addData(first);
            query.processAllAvailable();
            // Windows [0,10) and [10,20) closed; [20,30) is open: a stop must keep it, not emit it.
            query.stop();
        }
        assertThat(byWindow(sink.rows())).isEqualTo(expected(first, 24_900, 10_000));
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = windowedCounts(rivulet, input, sink, checkpoints, partitionsAfter, Duration.ofSeconds(10));
            input.addData(second);
            query.processAllAvailable();
            query.stop();
        }
        List<Event> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(byWindow(sink.rows())).isEqualTo(expected(all, 44_900, 10_000)).hasSize(20);
    }

    private static StreamingQuery runningCounts(Rivulet rivulet, MemoryStream<Event> input,
                                                MemorySink<KeyValue<String, Long>> sink,
                                                Path checkpoints, int partitions) {
        return rivulet.readStream(input)
            .keyBy(Event::key, partitions)
            .count()
            .writeStream(sink)
            .outputMode("update")
            .queryName("running")
            .trigger(Trigger.continuous(Duration.ofMillis(10)))
            .checkpointLocation(checkpoints)
            .start();
    }

    @ParameterizedTest(name = "{0} partition(s) after a stop with 2")
    @ValueSource(ints = {2, 1, 3})
    void shouldRestoreRunningCountsFromCheckpointsThatKeptUnchangedKeyGroups(int partitionsAfter) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<KeyValue<String, Long>> sink = Sinks.memory("counts");
        List<Event> everyKey = IntStream.range(0, 2_000).mapToObj(i -> new Event("key" + i, i)).toList();
        Map<String, Long> expected = new TreeMap<>();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = runningCounts(rivulet, input, sink, checkpoints, 2);
            input.addData(everyKey);
            query.processAllAvailable();
            // Small epochs after the big one: each checkpoint keeps all key groups but one or two.
            for (int round = 0; round < 6; round++) {
                input.addData(new Event("key" + round * 7, round), new Event("key" + round * 7, round));
                query.processAllAvailable();
            }
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = runningCounts(rivulet, input, sink, checkpoints, partitionsAfter);
            input.addData(everyKey);
            query.processAllAvailable();
            query.stop();
        }
        for (Event e : everyKey) {
            expected.merge(e.key(), 2L, Long::sum);
        }
        for (int round = 0; round < 6; round++) {
            expected.merge("key" + round * 7, 2L, Long::sum);
        }
        Map<String, Long> last = new TreeMap<>();
        for (KeyValue<String, Long> row : sink.rows()) {
            Long before = last.put(row.key(), row.value());
            assertThat(row.value()).as("counts of %s rise: no update emitted twice", row.key())
                .isGreaterThan(before == null ? 0 : before);
        }
        assertThat(last).isEqualTo(expected);
    }

    @Test
    void shouldResumeAMicroBatchQueryWithSparksBatchWatermarkAfterAStop() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<WindowedValue<String, Long>> sink = Sinks.memory("batches");
        List<Event> first = events(0, 25);
        List<Event> second = events(25, 20);
        List<Long> batchIds = new ArrayList<>();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = microBatchCounts(rivulet, input, sink);
            input.addData(first);
            query.processAllAvailable();
            query.recentProgress().forEach(p -> batchIds.add(p.batchId()));
            query.stop();
        }
        // Spark's rule: the batch that read the data ran with the old watermark, a no-data batch then closed
        // windows [0,10) and [10,20) with watermark 24.9 s; [20,30) stays open across the restart.
        assertThat(byWindow(sink.rows())).isEqualTo(expected(first, 24_900, 10_000));
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = microBatchCounts(rivulet, input, sink);
            input.addData(second);
            query.processAllAvailable();
            assertThat(query.recentProgress().get(0).batchId()).as("batch ids go on from the checkpoint")
                .isGreaterThan(batchIds.get(batchIds.size() - 1));
            query.stop();
        }
        List<Event> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(byWindow(sink.rows())).isEqualTo(expected(all, 44_900, 10_000));
    }

    private StreamingQuery microBatchCounts(Rivulet rivulet, MemoryStream<Event> input,
                                            MemorySink<WindowedValue<String, Long>> sink) {
        return rivulet.readStream(input)
            .withWatermark(Event::tsMs, Duration.ZERO)
            .keyBy(Event::key, 2)
            .window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
            .count()
            .writeStream(sink)
            .queryName("batches")
            .trigger(Trigger.processingTime(Duration.ofHours(1)))
            .checkpointLocation(checkpoints)
            .start();
    }

    @Test
    void shouldRefuseARestartWhoseWindowChangedNamingTheChange() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = windowedCounts(rivulet, input, Sinks.memory("a"), checkpoints, 1, Duration.ofSeconds(10));
            input.addData(events(0, 3));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> windowedCounts(rivulet, input, Sinks.memory("b"), checkpoints, 1, Duration.ofSeconds(20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("its stateful plan changed")
                .hasMessageContaining("10000")
                .hasMessageContaining("20000");
        }
    }

    @Test
    void shouldRefuseARestartWhoseNamedGroupingKeyChangedNamingBothKeys() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = countsBy(rivulet, input, "key", Event::key);
            input.addData(events(0, 2));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> countsBy(rivulet, input, "second", e -> e.tsMs() / 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("by key'")
                .hasMessageContaining("by second'");
            // The same key name restarts.
            countsBy(rivulet, input, "key", Event::key).stop();
        }
    }

    private StreamingQuery countsBy(Rivulet rivulet, MemoryStream<Event> input, String keyName,
                                    Function<Event, ?> key) {
        return rivulet.readStream(input)
            .keyBy(keyName, key)
            .count()
            .writeStream(Sinks.memory("by-" + keyName))
            .outputMode("update")
            .checkpointLocation(checkpoints)
            .start();
    }

    @Test
    void shouldKeepTheQueryIdAcrossRestartsAndMakeANewRunId() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        UUID id;
        UUID runId;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = windowedCounts(rivulet, input, Sinks.memory("a"), checkpoints, 1, Duration.ofSeconds(10));
            id = query.id();
            runId = query.runId();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = windowedCounts(rivulet, input, Sinks.memory("a"), checkpoints, 1, Duration.ofSeconds(10));
            assertThat(query.id()).isEqualTo(id);
            assertThat(query.runId()).isNotEqualTo(runId);
            query.stop();
        }
    }

    /** Counts per key in keyed state; fails once when it sees the poison record. */
    static final class CountingFunction extends KeyedProcessFunction<String, Event, String> {
        static volatile boolean poisonArmed;
        /** When set, the poison record fails every time it is seen. */
        static volatile boolean alwaysPoison;
        private ValueState<Long> count;

        @Override
        public void open(KeyedStateStore states) {
            count = states.state(StateDescriptor.value("count", StateCodecs.longs()));
        }

        @Override
        public void processElement(Event value, Context<String, String> ctx, Output<String> out) {
            if (value.tsMs() < 0 && (poisonArmed || alwaysPoison)) {
                poisonArmed = false;
                throw new IllegalStateException("poison");
            }
            long next = (count.value() == null ? 0 : count.value()) + 1;
            count.update(next);
            out.emit(ctx.currentKey() + "=" + next);
        }
    }

    @Test
    void shouldRestoreKeyedStateAfterAFailureAndEmitEachUpdateOnce() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<String> sink = Sinks.memory("counts");
        CountingFunction.poisonArmed = true;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, sink);
            input.addData(IntStream.range(0, 30).mapToObj(i -> new Event("k" + i % 3, i)).toList());
            query.processAllAvailable();
            input.addData(new Event("k0", -1));
            assertThatThrownBy(query::awaitTermination).hasRootCauseMessage("poison");
        }
        // The failed epoch's output was never committed; the restart replays it from the checkpoint.
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, sink);
            input.addData(new Event("k1", 100));
            query.processAllAvailable();
            query.stop();
        }
        List<String> rows = sink.rows();
        assertThat(rows).doesNotHaveDuplicates();
        assertThat(rows).contains("k0=10", "k0=11", "k1=11", "k2=10");
        assertThat(rows).hasSize(32);
    }

    @Test
    void shouldRecoverFromAFailureThroughTheRestartStrategyWithExactlyOnceOutput() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<String> sink = Sinks.memory("retried");
        CountingFunction.poisonArmed = true;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, sink, RestartStrategy.fixedDelay(3, Duration.ofMillis(10)));
            input.addData(IntStream.range(0, 30).mapToObj(i -> new Event("k" + i % 3, i)).toList());
            query.processAllAvailable();
            input.addData(new Event("k0", -1));
            input.addData(new Event("k2", 200));
            query.processAllAvailable();
            assertThat(query.isActive()).isTrue();
            assertThat(query.exception()).isEmpty();
            query.stop();
        }
        assertThat(sink.rows()).doesNotHaveDuplicates().hasSize(32).contains("k0=11", "k2=11");
    }

    @Test
    void shouldFailWithTheOriginalCauseWhenRestartsInARowAreUsedUp() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        CountingFunction.alwaysPoison = true;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, Sinks.memory("exhausted"),
                RestartStrategy.fixedDelay(2, Duration.ofMillis(5)));
            input.addData(new Event("k0", 1), new Event("k0", -1));
            assertThatThrownBy(query::awaitTermination).hasRootCauseMessage("poison");
            assertThat(query.isActive()).isFalse();
        } finally {
            CountingFunction.alwaysPoison = false;
        }
    }

    /** Counts per key; every 5th record of a key also goes to the "fifth" side output. */
    static final class CountWithSideOutput extends KeyedProcessFunction<String, Event, String> {
        static final OutputTag<String> FIFTH = OutputTag.of("fifth");
        private ValueState<Long> count;

        @Override
        public void open(KeyedStateStore states) {
            count = states.state(StateDescriptor.value("count", StateCodecs.longs()));
        }

        @Override
        public void processElement(Event value, Context<String, String> ctx, Output<String> out) {
            long next = (count.value() == null ? 0 : count.value()) + 1;
            count.update(next);
            out.emit(ctx.currentKey() + "=" + next);
            if (next % 5 == 0) {
                ctx.output(FIFTH, ctx.currentKey() + "#" + next);
            }
        }
    }

    @Test
    void shouldRouteSideOutputsToTheirSinksExactlyOnceAcrossARestart() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<String> counts = Sinks.memory("counts");
        MemorySink<String> fifths = Sinks.memory("fifths");
        for (int run = 0; run < 2; run++) {
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = rivulet.readStream(input)
                    .keyBy(Event::key, 2)
                    .transformWithState("count", CountWithSideOutput::new,
                        SideOutput.to(CountWithSideOutput.FIFTH, fifths))
                    .writeStream(counts)
                    .queryName("sides")
                    .checkpointLocation(checkpoints)
                    .start();
                int from = run * 30;
                input.addData(IntStream.range(from, from + 30).mapToObj(i -> new Event("k" + i % 3, i)).toList());
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(counts.rows()).hasSize(60).doesNotHaveDuplicates().contains("k0=20", "k1=20", "k2=20");
        assertThat(fifths.rows()).containsExactlyInAnyOrder("k0#5", "k0#10", "k0#15", "k0#20", "k1#5", "k1#10",
            "k1#15", "k1#20", "k2#5", "k2#10", "k2#15", "k2#20");
    }

    @Test
    void shouldFailNamingATagThatHasNoSideOutput() throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .keyBy(Event::key, 1)
                .transformWithState("count", CountWithSideOutput::new)
                .writeStream(Sinks.memory("unrouted"))
                .start();
            input.addData(IntStream.range(0, 5).mapToObj(i -> new Event("k", i)).toList());
            assertThatThrownBy(query::processAllAvailable).hasStackTraceContaining("fifth");
            query.stop();
        }
    }

    @Test
    void shouldRefuseARestartStrategyWithoutACheckpointLocation() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream(Sources.memoryStream("x")).writeStream(Sinks.memory("y"))
                .restartStrategy(RestartStrategy.fixedDelay(1, Duration.ZERO)).start())
                .hasMessageContaining("needs a checkpoint location");
        }
    }

    private StreamingQuery counting(Rivulet rivulet, MemoryStream<Event> input, MemorySink<String> sink) {
        return counting(rivulet, input, sink, RestartStrategy.none());
    }

    private StreamingQuery counting(Rivulet rivulet, MemoryStream<Event> input, MemorySink<String> sink,
                                    RestartStrategy restarts) {
        return rivulet.readStream(input)
            .keyBy(Event::key, 2)
            .transformWithState("count", CountingFunction::new)
            .writeStream(sink)
            .queryName("counting")
            .trigger(Trigger.continuous(Duration.ofMillis(10)))
            .checkpointLocation(checkpoints)
            .restartStrategy(restarts)
            .start();
    }
}
