package io.rivulet.operators.join;

import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.join.JoinRowsFixture.Sink;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.LaggingSnapshotWriter;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The long-key join against the boxed {@link StreamStreamJoinOperator} (the reference: same rows, same
 * late rows, same figures on random out-of-order streams, for every join type, both modes, column and
 * object rows), its barrier hand-over under a lagging writer, and its errors.
 */
class StreamStreamLongJoinOperatorTest {
    /** A left row; mutable, so column rows are read into one reused instance. */
    static final class Order {
        long ts;
        long qty;

        Order() {
        }

        Order(long ts, long qty) {
            this.ts = ts;
            this.qty = qty;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Order other && other.ts == ts && other.qty == qty;
        }

        @Override
        public int hashCode() {
            return Objects.hash(ts, qty);
        }

        @Override
        public String toString() {
            return "o" + ts + ":" + qty;
        }
    }

    /** A right row; mutable. */
    static final class Trade {
        long ts;
        long px;

        Trade() {
        }

        Trade(long ts, long px) {
            this.ts = ts;
            this.px = px;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Trade other && other.ts == ts && other.px == px;
        }

        @Override
        public int hashCode() {
            return Objects.hash(ts, px);
        }

        @Override
        public String toString() {
            return "t" + ts + ":" + px;
        }
    }

    static final JoinRowLayout<Order> ORDERS = new JoinRowLayout<>() {
        @Override
        public int width() {
            return 2;
        }

        @Override
        public void write(Order row, long[] into, int at) {
            into[at] = row.ts;
            into[at + 1] = row.qty;
        }

        @Override
        public Order read(long[] from, int at, Order reuse) {
            Order row = reuse != null ? reuse : new Order(0, 0);
            row.ts = from[at];
            row.qty = from[at + 1];
            return row;
        }
    };

    static final JoinRowLayout<Trade> TRADES = new JoinRowLayout<>() {
        @Override
        public int width() {
            return 2;
        }

        @Override
        public void write(Trade row, long[] into, int at) {
            into[at] = row.ts;
            into[at + 1] = row.px;
        }

        @Override
        public Trade read(long[] from, int at, Trade reuse) {
            Trade row = reuse != null ? reuse : new Trade(0, 0);
            row.ts = from[at];
            row.px = from[at + 1];
            return row;
        }
    };

    /** Keys spread over the long range, negative and extreme ones included. */
    static final long[] KEYS = {0, 1, -1, 42, 7L << 40, -(5L << 50), Long.MAX_VALUE, Long.MIN_VALUE + 1, 1_000_003, 99};

    /** The output as text; {@code null} (nothing emitted) for some quantities, so a null result is tried too. */
    static String text(long key, Order o, Trade t) {
        if (o != null && o.qty % 13 == 0) {
            return null;
        }
        return key + "|" + o + "|" + t;
    }

    private final Sink<String> out = new Sink<>();

    // ---- the boxed operator as the reference ----

    /** One scripted step: a row of a side, a watermark or an epoch end. */
    private record Step(int kind, boolean left, long key, long ts, long value) {
        static final int ROW = 0;
        static final int WATERMARK = 1;
        static final int EPOCH = 2;
    }

