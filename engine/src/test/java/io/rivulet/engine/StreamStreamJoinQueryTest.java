package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.join.JoinType;
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
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stream-stream joins through the public API ({@code left.keyBy(..).join(right.keyBy(..), options, fn)}) in
 * both modes: results, outer rows once the watermark passes the bound, late rows per side, per-side state in
 * progress, the state budget, checkpoint and restore, Spark's start-time rules and the unbounded-state
 * warning, and the property that continuous mode's results equal micro-batch mode's on a randomized
 * out-of-order stream with nothing late.
 */
@ExtendWith(NoLeakedThreads.class)
class StreamStreamJoinQueryTest {
    /** An ad impression (left input). */
    record Impression(String ad, long tsMs) {
    }

    /** A click on an ad (right input). */
    record Click(String ad, long tsMs) {
    }

    @TempDir
    Path checkpoints;

    private static final JoinOptions<Impression, Click> WITHIN_10S_LEFT_OUTER = JoinOptions.<Impression, Click>of(JoinType.LEFT_OUTER)
        .withTimeRange(Duration.ZERO, Duration.ofSeconds(10));

    /** {@code "ad imp@ts click@ts"}, {@code click@null} for an impression never clicked. */
    private static String row(String ad, Impression imp, Click click) {
        return ad + " imp@" + (imp == null ? null : imp.tsMs()) + " click@" + (click == null ? null : click.tsMs());
    }

