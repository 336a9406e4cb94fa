package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.RateRow;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stop()} keeps open state (only the end of a bounded input emits it as final), resumes it
 * from the checkpoint, and returns within its documented bound at a million rows per second.
 */
@ExtendWith(NoLeakedThreads.class)
class StopTest {
    /** An event: key, event time (ms). */
    record Event(String key, long tsMs) {
    }

    /** The windowed aggregations whose open state a stop must keep. */
    enum Windowing {
        TUMBLING, SESSION
    }

    private static final List<Event> EVENTS = List.of(new Event("a", 1_000), new Event("b", 2_000), new Event("a", 12_000));

    @TempDir
    Path checkpoints;

    private static Stream<WindowedValue<String, Long>> counts(Rivulet rivulet, Source<Event> input, Windowing windowing) {
        KeyedStream<String, Event> keyed = rivulet.readStream(input).withWatermark(Event::tsMs, Duration.ZERO).keyBy(Event::key, 1);
        WindowedStream<String, Event> windowed = windowing == Windowing.TUMBLING
            ? keyed.window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
            : keyed.sessionWindow(Duration.ofSeconds(5), Event::tsMs);
        return windowed.count();
    }

    private static List<String> rows(MemorySink<WindowedValue<String, Long>> sink) {
        return sink.rows().stream().map(r -> r.key() + "@" + r.window().startMs() + "=" + r.value()).sorted().toList();
    }

    /** a's window from 10 s, or its session from 12 s: open when the watermark is 12 s. */
    private static boolean isOpenAtTheStop(String row) {
        return row.equals("a@10000=1") || row.equals("a@12000=1");
    }

    @ParameterizedTest
    @EnumSource(Windowing.class)
    void shouldEmitOnlyClosedWindowsWhenStoppedButEveryWindowAtTheEndOfABoundedInput(Windowing windowing) throws Exception {
        MemorySink<WindowedValue<String, Long>> stopped = Sinks.memory("stopped");
        MemorySink<WindowedValue<String, Long>> ended = Sinks.memory("ended");
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Event> input = Sources.memoryStream("events");
            StreamingQuery query = counts(rivulet, input, windowing).writeStream(stopped).start();
            input.addData(EVENTS);
            query.processAllAvailable();
            query.stop();
            counts(rivulet, Sources.fromIterable(EVENTS), windowing).writeStream(ended).start().awaitTermination();
        }
        // The watermark (12 s) closed a@0 and b@0 (or their sessions); a@10 s (a@12 s) is open.
        assertThat(rows(stopped)).hasSize(2).noneMatch(StopTest::isOpenAtTheStop);
        assertThat(rows(ended)).hasSize(3).containsAll(rows(stopped)).anyMatch(StopTest::isOpenAtTheStop);
    }

    @ParameterizedTest
    @EnumSource(Windowing.class)
    void shouldEmitAWindowOpenAtAStopOnceAfterTheRestartClosesIt(Windowing windowing) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<WindowedValue<String, Long>> sink = Sinks.memory("counts");
        for (List<Event> step : List.of(EVENTS, List.of(new Event("c", 40_000)))) {
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = counts(rivulet, input, windowing).writeStream(sink).checkpointLocation(checkpoints).start();
                input.addData(step);
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(rows(sink)).as("each window once; c is still open").hasSize(3).doesNotHaveDuplicates()
            .anyMatch(StopTest::isOpenAtTheStop);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldNotEmitARunningAggregationAgainAfterAStopAndRestart(boolean microBatch) throws Exception {
        MemoryStream<String> input = Sources.memoryStream("words");
        MemorySink<KeyValue<String, Long>> sink = Sinks.memory("counts");
        for (List<String> step : List.of(List.of("a", "a", "b"), List.of("a"))) {
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = rivulet.readStream(input).keyBy(w -> w, 1).count(EmitPolicy.ON_EPOCH).writeStream(sink)
                    .outputMode("update").trigger(microBatch ? Trigger.processingTime(Duration.ZERO) : Trigger.continuous(10))
                    .checkpointLocation(checkpoints).start();
                input.addData(step);
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(sink.rows()).containsExactly(new KeyValue<>("a", 2L), new KeyValue<>("b", 1L), new KeyValue<>("a", 3L));
    }

    /**
     * A million rows a second into a keyed count: {@code stop()} returns within the stop timeout plus
     * the two abort grace periods whatever the backlog, and the sink holds whole epochs only (each
     * key's count grows epoch by epoch, never a partial epoch's).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldStopWithinTheDocumentedBoundAtAMillionRowsPerSecond(boolean microBatch) throws Exception {
        Duration stopTimeout = Duration.ofSeconds(5);
        Duration bound = stopTimeout.plusSeconds(2);
        MemorySink<KeyValue<Long, Long>> sink = Sinks.memory("rate-counts");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.rate().rowsPerSecond(1_000_000))
                .keyBy((RateRow r) -> r.value() % 8, 1).count(EmitPolicy.ON_EPOCH).writeStream(sink)
                .outputMode("update").trigger(microBatch ? Trigger.processingTime(Duration.ZERO) : Trigger.continuous(10))
                .stopTimeout(stopTimeout).start();
            Conditions.await("100 000 rows processed",
                () -> query.lastProgress() != null && query.lastProgress().totalInputRows() > 100_000);
            long startNs = System.nanoTime();
            query.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - startNs);
            assertThat(took).as("stop() took %s", took).isLessThan(bound);
            assertThat(query.isActive()).isFalse();
            assertThat(query.exception()).isEmpty();
        }
        Map<Long, Long> last = new HashMap<>();
        for (KeyValue<Long, Long> row : sink.rows()) {
            Long before = last.put(row.key(), row.value());
            assertThat(before == null || before < row.value()).as("count of %s after %s", row, before).isTrue();
        }
        assertThat(last).hasSize(8);
    }
}
