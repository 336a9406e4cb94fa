package io.rivulet.operators.window;

import com.sun.management.ThreadMXBean;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.function.Aggregates;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionWindowOperatorTest {
    record Event(String key, long ts, long gap) {
    }

    private final List<WindowedValue<String, Long>> out = new ArrayList<>();
    private final Output<WindowedValue<String, Long>> output = out::add;
    private final List<Event> late = new ArrayList<>();
    private final StateMetrics metrics = new StateMetrics();

    private SessionWindowOperator<String, Event, long[], Long> sessions(long gapMs, OutputMode mode) {
        return new SessionWindowOperator<>(gapMs, Event::ts, Aggregates.count(), mode, late::add);
    }

    private void send(SessionWindowOperator<String, Event, long[], Long> op, String key, long ts) {
        op.process(key, new Event(key, ts, 0), output);
    }

    private static WindowedValue<String, Long> row(long start, long end, String key, long value) {
        return new WindowedValue<>(key, new Window(start, end), value);
    }

    private StateMetrics metrics(SessionWindowOperator<?, ?, ?, ?> op) {
        op.stateMetrics(metrics);
        return metrics;
    }

    @Test
    void shouldMergeSessionsThatOnlyTouch() {
        var op = sessions(5, OutputMode.COMPLETE);
        send(op, "a", 1);
        send(op, "a", 6);
        send(op, "b", 10);
        send(op, "b", 5);
        op.onEpoch(0, output);
        assertThat(out).containsExactlyInAnyOrder(row(1, 11, "a", 2), row(5, 15, "b", 2));
    }

    @Test
    void shouldDropRecordWithoutEventTimeNeitherCountedNorSentAsLate() {
        var op = sessions(5, OutputMode.COMPLETE);
        send(op, "a", Window.NO_EVENT_TIME);
        send(op, "a", 1);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(1, 6, "a", 1));
        assertThat(late).isEmpty();
        assertThat(metrics(op).numRowsDroppedByWatermark()).isZero();
    }

    @Test
    void shouldKeepSessionsApartWhenGapSeparatesThem() {
        var op = sessions(5, OutputMode.COMPLETE);
        send(op, "a", 1);
        send(op, "a", 7);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(1, 6, "a", 1), row(7, 12, "a", 1));
    }

    @Test
    void shouldBridgeTwoSessionsIntoOneMergingAccumulators() {
        var op = sessions(5, OutputMode.APPEND);
        send(op, "a", 1);
        send(op, "a", 4);
        send(op, "a", 12);
        assertThat(metrics(op).numRowsTotal()).isEqualTo(2);
        send(op, "a", 8);
        StateMetrics m = metrics(op);
        assertThat(m.numRowsTotal()).isEqualTo(1);
        assertThat(m.numRowsRemoved()).isEqualTo(1);
        op.onWatermark(17, output);
        assertThat(out).containsExactly(row(1, 17, "a", 4));
        assertThat(metrics(op).numRowsTotal()).isZero();
    }

    @Test
    void shouldDropRowWhenItsSessionEndIsAtOrBelowWatermarkEvenInCompleteMode() {
        var op = sessions(5, OutputMode.COMPLETE);
        op.onWatermark(20, output);
        send(op, "a", 15);
        send(op, "a", 14);
        send(op, "e", 17);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(17, 22, "e", 1));
        assertThat(late).extracting(Event::ts).containsExactly(15L, 14L);
        assertThat(metrics(op).numRowsDroppedByWatermark()).isEqualTo(2);
    }

    @Test
    void shouldCountLateRowsOfSameSessionOncePerEpochAsSparkDoes() {
        var op = sessions(5, OutputMode.APPEND);
        op.onWatermark(20, output);
        send(op, "a", 3);
        send(op, "a", 3);
        send(op, "b", 3);
        assertThat(metrics(op).numRowsDroppedByWatermark()).isEqualTo(2);
        op.onEpoch(0, output);
        send(op, "a", 3);
        assertThat(metrics(op).numRowsDroppedByWatermark()).isEqualTo(3);
        assertThat(late).hasSize(4);
    }

    @Test
    void shouldNotLetLateRowBridgeSessions() {
        var op = sessions(5, OutputMode.COMPLETE);
        send(op, "a", 10);
        send(op, "a", 20);
        op.onWatermark(16, output);
        send(op, "a", 11);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(10, 15, "a", 1), row(20, 25, "a", 1));
    }

    @Test
    void shouldUseEachRecordsGapAndDropRecordsWithoutPositiveGap() {
        var op = new SessionWindowOperator<String, Event, long[], Long>(Event::gap, Event::ts, Aggregates.count(),
            OutputMode.COMPLETE, late::add);
        op.process("a", new Event("a", 10, 2), output);
        op.process("a", new Event("a", 12, 10), output);
        op.process("a", new Event("a", 30, 0), output);
        op.process("a", new Event("a", 30, -1), output);
        op.process("b", new Event("b", 0, 1), output);
        op.onEpoch(0, output);
        assertThat(out).containsExactlyInAnyOrder(row(10, 22, "a", 2), row(0, 1, "b", 1));
        assertThat(late).isEmpty();
        assertThat(metrics(op).numRowsDroppedByWatermark()).isZero();
    }

    @Test
    void shouldRejectNonPositiveStaticGap() {
        assertThatThrownBy(() -> sessions(0, OutputMode.APPEND)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("gapMs (0) must be greater than 0");
    }

    @Test
    void shouldEvictSessionOnlyWhenWatermarkPassesItsFinalEndInAppendMode() {
        var op = sessions(5, OutputMode.APPEND);
        for (long ts = 0; ts <= 100; ts += 2) {
            send(op, "a", ts);
            op.onWatermark(ts - 1, output);
        }
        assertThat(out).isEmpty();
        op.onWatermark(104, output);
        assertThat(out).isEmpty();
        op.onWatermark(105, output);
        assertThat(out).containsExactly(row(0, 105, "a", 51));
        assertThat(metrics(op).numRowsTotal()).isZero();
    }

    @Test
    void shouldEmitMergedSessionAgainInUpdateModeWithoutRetractingEarlierRows() {
        var op = sessions(5, OutputMode.UPDATE);
        send(op, "a", 1);
        send(op, "a", 12);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(1, 6, "a", 1), row(12, 17, "a", 1));
        out.clear();
        send(op, "a", 6);
        send(op, "a", 9);
        op.onEpoch(1, output);
        assertThat(out).containsExactly(row(1, 17, "a", 4));
        out.clear();
        op.onEpoch(2, output);
        assertThat(out).isEmpty();
    }

    @Test
    void shouldNotEmitSessionMergedAwayWithinEpochInUpdateMode() {
        var op = sessions(5, OutputMode.UPDATE);
        send(op, "a", 10);
        send(op, "a", 1);
        send(op, "a", 6);
        op.onEpoch(0, output);
        assertThat(out).containsExactly(row(1, 15, "a", 3));
    }

    @Test
    void shouldDropSessionsBehindWatermarkWithoutOutputInUpdateMode() {
        var op = sessions(5, OutputMode.UPDATE);
        send(op, "a", 1);
        op.onEpoch(0, output);
        out.clear();
        op.onWatermark(6, output);
        op.onEpoch(1, output);
        assertThat(out).isEmpty();
        assertThat(op.sessionCount()).isZero();
    }

    @Test
    void shouldFlushSessionsAtEndOfInputInAppendMode() {
        var op = sessions(5, OutputMode.APPEND);
        send(op, "a", 1);
        send(op, "b", 2);
        op.onEnd(output);
        assertThat(out).containsExactlyInAnyOrder(row(1, 6, "a", 1), row(2, 7, "b", 1));
        assertThat(op.sessionCount()).isZero();
    }

    @Test
    void shouldMatchSortedSweepOfSparkOnRandomInput() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 300; trial++) {
            out.clear();
            var op = new SessionWindowOperator<String, Event, long[], Long>(Event::gap, Event::ts, Aggregates.count(),
                OutputMode.COMPLETE, null);
            List<Event> events = new ArrayList<>();
            for (int i = 0, n = random.nextInt(1, 40); i < n; i++) {
                String key = "k" + random.nextInt(3);
                Event event = new Event(key, random.nextInt(200), random.nextInt(1, 15));
                events.add(event);
                op.process(key, event, output);
            }
            op.onEpoch(0, output);
            assertThat(out).as("trial %d: %s", trial, events).containsExactlyInAnyOrderElementsOf(sortedSweep(events));
        }
    }

    @Test
    void shouldNotAllocatePerRecordWhenExtendingSession() {
        var op = sessions(1_000_000, OutputMode.APPEND);
        Event[] events = new Event[50];
        for (int i = 0; i < events.length; i++) {
            events[i] = new Event("k" + i, i, 0);
        }
        for (int round = 0; round < 2_000; round++) {
            for (Event event : events) {
                op.process(event.key(), event, output);
            }
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int round = 0; round < 2_000; round++) {
            for (Event event : events) {
                op.process(event.key(), event, output);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated by 100 000 records").isLessThan(20_000);
    }

    /** Spark's MergingSessionsIterator: per key, sessions sorted by start, merged while next.start <= end. */
    private static List<WindowedValue<String, Long>> sortedSweep(List<Event> events) {
        List<WindowedValue<String, Long>> result = new ArrayList<>();
        for (String key : new HashSet<>(events.stream().map(Event::key).toList())) {
            List<Event> ofKey = events.stream().filter(e -> e.key().equals(key))
                .sorted(Comparator.comparingLong(Event::ts)).toList();
            long start = ofKey.get(0).ts();
            long end = start + ofKey.get(0).gap();
            long count = 1;
            for (Event e : ofKey.subList(1, ofKey.size())) {
                if (e.ts() <= end) {
                    end = Math.max(end, e.ts() + e.gap());
                    count++;
                } else {
                    result.add(row(start, end, key, count));
                    start = e.ts();
                    end = e.ts() + e.gap();
                    count = 1;
                }
            }
            result.add(row(start, end, key, count));
        }
        return result;
    }
}
