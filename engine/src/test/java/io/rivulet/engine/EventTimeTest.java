package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Event time end to end: both execution modes, late data, the watermark guard, idle inputs. */
@ExtendWith(NoLeakedThreads.class)
class EventTimeTest {
    static final long T0 = 1_700_000_000_000L;

    /** An event: key, event time. */
    record Event(String key, long tsMs) {
    }

    /** 200 000 events over 200 s of event time, out of order by up to 400 ms; none late for a 500 ms delay. */
    static List<Event> orderlyEvents() {
        SplittableRandom random = new SplittableRandom(11);
        return LongStream.range(0, 200_000)
            .mapToObj(i -> new Event("k" + random.nextInt(50), T0 + i - (random.nextDouble() < 0.05 ? random.nextInt(401) : 0)))
            .toList();
    }

    @Test
    void shouldEmitSameAppendResultsInContinuousAndMicroBatchModeWhenNoRowIsLate() throws Exception {
        List<Event> events = orderlyEvents();
        Map<String, Long> continuous;
        Map<String, Long> microBatch;
        long finalWatermark;
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<WindowedValue<String, Long>> sink = Sinks.collecting();
            StreamingQuery query = windowedCounts(rivulet, Sources.fromIterable(events)).writeStream(sink).start();
            query.awaitTermination();
            continuous = byWindow(sink.received());
            assertThat(droppedByWatermark(query)).isZero();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Event> input = Sources.memoryStream("events", events.size());
            CollectingSink<WindowedValue<String, Long>> sink = Sinks.collecting();
            StreamingQuery query = windowedCounts(rivulet, input).writeStream(sink).trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            // Several batches, as a real micro-batch run would see them.
            for (int from = 0; from < events.size(); from += 40_000) {
                input.addData(events.subList(from, from + 40_000));
                query.processAllAvailable();
            }
            finalWatermark = query.lastProgress().eventTimeWatermark().toEpochMilli();
            query.stop();
            microBatch = byWindow(sink.received());
            assertThat(droppedByWatermark(query)).isZero();
        }
        // Micro-batch (like Spark) never flushes: it emitted the windows its last watermark closed.
        // Continuous mode emitted those identically, and flushed the rest at the end of input.
        Map<String, Long> closed = continuous.entrySet().stream()
            .filter(e -> Long.parseLong(e.getKey().split("@")[1]) <= finalWatermark)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(microBatch).isNotEmpty().isEqualTo(closed);
        assertThat(continuous.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(events.size());
    }

    private static Stream<WindowedValue<String, Long>> windowedCounts(Rivulet rivulet, Source<Event> source) {
        return rivulet.readStream(source)
            .withWatermark(Event::tsMs, Duration.ofMillis(500))
            .keyBy(Event::key, 2)
            .window(Windows.tumbling(Duration.ofSeconds(1)), Event::tsMs)
            .count();
    }

    private static Map<String, Long> byWindow(List<WindowedValue<String, Long>> rows) {
        Map<String, Long> out = new HashMap<>();
        for (WindowedValue<String, Long> row : rows) {
            Long previous = out.put(row.key() + "@" + row.window().endMs(), row.value());
            assertThat(previous).as("append mode emits each window once: %s", row).isNull();
        }
        return out;
    }

    private static long droppedByWatermark(StreamingQuery query) {
        return query.recentProgress().stream().flatMap(p -> p.stateOperators().stream())
            .mapToLong(QueryProgress.StateOperatorProgress::numRowsDroppedByWatermark).sum();
    }

