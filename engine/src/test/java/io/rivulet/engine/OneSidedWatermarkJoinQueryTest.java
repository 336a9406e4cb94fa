package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.join.JoinType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stream-stream joins with a watermark on one input only, under Spark 4.0's rules: which join types
 * {@code start()} accepts ({@code UnsupportedOperationChecker.checkForStreamStreamJoinWatermark}), what
 * is evicted ({@code StreamingSymmetricHashJoinHelper.getOneSideStateWatermarkPredicate}: a side only
 * when both inputs carry a watermark), which rows are late (only an input with a watermark has late
 * rows), the global watermark (inputs without a watermark do not count) and the one start-time warning.
 */
@ExtendWith(NoLeakedThreads.class)
class OneSidedWatermarkJoinQueryTest {
    /** An ad impression (left input). */
    record Impression(String ad, long tsMs) {
    }

    /** A click on an ad (right input). */
    record Click(String ad, long tsMs) {
    }

    private static String row(String ad, Impression imp, Click click) {
        return ad + " imp@" + (imp == null ? null : imp.tsMs()) + " click@" + (click == null ? null : click.tsMs());
    }

    /** Impressions joined with clicks within 10 s after them, each input with or without a 5 s watermark. */
    private static Stream<String> join(Rivulet rivulet, MemoryStream<Impression> imps, MemoryStream<Click> clicks,
                                       JoinType type, boolean leftWatermark, boolean rightWatermark) {
        Stream<Impression> left = rivulet.readStream(imps);
        Stream<Click> right = rivulet.readStream(clicks);
        if (leftWatermark) {
            left = left.withWatermark(Impression::tsMs, Duration.ofSeconds(5));
        }
        if (rightWatermark) {
            right = right.withWatermark(Click::tsMs, Duration.ofSeconds(5));
        }
        return left.keyBy(Impression::ad).join(right.keyBy(Click::ad), JoinOptions.<Impression, Click>of(type)
                .withEventTimes(Impression::tsMs, Click::tsMs).withTimeRange(Duration.ZERO, Duration.ofSeconds(10)),
            OneSidedWatermarkJoinQueryTest::row);
    }

