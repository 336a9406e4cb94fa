package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keyed stage with one partition fed by one task runs on that task's thread (no ring) by default,
 * and gives the same results as on a thread of its own.
 */
@ExtendWith(NoLeakedThreads.class)
class FusedKeyedStageTest {
    static final long T0 = 1_700_000_000_000L;
    static final int EVENTS = 200_000;

    /** Event {@code i}: key {@code i % 13}, event time advancing 1 ms per 10 events, every 7th 300 ms late. */
    record Event(int key, long tsMs) {
    }

    static Event event(long i) {
        long ts = T0 + i / 10 - (i % 7 == 0 ? 300 : 0);
        return new Event((int) (i % 13), ts);
    }

    /** Per window: the number of keys that had events, and their total count (a second keyed stage). */
    record WindowTotal(long windowEndMs, int keys, long events) {
    }

    @Test
    void shouldGiveTheSameResultsOnTheSourceThreadAsOnItsOwnThreads() throws Exception {
        Run fused = run(true);
        Run threaded = run(false);

        assertThat(fused.results).isEqualTo(threaded.results);
        assertThat(fused.results.stream().mapToLong(WindowTotal::events).sum()).isEqualTo(EVENTS);
        assertThat(fused.results).hasSize(EVENTS / 10 / 1000 + 1);
        // Fused, both keyed stages and the sink run on the source's thread; otherwise each stage has its own.
        assertThat(fused.writerThreads).singleElement().asString().endsWith("-source-0");
        assertThat(threaded.writerThreads).singleElement().asString().endsWith("-keyed2-0");
        assertThat(fused.watermark).isEqualTo(threaded.watermark).isNotNull();
    }

