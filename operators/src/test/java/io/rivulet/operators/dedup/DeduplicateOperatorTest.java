package io.rivulet.operators.dedup;

import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.OperatorContractHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeduplicateOperatorTest {
    record Event(Object id, long value, long ts) {
    }

    private static final int MAX = 128;
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX);

    private final List<Event> out = new ArrayList<>();
    private final List<Object> late = new ArrayList<>();
    private final Output<Event> sink = out::add;
    private final Output<Object> lateSink = late::add;

    private static void feed(DeduplicateOperator<Object, Event> op, Output<Event> sink, Event... events) {
        for (Event e : events) {
            op.process(e.id(), e, sink);
        }
    }

    private static List<Long> values(List<Event> events) {
        return events.stream().map(Event::value).toList();
    }

    @Test
    void shouldKeepTheFirstRecordOfEachKeyInArrivalOrderAndRememberKeysForeverWithoutEventTime() {
        DeduplicateOperator<Object, Event> op = DeduplicateOperator.keepForever(null, lateSink, null, MAX, ALL);
        feed(op, sink, new Event("x", 1, 1000), new Event("y", 2, 2000), new Event("x", 3, 1000), new Event(7L, 4, 0),
            new Event(7L, 5, 0));
        op.onWatermark(Long.MAX_VALUE - 1, sink);
        feed(op, sink, new Event("x", 6, 99_000), new Event(8L, 7, 0));
        assertThat(values(out)).containsExactly(1L, 2L, 4L, 7L);
        assertThat(op.keyCount()).isEqualTo(4);
        assertThat(late).isEmpty();
    }

    /** Spark's case e2: the key has no event time, but records at or behind the watermark are late. */
    @Test
    void shouldDropRecordsAtOrBehindTheWatermarkBeforeTheDuplicateCheckAndNeverEvictKeysWithoutEventTimeInKey() {
        DeduplicateOperator<Object, Event> op = DeduplicateOperator.keepForever(Event::ts, lateSink, null, MAX, ALL);
        feed(op, sink, new Event("x", 1, 1000), new Event("y", 2, 2000), new Event("x", 3, 1000), new Event("x", 4, 3000));
        op.onWatermark(2000, sink);
        feed(op, sink, new Event("x", 7, 1000), new Event("w", 8, 2000), new Event("w", 9, 2001));
        op.onWatermark(15_000, sink);
        feed(op, sink, new Event("x", 10, 20_000), new Event("y", 11, 16_000));
        assertThat(values(out)).containsExactly(1L, 2L, 9L);
        assertThat(late).extracting(e -> ((Event) e).value()).containsExactly(7L, 8L);
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(3);
        assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(2);
        assertThat(metrics.numRowsRemoved()).isZero();
    }

    /** Spark's case e3: an id's state expires when the watermark reaches its first kept row's ts + delay. */
    @Test
    void shouldLetAKeyPassAgainOnceTheWatermarkReachesItsFirstEventTimePlusTheDelay() {
        DeduplicateOperator<Object, Event> op = DeduplicateOperator.withinWatermark(Event::ts, 10_000, lateSink, null, MAX, ALL);
        feed(op, sink, new Event("x", 1, 1000), new Event("x", 2, 3000), new Event("z", 3, 12_000));
        op.onWatermark(10_999, sink);
        feed(op, sink, new Event("x", 4, 20_000));
        assertThat(op.keyCount()).isEqualTo(2);
        op.onWatermark(11_000, sink);
        assertThat(op.keyCount()).isEqualTo(1);
        feed(op, sink, new Event("x", 5, 11_000), new Event("x", 6, 20_000), new Event("x", 7, 20_001),
            new Event("z", 8, 30_000));
        assertThat(values(out)).containsExactly(1L, 3L, 6L);
        assertThat(late).extracting(e -> ((Event) e).value()).containsExactly(5L);
        op.onWatermark(30_000, sink);
        assertThat(op.keyCount()).isZero();
    }

    @Test
    void shouldTreatEachEventTimeOfAKeyAsItsOwnEntryAndEvictItWhenTheWatermarkReachesIt() {
        DeduplicateOperator<Object, Event> op = DeduplicateOperator.eventTimeInKey(Event::ts, lateSink, null, MAX, ALL);
        feed(op, sink, new Event(1L, 1, 1000), new Event(1L, 2, 1000), new Event(1L, 3, 2000), new Event("a", 4, 2000),
            new Event("a", 5, 2000));
        assertThat(op.keyCount()).isEqualTo(3);
        op.onWatermark(1000, sink);
        assertThat(op.keyCount()).isEqualTo(2);
        feed(op, sink, new Event(1L, 6, 1000), new Event(1L, 7, 2000), new Event(1L, 8, 2500));
        op.onWatermark(2000, sink);
        assertThat(op.keyCount()).isEqualTo(1);
        assertThat(values(out)).containsExactly(1L, 3L, 4L, 8L);
        assertThat(late).hasSize(1);
    }

    @Test
    void shouldReportKeysAddedAndEvictedSinceThePreviousRead() {
        DeduplicateOperator<Object, Event> op = DeduplicateOperator.withinWatermark(Event::ts, 0, null, null, MAX, ALL);
        for (long i = 1; i <= 10; i++) {
            feed(op, sink, new Event(i, i, i), new Event(i, i, i));
        }
        StateMetrics metrics = new StateMetrics();
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(10);
        assertThat(metrics.numRowsUpdated()).isEqualTo(10);
        op.onWatermark(4, sink);
        op.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(6);
        assertThat(metrics.numRowsUpdated()).isZero();
        assertThat(metrics.numRowsRemoved()).isEqualTo(4);
    }

    @Test
    void shouldLeaveLongKeysTheWatermarkExpiredOutOfLaterSnapshotsAndKeepKeysAdmittedAgain() {
        DeduplicateOperator<Object, Event> op = DeduplicateOperator.withinWatermark(Event::ts, 0, null, null, MAX, ALL);
        op.snapshotState(1); // from now on changes are logged
        feed(op, sink, new Event(1L, 1, 10), new Event(2L, 2, 20), new Event(3L, 3, 30));
        op.onWatermark(20, sink); // 1 and 2 expire in place: no removal is logged for them
        OperatorSnapshot second = op.snapshotState(2);
        feed(op, sink, new Event(2L, 4, 40)); // admitted again, logged as a new add
        OperatorSnapshot third = op.snapshotState(3);

        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
        second.writeTo(buffers);
        DeduplicateOperator<Object, Event> restored = DeduplicateOperator.withinWatermark(Event::ts, 0, null, null, MAX, ALL);
        buffers.restoreInto(restored, ALL);
        assertThat(restored.keyCount()).isEqualTo(1);
        List<Event> kept = new ArrayList<>();
        feed(restored, kept::add, new Event(1L, 5, 21), new Event(2L, 6, 22), new Event(3L, 7, 23));
        assertThat(values(kept)).containsExactly(5L, 6L);

        buffers.reset();
        third.writeTo(buffers);
        DeduplicateOperator<Object, Event> again = DeduplicateOperator.withinWatermark(Event::ts, 0, null, null, MAX, ALL);
        buffers.restoreInto(again, ALL);
        assertThat(again.keyCount()).isEqualTo(2);
        kept.clear();
        feed(again, kept::add, new Event(1L, 8, 41), new Event(2L, 9, 41), new Event(3L, 10, 41));
        assertThat(values(kept)).containsExactly(8L);
    }

    @Test
    void shouldRejectANegativeDelayNamingIt() {
        assertThatThrownBy(() -> DeduplicateOperator.withinWatermark(Event::ts, -1, null, null, MAX, ALL))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delayMs");
    }

    // ---- the operator contract harness ----

    /** Records over a few Long and String ids, slightly out of order, with rising watermarks and epochs. */
    static OperatorContractHarness.Script script(long seed, int records) {
        SplittableRandom random = new SplittableRandom(seed);
        OperatorContractHarness.Script script = OperatorContractHarness.script();
        long clock = 100;
        for (int i = 0; i < records; i++) {
            clock += random.nextInt(3);
            int n = random.nextInt(12);
            Object id = n % 2 == 0 ? (Object) (long) n : "s" + n;
            long ts = clock - random.nextInt(6);
            script.record(id, new Event(id, i, ts));
            if (random.nextInt(5) == 0) {
                script.watermark(clock - 4);
            }
            if (random.nextInt(7) == 0) {
                script.epoch();
            }
        }
        return script.epoch().end();
    }

    private static OperatorContractHarness.Factory<Object, Event, Event> factory(int mode) {
        return side -> switch (mode) {
            case 0 -> DeduplicateOperator.keepForever(Event::ts, side, null, MAX, ALL);
            case 1 -> DeduplicateOperator.eventTimeInKey(Event::ts, side, null, MAX, ALL);
            default -> DeduplicateOperator.withinWatermark(Event::ts, 5, side, null, MAX, ALL);
        };
    }

    @Test
    void shouldDeduplicateTheSameWhenRestoredAtAnyStepOrRescaledInEveryMode() {
        for (int mode = 0; mode < 3; mode++) {
            for (long seed = 1; seed <= 3; seed++) {
                List<Object> output = OperatorContractHarness.of(factory(mode), script(seed, 120)).run();
                assertThat(output).as("mode " + mode + " seed " + seed + " keeps records").anyMatch(r -> r instanceof Event);
                assertThat(output).as("mode " + mode + " seed " + seed + " has late records")
                    .anyMatch(r -> r instanceof OperatorContractHarness.Side);
            }
        }
    }

    @Test
    void shouldDeduplicateTheSameWithoutEventTimeWhenRestoredAtAnyStepOrRescaled() {
        List<Object> output = OperatorContractHarness.<Object, Event, Event>of(
            side -> DeduplicateOperator.keepForever(null, side, null, MAX, ALL), script(9, 120)).run();
        assertThat(output).hasSize(12);
    }
}
