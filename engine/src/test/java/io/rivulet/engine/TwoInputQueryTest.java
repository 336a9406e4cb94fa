package io.rivulet.engine;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.runtime.RuntimeProbe;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two-input keyed stages through the public API ({@code left.connect(right).process(name, factory)}):
 * a keyed co-count written here counts each key's left and right records and emits the counts on
 * every record, so a lost or repeated record of either side shows in the output. Continuous and
 * micro-batch modes, the watermark merge policy, checkpoint restore (stop and failure) into other
 * partition counts, per-side late rows, and the start-time rules.
 */
@ExtendWith(NoLeakedThreads.class)
class TwoInputQueryTest {
    /** An ad impression (left input). */
    record Impression(String ad, long tsMs) {
    }

    /** A click on an ad (right input). */
    record Click(String ad, long tsMs) {
    }

    @TempDir
    Path checkpoints;

    /**
     * Counts left and right records per key and emits {@code "ad l=<left> r=<right>"} on each. Keeps its
     * counts in a checkpoint (one entry per key, in the key's key group). A right record of ad
     * {@code "poison"} throws once while {@link #poisonArmed}.
     */
    static final class CoCount implements TwoInputKeyedOperator<String, Impression, Click, String>, CheckpointedOperator,
        StatefulOperator {
        static volatile boolean poisonArmed;
        private final Map<String, long[]> counts = new HashMap<>();

        @Override
        public void process(String key, Impression record, Output<String> out) {
            long[] c = counts.computeIfAbsent(key, k -> new long[2]);
            c[0]++;
            out.emit(key + " l=" + c[0] + " r=" + c[1]);
        }

        @Override
        public void processRight(String key, Click record, Output<String> out) {
            if (poisonArmed && key.equals("poison")) {
                poisonArmed = false;
                throw new IllegalStateException("poison");
            }
            long[] c = counts.computeIfAbsent(key, k -> new long[2]);
            c[1]++;
            out.emit(key + " l=" + c[0] + " r=" + c[1]);
        }

        @Override
        public OperatorSnapshot snapshotState(long epochId) {
            Map<String, long[]> copy = new HashMap<>();
            counts.forEach((k, c) -> copy.put(k, c.clone()));
            return (KeyGroupWriter writer) -> copy.forEach((k, c) -> writer.forKey(k).writeString(k).writeLong(c[0]).writeLong(c[1]));
        }

        @Override
        public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
            while (in.hasRemaining()) {
                counts.put(in.readString(), new long[] {in.readLong(), in.readLong()});
            }
        }