    @Test
    void shouldPublishToARingExchangeThatFollowsAFusedStage() throws Exception {
        CollectingSink<WindowedValue<Integer, Long>> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream(Sources.generator(EVENTS, FusedKeyedStageTest::event))
                .withWatermark(Event::tsMs, Duration.ofMillis(500))
                .keyBy(Event::key, 1)
                .process("pass-through", () -> (KeyedOperator<Integer, Event, Event>) (k, e, out) -> out.emit(e))
                .keyBy(e -> e.key() % 5, 2)
                .window(Windows.tumbling(Duration.ofSeconds(5)), Event::tsMs)
                .count()
                .writeStream(sink)
                .ringCapacity(64)
                .start()
                .awaitTermination();
        }
        assertThat(sink.received().stream().mapToLong(WindowedValue::value).sum()).isEqualTo(EVENTS);
        for (WindowedValue<Integer, Long> row : sink.received()) {
            long expected = LongStream.range(0, EVENTS).mapToObj(FusedKeyedStageTest::event)
                .filter(e -> e.key() % 5 == row.key() && Math.floorDiv(e.tsMs(), 5000) * 5000 == row.window().startMs())
                .count();
            assertThat(row.value()).as("%s", row).isEqualTo(expected);
        }
    }

    @Test
    @Timeout(120)
    void shouldRunAStageFedByTwoSourcesOnItsFirstSourcesThreadWithoutDeadlockOnAFullRing() throws Exception {
        for (boolean fuse : new boolean[] {true, false}) {
            ThreadRecordingSink recorder = new ThreadRecordingSink();
            try (Rivulet rivulet = Rivulet.create()) {
                // A 64-slot ring: the first source fills the ring to the stage it hosts many times over, and
                // must run the stage itself while it waits, since nothing else will.
                rivulet.readStream(Sources.generator(100_000, i -> i))
                    .union(rivulet.readStream(Sources.generator(100_000, i -> -i - 1)))
                    .keyBy(i -> i % 7, 1)
                    .process("pass-through", () -> (KeyedOperator<Long, Long, Long>) (k, v, out) -> out.emit(v))
                    .writeStream(recorder.sink())
                    .queryName("two-sources")
                    .ringCapacity(64)
                    .fuseKeyedStages(fuse)
                    .workerThreads(1)
                    .start()
                    .awaitTermination();
            }
            assertThat(recorder.count.get()).as("fused %s", fuse).isEqualTo(200_000);
            assertThat(recorder.sum.get()).as("fused %s", fuse).isEqualTo(-100_000L);
            assertThat(recorder.threads).singleElement().isEqualTo(fuse ? "rivulet-two-sources-source-0+keyed1-0"
                : "rivulet-two-sources-keyed1-0");
        }
    }

    @Test
    @Timeout(120)
    void shouldRunAOnePartitionJoinOnItsRightInputsThreadSoTheRowsThatCompleteMatchesSkipTheHop() throws Exception {
        ThreadRecordingSink recorder = new ThreadRecordingSink();
        try (Rivulet rivulet = Rivulet.create()) {
            // Left: source-0 (ids 0..9999); right: source-1 (each id once more). A 64-slot ring: the right source
            // fills the ring to the join it hosts many times over and must run the join itself meanwhile.
            rivulet.readStream(Sources.generator(10_000, i -> i)).keyBy(i -> i, 1)
                .join(rivulet.readStream(Sources.generator(10_000, i -> i)).keyBy(i -> i),
                    JoinType.INNER, (Long key, Long left, Long right) -> key)
                .writeStream(recorder.sink())
                .queryName("join-host")
                .ringCapacity(64)
                .start()
                .awaitTermination();
        }
        assertThat(recorder.count.get()).isEqualTo(10_000);
        assertThat(recorder.threads).singleElement().isEqualTo("rivulet-join-host-source-1+keyed1-0");
    }

    @Test
    void shouldStartEverySourceOfAQueryOnOneScheduleSoTheirEpochBarriersCoincide() throws Exception {
        // Each clock read advances 1 ms: a source that took its own start time would be out of phase.
        AtomicLong now = new AtomicLong();
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        try (Rivulet rivulet = Rivulet.builder().clocks(() -> now.addAndGet(1_000_000), System::currentTimeMillis).build()) {
            rivulet.readStream(recordingStart(starts)).union(rivulet.readStream(recordingStart(starts)))
                .keyBy(i -> i, 1)
                .reduce(Integer::sum)
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .start()
                .awaitTermination();
        }
        assertThat(starts).hasSize(2);
        assertThat(starts.get(0)).isEqualTo(starts.get(1));
    }

    /** A source with no records that notes the schedule start its task gives it. */
    private static Source<Integer> recordingStart(List<Long> starts) {
        return new Source<>() {
            @Override
            public String description() {
                return "start-recording";
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public SourceReader<Integer> open(SourceContext context) {
                starts.add(context.nanoTime());
                return (out, limit) -> SourceReader.END_OF_INPUT;
            }
        };
    }

    private record Run(List<WindowTotal> results, Set<String> writerThreads, Instant watermark) {
    }

    private static Run run(boolean fuse) throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<WindowTotal> results = new ArrayList<>();
        Sink<WindowTotal> sink = new Sink<>() {
            @Override
            public String description() {
                return "thread-recording";
            }

            @Override
            public SinkWriter<WindowTotal> createWriter(int writerIndex) {
                return row -> {
                    threads.add(Thread.currentThread().getName());
                    synchronized (results) {
                        results.add(row);
                    }
                };
            }
        };
        Instant watermark;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(EVENTS, FusedKeyedStageTest::event))
                .withWatermark(Event::tsMs, Duration.ofMillis(500))
                .keyBy(Event::key, 1)
                .window(Windows.tumbling(Duration.ofSeconds(1)), Event::tsMs)
                .count()
                .keyBy(row -> row.window().endMs(), 1)
                .process("window-total", WindowTotals::new)
                .writeStream(sink)
                .fuseKeyedStages(fuse)
                .workerThreads(2)
                .start();
            query.awaitTermination();
            watermark = query.lastProgress().eventTimeWatermark();
        }
        results.sort(Comparator.comparingLong(WindowTotal::windowEndMs));
        return new Run(results, threads, watermark);
    }

    /** Sums a window's per-key counts and emits the total when the watermark passes the window. */
    static final class WindowTotals implements KeyedOperator<Long, WindowedValue<Integer, Long>, WindowTotal> {
        private final TreeMap<Long, long[]> open = new TreeMap<>();

        @Override
        public void process(Long windowEndMs, WindowedValue<Integer, Long> row, Output<WindowTotal> out) {
            long[] total = open.computeIfAbsent(windowEndMs, w -> new long[2]);
            total[0]++;
            total[1] += row.value();
        }

        @Override
        public void onWatermark(long watermarkMs, Output<WindowTotal> out) {
            while (!open.isEmpty() && open.firstKey() <= watermarkMs) {
                var first = open.pollFirstEntry();
                out.emit(new WindowTotal(first.getKey(), (int) first.getValue()[0], first.getValue()[1]));
            }
        }

        @Override
        public void onEnd(Output<WindowTotal> out) {
            onWatermark(Long.MAX_VALUE, out);
        }
    }
}
