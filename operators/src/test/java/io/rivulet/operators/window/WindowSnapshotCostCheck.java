package io.rivulet.operators.window;

import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.KeyedOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a barrier snapshot of 1 M (key, window) entries costs: {@code snapshotState} on the owner
 * thread (the first one, and then after an epoch of {@code rivulet.perf.changes} changes, default
 * 10 000), {@code writeTo} (serialisation per key group, on the writer's thread) and a restore into
 * a fresh instance, for count ({@code long[]}) and count+sum ({@code Object[]} of two
 * {@code long[]}) accumulators with {@link io.rivulet.operators.state.StateCodecs#dynamic()} codecs,
 * and for 1 M sessions.
 *
 * <p>{@link #shouldReportTheWriteCostWhenUnchangedKeyGroupsAreKept} measures the writer thread's
 * {@code writeTo} per checkpoint and the bytes it encodes when the writer keeps unchanged key groups
 * ({@link KeyGroupWriter#keepKeyGroup}), every epoch written, against a writer that does not keep.
 *
 * <p>Off by default; run with
 * {@code mvn -q -B -pl operators test -Dtest=WindowSnapshotCostCheck -Drivulet.perf=true}.
 */
@EnabledIfSystemProperty(named = "rivulet.perf", matches = "true")
class WindowSnapshotCostCheck {
    private static final int KEYS = 100_000;
    private static final int WINDOWS = 10;
    /** Entries an epoch changes: 10 ms at 1 M records/s. */
    private static final int CHANGES = Integer.getInteger("rivulet.perf.changes", 10_000);
    private static final int WARMUP = 200;
    private static final int MEASURED = 100;
    private static final Integer[] BOXED = new Integer[KEYS];

    static {
        for (int k = 0; k < KEYS; k++) {
            BOXED[k] = k;
        }
    }

    record Event(long ts, long value) {
    }

    @Test
    void shouldReportSnapshotCostOfAMillionWindowEntries() {
        measure("tumbling, long[] count", () -> tumbling(Aggregates.count(), true),
            () -> tumbling(Aggregates.count(), false));
        AggregateFunction<Event, Object[], List<Object>> countSum = Aggregates.of(Aggregates.count(),
            Aggregates.sumLong(Event::value));
        measure("tumbling, Object[] count+sum", () -> tumbling(countSum, true), () -> tumbling(countSum, false));
        measure("sessions, long[] count", () -> sessions(true), () -> sessions(false));
    }

    @Test
    void shouldReportTheWriteCostWhenUnchangedKeyGroupsAreKept() {
        for (int changes : new int[] {10, 1_000, 10_000}) {
            measureKeeping(changes, 128, false);
            measureKeeping(changes, 128, true);
            measureKeeping(changes, 4096, true);
        }
    }

    /** 1 M entries; 30 rounds of {@code changes} changes and a snapshot written (every one, completed). */
    private void measureKeeping(int changes, int maxParallelism, boolean keep) {
        CheckpointedOperator op = tumbling(Aggregates.count(), true);
        @SuppressWarnings("unchecked")
        KeyedOperator<Integer, Event, Object> keyed = (KeyedOperator<Integer, Event, Object>) op;
        KeyGroupRange all = new KeyGroupRange(0, maxParallelism);
        op.snapshotState(0).writeTo(new Keeping(maxParallelism, all, 0, KeyGroupWriter.NO_SNAPSHOT));
        SplittableRandom random = new SplittableRandom(7);
        Event[] events = new Event[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            events[w] = new Event(w * 10L + 1, 1);
        }
        int rounds = 30;
        long[] writeNs = new long[rounds];
        long[] bytes = new long[rounds];
        int[] written = new int[rounds];
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < changes; i++) {
                keyed.process(BOXED[random.nextInt(KEYS)], events[random.nextInt(WINDOWS)], r -> { });
            }
            OperatorSnapshot snapshot = op.snapshotState(round);
            KeyGroupWriter writer = keep ? new Keeping(maxParallelism, all, round, round - 1)
                : KeyGroupBuffers.all(maxParallelism);
            long t0 = System.nanoTime();
            snapshot.writeTo(writer);
            writeNs[round - 1] = System.nanoTime() - t0;
            snapshot.release();
            for (int g = 0; g < maxParallelism; g++) {
                byte[] b = writer instanceof Keeping k ? k.buffers.keyGroupBytes(g) : ((KeyGroupBuffers) writer).keyGroupBytes(g);
                if (b != null) {
                    bytes[round - 1] += b.length;
                    written[round - 1]++;
                }
            }
        }
        Arrays.sort(writeNs);
        Arrays.sort(bytes);
        Arrays.sort(written);
        System.out.printf("1 M entries, %6d changes/epoch, %4d key groups, %-9s writeTo median %6.2f ms (max %6.2f),"
                + " encoded median %6.2f MB in %4d key groups%n", changes, maxParallelism, keep ? "keeping" : "full",
            writeNs[rounds / 2] / 1e6, writeNs[rounds - 1] / 1e6, bytes[rounds / 2] / 1e6, written[rounds / 2]);
    }

    /** A writer that keeps key groups against the previous round's write (every write completes). */
    private static final class Keeping implements KeyGroupWriter {
        final KeyGroupBuffers buffers;
        final long id;
        final long base;

        Keeping(int maxParallelism, KeyGroupRange range, long id, long base) {
            this.buffers = new KeyGroupBuffers(maxParallelism, range);
            this.id = id;
            this.base = base;
        }

        @Override
        public io.rivulet.operators.state.SnapshotOutput forKey(Object key) {
            return buffers.forKey(key);
        }

        @Override
        public io.rivulet.operators.state.SnapshotOutput forKeyGroup(int keyGroup) {
            return buffers.forKeyGroup(keyGroup);
        }

        @Override
        public io.rivulet.operators.state.SnapshotOutput operatorState() {
            return buffers.operatorState();
        }

        @Override
        public int maxParallelism() {
            return buffers.maxParallelism();
        }

        @Override
        public long snapshotId() {
            return id;
        }

        @Override
        public long baseSnapshotId() {
            return base;
        }

        @Override
        public void keepKeyGroup(int keyGroup) {
        }
    }

    private <A> WindowAggregateOperator<Integer, Event, A, ?> tumbling(AggregateFunction<Event, A, ?> fn, boolean fill) {
        var op = new WindowAggregateOperator<Integer, Event, A, Object>(WindowAssigner.tumbling(10), Event::ts,
            castResult(fn), OutputMode.COMPLETE);
        Event[] events = new Event[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            events[w] = new Event(w * 10L, 1);
        }
        for (int k = 0; fill && k < KEYS; k++) {
            for (int w = 0; w < WINDOWS; w++) {
                op.process(BOXED[k], events[w], r -> { });
            }
        }
        return op;
    }

    private SessionWindowOperator<Integer, Event, long[], Long> sessions(boolean fill) {
        var op = new SessionWindowOperator<Integer, Event, long[], Long>(5, Event::ts, Aggregates.count(),
            OutputMode.APPEND, null);
        Event[] events = new Event[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            events[w] = new Event(w * 10L, 1);
        }
        for (int k = 0; fill && k < KEYS; k++) {
            for (int w = 0; w < WINDOWS; w++) {
                op.process(BOXED[k], events[w], r -> { });
            }
        }
        return op;
    }

    @SuppressWarnings("unchecked")
    private static <A> AggregateFunction<Event, A, Object> castResult(AggregateFunction<Event, A, ?> fn) {
        return (AggregateFunction<Event, A, Object>) fn;
    }

    /**
     * Takes a first snapshot (every entry); then {@code WARMUP + MEASURED} rounds of an epoch
     * changing {@code CHANGES} entries (random keys, random windows) and a snapshot (the stall:
     * {@code snapshotState} on the owner thread), writing every tenth snapshot as a runtime that
     * falls behind would (the others are applied by the next write); the stall is reported over the
     * measured rounds (the warm-up lets the JIT compile the barrier path, as it is in a running
     * query). Then 3 rounds of a full write and a restore into a fresh instance.
     */
    private void measure(String name, Supplier<? extends CheckpointedOperator> filled,
                         Supplier<? extends CheckpointedOperator> empty) {
        CheckpointedOperator op = filled.get();
        @SuppressWarnings("unchecked")
        KeyedOperator<Integer, Event, Object> keyed = (KeyedOperator<Integer, Event, Object>) op;
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        long t0 = System.nanoTime();
        OperatorSnapshot first = op.snapshotState(0);
        long firstNs = System.nanoTime() - t0;
        first.writeTo(buffers);
        SplittableRandom random = new SplittableRandom(42);
        Event[] events = new Event[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            events[w] = new Event(w * 10L + 1, 1);
        }
        long[] stallNs = new long[MEASURED];
        for (int round = 1; round <= WARMUP + MEASURED; round++) {
            for (int i = 0; i < CHANGES; i++) {
                keyed.process(BOXED[random.nextInt(KEYS)], events[random.nextInt(WINDOWS)], r -> { });
            }
            long t1 = System.nanoTime();
            OperatorSnapshot snapshot = op.snapshotState(round);
            long t2 = System.nanoTime();
            if (round > WARMUP) {
                stallNs[round - WARMUP - 1] = t2 - t1;
            }
            if (round % 10 == 0) {
                buffers.reset();
                snapshot.writeTo(buffers);
            }
            snapshot.release();
        }
        Arrays.sort(stallNs);
        long bestWriteNs = Long.MAX_VALUE;
        long bestRestoreNs = Long.MAX_VALUE;
        long worstRestoreNs = 0;
        long bytes = 0;
        for (int round = 0; round < 3; round++) {
            buffers.reset();
            OperatorSnapshot snapshot = op.snapshotState(WARMUP + MEASURED + 1 + round);
            long t3 = System.nanoTime();
            snapshot.writeTo(buffers);
            long t4 = System.nanoTime();
            CheckpointedOperator fresh = empty.get();
            long t5 = System.nanoTime();
            buffers.restoreInto(fresh, buffers.range());
            long t6 = System.nanoTime();
            bestWriteNs = Math.min(bestWriteNs, t4 - t3);
            bestRestoreNs = Math.min(bestRestoreNs, t6 - t5);
            worstRestoreNs = Math.max(worstRestoreNs, t6 - t5);
            bytes = 0;
            for (int g = 0; g < 128; g++) {
                byte[] b = buffers.keyGroupBytes(g);
                bytes += b == null ? 0 : b.length;
            }
        }
        assertThat(bytes).isPositive();
        System.out.printf("%-30s %d entries: first snapshotState %5.0f ms; after %d changes: snapshotState (owner thread,"
                + " %d rounds) median %5.2f ms, max %5.2f ms; writeTo %4.0f ms, %4.1f MB; restore %4.0f-%4.0f ms%n", name,
            KEYS * WINDOWS, firstNs / 1e6, CHANGES, MEASURED, stallNs[MEASURED / 2] / 1e6, stallNs[MEASURED - 1] / 1e6,
            bestWriteNs / 1e6, bytes / 1e6, bestRestoreNs / 1e6, worstRestoreNs / 1e6);
    }
}
