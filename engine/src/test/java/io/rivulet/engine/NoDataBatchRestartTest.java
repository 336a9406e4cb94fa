package io.rivulet.engine;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A micro-batch query whose last checkpoint is that of a batch after which the watermark moved (so the
 * next batch is a no-data batch that emits outer rows or closes windows) runs that no-data batch after
 * a restart, whether the query stopped right after the checkpoint or failed in the no-data batch itself:
 * each row comes out once, in the batch an uninterrupted run emits it in. With a {@code withWatermark} in
 * a source's task the restored event times alone gave the right watermark; behind a keyed stage (whose
 * {@code withWatermark} event times are not checkpointed) the restarted run ran no batch and the window
 * never came out, until batch {@code N}'s checkpoint saved the next batch's watermark too.
 */
@ExtendWith(NoLeakedThreads.class)
class NoDataBatchRestartTest {
    /** An ad impression (left input). */
    record Impression(String ad, long tsMs) {
    }

    /** A click on an ad (right input). */
    record Click(String ad, long tsMs) {
    }

    /** How the first run ends between the data batch and the no-data batch the watermark calls for. */
    enum Interruption {
        /** No interruption: the reference run. */
        NONE,
        /** Stopped once the data batch committed, before the next trigger. */
        STOP,
        /** The no-data batch fails (the query's function throws on its first row); the restart strategy restarts it. */
        FAILURE
    }

    @TempDir
    Path checkpoints;

    private static final AtomicBoolean POISON = new AtomicBoolean();

    private static String row(String ad, Impression imp, Click click) {
        return ad + " imp@" + (imp == null ? null : imp.tsMs()) + " click@" + (click == null ? null : click.tsMs());
    }