    /**
     * Spark's {@code checkForStreamStreamJoinWatermark} with a time range: a left outer or left semi join
     * needs the right input's watermark, a right outer join the left input's, a full outer join either.
     */
    @ParameterizedTest(name = "{0} left watermark {1} right watermark {2}: accepted {3}")
    @CsvSource({
        "LEFT_OUTER,  false, true,  true", "LEFT_OUTER,  true,  false, false", "LEFT_OUTER,  false, false, false",
        "LEFT_SEMI,   false, true,  true", "LEFT_SEMI,   true,  false, false",
        "RIGHT_OUTER, true,  false, true", "RIGHT_OUTER, false, true,  false",
        "FULL_OUTER,  true,  false, true", "FULL_OUTER,  false, true,  true", "FULL_OUTER,  false, false, false",
        "INNER,       false, false, true", "INNER,       true,  false, true"})
    void shouldAcceptAtStartWhatSparkAcceptsAndRejectTheRestInSparksWords(JoinType type, boolean leftWatermark,
                                                                          boolean rightWatermark, boolean accepted)
        throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<String> joined = join(rivulet, Sources.memoryStream("i"), Sources.memoryStream("c"), type, leftWatermark,
                rightWatermark);
            if (accepted) {
                StreamingQuery query = joined.writeStream(Sinks.<String>memory("out")).trigger(Trigger.availableNow()).start();
                query.awaitTermination();
                return;
            }
            String spark = switch (type) {
                case LEFT_OUTER -> "LeftOuter";
                case LEFT_SEMI -> "LeftSemi";
                case RIGHT_OUTER -> "RightOuter";
                default -> "FullOuter";
            };
            assertThatThrownBy(() -> joined.writeStream(Sinks.<String>memory("out")).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Stream-stream " + spark + " join between two streaming DataFrame/Datasets is not"
                    + " supported without a watermark in the join keys, or a watermark on the nullable side and an"
                    + " appropriate range condition")
                .hasMessageContaining((leftWatermark ? "a" : "no") + " watermark on its left input, "
                    + (rightWatermark ? "a" : "no") + " watermark on its right input and a time range");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    /**
     * A left outer join with a 5 s watermark on the clicks (right) only, clicks within [imp, imp + 10 s],
     * in micro-batch mode. The expected rows follow from Spark 4.0's rules:
     * <ol>
     *   <li>The global watermark ignores the impressions (no {@code withWatermark}): after a batch it is the
     *       largest click time − 5 s, never held back by the impressions.</li>
     *   <li>Late rows are filtered per side, on the side's watermarked column: clicks at or behind the
     *       previous batch's watermark are dropped; impressions are never late.</li>
     *   <li>Neither side is evicted: the left state watermark needs a watermark on the left input itself
     *       ({@code isWatermarkDefinedOnInput}), the right state watermark a watermark on the left input to
     *       put into the range. So no impression ever comes out with a null click.</li>
     * </ol>
     * Batch 0 (watermark 0): imps a@1 s, b@2 s, click a@5 s: a matches (5 s in [1 s, 11 s]). Next watermark
     * 5 s − 5 s = 0. Batch 1: click c@30 s; no match; next watermark 25 s, so a no-data batch runs at 25 s:
     * with a watermark on both inputs, b (2 s ≤ 25 s − 10 s − 1 ms) would come out as {@code b imp@2000
     * click@null} here; under Spark's rule nothing comes out. Batch 3 (watermark 25 s): imp c@25 s matches
     * the buffered click c@30 s; imp e@20 s (behind the watermark, but its input has none) and click e@28 s
     * match; click b@3 s is late (3 s ≤ 25 s) and dropped, so b never matches. State: 4 impressions
     * (a, b, c, e), 3 clicks (a, c, e), 1 right row dropped.
     */
    @Test
    void shouldEmitOnlyMatchesKeepBothSidesAndDropOnlyLateClicksInALeftOuterJoinWithAWatermarkOnTheClicksOnly()
        throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = join(rivulet, imps, clicks, JoinType.LEFT_OUTER, false, true).writeStream(sink)
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            imps.addData(new Impression("a", 1_000), new Impression("b", 2_000));
            clicks.addData(new Click("a", 5_000));
            query.processAllAvailable();
            assertThat(sink.rows()).containsExactly(row("a", new Impression("a", 1_000), new Click("a", 5_000)));
            clicks.addData(new Click("c", 30_000));
            query.processAllAvailable();
            assertThat(query.lastProgress().eventTimeWatermark()).as("the clicks' watermark alone")
                .isEqualTo(Instant.ofEpochMilli(25_000));
            assertThat(sink.rows()).as("no null row for b: the left side is never evicted").hasSize(1);
            imps.addData(new Impression("c", 25_000), new Impression("e", 20_000));
            clicks.addData(new Click("e", 28_000), new Click("b", 3_000));
            query.processAllAvailable();
            QueryProgress.StateOperatorProgress op = query.lastProgress().stateOperators().get(0);
            assertThat(op.customMetrics()).containsEntry(QueryProgress.StateOperatorProgress.LEFT_STATE_ROWS, 4L)
                .containsEntry(QueryProgress.StateOperatorProgress.RIGHT_STATE_ROWS, 3L)
                .containsEntry(QueryProgress.StateOperatorProgress.LEFT_ROWS_DROPPED_BY_WATERMARK, 0L)
                .containsEntry(QueryProgress.StateOperatorProgress.RIGHT_ROWS_DROPPED_BY_WATERMARK, 1L);
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder(
            row("a", new Impression("a", 1_000), new Click("a", 5_000)),
            row("c", new Impression("c", 25_000), new Click("c", 30_000)),
            row("e", new Impression("e", 20_000), new Click("e", 28_000)));
    }

    @Test
    void shouldWarnOnceAtStartThatALeftOuterJoinWithAWatermarkOnTheRightOnlyNeverEmitsItsNullRows() throws Exception {
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
            StreamingQuery query = join(rivulet, Sources.memoryStream("i"), Sources.memoryStream("c"), JoinType.LEFT_OUTER,
                false, true).writeStream(Sinks.<String>memory("out")).queryName("rightOnly")
                .trigger(Trigger.availableNow()).start();
            query.awaitTermination();
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(records).filteredOn(r -> r.getMessage().contains("query 'rightOnly'")).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("keeps every row of both inputs forever")
                .contains("its unmatched left rows never come out as outer rows")
                .contains("no left watermark, a right watermark, a time range");
        });
    }
}