        @Override
        public void stateMetrics(StateMetrics into) {
            into.set(counts.size(), 0, 0, 0, counts.size() * 64L);
        }
    }

    /**
     * Sends rows at or behind the watermark to its side's late output (and counts them); counts the
     * rest per key as {@link CoCount} does.
     */
    static final class LateAware implements TwoInputKeyedOperator<String, Impression, Click, String>, StatefulOperator {
        private final Output<Object> leftLate;
        private final Output<Object> rightLate;
        private long watermarkMs = Long.MIN_VALUE;
        private long dropped;

        LateAware(Output<Object> leftLate, Output<Object> rightLate) {
            this.leftLate = leftLate;
            this.rightLate = rightLate;
        }

        @Override
        public void process(String key, Impression record, Output<String> out) {
            if (record.tsMs() <= watermarkMs) {
                dropped++;
                leftLate.emit(record);
            } else {
                out.emit("L " + key);
            }
        }

        @Override
        public void processRight(String key, Click record, Output<String> out) {
            if (record.tsMs() <= watermarkMs) {
                dropped++;
                rightLate.emit(record);
            } else {
                out.emit("R " + key);
            }
        }

        @Override
        public void onWatermark(long watermarkMs, Output<String> out) {
            this.watermarkMs = watermarkMs;
        }

        @Override
        public void stateMetrics(StateMetrics into) {
            into.set(0, 0, 0, dropped, 0);
        }
    }

    private static Stream<String> coCount(Rivulet rivulet, MemoryStream<Impression> impressions, MemoryStream<Click> clicks,
                                          int partitions) {
        return rivulet.readStream(impressions).keyBy("ad", Impression::ad, partitions)
            .connect(rivulet.readStream(clicks).keyBy("ad", Click::ad))
            .process("coCount", CoCount::new);
    }

    private static List<Impression> impressions(String... ads) {
        List<Impression> out = new ArrayList<>();
        for (String ad : ads) {
            out.add(new Impression(ad, 0));
        }
        return out;
    }

    private static List<Click> clicks(String... ads) {
        List<Click> out = new ArrayList<>();
        for (String ad : ads) {
            out.add(new Click(ad, 0));
        }
        return out;
    }

    /**
     * Per key, the highest left and right counts emitted, failing on a row emitted twice (a record
     * counted twice would repeat a row or skip one).
     */
    private static Map<String, String> finalCounts(List<String> rows) {
        assertThat(rows).doesNotHaveDuplicates();
        Map<String, long[]> most = new TreeMap<>();
        for (String row : rows) {
            String[] parts = row.split(" ");
            long[] m = most.computeIfAbsent(parts[0], k -> new long[2]);
            m[0] = Math.max(m[0], Long.parseLong(parts[1].substring(2)));
            m[1] = Math.max(m[1], Long.parseLong(parts[2].substring(2)));
        }
        Map<String, String> out = new TreeMap<>();
        most.forEach((k, m) -> out.put(k, "l=" + m[0] + " r=" + m[1]));
        return out;
    }

    @Test
    void shouldMeetBothInputsRecordsOfEachKeyInOnePartitionInContinuousMode() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("counts");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = coCount(rivulet, imps, clicks, 3).writeStream(sink)
                .trigger(Trigger.continuous(Duration.ofMillis(10))).start();
            imps.addData(impressions("a", "b", "a", "c", "d", "a"));
            clicks.addData(clicks("a", "c", "c", "e"));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).hasSize(10);
        assertThat(finalCounts(sink.rows())).containsExactlyInAnyOrderEntriesOf(Map.of(
            "a", "l=3 r=1", "b", "l=1 r=0", "c", "l=1 r=2", "d", "l=1 r=0", "e", "l=0 r=1"));
    }

    @Test
    void shouldRunATwoInputStageInMicroBatchModeWithItsStateInProgress() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("counts");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = coCount(rivulet, imps, clicks, 2).writeStream(sink)
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            imps.addData(impressions("a", "b"));
            clicks.addData(clicks("a"));
            query.processAllAvailable();
            assertThat(sink.rows()).containsExactlyInAnyOrder("a l=1 r=0", "b l=1 r=0", "a l=1 r=1");
            clicks.addData(clicks("b", "b"));
            query.processAllAvailable();
            assertThat(query.lastProgress().stateOperators()).singleElement().satisfies(op -> {
                assertThat(op.operator()).isEqualTo("coCount");
                assertThat(op.numRowsTotal()).isEqualTo(2);
                assertThat(op.customMetrics()).containsOnlyKeys(QueryProgress.StateOperatorProgress.LEFT_ROWS_DROPPED_BY_WATERMARK,
                    QueryProgress.StateOperatorProgress.RIGHT_ROWS_DROPPED_BY_WATERMARK);
            });
            query.stop();
        }
        assertThat(finalCounts(sink.rows())).isEqualTo(Map.of("a", "l=1 r=1", "b", "l=1 r=2"));
    }

    private long nextWatermark(String policy) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ZERO).keyBy(Impression::ad)
                .connect(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ZERO).keyBy(Click::ad))
                .process("coCount", CoCount::new)
                .writeStream(Sinks.<String>memory("counts"))
                .multipleWatermarkPolicy(policy)
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            imps.addData(new Impression("a", 100_000));
            clicks.addData(new Click("a", 40_000));
            query.processAllAvailable();
            long next = RuntimeProbe.nextBatchWatermarkMs(query);
            query.stop();
            return next;
        }
    }

    @Test
    void shouldMergeBothInputsWatermarksByTheMinimumByDefault() throws Exception {
        assertThat(nextWatermark("min")).isEqualTo(40_000);
    }

    @Test
    void shouldMergeBothInputsWatermarksByTheMaximumUnderTheMaxPolicy() throws Exception {
        assertThat(nextWatermark("max")).isEqualTo(100_000);
    }

    @Test
    void shouldCountEachSidesLateRowsAndRouteThemToItsLateDataSink() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<Impression> lateImps = Sinks.memory("lateImpressions");
        MemorySink<Click> lateClicks = Sinks.memory("lateClicks");
        MemorySink<String> sink = Sinks.memory("out");
        try (Rivulet rivulet = Rivulet.create()) {
            ConnectedStreams<String, Impression, Click> connected = rivulet.readStream(imps)
                .withWatermark(Impression::tsMs, Duration.ZERO).keyBy(Impression::ad).lateData(lateImps)
                .connect(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ZERO).keyBy(Click::ad).lateData(lateClicks));
            StreamingQuery query = connected.keyed("lateAware", PlanNode.KeyedKind.STATEFUL,
                    context -> new LateAware(context.lateOutput(), context.rightLateOutput()))
                .writeStream(sink).trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            imps.addData(new Impression("a", 50_000));
            clicks.addData(new Click("a", 60_000));
            query.processAllAvailable();
            // The batch watermark is now 50 s: two late impressions and one late click.
            imps.addData(new Impression("a", 10_000), new Impression("b", 20_000), new Impression("c", 70_000));
            clicks.addData(new Click("a", 30_000), new Click("b", 80_000));
            query.processAllAvailable();
            List<QueryProgress.StateOperatorProgress> ops = query.lastProgress().stateOperators();
            QueryProgress.StateOperatorProgress op = query.recentProgress().stream()
                .filter(p -> p.numInputRows() == 5).findFirst().orElseThrow().stateOperators().get(0);
            assertThat(op.numRowsDroppedByWatermark()).isEqualTo(3);
            assertThat(op.customMetrics()).containsExactly(
                Map.entry(QueryProgress.StateOperatorProgress.LEFT_ROWS_DROPPED_BY_WATERMARK, 2L),
                Map.entry(QueryProgress.StateOperatorProgress.RIGHT_ROWS_DROPPED_BY_WATERMARK, 1L));
            assertThat(ops).hasSize(1);
            query.stop();
        }
        assertThat(lateImps.rows()).containsExactlyInAnyOrder(new Impression("a", 10_000), new Impression("b", 20_000));
        assertThat(lateClicks.rows()).containsExactly(new Click("a", 30_000));
        assertThat(sink.rows()).containsExactlyInAnyOrder("L a", "R a", "L c", "R b");
    }

    @Test
    void shouldLetBothSidesShareOneLateDataSink() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<Object> late = Sinks.memory("late");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).withWatermark(Impression::tsMs, Duration.ZERO).keyBy(Impression::ad)
                .lateData(late)
                .connect(rivulet.readStream(clicks).withWatermark(Click::tsMs, Duration.ZERO).keyBy(Click::ad).lateData(late))
                .keyed("lateAware", PlanNode.KeyedKind.STATEFUL,
                    context -> new LateAware(context.lateOutputOf(false), context.lateOutputOf(true)))
                .writeStream(Sinks.<String>memory("out")).trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            imps.addData(new Impression("a", 50_000));
            clicks.addData(new Click("a", 50_000));
            query.processAllAvailable();
            imps.addData(new Impression("a", 1));
            clicks.addData(new Click("a", 2));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(late.rows()).containsExactlyInAnyOrder(new Impression("a", 1), new Click("a", 2));
    }

    private StreamingQuery checkpointed(Rivulet rivulet, MemoryStream<Impression> imps, MemoryStream<Click> clicks,
                                        MemorySink<String> sink, int partitions, RestartStrategy restarts) {
        return coCount(rivulet, imps, clicks, partitions).writeStream(sink)
            .queryName("coCount")
            .trigger(Trigger.continuous(Duration.ofMillis(10)))
            .checkpointLocation(checkpoints)
            .restartStrategy(restarts)
            .start();
    }

    @ParameterizedTest(name = "{0} partition(s) after a stop with 2")
    @ValueSource(ints = {1, 3})
    void shouldRestoreBothSidesStateAfterAStopIntoAnotherPartitionCount(int partitionsAfter) throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("counts");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, sink, 2, RestartStrategy.none());
            imps.addData(impressions("a", "b", "c", "d", "a"));
            clicks.addData(clicks("a", "b", "e"));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, sink, partitionsAfter, RestartStrategy.none());
            imps.addData(impressions("a", "e"));
            clicks.addData(clicks("a", "b", "c", "d"));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).hasSize(14);
        assertThat(finalCounts(sink.rows())).isEqualTo(Map.of(
            "a", "l=3 r=2", "b", "l=1 r=2", "c", "l=1 r=1", "d", "l=1 r=1", "e", "l=1 r=1"));
    }

    @Test
    void shouldRestoreBothSidesStateInMicroBatchModeIntoAnotherPartitionCount() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("counts");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = coCount(rivulet, imps, clicks, 2).writeStream(sink).queryName("coCount")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).checkpointLocation(checkpoints).start();
            imps.addData(impressions("a", "b", "a"));
            clicks.addData(clicks("b", "c"));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = coCount(rivulet, imps, clicks, 3).writeStream(sink).queryName("coCount")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).checkpointLocation(checkpoints).start();
            imps.addData(impressions("c"));
            clicks.addData(clicks("a", "b"));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).hasSize(8);
        assertThat(finalCounts(sink.rows())).isEqualTo(Map.of("a", "l=2 r=1", "b", "l=1 r=2", "c", "l=1 r=1"));
    }

    @Test
    void shouldReplayBothSidesExactlyOnceAfterAFailure() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("counts");
        CoCount.poisonArmed = true;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointed(rivulet, imps, clicks, sink, 2, RestartStrategy.fixedDelay(1, Duration.ZERO));
            imps.addData(impressions("a", "b", "a"));
            clicks.addData(clicks("a", "c"));
            query.processAllAvailable();
            imps.addData(impressions("b", "poison"));
            clicks.addData(clicks("poison", "a"));
            query.processAllAvailable();
            imps.addData(impressions("c"));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(CoCount.poisonArmed).isFalse();
        assertThat(sink.rows()).hasSize(10);
        assertThat(finalCounts(sink.rows())).isEqualTo(Map.of(
            "a", "l=2 r=2", "b", "l=2 r=0", "c", "l=1 r=1", "poison", "l=1 r=1"));
    }

    @Test
    void shouldRefuseARestartWhoseInputsSwappedSidesNamingBothKeys() throws Exception {
        MemoryStream<Impression> a = Sources.memoryStream("a");
        MemoryStream<Impression> b = Sources.memoryStream("b");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = swapped(rivulet, a, b, "byA", "byB").start();
            a.addData(new Impression("x", 0));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> swapped(rivulet, b, a, "byB", "byA").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("by byA, byB").hasMessageContaining("by byB, byA");
        }
    }

    /** Emits each key; keeps no state, and says so to a checkpoint. */
    static final class Echo implements TwoInputKeyedOperator<String, Impression, Impression, String>, CheckpointedOperator {
        @Override
        public void process(String key, Impression record, Output<String> out) {
            out.emit(key);
        }

        @Override
        public void processRight(String key, Impression record, Output<String> out) {
            out.emit(key);
        }

        @Override
        public OperatorSnapshot snapshotState(long epochId) {
            return OperatorSnapshot.EMPTY;
        }

        @Override
        public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        }
    }

    private DataStreamWriter<String> swapped(Rivulet rivulet, MemoryStream<Impression> left, MemoryStream<Impression> right,
                                             String leftKey, String rightKey) {
        return rivulet.readStream(left).keyBy(leftKey, Impression::ad)
            .connect(rivulet.readStream(right).keyBy(rightKey, Impression::ad))
            .process("same", Echo::new)
            .writeStream(Sinks.<String>memory("out")).queryName("swap")
            .trigger(Trigger.continuous(Duration.ofMillis(10))).checkpointLocation(checkpoints);
    }

    /** A mutable click that a source may refill, copied into ring-owned instances by {@link #CLICK_COPIER}. */
    static final class MutableClick {
        String ad;

        MutableClick(String ad) {
            this.ad = ad;
        }
    }

    static final RecordCopier<MutableClick> CLICK_COPIER = new RecordCopier<>() {
        @Override
        public MutableClick newInstance() {
            return new MutableClick(null);
        }

        @Override
        public void copy(MutableClick from, MutableClick into) {
            into.ad = from.ad;
        }
    };

    /** Counts right records per key into a string; never keeps a record (they are ring-owned). */
    static final class RightCounter implements TwoInputKeyedOperator<String, Impression, MutableClick, String> {
        private final Map<String, Integer> clicks = new HashMap<>();

        @Override
        public void process(String key, Impression record, Output<String> out) {
            out.emit(key + " imp clicks=" + clicks.getOrDefault(key, 0));
        }

        @Override
        public void processRight(String key, MutableClick record, Output<String> out) {
            if (!record.ad.equals(key)) {
                throw new IllegalStateException("record " + record.ad + " under key " + key);
            }
            clicks.merge(key, 1, Integer::sum);
        }
    }

    @Test
    void shouldCopyEachSidesRecordsWithItsOwnCopier() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<MutableClick> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("out");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).keyBy((Impression i) -> i.ad(), 2)
                .connect(rivulet.readStream(clicks).keyBy((MutableClick c) -> c.ad).copyingRecords(CLICK_COPIER))
                .process("rightCounter", RightCounter::new)
                .writeStream(sink).trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            clicks.addData(new MutableClick("a"), new MutableClick("b"), new MutableClick("a"));
            query.processAllAvailable();
            imps.addData(impressions("a", "b", "c"));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).containsExactlyInAnyOrder("a imp clicks=2", "b imp clicks=1", "c imp clicks=0");
    }

    @Test
    void shouldSkipARightRecordTheOperatorThrowsOnUnderTheSkipPolicy() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("counts");
        CoCount.poisonArmed = true;
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = coCount(rivulet, imps, clicks, 2).writeStream(sink)
                .errorPolicy(ErrorPolicy.skip())
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            imps.addData(impressions("poison", "a"));
            clicks.addData(clicks("poison", "a"));
            query.processAllAvailable();
            assertThat(query.lastProgress().numRowsFailed()).isEqualTo(1);
            query.stop();
        } finally {
            CoCount.poisonArmed = false;
        }
        assertThat(finalCounts(sink.rows())).isEqualTo(Map.of("a", "l=1 r=1", "poison", "l=1 r=0"));
    }

    @Test
    void shouldRejectTwoDifferentPartitionCountsNamingBoth() {
        try (Rivulet rivulet = Rivulet.create()) {
            KeyedStream<String, Impression> left = rivulet.readStream(Sources.<Impression>memoryStream("i")).keyBy(Impression::ad, 2);
            KeyedStream<String, Click> right = rivulet.readStream(Sources.<Click>memoryStream("c")).keyBy(Click::ad, 3);
            assertThatThrownBy(() -> left.connect(right))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions").hasMessageContaining("2").hasMessageContaining("3");
        }
    }

    @Test
    void shouldTakeThePartitionCountEitherSideNames() throws Exception {
        MemoryStream<Impression> imps = Sources.memoryStream("impressions");
        MemoryStream<Click> clicks = Sources.memoryStream("clicks");
        MemorySink<String> sink = Sinks.memory("counts");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(imps).keyBy(Impression::ad)
                .connect(rivulet.readStream(clicks).keyBy(Click::ad, 3))
                .process("coCount", CoCount::new).writeStream(sink).start();
            imps.addData(impressions("a", "b"));
            clicks.addData(clicks("a"));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(finalCounts(sink.rows())).isEqualTo(Map.of("a", "l=1 r=1", "b", "l=1 r=0"));
    }

    @Test
    void shouldRejectStreamsOfDifferentEngines() {
        try (Rivulet one = Rivulet.create(); Rivulet other = Rivulet.create()) {
            KeyedStream<String, Impression> left = one.readStream(Sources.<Impression>memoryStream("i")).keyBy(Impression::ad);
            KeyedStream<String, Click> right = other.readStream(Sources.<Click>memoryStream("c")).keyBy(Click::ad);
            assertThatThrownBy(() -> left.connect(right))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different Rivulet engines");
        }
    }

    @Test
    void shouldRejectConnectingAStreamWithItself() {
        try (Rivulet rivulet = Rivulet.create()) {
            KeyedStream<String, Impression> keyed = rivulet.readStream(Sources.<Impression>memoryStream("i")).keyBy(Impression::ad);
            assertThatThrownBy(() -> keyed.connect(keyed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("self-join");
        }
    }

    @Test
    void shouldRejectATwoInputOperatorInCompleteMode() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<String> counts = coCount(rivulet, Sources.memoryStream("i"), Sources.memoryStream("c"), 1);
            assertThatThrownBy(() -> counts.writeStream(Sinks.<String>memory("out")).outputMode("complete").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid streaming output mode: complete");
        }
    }
}
