package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.join.JoinRowLayout;
import io.rivulet.operators.join.JoinType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The long-key stream-stream join ({@code left.keyByLong(..).join(right.keyByLong(..), options, fn)}) through the
 * public API, in both modes: the same rows as the boxed {@code keyBy(..).join} on the same input, column rows
 * of inputs that reuse their records, late rows and per-side figures, checkpoint and restore into another
 * partition count, and the refused restart that switches a join between boxed and {@code long} keys.
 */
@ExtendWith(NoLeakedThreads.class)
class LongKeyJoinQueryTest {
    /** An ad impression (left input), its ad id a {@code long}. */
    record Impression(long ad, long tsMs) {
    }

    /** A click on an ad (right input). */
    record Click(long ad, long tsMs) {
    }

    @TempDir
    Path checkpoints;

    private static final JoinOptions<Impression, Click> WITHIN_10S_LEFT_OUTER = JoinOptions.<Impression, Click>of(JoinType.LEFT_OUTER)
        .withTimeRange(Duration.ZERO, Duration.ofSeconds(10));

    /** {@code "ad imp@ts click@ts"}, {@code click@null} for an impression never clicked. */
    private static String row(long ad, Impression imp, Click click) {
        return ad + " imp@" + (imp == null ? null : imp.tsMs()) + " click@" + (click == null ? null : click.tsMs());
    }

    private static Trigger trigger(boolean microBatch) {
        return microBatch ? Trigger.processingTime(Duration.ofHours(1)) : Trigger.continuous(Duration.ofMillis(5));
    }

