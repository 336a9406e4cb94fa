package io.rivulet.operators.window;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.keyed.KeyedAggregateOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.LaggingSnapshotWriter;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The O(1) barrier (hand-over, copy-on-write until the writer copied): single-threaded checks of
 * what the owner copies, and a writer thread applying and checking snapshots while the owner keeps
 * changing the state, every written snapshot compared with a model copied at its barrier.
 */
class BarrierHandOverTest {
    record Event(int key, long ts) {
    }

    /** Counts {@code copy} calls made on the owner thread (the data path's copy-on-write). */
    private static final class CountingCodec<A> implements StateCodec<A> {
        private final StateCodec<Object> delegate = StateCodecs.dynamic();
        private final Thread owner = Thread.currentThread();
        final AtomicInteger ownerCopies = new AtomicInteger();

        @Override
        public void write(A value, SnapshotOutput out) {
            delegate.write(value, out);
        }

        @Override
        @SuppressWarnings("unchecked")
        public A read(SnapshotInput in) {
            return (A) delegate.read(in);
        }

        @Override
        @SuppressWarnings("unchecked")
        public A copy(A value) {
            if (Thread.currentThread() == owner) {
                ownerCopies.incrementAndGet();
            }
            return (A) delegate.copy(value);
        }
    }

    /** A count in an immutable {@code Long}: {@code add} returns a new object. */
    private static final AggregateFunction<Event, Long, Long> IMMUTABLE_COUNT = new AggregateFunction<>() {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long accumulator, Event value) {
            return accumulator + 1;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }

