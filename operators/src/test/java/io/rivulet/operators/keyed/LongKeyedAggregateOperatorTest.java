package io.rivulet.operators.keyed;

import io.rivulet.operators.LongKeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorContractHarness;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The running {@code long}-key aggregation driven by hand: emit policies, snapshots, restore, rescale, reads. */
class LongKeyedAggregateOperatorTest {
    private static final int MAX = KeyGroups.DEFAULT_MAX_PARALLELISM;
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX);

    record Trade(long account, long qty) {
    }

    private static final class Collect implements Output<LongKeyValue> {
        final List<LongKeyValue> emitted = new ArrayList<>();

        @Override
        public void emit(LongKeyValue record) {
            emitted.add(record);
        }
    }

    private static LongKeyedAggregateOperator<Trade> sum(EmitPolicy policy) {
        return LongKeyedAggregateOperator.sum(Trade::qty, policy, MAX, ALL);
    }

    @Test
    void shouldEmitTheRunningSumAfterEveryRecord() {
        LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.EVERY_RECORD);
        Collect out = new Collect();
        op.processLong(7, new Trade(7, 5), out);
        op.processLong(-3, new Trade(-3, 1), out);
        op.processLong(7, new Trade(7, 2), out);
        assertThat(out.emitted).containsExactly(new LongKeyValue(7, 5), new LongKeyValue(-3, 1), new LongKeyValue(7, 7));
    }

    @Test
    void shouldEmitEachKeyChangedInTheEpochOnce() {
        LongKeyedAggregateOperator<Trade> op = LongKeyedAggregateOperator.count(EmitPolicy.ON_EPOCH, MAX, ALL);
        Collect out = new Collect();
        op.processLong(2, new Trade(2, 0), out);
        op.processLong(1, new Trade(1, 0), out);
        op.processLong(2, new Trade(2, 0), out);
        assertThat(out.emitted).isEmpty();
        op.onEpoch(0, out);
        assertThat(out.emitted).containsExactlyInAnyOrder(new LongKeyValue(2, 2), new LongKeyValue(1, 1));
        out.emitted.clear();
        op.processLong(1, new Trade(1, 0), out);
        op.onEpoch(1, out);
        op.onEpoch(2, out);
        assertThat(out.emitted).as("only key 1 changed in epoch 1, nothing in epoch 2").containsExactly(new LongKeyValue(1, 2));
    }

    @Test
    void shouldEmitEveryChangedKeyWithItsValueWhenTheTableGrowsWithinAnEpoch() {
        LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.ON_EPOCH);
        Collect out = new Collect();
        List<LongKeyValue> expected = new ArrayList<>();
        for (long k = 0; k < 300; k++) { // 64 slots at first: grows three times
            long key = (k * 7_919) ^ Long.MIN_VALUE;
            op.processLong(key, new Trade(key, k), out);
            op.processLong(key, new Trade(key, 1), out);
            expected.add(new LongKeyValue(key, k + 1));
        }
        op.onEpoch(0, out);
        assertThat(out.emitted).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldEmitExactlyTheChangedKeysWhetherAnEpochListsOrScansThem() {
        LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.ON_EPOCH);
        Collect out = new Collect();
        long[] sums = new long[4_096];
        // Epoch sizes around the list limit (capacity / SCAN_DIVISOR): listed, scanned, listed, scanned, nothing.
        int[] changedPerEpoch = {3, 2_000, 5, 4_096, 0};
        for (int e = 0; e < changedPerEpoch.length; e++) {
            List<LongKeyValue> expected = new ArrayList<>();
            for (int k = 0; k < changedPerEpoch[e]; k++) {
                int key = (k * 1_237 + e) & (sums.length - 1); // an odd multiplier: distinct keys within the epoch
                sums[key] += e + 1;
                op.processLong(key, new Trade(key, e + 1), out);
                op.processLong(key, new Trade(key, 0), out);
                expected.add(new LongKeyValue(key, sums[key]));
            }
            out.emitted.clear();
            op.onEpoch(e, out);
            assertThat(out.emitted).as("epoch %d", e).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void shouldEmitEveryKeyAtEachEpochUnderAllOnEpoch() {
        LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.ALL_ON_EPOCH);
        Collect out = new Collect();
        op.processLong(1, new Trade(1, 4), out);
        op.processLong(Long.MIN_VALUE, new Trade(Long.MIN_VALUE, 9), out);
        op.onEpoch(0, out);
        op.processLong(1, new Trade(1, 1), out);
        op.onEpoch(1, out);
        assertThat(out.emitted.subList(0, 2)).containsExactlyInAnyOrder(new LongKeyValue(1, 4), new LongKeyValue(Long.MIN_VALUE, 9));
        assertThat(out.emitted.subList(2, 4)).containsExactlyInAnyOrder(new LongKeyValue(1, 5), new LongKeyValue(Long.MIN_VALUE, 9));
    }

    @Test
    void shouldFoldWithTheGivenInitialState() {
        LongKeyedAggregateOperator<Trade> max = new LongKeyedAggregateOperator<>(Long.MIN_VALUE,
            (state, trade) -> Math.max(state, trade.qty()), EmitPolicy.EVERY_RECORD);
        Collect out = new Collect();
        max.processLong(1, new Trade(1, -5), out);
        max.processLong(1, new Trade(1, -9), out);
        assertThat(out.emitted).containsExactly(new LongKeyValue(1, -5), new LongKeyValue(1, -5));
    }

    @Test
    void shouldLeaveNoKeyBehindWhenTheFoldThrowsOnItsFirstRecord() {
        LongKeyedAggregateOperator<Trade> op = new LongKeyedAggregateOperator<>(0, (state, trade) -> {
            if (trade.qty() < 0) {
                throw new IllegalArgumentException("negative qty");
            }
            return state + trade.qty();
        }, EmitPolicy.ALL_ON_EPOCH);
        Collect out = new Collect();
        op.processLong(1, new Trade(1, 2), out);
        assertThatThrownBy(() -> op.processLong(1, new Trade(1, -1), out)).hasMessage("negative qty");
        assertThatThrownBy(() -> op.processLong(2, new Trade(2, -1), out)).hasMessage("negative qty");
        op.onEpoch(0, out);
        assertThat(out.emitted).containsExactly(new LongKeyValue(1, 2));
        assertThat(op.queryValue(2L)).isNull();
    }

    /** Records over {@code keys} long keys (negative ones and extremes included), epochs and watermarks now and then. */
    private static OperatorContractHarness.Script script(long seed, int records, int keys) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        for (int i = 0; i < records; i++) {
            int k = random.nextInt(keys);
            long key = k == 0 ? Long.MIN_VALUE : k == 1 ? Long.MAX_VALUE : (k - keys / 2) * 1_000_003L;
            script.record(key, new Trade(key, random.nextInt(50) - 10));
            if (random.nextInt(9) == 0) {
                script.watermark(i);
            }
            if (random.nextInt(11) == 0) {
                script.epoch();
            }
        }
        return script.epoch().end();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EmitPolicy.class)
    void shouldProduceTheSameOutputWhenRestoredAtAnyBarrierOrRescaled(EmitPolicy policy) {
        for (long seed = 1; seed <= 2; seed++) {
            List<Object> output = OperatorContractHarness.<Long, Trade, LongKeyValue>of(late -> sum(policy),
                script(seed, 160, 60)).snapshotPoints(OperatorContractHarness.SnapshotPoints.AFTER_EPOCH).run();
            assertThat(output).isNotEmpty();
        }
    }

    @Test
    void shouldEqualTheBoxedRunningSumForTheSameRecords() {
        OperatorContractHarness.Script script = script(3, 300, 80);
        List<Object> primitive = OperatorContractHarness.<Long, Trade, LongKeyValue>of(late -> sum(EmitPolicy.EVERY_RECORD),
            script).snapshotPoints(OperatorContractHarness.SnapshotPoints.AFTER_EPOCH).rescale(false).run();
        List<Object> boxed = OperatorContractHarness.<Long, Trade, Trade>of(
            late -> new KeyedReduceOperator<Long, Trade>((a, b) -> new Trade(a.account(), a.qty() + b.qty()),
                EmitPolicy.EVERY_RECORD),
            script).snapshotPoints(OperatorContractHarness.SnapshotPoints.AFTER_EPOCH).rescale(false).run();
        List<Object> boxedAsPairs = new ArrayList<>();
        for (Object o : boxed) {
            boxedAsPairs.add(o instanceof Trade t ? new LongKeyValue(t.account(), t.qty()) : o);
        }
        assertThat(primitive).isEqualTo(boxedAsPairs);
    }

    /**
     * Snapshots are written late, after the operator changed the same keys again and its table grew
     * twice: each restored snapshot must hold the values as of its own barrier (copy-on-write across
     * generations).
     */
    @Test
    void shouldWriteEachSnapshotAsOfItsBarrierWhenTheWriterLagsAcrossTableGrowth() {
        LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.ON_EPOCH);
        Collect out = new Collect();
        Map<Long, Long> truth = new HashMap<>();
        List<OperatorSnapshot> snapshots = new ArrayList<>();
        List<Map<Long, Long>> expected = new ArrayList<>();
        int keys = 10;
        for (int epoch = 0; epoch < 6; epoch++) {
            keys *= 2; // 20 .. 640 keys: the table (64 slots at first) grows on the way
            for (long k = 0; k < keys; k++) {
                op.processLong(k * 31, new Trade(k * 31, epoch + 1), out);
                truth.merge(k * 31, (long) epoch + 1, Long::sum);
            }
            op.onEpoch(epoch, out);
            snapshots.add(op.snapshotState(epoch));
            expected.add(new TreeMap<>(truth));
        }
        for (int s = 0; s < snapshots.size(); s++) {
            KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
            snapshots.get(s).writeTo(buffers);
            LongKeyedAggregateOperator<Trade> restored = sum(EmitPolicy.ON_EPOCH);
            buffers.restoreInto(restored, ALL);
            Map<Long, Long> read = new TreeMap<>();
            restored.scanValues(k -> true, read::put);
            assertThat(read).as("snapshot %d", s).isEqualTo(expected.get(s));
        }
    }

    /**
     * Keys (0, the table's empty-slot key, among them) change in scattered epochs while the table grows,
     * and the writer lags by zero to many barriers, skipping some snapshots (the next one written applies
     * them): every snapshot written must hold the values as of its own barrier, and each epoch must emit
     * exactly its changed keys.
     */
    @Test
    void shouldWriteEachSnapshotAsOfItsBarrierWhateverTheWriterLagsWithKeysChangedInScatteredEpochs() {
        record Barrier(OperatorSnapshot snapshot, Map<Long, Long> expected) {
        }
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.ON_EPOCH);
            Collect out = new Collect();
            Map<Long, Long> truth = new HashMap<>();
            ArrayDeque<Barrier> unwritten = new ArrayDeque<>();
            int written = 0;
            for (int epoch = 0; epoch < 40; epoch++) {
                int universe = 20 + epoch * 40; // up to 1 580 keys: the table grows while the writer lags
                Map<Long, Long> changed = new HashMap<>();
                for (int r = random.nextInt(4) == 0 ? 0 : random.nextInt(300); r > 0; r--) {
                    int k = random.nextInt(universe);
                    long key = k == 0 ? 0 : k == 1 ? Long.MIN_VALUE : k * 0x9E3779B97F4A7C15L;
                    long qty = random.nextInt(1_000) - 100;
                    op.processLong(key, new Trade(key, qty), out);
                    changed.put(key, truth.merge(key, qty, Long::sum));
                }
                out.emitted.clear();
                op.onEpoch(epoch, out);
                Map<Long, Long> emitted = new HashMap<>();
                out.emitted.forEach(kv -> emitted.put(kv.key(), kv.value()));
                assertThat(out.emitted).as("seed %d epoch %d: each changed key once", seed, epoch).hasSize(changed.size());
                assertThat(emitted).as("seed %d epoch %d", seed, epoch).isEqualTo(changed);
                unwritten.add(new Barrier(op.snapshotState(epoch), new TreeMap<>(truth)));
                while (!unwritten.isEmpty() && random.nextInt(3) == 0) {
                    Barrier barrier = unwritten.poll();
                    if (unwritten.isEmpty() || random.nextInt(3) != 0) { // else skipped: the next write applies it
                        assertWrittenAsOfItsBarrier(barrier.snapshot(), barrier.expected(), "seed " + seed);
                        written++;
                    }
                }
            }
            for (Barrier barrier : unwritten) {
                assertWrittenAsOfItsBarrier(barrier.snapshot(), barrier.expected(), "seed " + seed + ", at the end");
                written++;
            }
            assertThat(written).isGreaterThan(10);
        }
    }

    private static void assertWrittenAsOfItsBarrier(OperatorSnapshot snapshot, Map<Long, Long> expected, String what) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
        snapshot.writeTo(buffers);
        LongKeyedAggregateOperator<Trade> restored = sum(EmitPolicy.ON_EPOCH);
        buffers.restoreInto(restored, ALL);
        Map<Long, Long> read = new TreeMap<>();
        restored.scanValues(k -> true, read::put);
        assertThat(read).as(what).isEqualTo(expected);
    }

    /** A count or sum adds records in batches: every read of the state sees the records of a partial batch. */
    @Test
    void shouldShowTheRecordsOfAPartialBatchToQueriesFiguresSnapshotsAndTheFlush() {
        LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.ON_EPOCH);
        Collect out = new Collect();
        int n = LongKeyedAggregateOperator.BATCH + 3; // one whole batch and a partial one
        for (long k = 0; k < n; k++) {
            op.processLong(k, new Trade(k, 10 + k), out);
        }
        assertThat(op.queryValue((long) n - 1)).isEqualTo(10L + n - 1);
        Map<Long, Long> scanned = new TreeMap<>();
        op.scanValues(k -> true, scanned::put);
        assertThat(scanned).hasSize(n);
        op.processLong(n, new Trade(n, 7), out);
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(n + 1);
        op.processLong(n + 1, new Trade(n + 1, 5), out);
        OperatorSnapshot snapshot = op.snapshotState(0);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
        snapshot.writeTo(buffers);
        LongKeyedAggregateOperator<Trade> restored = sum(EmitPolicy.ON_EPOCH);
        buffers.restoreInto(restored, ALL);
        assertThat(restored.queryValue((long) n + 1)).as("a record of a partial batch is in the snapshot").isEqualTo(5L);
        op.processLong(n + 2, new Trade(n + 2, 1), out);
        op.onEpoch(1, out);
        assertThat(out.emitted).hasSize(n + 3).contains(new LongKeyValue(n + 2, 1));
    }

    @Test
    void shouldAnswerQueriesByLongKey() {
        LongKeyedAggregateOperator<Trade> op = LongKeyedAggregateOperator.count(EmitPolicy.ON_EPOCH, MAX, ALL);
        Collect out = new Collect();
        for (long k = 0; k < 100; k++) {
            for (int n = 0; n <= k % 3; n++) {
                op.processLong(k, new Trade(k, 0), out);
            }
        }
        assertThat(op.queryValue(5L)).isEqualTo(3L);
        assertThat(op.queryValue(1000L)).isNull();
        Map<Long, Long> odd = new TreeMap<>();
        op.scanValues(k -> k % 2 == 1 && k < 6, odd::put);
        assertThat(odd).containsExactly(Map.entry(1L, 2L), Map.entry(3L, 1L), Map.entry(5L, 3L));
        assertThat(op.keyCount()).isEqualTo(100);
    }

    @Test
    void shouldReportKeysAndUpdatedRows() {
        LongKeyedAggregateOperator<Trade> op = LongKeyedAggregateOperator.count(EmitPolicy.ON_EPOCH, MAX, ALL);
        Collect out = new Collect();
        op.processLong(1, new Trade(1, 0), out);
        op.processLong(2, new Trade(2, 0), out);
        op.processLong(1, new Trade(1, 0), out);
        op.onEpoch(0, out);
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(2);
        assertThat(metrics.numRowsUpdated()).isEqualTo(2);
        assertThat(metrics.memoryUsedBytes()).isPositive();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsUpdated()).as("reset by the read").isZero();
    }

    @Test
    void shouldRefuseAKeyGroupOutsideItsRange() {
        LongKeyedAggregateOperator<Trade> op = LongKeyedAggregateOperator.count(EmitPolicy.ON_EPOCH, MAX,
            KeyGroups.rangeOf(0, MAX, 2));
        assertThatThrownBy(() -> op.restoreKeyGroup(MAX - 1, new SnapshotOutput().asInput()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside this partition's range");
    }

    @Test
    void shouldRefuseAKeyThatHashesToAnotherKeyGroup() {
        long key = 42;
        int group = KeyGroups.keyGroupOf(key, MAX);
        int wrong = (group + 1) % MAX;
        SnapshotOutput block = new SnapshotOutput().writeByte(LongSnapshotImage.ENTRY).writeLong(key).writeLong(1);
        LongKeyedAggregateOperator<Trade> op = sum(EmitPolicy.ON_EPOCH);
        assertThatThrownBy(() -> op.restoreKeyGroup(wrong, block.asInput()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("hashes to key group " + group);
    }

    @Test
    void shouldPutALongKeyInTheSameKeyGroupAsItsBoxedLong() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            long key = random.nextLong();
            assertThat(KeyGroups.keyGroupOf(key, 128)).isEqualTo(KeyGroups.keyGroupOf((Object) key, 128));
        }
    }
}
