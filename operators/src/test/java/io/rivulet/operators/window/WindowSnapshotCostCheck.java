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
import io.rivulet.operators.state.SnapshotOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a barrier snapshot of 1 M (key, window) entries costs: {@code snapshotState} on the owner
 * thread (the first one, and then after epochs of 10 k, 100 k and 1 M changed entries, or of
 * {@code rivulet.perf.changes} alone), {@code writeTo} (applying the deltas and serialisation per key
 * group, on the writer's thread) and a restore into
 * a fresh instance, for count ({@code long[]}) and count+sum ({@code Object[]} of two
 * {@code long[]}) accumulators with {@link io.rivulet.operators.state.StateCodecs#dynamic()} codecs,
 * and for 1 M sessions.
 *
 * <p>{@link #shouldReportTheWriteCostWhenUnchangedKeyGroupsAreKept} measures the writer thread's
 * {@code writeTo} per checkpoint and the bytes it encodes when the writer keeps unchanged key groups
 * ({@link KeyGroupWriter#keepKeyGroup}), every epoch written, against a writer that does not keep.
 *
 * <p>Off by default; run with
 * {@code mvn -q -B -pl operators test -Dtest=WindowSnapshotCostCheck -Drivulet.perf=true
 * "-Drivulet.test.jvm=-Xmx6g -XX:+UseG1GC"}.
 */
@EnabledIfSystemProperty(named = "rivulet.perf", matches = "true")
class WindowSnapshotCostCheck {
    private static final int KEYS = 100_000;
    private static final int WINDOWS = 10;
    /** Entries an epoch changes: 10 ms at 1 M records/s. */
    private static final int CHANGES = Integer.getInteger("rivulet.perf.changes", 10_000);
    /** Whether one change count was asked for; otherwise 10 k, 100 k and 1 M are measured. */
    private static final boolean CHANGES_SET = System.getProperty("rivulet.perf.changes") != null;
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
    }

    @Test
    void shouldReportSnapshotCostOfAMillionWindowEntriesWithCompositeAccumulators() {
        AggregateFunction<Event, Object[], List<Object>> countSum = Aggregates.of(Aggregates.count(),
            Aggregates.sumLong(Event::value));
        measure("tumbling, Object[] count+sum", () -> tumbling(countSum, true), () -> tumbling(countSum, false));
    }

    @Test
    void shouldReportSnapshotCostOfAMillionSessions() {
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
        public SnapshotOutput forKey(Object key) {
            return buffers.forKey(key);
        }

        @Override
        public SnapshotOutput forKeyGroup(int keyGroup) {
            return buffers.forKeyGroup(keyGroup);
        }

        @Override
        public SnapshotOutput operatorState() {
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
     * Per change count (10 k, 100 k, 1 M, or {@code rivulet.perf.changes} alone): takes a first
     * snapshot of the filled operator; then warm-up and measured rounds of an epoch changing that many
     * distinct entries (a stride through the 1 M (key, window) entries) and a snapshot: the stall is
     * {@code snapshotState} on the owner thread, reported as median, p99 and max over the measured
     * rounds, with the epoch's processing time (which includes any copy-on-write). Every tenth
     * snapshot (10 k) or every snapshot (larger) is written, as a runtime whose writer keeps up or
     * falls behind would; the others are applied by the next write: writeTo is the writer thread's
     * cost (applying the pending deltas, copying the changed accumulators, then serialising the whole
     * image), next to a write with nothing pending. Then 3 rounds of a full write and a restore into a
     * fresh instance.
     */
    private void measure(String name, Supplier<? extends CheckpointedOperator> filled,
                         Supplier<? extends CheckpointedOperator> empty) {
        int[] changeCounts = CHANGES_SET ? new int[] {CHANGES} : new int[] {10_000, 100_000, KEYS * WINDOWS};
        for (int changes : changeCounts) {
            measure(name, filled, empty, changes);
        }
    }

    private void measure(String name, Supplier<? extends CheckpointedOperator> filled,
                         Supplier<? extends CheckpointedOperator> empty, int changes) {
        CheckpointedOperator op = filled.get();
        @SuppressWarnings("unchecked")
        KeyedOperator<Integer, Event, Object> keyed = (KeyedOperator<Integer, Event, Object>) op;
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        long t0 = System.nanoTime();
        OperatorSnapshot first = op.snapshotState(0);
        long firstNs = System.nanoTime() - t0;
        long t0w = System.nanoTime();
        first.writeTo(buffers);
        long firstWriteNs = System.nanoTime() - t0w;
        Event[] events = new Event[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            events[w] = new Event(w * 10L + 1, 1);
        }
        // About 3 M records of warm-up and 1 M+ measured, at least 10 measured rounds.
        int warmup = Math.max(3, Math.min(WARMUP, 3_000_000 / changes));
        int measured = Math.max(10, Math.min(MEASURED, 1_000_000 / changes));
        int writeEvery = changes >= 100_000 ? 1 : 10;
        long[] stallNs = new long[measured];
        long[] processNs = new long[measured];
        long[] writeNs = new long[measured];
        long[] writeCpuNs = new long[measured];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int writes = 0;
        int gcRounds = 0;
        long maxWithoutGcNs = 0;
        int entries = KEYS * WINDOWS;
        long position = 0;
        for (int round = 1; round <= warmup + measured; round++) {
            long tp = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                int entry = (int) (position % entries);
                position += 7919; // a prime: coprime with 1 M, so a round's changes are distinct entries
                keyed.process(BOXED[entry / WINDOWS], events[entry % WINDOWS], r -> { });
            }
            long gcBefore = gcCount();
            long t1 = System.nanoTime();
            OperatorSnapshot snapshot = op.snapshotState(round);
            long t2 = System.nanoTime();
            boolean measuring = round > warmup;
            if (measuring) {
                stallNs[round - warmup - 1] = t2 - t1;
                if (gcCount() != gcBefore) {
                    gcRounds++;
                } else {
                    maxWithoutGcNs = Math.max(maxWithoutGcNs, t2 - t1);
                }
                processNs[round - warmup - 1] = t1 - tp;
            }
            if (round % writeEvery == 0) {
                buffers.reset();
                long cw = threads.getCurrentThreadCpuTime();
                long tw = System.nanoTime();
                snapshot.writeTo(buffers);
                if (measuring) {
                    writeNs[writes] = System.nanoTime() - tw;
                    writeCpuNs[writes++] = threads.getCurrentThreadCpuTime() - cw;
                }
            }
            snapshot.release();
        }
        Arrays.sort(stallNs);
        Arrays.sort(processNs);
        Arrays.sort(writeNs, 0, writes);
        Arrays.sort(writeCpuNs, 0, writes);
        buffers.reset();
        OperatorSnapshot idle = op.snapshotState(warmup + measured + 1);
        long ci = threads.getCurrentThreadCpuTime();
        idle.writeTo(buffers);
        long idleWriteCpuNs = threads.getCurrentThreadCpuTime() - ci;
        long bestRestoreNs = Long.MAX_VALUE;
        long worstRestoreNs = 0;
        long bytes = 0;
        for (int round = 0; round < 3; round++) {
            buffers.reset();
            op.snapshotState(warmup + measured + 2 + round).writeTo(buffers);
            CheckpointedOperator fresh = empty.get();
            long t5 = System.nanoTime();
            buffers.restoreInto(fresh, buffers.range());
            long t6 = System.nanoTime();
            bestRestoreNs = Math.min(bestRestoreNs, t6 - t5);
            worstRestoreNs = Math.max(worstRestoreNs, t6 - t5);
            bytes = 0;
            for (int g = 0; g < 128; g++) {
                byte[] b = buffers.keyGroupBytes(g);
                bytes += b == null ? 0 : b.length;
            }
        }
        assertThat(bytes).isPositive();
        System.out.printf("%-28s %d entries, %7d changes/epoch: snapshotState first %6.3f ms; %d rounds: median %6.3f,"
                + " p99 %6.3f, max %6.3f ms (%d rounds with a GC; max of the others %6.3f ms) | epoch processing median %6.1f ms | writeTo (writer, 1 in %d) median"
                + " %5.0f ms (cpu %5.0f ms), max %5.0f ms; cpu with nothing pending %4.0f ms; first %4.0f ms | %4.1f MB,"
                + " restore %4.0f-%4.0f ms%n",
            name, entries, changes, firstNs / 1e6, measured, stallNs[measured / 2] / 1e6,
            stallNs[Math.min(measured - 1, (int) Math.ceil(measured * 0.99) - 1)] / 1e6, stallNs[measured - 1] / 1e6,
            gcRounds, maxWithoutGcNs / 1e6, processNs[measured / 2] / 1e6, writeEvery, writes == 0 ? 0 : writeNs[writes / 2] / 1e6,
            writes == 0 ? 0 : writeCpuNs[writes / 2] / 1e6, writes == 0 ? 0 : writeNs[writes - 1] / 1e6,
            idleWriteCpuNs / 1e6, firstWriteNs / 1e6, bytes / 1e6,
            bestRestoreNs / 1e6, worstRestoreNs / 1e6);
    }

    /** Collections by every collector so far: a change across a measured call means a GC pause fell inside it. */
    private static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }
}