        @Override
        public Long result(Long accumulator) {
            return accumulator;
        }
    };

    private static <A> WindowAggregateOperator<Integer, Event, A, Long> windows(AggregateFunction<Event, A, Long> fn,
                                                                                 StateCodec<A> codec) {
        return new WindowAggregateOperator<>(WindowAssigner.tumbling(10), Event::ts, fn, OutputMode.APPEND, null,
            StateCodecs.dynamic(), codec);
    }

    /** Writes the snapshot, restores it into a fresh operator and reads its rows back as "start/key" → count. */
    private static Map<String, Long> windowRows(OperatorSnapshot snapshot) {
        return windowRows(snapshot, Aggregates.count());
    }

    private static <A> Map<String, Long> windowRows(OperatorSnapshot snapshot, AggregateFunction<Event, A, Long> fn) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        snapshot.writeTo(buffers);
        WindowAggregateOperator<Integer, Event, A, Long> fresh = windows(fn, StateCodecs.dynamic());
        buffers.restoreInto(fresh, buffers.range());
        Map<String, Long> rows = new TreeMap<>();
        fresh.onEnd(row -> rows.put(row.window().startMs() + "/" + row.key(), row.value()));
        return rows;
    }

    @Test
    void shouldCopyAnAccumulatorOnTheDataPathOnlyWhenChangedAgainBeforeTheWriterCopiedIt() {
        CountingCodec<long[]> codec = new CountingCodec<>();
        var op = windows(Aggregates.count(), codec);
        op.process(1, new Event(1, 1), r -> { });
        op.process(2, new Event(2, 1), r -> { });
        OperatorSnapshot s0 = op.snapshotState(0);
        assertThat(codec.ownerCopies).as("the barrier copies nothing").hasValue(0);
        op.process(1, new Event(1, 2), r -> { });
        op.process(1, new Event(1, 3), r -> { });
        assertThat(codec.ownerCopies).as("one copy-on-write, at key 1's first change after the barrier").hasValue(1);
        assertThat(windowRows(s0)).containsExactly(Map.entry("0/1", 1L), Map.entry("0/2", 1L));

        OperatorSnapshot s1 = op.snapshotState(1);
        assertThat(windowRows(s1)).containsExactly(Map.entry("0/1", 3L), Map.entry("0/2", 1L));
        int copiesBefore = codec.ownerCopies.get(); // the writer ran on this thread too
        op.process(2, new Event(2, 4), r -> { });
        assertThat(codec.ownerCopies).as("the writer consumed every delta: no copy").hasValue(copiesBefore);
        assertThat(windowRows(op.snapshotState(2))).containsExactly(Map.entry("0/1", 3L), Map.entry("0/2", 2L));
    }

    @Test
    void shouldWriteAWindowDroppedAfterItsBarrierAndForgetOneDroppedBeforeIt() {
        var op = windows(Aggregates.count(), StateCodecs.dynamic());
        op.process(1, new Event(1, 1), r -> { });
        op.process(1, new Event(1, 11), r -> { });
        OperatorSnapshot s0 = op.snapshotState(0);
        op.process(1, new Event(1, 12), r -> { });
        op.onWatermark(10, r -> { });
        op.process(1, new Event(1, 21), r -> { });
        op.onWatermark(20, r -> { });
        OperatorSnapshot s1 = op.snapshotState(1);
        assertThat(windowRows(s0)).containsExactly(Map.entry("0/1", 1L), Map.entry("10/1", 1L));
        assertThat(windowRows(s1)).containsExactly(Map.entry("20/1", 1L));
    }

    @Test
    void shouldForgetDroppedWindowsWithoutCheckpointsAndStillSnapshotEverythingHeldAtTheFirstBarrier() {
        var op = windows(Aggregates.count(), StateCodecs.dynamic());
        for (int t = 0; t < 3_000; t++) {
            op.process(t % 7, new Event(t % 7, t), r -> { });
            if (t % 10 == 9) {
                op.onWatermark(t - 5, r -> { });
            }
        }
        Map<String, Long> held = new TreeMap<>();
        op.onEnd(row -> held.put(row.window().startMs() + "/" + row.key(), row.value()));
        var again = windows(Aggregates.count(), StateCodecs.dynamic());
        for (int t = 0; t < 3_000; t++) {
            again.process(t % 7, new Event(t % 7, t), r -> { });
            if (t % 10 == 9) {
                again.onWatermark(t - 5, r -> { });
            }
        }
        assertThat(windowRows(again.snapshotState(0))).isEqualTo(held).isNotEmpty();
    }

    @Test
    void shouldHoldOnlyTheHeldEntriesOnTheChangedListWithoutCheckpointsAndSnapshotThemAtALateFirstBarrier() {
        var op = windows(Aggregates.count(), StateCodecs.dynamic());
        var twin = windows(Aggregates.count(), StateCodecs.dynamic());
        for (int t = 0; t < 3_000; t++) {
            // Out of order by up to 8 ms: two slices' entries interleave on the changed list.
            Event event = new Event(t % 7 + 10 * (t % 3), t - (t % 3) * 4);
            op.process(event.key(), event, r -> { });
            twin.process(event.key(), event, r -> { });
            if (t % 10 == 9) {
                op.onWatermark(t - 10, r -> { });
                twin.onWatermark(t - 10, r -> { });
            }
            // At most three windows are open (the watermark trails by 10-19 ms), of 21 keys each.
            assertThat(op.changedListSize()).as("entries on the changed list at t=%d", t).isLessThanOrEqualTo(3 * 21);
        }
        Map<String, Long> held = new TreeMap<>();
        twin.onEnd(row -> held.put(row.window().startMs() + "/" + row.key(), row.value()));
        assertThat(op.changedListSize()).isEqualTo(held.size());
        assertThat(windowRows(op.snapshotState(0))).isEqualTo(held).isNotEmpty();
    }

    @Test
    void shouldKeepNoChangedListWithoutSnapshotsEmitTheSameWindowsAndRefuseASnapshot() {
        var op = windows(Aggregates.count(), StateCodecs.dynamic());
        var twin = windows(Aggregates.count(), StateCodecs.dynamic());
        op.withoutSnapshots();
        List<String> emitted = new ArrayList<>();
        List<String> twinEmitted = new ArrayList<>();
        for (int t = 0; t < 3_000; t++) {
            Event event = new Event(t % 7 + 10 * (t % 3), t - (t % 3) * 4);
            op.process(event.key(), event, r -> emitted.add(r.window().startMs() + "/" + r.key() + "=" + r.value()));
            twin.process(event.key(), event, r -> twinEmitted.add(r.window().startMs() + "/" + r.key() + "=" + r.value()));
            if (t % 10 == 9) {
                op.onWatermark(t - 10, r -> emitted.add(r.window().startMs() + "/" + r.key() + "=" + r.value()));
                twin.onWatermark(t - 10, r -> twinEmitted.add(r.window().startMs() + "/" + r.key() + "=" + r.value()));
            }
            assertThat(op.changedListSize()).as("entries on the changed list at t=%d", t).isZero();
        }
        assertThat(emitted).isEqualTo(twinEmitted).isNotEmpty();
        assertThatThrownBy(() -> op.snapshotState(0)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("withoutSnapshots");
    }

    @Test
    void shouldWriteEverySnapshotAsOfItsBarrierWhileTheOwnerKeepsChangingMutableWindowState() throws Exception {
        CountingCodec<long[]> codec = new CountingCodec<>();
        runConcurrently(windows(Aggregates.count(), codec), true, BarrierHandOverTest::windowRows);
        assertThat(codec.ownerCopies.get()).as("copies on write while the writer lagged").isPositive();
    }

    @Test
    void shouldWriteEverySnapshotAsOfItsBarrierWhileTheOwnerKeepsChangingImmutableWindowState() throws Exception {
        runConcurrently(windows(IMMUTABLE_COUNT, StateCodecs.dynamic()), true,
            snapshot -> windowRows(snapshot, IMMUTABLE_COUNT));
    }

    @Test
    void shouldWriteEverySnapshotOfARunningAggregateAsOfItsBarrierWhileTheOwnerKeepsChangingIt() throws Exception {
        CountingCodec<long[]> codec = new CountingCodec<>();
        runConcurrently(new KeyedAggregateOperator<Integer, Event, long[], Long>(Aggregates.count(), EmitPolicy.ON_EPOCH,
            StateCodecs.dynamic(), codec), false, BarrierHandOverTest::runningRows);
        assertThat(codec.ownerCopies.get()).as("copies on write while the writer lagged").isPositive();
    }

    /** Reads a written running-aggregate snapshot back as "0/key" → count. */
    private static Map<String, Long> runningRows(OperatorSnapshot snapshot) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        snapshot.writeTo(buffers);
        var fresh = new KeyedAggregateOperator<Integer, Event, long[], Long>(Aggregates.count(), EmitPolicy.ALL_ON_EPOCH);
        buffers.restoreInto(fresh, buffers.range());
        Map<String, Long> rows = new TreeMap<>();
        fresh.onEpoch(0, (KeyValue<Integer, Long> row) -> rows.put("0/" + row.key(), row.value()));
        return rows;
    }

    /**
     * The owner processes random records (windows: advancing event time and watermark, so windows
     * are evicted) and takes a snapshot per epoch with a copy of its model; a writer thread writes
     * two of every three (a skipped snapshot's delta is applied by the next), each only once the
     * owner is two barriers further on, so the owner changes entries the writer has not copied yet.
     */
    @SuppressWarnings("unchecked")
    private static void runConcurrently(CheckpointedOperator op, boolean windowed,
                                        Function<OperatorSnapshot, Map<String, Long>> readBack) throws Exception {
        var keyed = (KeyedOperator<Integer, Event, Object>) op;
        LaggingSnapshotWriter<Map<String, Long>> writer = new LaggingSnapshotWriter<>();
        SplittableRandom random = new SplittableRandom(7);
        Map<String, Long> model = new TreeMap<>();
        long watermarkMs = 0;
        for (int epoch = 0; epoch < 120; epoch++) {
            long baseMs = epoch * 5L;
            for (int i = 0; i < 1_500; i++) {
                int key = random.nextInt(300);
                long ts = windowed ? baseMs + random.nextInt(30) : 0;
                keyed.process(key, new Event(key, ts), r -> { });
                long start = ts - ts % 10;
                if (!windowed || start + 10 > watermarkMs) {
                    model.merge((windowed ? start : 0) + "/" + key, 1L, Long::sum);
                }
            }
            if (windowed) {
                watermarkMs = baseMs;
                keyed.onWatermark(watermarkMs, r -> { });
                long w = watermarkMs;
                model.keySet().removeIf(row -> Long.parseLong(row.substring(0, row.indexOf('/'))) + 10 <= w);
            }
            keyed.onEpoch(epoch, r -> { });
            writer.barrier(op.snapshotState(epoch), new TreeMap<>(model), readBack, epoch % 3 != 1);
        }
        assertThat(writer.finish()).isEqualTo(80);
    }
}