    private static Stream<String> adJoin(Rivulet rivulet, MemoryStream<Impression> imps, MemoryStream<Click> clicks,
                                         JoinOptions<Impression, Click> options, int partitions) {
        return rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ofSeconds(5)).keyBy(Impression::ad, partitions)
            .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ofSeconds(5)).keyBy(Click::ad), options,
                StreamStreamJoinQueryTest::row);
    }

    private static Trigger trigger(boolean microBatch) {
        return microBatch ? Trigger.processingTime(Duration.ofHours(1)) : Trigger.continuous(Duration.ofMillis(5));
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitEachMatchAndEachNeverClickedImpressionOnceTheWatermarkPassesItsBound(boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = adJoin(rivulet, imps, clicks, WITHIN_10S_LEFT_OUTER, 2).writeStream(sink)
                .trigger(trigger(microBatch)).start();
            // Impressions first: in continuous mode an input with no watermark yet does not hold the merged one back.
            imps.addData(new Impression("a", 1_000), new Impression("b", 2_000), new Impression("c", 3_000));
            query.processAllAvailable();
            clicks.addData(new Click("a", 4_000), new Click("c", 20_000));
            query.processAllAvailable();
            // c's click (20 s) is out of its range [3 s, 13 s]; the watermark (min of 3 s - 5 s, 20 s - 5 s) is -2 s.
            assertThat(sink.rows()).containsExactly(row("a", new Impression("a", 1_000), new Click("a", 4_000)));
            // b's click before d's impression: in continuous mode d (40 s) would move the merged watermark to
            // 15 s (the clicks' watermark), and the click at 11 s would be late.
            clicks.addData(new Click("b", 11_000));
            query.processAllAvailable();
            imps.addData(new Impression("d", 40_000));
            clicks.addData(new Click("d", 41_000));
            query.processAllAvailable();
            query.stop();
        }
        // Watermark now 35 s: impressions at or before 35 s - 10 s - 1 ms can match no click; c was never clicked.
        assertThat(sink.rows()).containsExactlyInAnyOrder(
            row("a", new Impression("a", 1_000), new Click("a", 4_000)),
            row("b", new Impression("b", 2_000), new Click("b", 11_000)),
            row("d", new Impression("d", 40_000), new Click("d", 41_000)),
            row("c", new Impression("c", 3_000), null));
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitEveryPairOfAnInnerJoinWithoutATimeRange(boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).keyBy(Impression::ad)
                .join(rivulet.readStream(clicks).keyBy(Click::ad), JoinType.INNER, StreamStreamJoinQueryTest::row)
                .writeStream(sink).trigger(trigger(microBatch)).start();
            imps.addData(new Impression("a", 1), new Impression("a", 2));
            clicks.addData(new Click("a", 100), new Click("b", 5));
            query.processAllAvailable();
            imps.addData(new Impression("b", 1_000_000));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder(
            row("a", new Impression("a", 1), new Click("a", 100)), row("a", new Impression("a", 2), new Click("a", 100)),
            row("b", new Impression("b", 1_000_000), new Click("b", 5)));
    }

    @Test
    void shouldEmitALeftRowOnceInALeftSemiJoin() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = adJoin(rivulet, imps, clicks, JoinOptions.<Impression, Click>of(JoinType.LEFT_SEMI)
                .withTimeRange(Duration.ZERO, Duration.ofSeconds(10)), 2).writeStream(sink).trigger(trigger(false)).start();
            imps.addData(new Impression("a", 1_000), new Impression("b", 1_000));
            query.processAllAvailable();
            clicks.addData(new Click("a", 2_000), new Click("a", 3_000), new Click("b", 30_000));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactly(row("a", new Impression("a", 1_000), null));
    }

    @Test
    void shouldCountEachSidesLateRowsSendThemToItsLateSinkAndShowEachSidesStateInProgress() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<Impression> lateImps = Sinks.memory("lateImpressions");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ZERO)
                .keyBy(Impression::ad).lateData(lateImps)
                .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ZERO).keyBy(Click::ad),
                    JoinOptions.<Impression, Click>of(JoinType.INNER).withTimeRange(Duration.ZERO, Duration.ofSeconds(100)),
                    StreamStreamJoinQueryTest::row)
                .writeStream(sink).trigger(trigger(true)).start();
            imps.addData(new Impression("a", 50_000), new Impression("b", 60_000));
            clicks.addData(new Click("a", 50_000));
            query.processAllAvailable();
            // Batch watermark 50 s: the impression at 10 s and the click at 20 s are late.
            imps.addData(new Impression("c", 10_000), new Impression("d", 70_000));
            clicks.addData(new Click("b", 20_000), new Click("x", 90_000));
            query.processAllAvailable();
            QueryProgress.StateOperatorProgress op = query.recentProgress().stream()
                .filter(p -> p.numInputRows() == 4).findFirst().orElseThrow().stateOperators().get(0);
            assertThat(op.operator()).isEqualTo("symmetricHashJoin");
            assertThat(op.numRowsDroppedByWatermark()).isEqualTo(2);
            assertThat(op.numRowsTotal()).isEqualTo(5);
            assertThat(op.customMetrics()).containsEntry(QueryProgress.StateOperatorProgress.LEFT_ROWS_DROPPED_BY_WATERMARK, 1L)
                .containsEntry(QueryProgress.StateOperatorProgress.RIGHT_ROWS_DROPPED_BY_WATERMARK, 1L)
                .containsEntry(QueryProgress.StateOperatorProgress.LEFT_STATE_ROWS, 3L)
                .containsEntry(QueryProgress.StateOperatorProgress.RIGHT_STATE_ROWS, 2L);
            assertThat(op.customMetrics().get(QueryProgress.StateOperatorProgress.LEFT_MEMORY_USED_BYTES))
                .isGreaterThan(op.customMetrics().get(QueryProgress.StateOperatorProgress.RIGHT_MEMORY_USED_BYTES));
            query.stop();
        }
        assertThat(lateImps.rows()).containsExactly(new Impression("c", 10_000));
        assertThat(sink.rows()).containsExactly(row("a", new Impression("a", 50_000), new Click("a", 50_000)));
    }

    @Test
    void shouldFailTheQueryNamingTheBudgetWhenTheJoinStateExceedsMaxStateRows() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).keyBy(Impression::ad, 1)
                .join(rivulet.readStream(clicks).keyBy(Click::ad),
                    JoinOptions.<Impression, Click>of(JoinType.INNER).withMaxStateRows(3), StreamStreamJoinQueryTest::row)
                .writeStream(Sinks.<String>memory("joined")).trigger(trigger(false)).start();
            imps.addData(new Impression("a", 1), new Impression("b", 2), new Impression("c", 3), new Impression("d", 4));
            assertThatThrownBy(query::processAllAvailable).isInstanceOf(StreamingQueryException.class)
                .hasMessageContaining("join state budget exceeded").hasMessageContaining("maxStateRows 3");
            assertThat(query.exception()).isPresent();
        }
    }

    private StreamingQuery checkpointed(Rivulet rivulet, MemoryStream<Impression> imps, MemoryStream<Click> clicks,
                                        MemorySink<String> sink, int partitions, boolean microBatch) {
        return adJoin(rivulet, imps, clicks, WITHIN_10S_LEFT_OUTER, partitions).writeStream(sink).queryName("adJoin")
            .trigger(trigger(microBatch)).checkpointLocation(checkpoints).start();
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldRestoreBothSidesBuffersFromTheCheckpointIntoAnotherPartitionCount(boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, sink, 2, microBatch);
            imps.addData(new Impression("a", 1_000), new Impression("b", 2_000));
            clicks.addData(new Click("c", 3_000));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, sink, 3, microBatch);
            // a's impression (before the stop) meets its click (after); b's never comes: an outer row once the watermark passes.
            clicks.addData(new Click("a", 5_000));
            imps.addData(new Impression("c", 2_500));
            query.processAllAvailable();
            imps.addData(new Impression("z", 60_000));
            clicks.addData(new Click("z", 60_000));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder(
            row("a", new Impression("a", 1_000), new Click("a", 5_000)),
            row("c", new Impression("c", 2_500), new Click("c", 3_000)),
            row("z", new Impression("z", 60_000), new Click("z", 60_000)),
            row("b", new Impression("b", 2_000), null));
    }

    @Test
    void shouldRejectAJoinInUpdateOrCompleteModeAtStart() throws Exception {
        for (String mode : List.of("update", "complete")) {
            try (Rivulet rivulet = Rivulet.create()) {
                Stream<String> joined = adJoin(rivulet, Sources.memoryStream("i"), Sources.memoryStream("c"),
                    WITHIN_10S_LEFT_OUTER, 1);
                assertThatThrownBy(() -> joined.writeStream(Sinks.<String>memory("out")).outputMode(mode).start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Join between two streaming DataFrames/Datasets is not supported in")
                    .hasMessageContaining("only in Append output mode");
                assertThat(rivulet.streams().active()).isEmpty();
            }
        }
    }

    @Test
    void shouldRejectAnOuterJoinWithoutAWatermarkOnTheNullableSideOrWithoutATimeRange() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<String> leftWatermarkOnly = rivulet.readStream(Sources.<Impression>memoryStream("i"))
                .withWatermark(Impression::tsMs, Duration.ZERO).keyBy(Impression::ad)
                .join(rivulet.readStream(Sources.<Click>memoryStream("c")).keyBy(Click::ad),
                    JoinOptions.<Impression, Click>of(JoinType.LEFT_OUTER).withEventTimes(Impression::tsMs, Click::tsMs)
                        .withTimeRange(Duration.ZERO, Duration.ofSeconds(1)), StreamStreamJoinQueryTest::row);
            assertThatThrownBy(() -> leftWatermarkOnly.writeStream(Sinks.<String>memory("out")).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not supported"
                    + " without a watermark in the join keys, or a watermark on the nullable side and an appropriate range"
                    + " condition")
                .hasMessageContaining("no watermark on its right input");
            Stream<String> noRange = adJoin(rivulet, Sources.memoryStream("i2"), Sources.memoryStream("c2"),
                JoinOptions.of(JoinType.FULL_OUTER), 1);
            assertThatThrownBy(() -> noRange.writeStream(Sinks.<String>memory("out")).start())
                .hasMessageContaining("Stream-stream FullOuter join").hasMessageContaining("no time range");
        }
    }

    @Test
    void shouldRejectATimeRangeWhoseEventTimeIsNotKnownAndAcceptItGivenExplicitly() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            JoinOptions<Impression, Click> inner = JoinOptions.<Impression, Click>of(JoinType.INNER)
                .withTimeRange(Duration.ZERO, Duration.ofSeconds(1));
            Stream<String> mapped = rivulet.readStream(Sources.<Impression>memoryStream("i"))
                .withWatermark(Impression::tsMs, Duration.ZERO).map(i -> new Impression(i.ad(), i.tsMs())).keyBy(Impression::ad)
                .join(rivulet.readStream(Sources.<Click>memoryStream("c")).withWatermark(Click::tsMs, Duration.ZERO)
                    .keyBy(Click::ad), inner, StreamStreamJoinQueryTest::row);
            assertThatThrownBy(() -> mapped.writeStream(Sinks.<String>memory("out")).start())
                .hasMessageContaining("does not know the event time of its left rows");
            MemoryStream<Impression> imps = Sources.memoryStream("i2");
            MemoryStream<Click> clicks = Sources.memoryStream("c2");
            MemorySink<String> sink = Sinks.memory("out2");
            StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ZERO)
                .map(i -> new Impression(i.ad(), i.tsMs())).keyBy(Impression::ad)
                .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ZERO).keyBy(Click::ad),
                    inner.withEventTimes(Impression::tsMs, Click::tsMs), StreamStreamJoinQueryTest::row)
                .writeStream(sink).trigger(trigger(true)).start();
            imps.addData(new Impression("a", 1_000));
            clicks.addData(new Click("a", 1_500), new Click("a", 5_000));
            query.processAllAvailable();
            query.stop();
            assertThat(sink.rows()).containsExactly(row("a", new Impression("a", 1_000), new Click("a", 1_500)));
        }
    }

    @Test
    void shouldRejectAJoinInputThatCopiesRecords() {
        try (Rivulet rivulet = Rivulet.create()) {
            KeyedStream<String, Click> copying = rivulet.readStream(Sources.<Click>memoryStream("c")).keyBy(Click::ad)
                .copyingRecords(new RecordCopier<>() {
                    @Override
                    public Click newInstance() {
                        return new Click("", 0);
                    }

                    @Override
                    public void copy(Click from, Click to) {
                    }
                });
            KeyedStream<String, Impression> left = rivulet.readStream(Sources.<Impression>memoryStream("i")).keyBy(Impression::ad);
            assertThatThrownBy(() -> left.join(copying, JoinType.INNER, StreamStreamJoinQueryTest::row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the right input copies records");
        }
    }

    @Test
    void shouldWarnAtStartThatAnInnerJoinWithoutWatermarksKeepsItsStateForever() throws Exception {
        Logger logger = Logger.getLogger("io.rivulet.engine.runtime.QueryValidator");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.<Impression>memoryStream("i")).keyBy(Impression::ad)
                .join(rivulet.readStream(Sources.<Click>memoryStream("c")).keyBy(Click::ad), JoinType.INNER,
                    StreamStreamJoinQueryTest::row)
                .writeStream(Sinks.<String>memory("out")).queryName("forever").trigger(trigger(true)).start();
            query.stop();
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("query 'forever'").contains("symmetricHashJoin")
                .contains("grows without bound").contains("no left watermark");
        });
    }

    /**
     * Continuous mode's rows equal micro-batch mode's on randomized, out-of-order inputs with no late row:
     * each input's event times go back at most 4 s while the watermark delay is 5 s, so no row is ever
     * at or behind the merged watermark under either mode's rule. Many keys, both directions of a
     * range with open and closed bounds, all five join types.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldEmitTheSameRowsInContinuousAndMicroBatchModeOnARandomOutOfOrderStreamWithNothingLate(long seed)
        throws Exception {
        Random random = new Random(seed);
        List<List<Impression>> impSteps = new ArrayList<>();
        List<List<Click>> clickSteps = new ArrayList<>();
        // One clock for both inputs; a row's time is at most 4 s behind it, so every row is after the
        // watermark (clock - 5 s at most) of either input. The first step stays within 1 s, so the first
        // input to report a watermark cannot make the other's first rows late either.
        long clockMs = 0;
        for (int step = 0; step < 6; step++) {
            List<Impression> i = new ArrayList<>();
            List<Click> c = new ArrayList<>();
            for (int n = 2 + random.nextInt(40); n > 0; n--) {
                long t;
                if (step == 0) {
                    t = random.nextInt(1_000);
                } else {
                    clockMs += random.nextInt(400);
                    t = Math.max(1_000, clockMs - random.nextInt(4_000));
                }
                if (random.nextBoolean()) {
                    i.add(new Impression("k" + random.nextInt(6), t));
                } else {
                    c.add(new Click("k" + random.nextInt(6), t));
                }
            }
            if (step == 0) {
                clockMs = 1_000;
            }
            impSteps.add(i);
            clickSteps.add(c);
        }
        JoinType[] types = JoinType.values();
        JoinType type = types[(int) (seed % types.length)];
        for (JoinOptions<Impression, Click> options : List.of(
            JoinOptions.<Impression, Click>of(type).withTimeRange(Duration.ofSeconds(-2), Duration.ofSeconds(3)),
            JoinOptions.<Impression, Click>of(types[(int) ((seed + 2) % types.length)])
                .withTimeRange(Duration.ZERO, false, Duration.ofSeconds(2), true))) {
            List<String> continuous = runSteps(options, impSteps, clickSteps, false);
            List<String> microBatch = runSteps(options, impSteps, clickSteps, true);
            assertThat(continuous).as(options + " continuous vs micro-batch").containsExactlyInAnyOrderElementsOf(microBatch);
            assertThat(microBatch).as(options + " has rows").isNotEmpty();
        }
    }

    private static List<String> runSteps(JoinOptions<Impression, Click> options, List<List<Impression>> impSteps,
                                         List<List<Click>> clickSteps, boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = adJoin(rivulet, imps, clicks, options, 3).writeStream(sink).trigger(trigger(microBatch))
                .start();
            for (int s = 0; s < impSteps.size(); s++) {
                imps.addData(impSteps.get(s));
                clicks.addData(clickSteps.get(s));
                query.processAllAvailable();
            }
            QueryProgress last = query.lastProgress();
            assertThat(last.stateOperators().get(0).customMetrics()).containsKeys(
                QueryProgress.StateOperatorProgress.LEFT_STATE_ROWS, QueryProgress.StateOperatorProgress.RIGHT_STATE_ROWS);
            long dropped = query.recentProgress().stream().flatMap(p -> p.stateOperators().stream())
                .mapToLong(QueryProgress.StateOperatorProgress::numRowsDroppedByWatermark).sum();
            assertThat(dropped).as("late rows (microBatch=" + microBatch + "): " + impSteps + " " + clickSteps).isZero();
            query.stop();
        }
        return sink.rows();
    }

    @Test
    void shouldKeepTheJoinOptionsImmutable() {
        JoinOptions<Impression, Click> base = JoinOptions.of(JoinType.INNER);
        JoinOptions<Impression, Click> ranged = base.withTimeRange(Duration.ZERO, Duration.ofSeconds(1)).withMaxStateRows(7);
        assertThat(base.timeRange()).isNull();
        assertThat(base.maxStateRows()).isZero();
        assertThat(ranged.maxStateRows()).isEqualTo(7);
        assertThatThrownBy(() -> base.withMaxStateRows(-1)).hasMessageContaining("maxStateRows must be >= 0");
        assertThatThrownBy(() -> base.withTimeRange(Duration.ofSeconds(2), Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(Map.of("k", ranged.type())).containsEntry("k", JoinType.INNER);
    }
}
