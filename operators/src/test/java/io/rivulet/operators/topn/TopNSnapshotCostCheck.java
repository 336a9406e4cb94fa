package io.rivulet.operators.topn;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.state.KeepingStore;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a barrier of the running top-N costs with 100 k keys ranked: {@code snapshotState} on the
 * owner thread after epochs of {@code rivulet.perf.changes} (default 1 000) changed values,
 * {@code writeTo} on the writer thread (a writer that keeps unchanged key groups, every snapshot
 * completed), and a restore of the whole ranking into a fresh instance.
 *
 * <p>Off by default; run with
 * {@code mvn -q -B -pl operators test -Dtest=TopNSnapshotCostCheck -Drivulet.perf=true}.
 */
@EnabledIfSystemProperty(named = "rivulet.perf", matches = "true")
class TopNSnapshotCostCheck {
    private static final int KEYS = 100_000;
    private static final int MAX_PARALLELISM = 128;
    private static final int CHANGES = Integer.getInteger("rivulet.perf.changes", 1_000);
    private static final int WARMUP = 50;
    private static final int MEASURED = 50;
    private static final Object ALL = Boolean.TRUE;

    @Test
    void shouldReportTheBarrierCostOfAHundredThousandRankedKeys() {
        KeyGroupRange all = new KeyGroupRange(0, MAX_PARALLELISM);
        KeepingStore store = new KeepingStore(MAX_PARALLELISM, all);
        TopNOperator<Integer, Long> op = new TopNOperator<>(10, Comparator.<Long>naturalOrder(), null, false);
        SplittableRandom random = new SplittableRandom(11);
        for (int k = 0; k < KEYS; k++) {
            op.process(ALL, new KeyValue<>(k, random.nextLong(1_000_000)), r -> { });
        }
        long[] barrierNs = new long[MEASURED];
        long[] writeNs = new long[MEASURED];
        for (int round = 0; round < WARMUP + MEASURED; round++) {
            for (int i = 0; i < CHANGES; i++) {
                op.process(ALL, new KeyValue<>(random.nextInt(KEYS), random.nextLong(1_000_000)), r -> { });
            }
            op.onEpoch(round, r -> { });
            long t0 = System.nanoTime();
            OperatorSnapshot snapshot = op.snapshotState(round);
            long t1 = System.nanoTime();
            KeepingStore.Write write = store.begin();
            snapshot.writeTo(write);
            long t2 = System.nanoTime();
            write.complete();
            snapshot.release();
            if (round >= WARMUP) {
                barrierNs[round - WARMUP] = t1 - t0;
                writeNs[round - WARMUP] = t2 - t1;
            }
        }
        long r0 = System.nanoTime();
        TopNOperator<Integer, Long> restored = new TopNOperator<>(10, Comparator.<Long>naturalOrder(), null, false);
        store.restoreInto(restored, all);
        long restoreNs = System.nanoTime() - r0;
        assertThat(restored.top()).isEqualTo(op.top());
        System.out.printf("top-N barrier, %d keys, %d changes/epoch: snapshotState p50 %s p99 %s max %s;"
                + " writeTo p50 %s p99 %s; restore %s%n", KEYS, CHANGES, us(barrierNs, 0.5), us(barrierNs, 0.99),
            us(barrierNs, 1.0), us(writeNs, 0.5), us(writeNs, 0.99), String.format("%.1f ms", restoreNs / 1e6));
    }

    /**
     * The windowed top-N with 100 k rows held (10 open windows of 10 k keys, update mode): each epoch
     * changes {@code rivulet.perf.changes} values and closes one window while a new one opens, so the
     * rows held stay the same.
     */
    @Test
    void shouldReportTheBarrierCostOfAHundredThousandRowsInOpenWindows() {
        int windows = 10;
        int keysPerWindow = KEYS / windows;
        KeyGroupRange all = new KeyGroupRange(0, MAX_PARALLELISM);
        KeepingStore store = new KeepingStore(MAX_PARALLELISM, all);
        WindowTopNOperator<Integer, Long> op = new WindowTopNOperator<>(10, Comparator.<Long>naturalOrder(), null, false,
            false, null);
        SplittableRandom random = new SplittableRandom(11);
        for (int w = 0; w < windows; w++) {
            for (int k = 0; k < keysPerWindow; k++) {
                op.process(ALL, row(w, k, random), r -> { });
            }
        }
        long[] barrierNs = new long[MEASURED];
        long[] writeNs = new long[MEASURED];
        for (int round = 0; round < WARMUP + MEASURED; round++) {
            for (int i = 0; i < CHANGES; i++) {
                op.process(ALL, row(round + 1 + random.nextInt(windows - 1), random.nextInt(keysPerWindow), random), r -> { });
            }
            for (int k = 0; k < keysPerWindow; k++) {
                op.process(ALL, row(round + windows, k, random), r -> { });
            }
            op.onWatermark((round + 1) * 10L, r -> { });
            op.onEpoch(round, r -> { });
            long t0 = System.nanoTime();
            OperatorSnapshot snapshot = op.snapshotState(round);
            long t1 = System.nanoTime();
            KeepingStore.Write write = store.begin();
            snapshot.writeTo(write);
            long t2 = System.nanoTime();
            write.complete();
            snapshot.release();
            if (round >= WARMUP) {
                barrierNs[round - WARMUP] = t1 - t0;
                writeNs[round - WARMUP] = t2 - t1;
            }
        }
        Window last = new Window((WARMUP + MEASURED + windows - 1) * 10L,
            (WARMUP + MEASURED + windows) * 10L);
        long r0 = System.nanoTime();
        WindowTopNOperator<Integer, Long> restored = new WindowTopNOperator<>(10, Comparator.<Long>naturalOrder(), null,
            false, false, null);
        store.restoreInto(restored, all);
        long restoreNs = System.nanoTime() - r0;
        assertThat(restored.top(last)).isEqualTo(op.top(last)).isNotEmpty();
        System.out.printf("windowed top-N barrier, %d rows in %d windows, %d changes + 1 window closed and opened/epoch:"
                + " snapshotState p50 %s p99 %s max %s; writeTo p50 %s p99 %s; restore %s%n", KEYS, windows, CHANGES,
            us(barrierNs, 0.5), us(barrierNs, 0.99), us(barrierNs, 1.0), us(writeNs, 0.5), us(writeNs, 0.99),
            String.format("%.1f ms", restoreNs / 1e6));
    }

    private static WindowedValue<Integer, Long> row(int window, int key, SplittableRandom random) {
        return new WindowedValue<>(key,
            new Window(window * 10L, window * 10L + 10), random.nextLong(1_000_000));
    }

    private static String us(long[] ns, double q) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        int i = Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1);
        return String.format("%.1f us", sorted[Math.max(0, i)] / 1e3);
    }
}