    private static Stream<String> longJoin(Rivulet rivulet, MemoryStream<Impression> imps, MemoryStream<Click> clicks,
                                           JoinOptions<Impression, Click> options, int partitions) {
        return rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ofSeconds(5))
            .keyByLong("ad", Impression::ad, partitions)
            .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ofSeconds(5)).keyByLong("ad", Click::ad),
                options, LongKeyJoinQueryTest::row);
    }

    private static Stream<String> boxedJoin(Rivulet rivulet, MemoryStream<Impression> imps, MemoryStream<Click> clicks,
                                            JoinOptions<Impression, Click> options, int partitions) {
        return rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ofSeconds(5))
            .keyBy("ad", Impression::ad, partitions)
            .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ofSeconds(5)).keyBy("ad", Click::ad),
                options, (Long ad, Impression imp, Click click) -> row(ad, imp, click));
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitEachMatchAndEachNeverClickedImpressionOnceTheWatermarkPassesItsBound(boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = longJoin(rivulet, imps, clicks, WITHIN_10S_LEFT_OUTER, 2).writeStream(sink)
                .trigger(trigger(microBatch)).start();
            imps.addData(new Impression(1, 1_000), new Impression(-2, 2_000), new Impression(3, 3_000));
            query.processAllAvailable();
            clicks.addData(new Click(1, 4_000), new Click(3, 20_000));
            query.processAllAvailable();
            assertThat(sink.rows()).containsExactly(row(1, new Impression(1, 1_000), new Click(1, 4_000)));
            clicks.addData(new Click(-2, 11_000));
            query.processAllAvailable();
            imps.addData(new Impression(Long.MAX_VALUE, 40_000));
            clicks.addData(new Click(Long.MAX_VALUE, 41_000));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder(
            row(1, new Impression(1, 1_000), new Click(1, 4_000)),
            row(-2, new Impression(-2, 2_000), new Click(-2, 11_000)),
            row(Long.MAX_VALUE, new Impression(Long.MAX_VALUE, 40_000), new Click(Long.MAX_VALUE, 41_000)),
            row(3, new Impression(3, 3_000), null));
    }

    /**
     * The long-key join's rows equal the boxed join's on randomized, out-of-order inputs with nothing late
     * (event times at most 4 s behind a shared clock, watermark delay 5 s): an inner join without a range
     * and a left outer join with one, in both modes, over three partitions.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void shouldEmitTheSameRowsAsTheBoxedJoinInBothModes(long seed) throws Exception {
        Random random = new Random(seed);
        List<List<Impression>> impSteps = new ArrayList<>();
        List<List<Click>> clickSteps = new ArrayList<>();
        long clockMs = 1_000;
        for (int step = 0; step < 6; step++) {
            List<Impression> i = new ArrayList<>();
            List<Click> c = new ArrayList<>();
            for (int n = 2 + random.nextInt(40); n > 0; n--) {
                long t = step == 0 ? random.nextInt(1_000) : Math.max(1_000, (clockMs += random.nextInt(400)) - random.nextInt(4_000));
                long ad = random.nextInt(8) * 0x1_0000_0001L - 3;
                if (random.nextBoolean()) {
                    i.add(new Impression(ad, t));
                } else {
                    c.add(new Click(ad, t));
                }
            }
            impSteps.add(i);
            clickSteps.add(c);
        }
        for (JoinOptions<Impression, Click> options : List.of(JoinOptions.<Impression, Click>of(JoinType.INNER),
            JoinOptions.<Impression, Click>of(JoinType.LEFT_OUTER).withTimeRange(Duration.ofSeconds(-2), Duration.ofSeconds(3)))) {
            for (boolean microBatch : new boolean[] {false, true}) {
                List<String> boxed = runSteps(false, options, impSteps, clickSteps, microBatch);
                List<String> primitive = runSteps(true, options, impSteps, clickSteps, microBatch);
                assertThat(primitive).as(options + " microBatch=" + microBatch).containsExactlyInAnyOrderElementsOf(boxed);
                assertThat(boxed).as(options + " has rows").isNotEmpty();
            }
        }
    }

    private static List<String> runSteps(boolean longKeys, JoinOptions<Impression, Click> options, List<List<Impression>> impSteps,
                                         List<List<Click>> clickSteps, boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<String> joined = longKeys ? longJoin(rivulet, imps, clicks, options, 3) : boxedJoin(rivulet, imps, clicks, options, 3);
            StreamingQuery query = joined.writeStream(sink).trigger(trigger(microBatch)).start();
            for (int s = 0; s < impSteps.size(); s++) {
                imps.addData(impSteps.get(s));
                clicks.addData(clickSteps.get(s));
                query.processAllAvailable();
            }
            // A last row far ahead on each side moves the watermark past every bound: all outer rows come out.
            imps.addData(new Impression(99, 1_000_000));
            clicks.addData(new Click(99, 1_000_000));
            query.processAllAvailable();
            query.processAllAvailable();
            query.stop();
        }
        return sink.rows();
    }

    /** A click whose one instance the source's {@code map} refills for every record. */
    static final class MutableClick {
        long ad;
        long tsMs;

        MutableClick set(long ad, long tsMs) {
            this.ad = ad;
            this.tsMs = tsMs;
            return this;
        }
    }

    private static final RecordCopier<MutableClick> CLICK_COPIER = new RecordCopier<>() {
        @Override
        public MutableClick newInstance() {
            return new MutableClick();
        }

        @Override
        public void copy(MutableClick from, MutableClick into) {
            into.set(from.ad, from.tsMs);
        }
    };

    private static final JoinRowLayout<MutableClick> CLICK_COLUMNS = new JoinRowLayout<>() {
        @Override
        public int width() {
            return 2;
        }

        @Override
        public void write(MutableClick row, long[] into, int at) {
            into[at] = row.ad;
            into[at + 1] = row.tsMs;
        }

        @Override
        public MutableClick read(long[] from, int at, MutableClick reuse) {
            return (reuse == null ? new MutableClick() : reuse).set(from[at], from[at + 1]);
        }
    };

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldJoinColumnRowsOfAnInputThatReusesItsRecords(boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            MutableClick reused = new MutableClick();
            LongKeyedStream<MutableClick> right = rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ofSeconds(5))
                .map(c -> reused.set(c.ad(), c.tsMs())).keyByLong("ad", c -> c.ad).copyingRecords(CLICK_COPIER);
            StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ofSeconds(5))
                .keyByLong("ad", Impression::ad, 2)
                .join(right, JoinOptions.<Impression, MutableClick>of(JoinType.INNER)
                        .withTimeRange(Duration.ZERO, Duration.ofSeconds(10))
                        .withEventTimes(Impression::tsMs, c -> c.tsMs)
                        .withRowLayouts(null, CLICK_COLUMNS),
                    (ad, imp, click) -> row(ad, imp, new Click(click.ad, click.tsMs)))
                .writeStream(sink).trigger(trigger(microBatch)).start();
            // Clicks first, buffered as columns; every later click overwrites the one instance upstream.
            clicks.addData(new Click(1, 3_000), new Click(2, 4_000), new Click(1, 5_000), new Click(3, 6_000));
            query.processAllAvailable();
            imps.addData(new Impression(1, 2_000), new Impression(2, 2_500), new Impression(3, 7_000));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder(
            row(1, new Impression(1, 2_000), new Click(1, 3_000)),
            row(1, new Impression(1, 2_000), new Click(1, 5_000)),
            row(2, new Impression(2, 2_500), new Click(2, 4_000)));
    }

    @Test
    void shouldRejectAnInputThatCopiesRecordsWithoutARowLayoutAndRowLayoutsOnTheBoxedJoin() {
        try (Rivulet rivulet = Rivulet.create()) {
            LongKeyedStream<MutableClick> copying = rivulet.readStream(Sources.<MutableClick>memoryStream("c"))
                .keyByLong(c -> c.ad).copyingRecords(CLICK_COPIER);
            LongKeyedStream<Impression> left = rivulet.readStream(Sources.<Impression>memoryStream("i")).keyByLong(Impression::ad);
            assertThatThrownBy(() -> left.join(copying, JoinType.INNER, (ad, imp, click) -> ad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the right input copies records (copyingRecords) but has no row layout");
            KeyedStream<Long, MutableClick> boxed = rivulet.readStream(Sources.<MutableClick>memoryStream("c2")).keyBy(c -> c.ad);
            KeyedStream<Long, Impression> boxedLeft = rivulet.readStream(Sources.<Impression>memoryStream("i2")).keyBy(Impression::ad);
            assertThatThrownBy(() -> boxedLeft.join(boxed, JoinOptions.<Impression, MutableClick>of(JoinType.INNER)
                .withRowLayouts(null, CLICK_COLUMNS), (ad, imp, click) -> ad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("have row layouts (withRowLayouts), which only the long-key join stores rows by");
            LongKeyedStream<Click> fourPartitions = rivulet.readStream(Sources.<Click>memoryStream("c3")).keyByLong(Click::ad, 4);
            LongKeyedStream<Impression> twoPartitions = rivulet.readStream(Sources.<Impression>memoryStream("i3"))
                .keyByLong(Impression::ad, 2);
            assertThatThrownBy(() -> twoPartitions.join(fourPartitions, JoinType.INNER, LongKeyJoinQueryTest::row))
                .hasMessageContaining("the left input is keyed over 2 partitions and the right over 4");
        }
    }

    @Test
    void shouldRejectAnOuterJoinWithoutAWatermarkOnBothInputsAsTheBoxedJoin() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<String> noWatermarks = rivulet.readStream(Sources.<Impression>memoryStream("i")).keyByLong(Impression::ad)
                .join(rivulet.readStream(Sources.<Click>memoryStream("c")).keyByLong(Click::ad),
                    WITHIN_10S_LEFT_OUTER.withEventTimes(Impression::tsMs, Click::tsMs), LongKeyJoinQueryTest::row);
            assertThatThrownBy(() -> noWatermarks.writeStream(Sinks.<String>memory("out")).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not supported");
            Stream<String> update = longJoin(rivulet, Sources.memoryStream("i2"), Sources.memoryStream("c2"),
                WITHIN_10S_LEFT_OUTER, 1);
            assertThatThrownBy(() -> update.writeStream(Sinks.<String>memory("out2")).outputMode("update").start())
                .hasMessageContaining("only in Append output mode");
        }
    }

    @Test
    void shouldCountEachSidesLateRowsSendThemToItsLateSinkAndShowEachSidesStateInProgress() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<Impression> lateImps = Sinks.memory("lateImpressions");
        MemorySink<Click> lateClicks = Sinks.memory("lateClicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ZERO)
                .keyByLong(Impression::ad).lateData(lateImps)
                .join(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ZERO).keyByLong(Click::ad)
                        .lateData(lateClicks),
                    JoinOptions.<Impression, Click>of(JoinType.INNER).withTimeRange(Duration.ZERO, Duration.ofSeconds(100)),
                    LongKeyJoinQueryTest::row)
                .writeStream(sink).trigger(trigger(true)).start();
            imps.addData(new Impression(1, 50_000), new Impression(2, 60_000));
            clicks.addData(new Click(1, 50_000));
            query.processAllAvailable();
            // Batch watermark 50 s: the impression at 10 s and the click at 20 s are late.
            imps.addData(new Impression(3, 10_000), new Impression(4, 70_000));
            clicks.addData(new Click(2, 20_000), new Click(9, 90_000));
            query.processAllAvailable();
            QueryProgress.StateOperatorProgress op = query.recentProgress().stream()
                .filter(p -> p.numInputRows() == 4).findFirst().orElseThrow().stateOperators().get(0);
            assertThat(op.operator()).isEqualTo("symmetricHashJoin");
            assertThat(op.numRowsDroppedByWatermark()).isEqualTo(2);
            assertThat(op.customMetrics()).containsEntry(QueryProgress.StateOperatorProgress.LEFT_ROWS_DROPPED_BY_WATERMARK, 1L)
                .containsEntry(QueryProgress.StateOperatorProgress.RIGHT_ROWS_DROPPED_BY_WATERMARK, 1L)
                .containsEntry(QueryProgress.StateOperatorProgress.LEFT_STATE_ROWS, 3L)
                .containsEntry(QueryProgress.StateOperatorProgress.RIGHT_STATE_ROWS, 2L);
            query.stop();
        }
        assertThat(lateImps.rows()).containsExactly(new Impression(3, 10_000));
        assertThat(lateClicks.rows()).containsExactly(new Click(2, 20_000));
        assertThat(sink.rows()).containsExactly(row(1, new Impression(1, 50_000), new Click(1, 50_000)));
    }

    private StreamingQuery checkpointed(Rivulet rivulet, MemoryStream<Impression> imps, MemoryStream<Click> clicks,
                                        MemorySink<String> sink, boolean longKeys, int partitions, boolean microBatch) {
        Stream<String> joined = longKeys ? longJoin(rivulet, imps, clicks, WITHIN_10S_LEFT_OUTER, partitions)
            : boxedJoin(rivulet, imps, clicks, WITHIN_10S_LEFT_OUTER, partitions);
        return joined.writeStream(sink).queryName("adJoin").trigger(trigger(microBatch)).checkpointLocation(checkpoints).start();
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldRestoreBothSidesBuffersFromTheCheckpointIntoAnotherPartitionCount(boolean microBatch) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("joined");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, sink, true, 2, microBatch);
            imps.addData(new Impression(1, 1_000), new Impression(2, 2_000));
            clicks.addData(new Click(3, 3_000));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, sink, true, 3, microBatch);
            // 1's impression (before the stop) meets its click (after); 2's never comes: an outer row once the watermark passes.
            clicks.addData(new Click(1, 5_000));
            imps.addData(new Impression(3, 2_500));
            query.processAllAvailable();
            imps.addData(new Impression(26, 60_000));
            clicks.addData(new Click(26, 60_000));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder(
            row(1, new Impression(1, 1_000), new Click(1, 5_000)),
            row(3, new Impression(3, 2_500), new Click(3, 3_000)),
            row(26, new Impression(26, 60_000), new Click(26, 60_000)),
            row(2, new Impression(2, 2_000), null));
    }

    /** An order of the guide's example (docs/joins.md). */
    record Order(long id, long tsMs) {
    }

    /** A fill of the guide's example. */
    record Fill(long seq, long orderId, long tsMs) {
    }

    @Test
    void shouldRunTheGuidesLongKeyJoinExampleExactlyAsDocsJoinsMdShowsIt() throws Exception {
        MemoryStream<Order> orderInput = Sources.memoryStream("orders");
        MemoryStream<Fill> fillInput = Sources.memoryStream("fills");
        MemorySink<String> sink = Sinks.memory("fills");
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Order> orders = rivulet.readStream(orderInput);
            Stream<Fill> trades = rivulet.readStream(fillInput);
            // tag::long-key-join[]
            Stream<String> fills = orders.withWatermark(Order::tsMs, Duration.ofMillis(500))
                .keyByLong("orderId", Order::id)
                .join(trades.withWatermark(Fill::tsMs, Duration.ofMillis(500)).keyByLong("orderId", Fill::orderId),
                      JoinOptions.<Order, Fill>of(JoinType.INNER)
                          .withTimeRange(Duration.ZERO, Duration.ofSeconds(5)),      // fill within 5 s of its order
                      (long orderId, Order order, Fill fill) -> orderId + " filled by " + fill.seq());
            // end::long-key-join[]
            StreamingQuery query = fills.writeStream(sink).trigger(trigger(false)).start();
            orderInput.addData(new Order(7, 1_000), new Order(8, 1_000));
            query.processAllAvailable();
            fillInput.addData(new Fill(1, 7, 3_000), new Fill(2, 7, 7_000), new Fill(3, 9, 3_000));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactly("7 filled by 1");
        String source = Files.readString(Path.of("src/test/java/io/rivulet/engine/LongKeyJoinQueryTest.java"));
        Matcher tagged = Pattern.compile("// tag::long-key-join\\[]\\n(.*?)\\n\\s*// end::long-key-join\\[]", Pattern.DOTALL)
            .matcher(source);
        assertThat(tagged.find()).isTrue();
        assertThat(Files.readString(Path.of("../docs/joins.md"))).contains(tagged.group(1).stripIndent().strip());
    }

    @ParameterizedTest(name = "first long={0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseARestartThatSwitchesTheJoinBetweenBoxedAndLongKeys(boolean firstLong) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, Sinks.memory("first"), firstLong, 2, false);
            imps.addData(new Impression(1, 1_000));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> checkpointed(rivulet, imps, clicks, Sinks.memory("second"), !firstLong, 2, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symmetricHashJoin")
                .hasMessageContaining("on long keys");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }
}
