package io.rivulet.operators.window;

import com.sun.management.ThreadMXBean;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowAggregateOperatorTest {
    record Event(String key, long ts) {
    }

    private final List<WindowedValue<String, Long>> out = new ArrayList<>();
    private final Output<WindowedValue<String, Long>> output = out::add;
    private final List<Event> late = new ArrayList<>();
    private final StateMetrics metrics = new StateMetrics();

    private WindowAggregateOperator<String, Event, long[], Long> count(WindowAssigner assigner, OutputMode mode) {
        return new WindowAggregateOperator<>(assigner, Event::ts, Aggregates.count(), mode, late::add);
    }

    private void send(WindowAggregateOperator<String, Event, long[], Long> op, String key, long ts) {
        op.process(key, new Event(key, ts), output);
    }

    private static WindowedValue<String, Long> row(long start, long end, String key, long value) {
        return new WindowedValue<>(key, new Window(start, end), value);
    }

    private long dropped(WindowAggregateOperator<?, ?, ?, ?> op) {
        op.stateMetrics(metrics);
        return metrics.numRowsDroppedByWatermark();
    }

    @Test
    void shouldDropRowWhenWindowEndIsBelowWatermark() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.APPEND);
        op.onWatermark(10, output);
        send(op, "a", 9);
        send(op, "a", 5);
        send(op, "b", 0);
        assertThat(op.sliceCount()).isZero();
        assertThat(late).extracting(Event::ts).containsExactly(9L, 5L, 0L);
        assertThat(dropped(op)).isEqualTo(2);
    }

    @Test
    void shouldDropRecordWithoutEventTimeNeitherCountedNorSentAsLate() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.COMPLETE);
        op.onWatermark(10, output);
        send(op, "a", Window.NO_EVENT_TIME);
        send(op, "a", 12);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(10, 20, "a", 1));
        assertThat(late).isEmpty();
        assertThat(dropped(op)).isZero();
    }

    @Test
    void shouldCountRowOlderThanWatermarkWhenItsWindowEndsAfterIt() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.APPEND);
        op.onWatermark(15, output);
        send(op, "a", 11);
        op.onWatermark(20, output);
        assertThat(out).containsExactly(row(10, 20, "a", 1));
        assertThat(late).isEmpty();
        assertThat(dropped(op)).isZero();
    }

    @Test
    void shouldCountSlidingRowInOpenWindowAndDropItFromClosedOne() {
        var op = count(WindowAssigner.sliding(10, 5), OutputMode.APPEND);
        op.onWatermark(15, output);
        send(op, "a", 12);
        assertThat(dropped(op)).isEqualTo(1);
        assertThat(late).isEmpty();
        op.onEnd(output);
        assertThat(out).containsExactly(row(10, 20, "a", 1));
    }

    @Test
    void shouldSendRecordToLateOutputOnceWhenAllItsWindowsAreLate() {
        var op = count(WindowAssigner.sliding(10, 5), OutputMode.UPDATE);
        op.onWatermark(20, output);
        send(op, "a", 12);
        assertThat(late).extracting(Event::ts).containsExactly(12L);
        assertThat(dropped(op)).isEqualTo(2);
    }

    @Test
    void shouldCountLateGroupOncePerEpochAsSparkDoes() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.APPEND);
        op.onWatermark(30, output);
        send(op, "a", 1);
        send(op, "a", 2);
        send(op, "b", 3);
        send(op, "a", 11);
        assertThat(dropped(op)).isEqualTo(3);
        assertThat(late).hasSize(4);
        op.onEpoch(0, output);
        send(op, "a", 4);
        assertThat(dropped(op)).isEqualTo(4);
    }

    @Test
    void shouldNeverDropLateRowsInCompleteMode() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.COMPLETE);
        send(op, "a", 1);
        op.onWatermark(100, output);
        send(op, "a", 2);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(0, 10, "a", 2));
        assertThat(late).isEmpty();
        assertThat(dropped(op)).isZero();
    }

    @Test
    void shouldEmitWindowOnceWhenWatermarkReachesItsEndInAppendMode() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.APPEND);
        send(op, "a", 1);
        send(op, "b", 2);
        send(op, "a", 3);
        send(op, "a", 12);
        op.onEpoch(0, output);
        op.onWatermark(9, output);
        assertThat(out).isEmpty();
        op.onWatermark(10, output);
        assertThat(out).containsExactly(row(0, 10, "a", 2), row(0, 10, "b", 1));
        out.clear();
        op.onWatermark(15, output);
        op.onEpoch(1, output);
        assertThat(out).isEmpty();
        assertThat(op.sliceCount()).isEqualTo(1);
    }

    @Test
    void shouldEmitWindowsInEndOrderWhenWatermarkJumps() {
        var op = count(WindowAssigner.sliding(10, 5), OutputMode.APPEND);
        send(op, "a", 7);
        send(op, "a", 1);
        op.onWatermark(100, output);
        assertThat(out).containsExactly(row(-5, 5, "a", 1), row(0, 10, "a", 2), row(5, 15, "a", 1));
    }

    @Test
    void shouldEmitEachChangedRowOncePerEpochInUpdateMode() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.UPDATE);
        send(op, "b", 1);
        send(op, "a", 2);
        send(op, "b", 3);
        assertThat(out).isEmpty();
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(0, 10, "b", 2), row(0, 10, "a", 1));
        out.clear();
        send(op, "a", 14);
        op.onEpoch(1, output);
        assertThat(out).containsExactly(row(10, 20, "a", 1));
        out.clear();
        op.onWatermark(10, output);
        op.onEpoch(2, output);
        assertThat(out).isEmpty();
        assertThat(op.sliceCount()).isEqualTo(1);
    }

    @Test
    void shouldEmitRowUpdatedInEpochEvenWhenWatermarkEvictsItBeforeEpochEndsInUpdateMode() {
        // Spark with no-data batches off: the batch's rows are judged against the previous
        // watermark, the updated row is emitted, then the current watermark evicts it.
        var op = count(WindowAssigner.tumbling(10), OutputMode.UPDATE);
        send(op, "a", 1);
        op.onWatermark(5, output);
        op.onEpoch(0, output);
        out.clear();
        send(op, "a", 2);
        op.onWatermark(16, output);
        assertThat(op.sliceCount()).isZero();
        op.onEpoch(1, output);
        assertThat(out).containsExactly(row(0, 10, "a", 2));
    }

    @Test
    void shouldEmitWholeTableEveryEpochInCompleteModeByWindowStart() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.COMPLETE);
        send(op, "a", 25);
        send(op, "a", 1);
        send(op, "b", 2);
        op.onEpoch(0, output);
        op.onEpoch(1, output);
        assertThat(out).containsExactly(
            row(0, 10, "a", 1), row(0, 10, "b", 1), row(20, 30, "a", 1),
            row(0, 10, "a", 1), row(0, 10, "b", 1), row(20, 30, "a", 1));
    }

    @Test
    void shouldFlushOpenWindowsAtEndOfInputInAppendMode() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.APPEND);
        send(op, "a", 21);
        send(op, "a", 1);
        op.onEnd(output);
        assertThat(out).containsExactly(row(0, 10, "a", 1), row(20, 30, "a", 1));
        assertThat(op.sliceCount()).isZero();
    }

    @Test
    void shouldIgnoreWatermarkThatGoesBack() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.APPEND);
        op.onWatermark(20, output);
        op.onWatermark(5, output);
        assertThat(op.watermarkMs()).isEqualTo(20);
        send(op, "a", 15);
        assertThat(late).hasSize(1);
    }

    @Test
    void shouldReportStateMetricsSinceLastRead() {
        var op = count(WindowAssigner.tumbling(10), OutputMode.APPEND);
        send(op, "a", 1);
        send(op, "a", 2);
        send(op, "b", 3);
        send(op, "a", 13);
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(3);
        assertThat(metrics.numRowsUpdated()).isEqualTo(3);
        assertThat(metrics.numRowsRemoved()).isZero();
        assertThat(metrics.memoryUsedBytes()).isPositive();
        send(op, "a", 14);
        op.onWatermark(10, output);
        send(op, "a", 5);
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(1);
        assertThat(metrics.numRowsUpdated()).isEqualTo(1);
        assertThat(metrics.numRowsRemoved()).isEqualTo(2);
        assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(1);
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsUpdated()).isZero();
        assertThat(metrics.numRowsRemoved()).isZero();
        assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(1);
    }

    @Test
    void shouldNotAllocatePerRecordWhenKeyAndWindowExist() {
        var op = count(WindowAssigner.tumbling(1_000), OutputMode.UPDATE);
        Event[] events = new Event[100];
        String[] keys = new String[100];
        for (int i = 0; i < events.length; i++) {
            keys[i] = "k" + i;
            events[i] = new Event(keys[i], i);
        }
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < events.length; i++) {
                op.process(keys[i], events[i], output);
            }
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < events.length; i++) {
                op.process(keys[i], events[i], output);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated by 200 000 records").isLessThan(20_000);
    }

    @Test
    void shouldRethrowCheckedExceptionOfAggregateAndRejectNullAccumulator() {
        AggregateFunction<Event, long[], Long> failing = new AggregateFunction<>() {
            @Override
            public long[] createAccumulator() {
                return new long[1];
            }

            @Override
            public long[] add(long[] acc, Event value) throws IOException {
                if (value.ts() == 7) {
                    throw new IOException("bad event " + value.ts());
                }
                return value.ts() == 8 ? null : acc;
            }

            @Override
            public long[] merge(long[] a, long[] b) {
                return a;
            }

            @Override
            public Long result(long[] acc) {
                return acc[0];
            }
        };
        var op = new WindowAggregateOperator<String, Event, long[], Long>(WindowAssigner.tumbling(10), Event::ts, failing, OutputMode.APPEND);
        assertThatThrownBy(() -> op.process("k", new Event("k", 7), output)).isInstanceOf(IOException.class).hasMessage("bad event 7");
        assertThatThrownBy(() -> op.process("k", new Event("k", 8), output)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("key k");
    }

    @Test
    void shouldMatchReferenceModelOnRandomInputInEveryModeAndWindowShape() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 600; trial++) {
            long slide = 1 + random.nextInt(6);
            long size = slide * (1 + random.nextInt(4)) + (random.nextBoolean() ? 0 : random.nextInt((int) slide));
            long offset = random.nextLong(-slide + 1, slide);
            OutputMode mode = OutputMode.values()[random.nextInt(3)];
            WindowAssigner assigner = WindowAssigner.sliding(size, slide, offset);
            List<Object> actualLate = new ArrayList<>();
            var op = new WindowAggregateOperator<String, long[], Object[], List<Object>>(assigner, e -> e[0],
                Aggregates.of(Aggregates.count(), Aggregates.sumLong(e -> e[1])), mode, actualLate::add);
            Reference model = new Reference(size, slide, offset, mode);
            List<String> actual = new ArrayList<>();
            Output<WindowedValue<String, List<Object>>> sink =
                r -> actual.add(r.window().startMs() + "|" + r.window().endMs() + "|" + r.key() + "|" + r.value().get(0) + "|" + r.value().get(1));
            long base = random.nextLong(-100, 100);
            StringBuilder script = new StringBuilder(assigner + " " + mode + ":");
            for (int step = 0; step < 60; step++) {
                actual.clear();
                model.out.clear();
                int action = random.nextInt(10);
                if (action < 7) {
                    String key = "k" + random.nextInt(3);
                    long[] event = {base + random.nextLong(-3 * size, 4), random.nextInt(100)};
                    script.append(" ").append(key).append("@").append(event[0]);
                    op.process(key, event, sink);
                    model.process(key, event[0], event[1]);
                } else if (action < 9) {
                    long wm = base - random.nextInt((int) size + 3);
                    script.append(" wm").append(wm);
                    op.onWatermark(wm, sink);
                    model.onWatermark(wm);
                } else {
                    script.append(" epoch");
                    op.onEpoch(step, sink);
                    model.onEpoch();
                }
                base += random.nextInt(3);
                assertThat(actual).as(script.toString()).containsExactlyInAnyOrderElementsOf(model.out);
                assertThat(actualLate).as(script + " late").hasSize(model.lateRecords);
                op.stateMetrics(metrics);
                assertThat(metrics.numRowsDroppedByWatermark()).as(script + " dropped").isEqualTo(model.dropped);
            }
            actual.clear();
            model.out.clear();
            op.onEnd(sink);
            model.onEnd();
            assertThat(actual).as(script + " end").containsExactlyInAnyOrderElementsOf(model.out);
        }
    }

    private record Group(long start, String key) {
    }

    /** Per (window, key) state computed from first principles, with Spark's rules. */
    private static final class Reference {
        final long size;
        final long slide;
        final long offset;
        final OutputMode mode;
        final TreeMap<Long, Map<String, long[]>> windows = new TreeMap<>();
        final Map<Group, long[]> changed = new LinkedHashMap<>();
        final Set<String> lateGroups = new HashSet<>();
        final List<String> out = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        long dropped;
        int lateRecords;

        Reference(long size, long slide, long offset, OutputMode mode) {
            this.size = size;
            this.slide = slide;
            this.offset = offset;
            this.mode = mode;
        }

        void process(String key, long ts, long value) {
            boolean accepted = false;
            for (long start = ts - size - slide; start <= ts; start++) {
                if (Math.floorMod(start - offset, slide) != 0 || ts >= start + size) {
                    continue;
                }
                if (mode != OutputMode.COMPLETE && start + size <= watermark) {
                    if (lateGroups.add(key + "@" + start)) {
                        dropped++;
                    }
                    continue;
                }
                accepted = true;
                long[] acc = windows.computeIfAbsent(start, s -> new HashMap<>()).computeIfAbsent(key, k -> new long[2]);
                acc[0]++;
                acc[1] += value;
                changed.put(new Group(start, key), acc);
            }
            if (!accepted) {
                lateRecords++;
            }
        }

        void onWatermark(long wm) {
            if (wm <= watermark) {
                return;
            }
            watermark = wm;
            if (mode == OutputMode.COMPLETE) {
                return;
            }
            while (!windows.isEmpty() && windows.firstKey() + size <= wm) {
                Map.Entry<Long, Map<String, long[]>> window = windows.pollFirstEntry();
                if (mode == OutputMode.APPEND) {
                    window.getValue().forEach((key, acc) -> out.add(row(window.getKey(), key, acc)));
                }
            }
        }

        void onEpoch() {
            if (mode == OutputMode.UPDATE) {
                changed.forEach((group, acc) -> out.add(row(group.start(), group.key(), acc)));
            } else if (mode == OutputMode.COMPLETE) {
                windows.forEach((start, keys) -> keys.forEach((key, acc) -> out.add(row(start, key, acc))));
            }
            changed.clear();
            lateGroups.clear();
        }

        void onEnd() {
            if (mode == OutputMode.APPEND) {
                windows.forEach((start, keys) -> keys.forEach((key, acc) -> out.add(row(start, key, acc))));
                windows.clear();
            } else {
                onEpoch();
            }
        }

        private String row(long start, String key, long[] acc) {
            return start + "|" + (start + size) + "|" + key + "|" + acc[0] + "|" + acc[1];
        }
    }
}