    private static List<Step> script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Step> steps = new ArrayList<>();
        long clock = 10_000;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(1_200);
            long key = KEYS[random.nextInt(KEYS.length)];
            long ts = clock - random.nextInt(7_000);
            steps.add(new Step(Step.ROW, random.nextBoolean(), key, ts, random.nextInt(1_000)));
            if (random.nextInt(4) == 0) {
                steps.add(new Step(Step.WATERMARK, false, 0, clock - 3_000 - random.nextInt(2_000), 0));
            }
            if (random.nextInt(7) == 0) {
                steps.add(new Step(Step.EPOCH, false, 0, 0, 0));
            }
        }
        steps.add(new Step(Step.WATERMARK, false, 0, clock + 100_000, 0));
        steps.add(new Step(Step.EPOCH, false, 0, 0, 0));
        return steps;
    }

    private static JoinTimeRange range(long seed) {
        return switch ((int) (seed % 4)) {
            case 0 -> JoinTimeRange.between(0, 10_000);
            case 1 -> JoinTimeRange.of(-3_000, false, 2_000, true);
            case 2 -> JoinTimeRange.between(-5_000, -1_000);
            default -> JoinTimeRange.of(0, true, 4_000, false);
        };
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void shouldEmitTheBoxedJoinsRowsLateRowsAndFiguresStepByStepInBothModesWithAndWithoutLayouts(JoinType type) {
        int runs = 0;
        for (boolean microBatch : new boolean[] {false, true}) {
            for (boolean layouts : new boolean[] {false, true}) {
                for (long seed = 1; seed <= 8; seed++) {
                    JoinTimeRange range = type == JoinType.INNER && seed % 4 == 3 ? null : range(seed);
                    compareWithBoxed(type, microBatch, layouts, range, seed);
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(32);
    }

    private void compareWithBoxed(JoinType type, boolean microBatch, boolean layouts, JoinTimeRange range, long seed) {
        Sink<Object> boxedLate = new Sink<>();
        Sink<Object> longLate = new Sink<>();
        JoinSettings<Long, Order, Trade> settings = JoinSettings.<Long, Order, Trade>of(type)
            .withEventTimes(o -> o.ts, t -> t.ts)
            .withTimeRange(range)
            .withMicroBatch(microBatch)
            // seeds 7 and 8: a watermark on one input only (nothing evicted, one side never late)
            .withWatermarkedInputs(seed != 7, seed != 8);
        var boxed = StreamStreamJoinOperator.<Long, Order, Trade, String>of(
            (k, o, t) -> text(k, o, t), settings.withLateOutputs(boxedLate::emit, boxedLate::emit));
        JoinSettings<Long, Order, Trade> longSettings = settings.withLateOutputs(longLate::emit, longLate::emit);
        var joined = StreamStreamLongJoinOperator.of(StreamStreamLongJoinOperatorTest::text,
            layouts ? longSettings.withRowLayouts(ORDERS, TRADES) : longSettings);
        Sink<String> boxedOut = new Sink<>();
        Sink<String> longOut = new Sink<>();
        StateMetrics[] figures = {new StateMetrics(), new StateMetrics(), new StateMetrics(), new StateMetrics()};
        String run = type + (microBatch ? " micro-batch" : " continuous") + (layouts ? " columns" : " objects")
            + " range " + range + " seed " + seed + (seed >= 7 ? " one watermark" : "");
        long epoch = 0;
        int step = 0;
        long joinedRows = 0;
        for (Step s : script(seed, 300)) {
            step++;
            switch (s.kind()) {
                case Step.ROW -> {
                    if (s.left()) {
                        boxed.process(s.key(), new Order(s.ts(), s.value()), boxedOut);
                        joined.processLong(s.key(), new Order(s.ts(), s.value()), longOut);
                    } else {
                        boxed.processRight(s.key(), new Trade(s.ts(), s.value()), boxedOut);
                        joined.processRightLong(s.key(), new Trade(s.ts(), s.value()), longOut);
                    }
                }
                case Step.WATERMARK -> {
                    boxed.onWatermark(s.ts(), boxedOut);
                    joined.onWatermark(s.ts(), longOut);
                }
                default -> {
                    boxed.onEpoch(epoch, boxedOut);
                    joined.onEpoch(epoch++, longOut);
                    boxed.stateMetrics(figures[0], figures[1]);
                    joined.stateMetrics(figures[2], figures[3]);
                    assertSameFigures(figures[0], figures[2], run + " left figures at step " + step);
                    assertSameFigures(figures[1], figures[3], run + " right figures at step " + step);
                }
            }
            List<String> expected = boxedOut.drain();
            joinedRows += expected.size();
            assertThat(longOut.drain()).as(run + " output at step " + step).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(longLate.drain().toString()).as(run + " late rows at step " + step)
                .isEqualTo(boxedLate.drain().toString());
        }
        for (long key : KEYS) {
            assertThat(joined.queryValue(key)).as(run + " rows held for " + key).isEqualTo(boxed.queryValue(key));
        }
        assertThat(joinedRows).as(run + ": some rows came out").isPositive();
    }

    private static void assertSameFigures(StateMetrics expected, StateMetrics actual, String what) {
        assertThat(new long[] {actual.numRowsTotal(), actual.numRowsUpdated(), actual.numRowsRemoved(),
            actual.numRowsDroppedByWatermark()}).as(what).containsExactly(expected.numRowsTotal(),
            expected.numRowsUpdated(), expected.numRowsRemoved(), expected.numRowsDroppedByWatermark());
    }

    // ---- the barrier hand-over ----

    /** A left row as a record (the dynamic codec writes it when it is an object row). */
    record Bid(long ts, long qty) {
    }

    /** A right row as a record. */
    record Ask(long ts, long px) {
    }

    static final JoinRowLayout<Bid> BIDS = new JoinRowLayout<>() {
        @Override
        public int width() {
            return 2;
        }

        @Override
        public void write(Bid row, long[] into, int at) {
            into[at] = row.ts();
            into[at + 1] = row.qty();
        }

        @Override
        public Bid read(long[] from, int at, Bid reuse) {
            return new Bid(from[at], from[at + 1]);
        }
    };

    static final JoinRowLayout<Ask> ASKS = new JoinRowLayout<>() {
        @Override
        public int width() {
            return 1;
        }

        @Override
        public void write(Ask row, long[] into, int at) {
            into[at] = row.ts() << 20 | row.px();
        }

        @Override
        public Ask read(long[] from, int at, Ask reuse) {
            return new Ask(from[at] >> 20, from[at] & 0xFFFFF);
        }
    };

    static StreamStreamLongJoinOperator<Bid, Ask, String> bidsAndAsks(JoinType type, boolean microBatch,
                                                                        boolean layouts, int maxParallelism,
                                                                        KeyGroupRange keyGroups) {
        return bidsAndAsks(type, microBatch, layouts, maxParallelism, keyGroups, null);
    }

    static StreamStreamLongJoinOperator<Bid, Ask, String> bidsAndAsks(JoinType type, boolean microBatch,
                                                                        boolean layouts, int maxParallelism,
                                                                        KeyGroupRange keyGroups, Output<Object> late) {
        return bidsAndAsks(type, microBatch, layouts, maxParallelism, keyGroups, late, false, false);
    }

    static StreamStreamLongJoinOperator<Bid, Ask, String> bidsAndAsks(JoinType type, boolean microBatch,
                                                                        boolean layouts, int maxParallelism,
                                                                        KeyGroupRange keyGroups, Output<Object> late,
                                                                        boolean uniqueBids, boolean uniqueAsks) {
        JoinSettings<Long, Bid, Ask> settings = JoinSettings.<Long, Bid, Ask>of(type)
            .withEventTimes(Bid::ts, Ask::ts)
            .withTimeRange(JoinTimeRange.between(-2_000, 5_000))
            .withMicroBatch(microBatch)
            .withKeyGroups(maxParallelism, keyGroups)
            .withLateOutputs(late == null ? null : late::emit, late == null ? null : late::emit)
            .withUniqueKeys(uniqueBids, uniqueAsks);
        return StreamStreamLongJoinOperator.of((k, b, a) -> k + "|" + b + "|" + a,
            layouts ? settings.withRowLayouts(BIDS, ASKS) : settings);
    }

    /** A snapshot written, read back: the rows of a fresh instance restored from it, and its operator state. */
    private static SortedMap<Long, String> readBack(OperatorSnapshot snapshot, boolean layouts) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        KeyGroupBuffers buffers = KeyGroupBuffers.all(max);
        snapshot.writeTo(buffers);
        snapshot.release();
        var restored = bidsAndAsks(JoinType.FULL_OUTER, false, layouts, max, new KeyGroupRange(0, max));
        buffers.restoreInto(restored, new KeyGroupRange(0, max));
        SortedMap<Long, String> rows = restored.describeRows();
        rows.put(Long.MIN_VALUE, "watermark " + restored.watermarkMs());
        return rows;
    }

    @Test
    void shouldWriteEachSnapshotAsOfItsBarrierWhileTheOwnerKeepsChangingKeys() throws InterruptedException {
        for (boolean layouts : new boolean[] {true, false}) {
            int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
            var op = bidsAndAsks(JoinType.FULL_OUTER, false, layouts, max, new KeyGroupRange(0, max));
            LaggingSnapshotWriter<SortedMap<Long, String>> writer = new LaggingSnapshotWriter<>();
            SplittableRandom random = new SplittableRandom(11);
            long clock = 10_000;
            for (int barrier = 0; barrier < 60; barrier++) {
                for (int i = 0, n = random.nextInt(40); i < n; i++) {
                    clock += random.nextInt(300);
                    long key = KEYS[random.nextInt(KEYS.length)] + random.nextInt(3);
                    long ts = clock - random.nextInt(3_000);
                    if (random.nextBoolean()) {
                        op.processLong(key, new Bid(ts, random.nextInt(1_000)), out);
                    } else {
                        op.processRightLong(key, new Ask(ts, random.nextInt(1_000)), out);
                    }
                    if (random.nextInt(10) == 0) {
                        op.onWatermark(clock - 4_000, out);
                    }
                }
                // Now and then the state is dropped whole (a long pause in the input), then refilled.
                if (random.nextInt(15) == 0) {
                    clock += 60_000;
                    op.onWatermark(clock - 4_000, out);
                }
                op.onEpoch(barrier, out);
                SortedMap<Long, String> expected = op.describeRows();
                expected.put(Long.MIN_VALUE, "watermark " + op.watermarkMs());
                boolean write = random.nextInt(4) != 0;
                writer.barrier(op.snapshotState(barrier), expected, s -> readBack(s, layouts), write);
            }
            assertThat(writer.finish()).as("snapshots written and checked").isGreaterThan(30);
            assertThat(out.drain()).isNotEmpty();
        }
    }

    @Test
    void shouldDropAnOversizedChangeLogAndCopyTheRowsAtTheNextBarrierInstead() {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        var op = bidsAndAsks(JoinType.INNER, false, true, max, new KeyGroupRange(0, max));
        op.snapshotState(0).writeTo(KeyGroupBuffers.all(max));
        // A short-lived state (each row evicted soon after) and a long interval: the log outgrows the state.
        long ts = 10_000;
        for (int i = 0; i < 100_000; i++) {
            ts += 10;
            op.processLong(i % 64, new Bid(ts, 1), out);
            if (i % 100 == 0) {
                op.onWatermark(ts - 1_000, out);
            }
        }
        SortedMap<Long, String> expected = op.describeRows();
        expected.put(Long.MIN_VALUE, "watermark " + op.watermarkMs());
        assertThat(readBack(op.snapshotState(1), true)).isEqualTo(expected);
        op.processLong(3, new Bid(ts, 2), out);
        expected = op.describeRows();
        expected.put(Long.MIN_VALUE, "watermark " + op.watermarkMs());
        assertThat(readBack(op.snapshotState(2), true)).as("logging again after the copy").isEqualTo(expected);
    }

    // ---- the rest of the contract ----

    @Test
    void shouldReadCopiesOfAKeysRowsByLongKey() {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        var op = bidsAndAsks(JoinType.INNER, false, true, max, new KeyGroupRange(0, max));
        op.processLong(-7, new Bid(1_000, 5), out);
        op.processRightLong(-7, new Ask(30_000, 6), out);
        op.processRightLong(8, new Ask(30_000, 7), out);
        assertThat(op.queryValue(-7L)).isEqualTo(new JoinBuffers<>(List.of(new Bid(1_000, 5)), List.of(new Ask(30_000, 6))));
        assertThat(op.queryValue(9L)).isNull();
        Map<Long, JoinBuffers<Bid, Ask>> all = new HashMap<>();
        op.scanValues(k -> k > 0, all::put);
        assertThat(all).containsOnlyKeys(8L);
        assertThat(op.keyCount()).isEqualTo(2);
    }

    @Test
    void shouldFailWithTheBoxedJoinsBudgetMessageWhenStateExceedsMaxStateRows() {
        JoinSettings<Long, Order, Trade> settings = JoinSettings.<Long, Order, Trade>of(JoinType.INNER)
            .withEventTimes(o -> o.ts, t -> t.ts).withTimeRange(JoinTimeRange.between(0, 10_000)).withMaxStateRows(2);
        var joined = StreamStreamLongJoinOperator.of(StreamStreamLongJoinOperatorTest::text,
            settings.withRowLayouts(ORDERS, TRADES));
        var boxed = StreamStreamJoinOperator.<Long, Order, Trade, String>of((k, o, t) -> text(k, o, t), settings);
        joined.processLong(1, new Order(1_000, 1), out);
        joined.processRightLong(2, new Trade(1_000, 1), out);
        boxed.process(1L, new Order(1_000, 1), out);
        boxed.processRight(2L, new Trade(1_000, 1), out);
        Throwable expected = catchThrowable(() -> boxed.process(3L, new Order(1_000, 1), out));
        assertThatThrownBy(() -> joined.processLong(3, new Order(1_000, 1), out))
            .isInstanceOf(IllegalStateException.class).hasMessage(expected.getMessage())
            .hasMessageContaining("maxStateRows 2");
    }

    private static Throwable catchThrowable(Runnable run) {
        try {
            run.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("no exception");
    }

    @ParameterizedTest
    @EnumSource(value = JoinType.class, names = {"LEFT_OUTER", "RIGHT_OUTER", "FULL_OUTER", "LEFT_SEMI"})
    void shouldRejectOuterAndSemiJoinsWithoutATimeRange(JoinType type) {
        assertThatThrownBy(() -> StreamStreamLongJoinOperator.of(StreamStreamLongJoinOperatorTest::text,
            JoinSettings.<Long, Order, Trade>of(type).withEventTimes(o -> o.ts, t -> t.ts)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("joinType " + type)
            .hasMessageContaining("time range");
    }

    @Test
    void shouldRejectARowLayoutWithoutColumns() {
        JoinRowLayout<Trade> empty = new JoinRowLayout<>() {
            @Override
            public int width() {
                return 0;
            }

            @Override
            public void write(Trade row, long[] into, int at) {
            }

            @Override
            public Trade read(long[] from, int at, Trade reuse) {
                return reuse;
            }
        };
        assertThatThrownBy(() -> StreamStreamLongJoinOperator.of(StreamStreamLongJoinOperatorTest::text,
            JoinSettings.<Long, Order, Trade>of(JoinType.INNER).withRowLayouts(ORDERS, empty)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rightLayout.width() 0");
    }

    @Test
    void shouldRefuseAKeyGroupOutsideItsRangeAndAKeyThatHashesToAnotherKeyGroup() {
        int max = 128;
        var whole = bidsAndAsks(JoinType.INNER, false, true, max, new KeyGroupRange(0, max));
        whole.processLong(42, new Bid(1_000, 1), out);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(max);
        whole.snapshotState(0).writeTo(buffers);
        int group = KeyGroups.keyGroupOf(42L, max);
        byte[] block = buffers.keyGroupBytes(group);

        var elsewhere = bidsAndAsks(JoinType.INNER, false, true, max, new KeyGroupRange(group == 0 ? 1 : 0, group == 0 ? 2 : 1));
        assertThatThrownBy(() -> elsewhere.restoreKeyGroup(group, new SnapshotInput(block)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("key group " + group)
            .hasMessageContaining("outside this partition's range");
        int other = (group + 1) % max;
        var wrong = bidsAndAsks(JoinType.INNER, false, true, max, new KeyGroupRange(0, max));
        assertThatThrownBy(() -> wrong.restoreKeyGroup(other, new SnapshotInput(block)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("long key 42 was saved in key group " + other)
            .hasMessageContaining("hashes to key group " + group);
    }

    @Test
    void shouldRefuseRowsWrittenWithAnotherRowLayout() {
        int max = 128;
        var columns = bidsAndAsks(JoinType.INNER, false, true, max, new KeyGroupRange(0, max));
        columns.processLong(42, new Bid(1_000, 1), out);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(max);
        columns.snapshotState(0).writeTo(buffers);
        int group = KeyGroups.keyGroupOf(42L, max);
        var objects = bidsAndAsks(JoinType.INNER, false, false, max, new KeyGroupRange(0, max));
        assertThatThrownBy(() -> objects.restoreKeyGroup(group, new SnapshotInput(buffers.keyGroupBytes(group))))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("another row layout");
        assertThatThrownBy(() -> objects.restoreKeyGroup(group, new SnapshotInput(new SnapshotOutput().writeByte(9).toByteArray())))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("unknown entry tag 9");
    }

    @Test
    void shouldStoreAColumnRowWithoutKeepingTheInputRecord() {
        JoinSettings<Long, Order, Trade> settings = JoinSettings.<Long, Order, Trade>of(JoinType.INNER)
            .withEventTimes(o -> o.ts, t -> t.ts).withTimeRange(JoinTimeRange.between(0, 10_000));
        var joined = StreamStreamLongJoinOperator.of(StreamStreamLongJoinOperatorTest::text,
            settings.withRowLayouts(ORDERS, TRADES));
        Order reused = new Order(1_000, 5);
        joined.processLong(1, reused, out);
        reused.ts = 99_000; // the input reuses its record (copyingRecords)
        reused.qty = 6;
        joined.processRightLong(1, new Trade(2_000, 7), out);
        assertThat(out.drain()).containsExactly("1|o1000:5|t2000:7");
        assertThat(Collections.frequency(List.of(joined.queryValue(1L).left().get(0)), reused)).isZero();
    }
}