    /** Throws once, when armed, so the batch that emits {@code row} fails. */
    private static <T> T poisonOnce(T row) {
        if (POISON.compareAndSet(true, false)) {
            throw new IllegalStateException("injected failure in the no-data batch");
        }
        return row;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Interruption.class)
    void shouldEmitAnOuterRowOnceInTheNoDataBatchAfterTheWatermarkPassedItsBoundAcrossARestart(Interruption interruption)
        throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        BatchLog sink = new BatchLog();
        // Batch 0 (watermark 0) joins z; the watermark moves to min(30 s, 30 s) - 5 s = 25 s, past a's bound
        // (1 s + 10 s): the no-data batch 1 emits a, never clicked.
        imps.addData(new Impression("a", 1_000), new Impression("z", 30_000));
        clicks.addData(new Click("z", 30_000));
        POISON.set(interruption == Interruption.FAILURE);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ofSeconds(5))
                .keyBy(Impression::ad, 2)
                .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ofSeconds(5)).keyBy(Click::ad),
                    JoinOptions.<Impression, Click>of(JoinType.LEFT_OUTER).withTimeRange(Duration.ZERO, Duration.ofSeconds(10)),
                    NoDataBatchRestartTest::row)
                .map(r -> r.endsWith("click@null") ? poisonOnce(r) : r)
                .writeStream(sink).queryName("outer").trigger(Trigger.processingTime(Duration.ofHours(1)))
                .checkpointLocation(checkpoints).restartStrategy(RestartStrategy.fixedDelay(1, Duration.ZERO)).start();
            runFirst(query, sink, interruption);
        }
        if (interruption == Interruption.STOP) {
            assertThat(sink.batches()).as("stopped after the data batch").containsOnlyKeys(0L);
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ofSeconds(5))
                    .keyBy(Impression::ad, 2)
                    .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ofSeconds(5)).keyBy(Click::ad),
                        JoinOptions.<Impression, Click>of(JoinType.LEFT_OUTER).withTimeRange(Duration.ZERO, Duration.ofSeconds(10)),
                        NoDataBatchRestartTest::row)
                    .map(r -> r.endsWith("click@null") ? poisonOnce(r) : r)
                    .writeStream(sink).queryName("outer").trigger(Trigger.processingTime(Duration.ofHours(1)))
                    .checkpointLocation(checkpoints).start();
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(POISON.get()).as("the injected failure fired").isFalse();
        assertThat(sink.batches()).isEqualTo(Map.of(
            0L, List.of("z imp@30000 click@30000"),
            1L, List.of("a imp@1000 click@null")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Interruption.class)
    void shouldCloseAWindowOnceInTheNoDataBatchAfterTheWatermarkPassedItsEndAcrossARestart(Interruption interruption)
        throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        BatchLog sink = new BatchLog();
        // Batch 0 (watermark 0) counts; the watermark moves to 25 s: the no-data batch 1 closes [0 s, 10 s).
        imps.addData(new Impression("a", 1_000), new Impression("a", 2_000), new Impression("b", 25_000));
        POISON.set(interruption == Interruption.FAILURE);
        try (Rivulet rivulet = Rivulet.create()) {
            runFirst(windowedCounts(rivulet, imps, sink, RestartStrategy.fixedDelay(1, Duration.ZERO)), sink, interruption);
        }
        if (interruption == Interruption.STOP) {
            assertThat(sink.batches()).as("stopped after the data batch").containsOnlyKeys(0L);
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = windowedCounts(rivulet, imps, sink, RestartStrategy.none());
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(POISON.get()).as("the injected failure fired").isFalse();
        assertThat(sink.batches()).isEqualTo(Map.of(0L, List.of(), 1L, List.of("a [0,10000)=2")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Interruption.class)
    void shouldCloseAWindowOnceInTheNoDataBatchAcrossARestartWhenTheWatermarkIsDefinedAfterAKeyedStage(Interruption interruption)
        throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        BatchLog sink = new BatchLog();
        imps.addData(new Impression("a", 1_000), new Impression("a", 2_000), new Impression("b", 25_000));
        POISON.set(interruption == Interruption.FAILURE);
        try (Rivulet rivulet = Rivulet.create()) {
            runFirst(windowedCounts(afterAKeyedStage(rivulet, imps), sink, RestartStrategy.fixedDelay(1, Duration.ZERO)), sink,
                interruption);
        }
        if (interruption == Interruption.STOP) {
            assertThat(sink.batches()).as("stopped after the data batch").containsOnlyKeys(0L);
            try (Rivulet rivulet = Rivulet.create()) {
                StreamingQuery query = windowedCounts(afterAKeyedStage(rivulet, imps), sink, RestartStrategy.none());
                query.processAllAvailable();
                query.stop();
            }
        }
        assertThat(POISON.get()).as("the injected failure fired").isFalse();
        assertThat(sink.batches()).isEqualTo(Map.of(0L, List.of(), 1L, List.of("a [0,10000)=2")));
    }

    /** The {@code withWatermark} runs behind a keyed stage (a deduplication), not in a source's task. */
    private static Stream<Impression> afterAKeyedStage(Rivulet rivulet, MemoryStream<Impression> imps) {
        return rivulet.readStream(imps).dropDuplicates("impression", i -> i.ad() + "@" + i.tsMs())
            .withWatermark(Impression::tsMs, Duration.ZERO);
    }

    private StreamingQuery windowedCounts(Rivulet rivulet, MemoryStream<Impression> imps, BatchLog sink, RestartStrategy restarts) {
        return windowedCounts(rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ZERO), sink, restarts);
    }

    private StreamingQuery windowedCounts(Stream<Impression> watermarked, BatchLog sink, RestartStrategy restarts) {
        return watermarked
            .keyBy(Impression::ad, 2)
            .window(Windows.tumbling(Duration.ofSeconds(10)), Impression::tsMs)
            .count()
            .map((WindowedValue<String, Long> w) -> poisonOnce(w.key() + " [" + w.window().startMs() + "," + w.window().endMs() + ")=" + w.value()))
            .writeStream(sink).queryName("windows").trigger(Trigger.processingTime(Duration.ofHours(1)))
            .checkpointLocation(checkpoints).restartStrategy(restarts).start();
    }

    /**
     * The first trigger (at start) runs the data batch. {@code NONE} and {@code FAILURE} then run what is
     * left ({@code FAILURE}: the no-data batch fails and the restarted run must run it again); {@code STOP}
     * stops once the data batch committed, leaving its checkpoint the last.
     */
    private static void runFirst(StreamingQuery query, BatchLog sink, Interruption interruption) throws Exception {
        if (interruption == Interruption.STOP) {
            Conditions.await("batch 0 committed", () -> sink.batches().containsKey(0L));
        } else {
            query.processAllAvailable();
            assertThat(query.exception()).isEmpty();
        }
        query.stop();
    }

    /**
     * Rows by the batch that committed them, empty batches included. A run's uncommitted rows are dropped
     * when the next run opens the sink (micro-batch: one thread writes, so one buffer suffices).
     */
    private static final class BatchLog implements Sink<String> {
        private final List<String> current = new ArrayList<>();
        private final Map<Long, List<String>> batches = new TreeMap<>();

        @Override
        public String description() {
            return "batch-log";
        }

        @Override
        public synchronized void open(String queryName, int numWriters) {
            current.clear();
        }

        @Override
        public SinkWriter<String> createWriter(int writerIndex) {
            return row -> {
                synchronized (this) {
                    current.add(row);
                }
            };
        }

        @Override
        public synchronized void commit(long epochId) {
            List<String> before = batches.put(epochId, List.copyOf(current));
            assertThat(before).as("batch %s committed twice", epochId).isNull();
            current.clear();
        }

        synchronized Map<Long, List<String>> batches() {
            return new TreeMap<>(batches);
        }
    }
}