    @Test
    void shouldCountLateRowsAndDeliverThemToTheLateDataSink() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Event> input = Sources.memoryStream("events");
            CollectingSink<WindowedValue<String, Long>> results = Sinks.collecting();
            CollectingSink<Event> late = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(input)
                .withWatermark(Event::tsMs, Duration.ofSeconds(1))
                .keyBy(Event::key, 1)
                .window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
                .lateData(late)
                .count()
                .writeStream(results)
                .start();
            // The watermark reaches T0+24s; windows ending at or before it take no more rows.
            input.addData(new Event("a", T0 + 1_000), new Event("a", T0 + 25_000),
                new Event("a", T0 + 2_000), new Event("b", T0 + 19_999), new Event("a", T0 + 24_500));
            input.end();
            query.awaitTermination();
            assertThat(late.received()).containsExactly(new Event("a", T0 + 2_000), new Event("b", T0 + 19_999));
            assertThat(droppedByWatermark(query)).isEqualTo(2);
            assertThat(results.received()).extracting(WindowedValue::value).containsExactlyInAnyOrder(1L, 2L);
            assertThat(late.isClosed()).isTrue();
        }
    }

    @Test
    void shouldIgnoreAFarFutureTimestampForTheWatermarkUnderIgnorePolicy() throws Exception {
        // A clock-skewed event a year ahead must not make the rows after it late.
        List<WindowedValue<String, Long>> rows = runWithGuard(WatermarkStrategy.FutureEventPolicy.IGNORE,
            new Event("a", T0), new Event("a", T0 + 365L * 24 * 3600 * 1000), new Event("a", T0 + 5_000), new Event("a", T0 + 30_000));
        assertThat(rows.stream().filter(r -> r.window().endMs() <= T0 + 40_000)).extracting(WindowedValue::value)
            .containsExactlyInAnyOrder(2L, 1L);
    }

    @Test
    void shouldClampAFarFutureTimestampToTheBoundUnderClampPolicy() throws Exception {
        // The year-ahead event moves the watermark only to T0 + 1 min - 1 s: a row at T0 + 70 s still counts.
        List<WindowedValue<String, Long>> rows = runWithGuard(WatermarkStrategy.FutureEventPolicy.CLAMP,
            new Event("a", T0), new Event("a", T0 + 365L * 24 * 3600 * 1000), new Event("a", T0 + 70_000));
        assertThat(rows.stream().filter(r -> r.window().startMs() <= T0 + 70_000 && r.window().endMs() > T0 + 70_000))
            .extracting(WindowedValue::value).containsExactly(1L);
    }

    private static List<WindowedValue<String, Long>> runWithGuard(WatermarkStrategy.FutureEventPolicy policy, Event... events)
        throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Event> input = Sources.memoryStream("events");
            CollectingSink<WindowedValue<String, Long>> results = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(input)
                .withWatermark(Event::tsMs, WatermarkStrategy.delay(Duration.ofSeconds(1)).maxAhead(Duration.ofMinutes(1), policy))
                .keyBy(Event::key, 1)
                .window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
                .count()
                .writeStream(results)
                .start();
            input.addData(events);
            input.end();
            query.awaitTermination();
            assertThat(droppedByWatermark(query)).as(policy.name()).isZero();
            assertThat(query.lastProgress().numFutureEvents()).as(policy.name()).isEqualTo(1);
            return results.received();
        }
    }

    @Test
    void shouldStopHoldingTheWatermarkBackForAnIdleInput() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Event> busy = Sources.memoryStream("busy");
            MemoryStream<Event> quiet = Sources.memoryStream("quiet");
            CollectingSink<WindowedValue<String, Long>> results = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(busy).withWatermark(Event::tsMs, Duration.ZERO)
                .union(rivulet.readStream(quiet).withWatermark(Event::tsMs, Duration.ZERO))
                .keyBy(Event::key, 1)
                .window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
                .count()
                .writeStream(results)
                .idleInputTimeout(Duration.ofMillis(200))
                .start();
            quiet.addData(new Event("q", T0));
            busy.addData(new Event("b", T0 + 1_000), new Event("b", T0 + 60_000));
            // "quiet" says nothing more: after 200 ms it no longer holds the watermark at T0.
            List<WindowedValue<String, Long>> rows = results.awaitReceived(2, Duration.ofSeconds(10));
            assertThat(rows).extracting(WindowedValue::key).containsExactlyInAnyOrder("q", "b");
            query.stop();
        }
    }

    @Test
    void shouldLetTheFastestInputDriveTheWatermarkUnderMaxPolicy() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Event> fast = Sources.memoryStream("fast");
            MemoryStream<Event> slow = Sources.memoryStream("slow");
            CollectingSink<WindowedValue<String, Long>> results = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(fast).withWatermark(Event::tsMs, Duration.ZERO)
                .union(rivulet.readStream(slow).withWatermark(Event::tsMs, Duration.ZERO))
                .keyBy(Event::key, 1)
                .window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
                .count()
                .writeStream(results)
                .multipleWatermarkPolicy("max")
                .start();
            slow.addData(new Event("s", T0 + 1));
            results.awaitReceived(0, Duration.ofSeconds(1));
            fast.addData(new Event("f", T0 + 2), new Event("f", T0 + 60_000));
            List<WindowedValue<String, Long>> rows = results.awaitReceived(1, Duration.ofSeconds(10));
            assertThat(rows.get(0).window().endMs()).isLessThanOrEqualTo(T0 + 60_000);
            query.stop();
        }
    }

    @Test
    void shouldProcessWhatIsAvailableAndStopWithOnceAndAvailableNowTriggers() throws Exception {
        for (Trigger trigger : List.of(Trigger.once(), Trigger.availableNow())) {
            try (Rivulet rivulet = Rivulet.create()) {
                MemoryStream<Event> input = Sources.memoryStream("events");
                input.addData(new Event("a", T0), new Event("a", T0 + 1_000), new Event("b", T0 + 30_000));
                CollectingSink<WindowedValue<String, Long>> results = Sinks.collecting();
                StreamingQuery query = rivulet.readStream(input)
                    .withWatermark(Event::tsMs, Duration.ofSeconds(5))
                    .keyBy(Event::key, 1)
                    .window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
                    .count()
                    .writeStream(results)
                    .trigger(trigger)
                    .start();
                assertThat(query.awaitTermination(10_000)).as(trigger.toString()).isTrue();
                // Once: one data batch, windows stay open. AvailableNow: the no-data batch closes [T0, T0+10s).
                List<Long> counts = results.received().stream().map(WindowedValue::value).toList();
                assertThat(counts).as(trigger.toString()).isEqualTo(trigger.toString().equals("Once") ? List.of() : List.of(2L));
            }
        }
    }

    @Test
    void shouldEmitChangedWindowsPerEpochInUpdateModeAndTheWholeTableInCompleteMode() throws Exception {
        for (OutputMode mode : List.of(OutputMode.UPDATE, OutputMode.COMPLETE)) {
            try (Rivulet rivulet = Rivulet.create()) {
                MemoryStream<Event> input = Sources.memoryStream("events");
                CollectingSink<WindowedValue<String, Long>> results = Sinks.collecting();
                StreamingQuery query = rivulet.readStream(input)
                    .keyBy(Event::key, 1)
                    .window(Windows.tumbling(Duration.ofSeconds(10)), Event::tsMs)
                    .count()
                    .writeStream(results)
                    .outputMode(mode)
                    .trigger(Trigger.processingTime(Duration.ofHours(1)))
                    .start();
                input.addData(new Event("a", T0), new Event("b", T0));
                query.processAllAvailable();
                input.addData(new Event("a", T0 + 1));
                query.processAllAvailable();
                query.stop();
                List<String> rows = results.received().stream().map(r -> r.key() + "=" + r.value()).toList();
                assertThat(rows).as(mode.name()).isEqualTo(mode == OutputMode.UPDATE
                    ? List.of("a=1", "b=1", "a=2") : List.of("a=1", "b=1", "a=2", "b=1"));
            }
        }
    }

    @Test
    void shouldCommitWindowsFlushedAtEndOfInputToBufferingSinks() throws Exception {
        List<Event> events = orderlyEvents();
        try (Rivulet rivulet = Rivulet.create()) {
            MemorySink<WindowedValue<String, Long>> table = Sinks.memory("windows");
            StreamingQuery query = windowedCounts(rivulet, Sources.fromIterable(events)).writeStream(table).start();
            query.awaitTermination();
            // Windows still open at the end are flushed after the last barrier: they must commit too.
            assertThat(table.rows().stream().mapToLong(WindowedValue::value).sum()).isEqualTo(events.size());
            assertThat(query.lastProgress().totalOutputRows()).isEqualTo(table.size());
        }
    }
}
