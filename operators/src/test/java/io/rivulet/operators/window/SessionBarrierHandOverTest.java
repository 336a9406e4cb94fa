package io.rivulet.operators.window;

import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.Aggregates;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session operator's O(1) barrier (hand-over; per key, the owner's frozen version or the writer's
 * copy under the claim): single-threaded checks of what the owner copies, and a writer thread that
 * lags and skips barriers while the owner keeps merging, growing, evicting and re-creating sessions,
 * every written snapshot compared with a model copied at its barrier.
 */
class SessionBarrierHandOverTest {
    private static final long GAP_MS = 10;

    record Event(int key, long ts) {
    }

    /** Counts {@code copy} calls made on the owner thread (the data path's copy-on-write). */
    private static final class CountingCodec implements StateCodec<long[]> {
        private final StateCodec<Object> delegate = StateCodecs.dynamic();
        private final Thread owner = Thread.currentThread();
        final AtomicInteger ownerCopies = new AtomicInteger();

        @Override
        public void write(long[] value, SnapshotOutput out) {
            delegate.write(value, out);
        }

        @Override
        public long[] read(SnapshotInput in) {
            return (long[]) delegate.read(in);
        }

        @Override
        public long[] copy(long[] value) {
            if (Thread.currentThread() == owner) {
                ownerCopies.incrementAndGet();
            }
            return value.clone();
        }
    }

    private static SessionWindowOperator<Integer, Event, long[], Long> sessions(StateCodec<long[]> codec) {
        return new SessionWindowOperator<>(GAP_MS, Event::ts, Aggregates.count(), OutputMode.APPEND, null,
            StateCodecs.dynamic(), codec);
    }

    private static void process(SessionWindowOperator<Integer, Event, long[], Long> op, int key, long ts) {
        op.process(key, new Event(key, ts), r -> { });
    }

    /**
     * Writes the snapshot, restores it into a fresh operator and reads its sessions back as
     * "key/start/end=count" in the order the restored heap emits them (end, then push sequence).
     */
    private static List<String> rows(OperatorSnapshot snapshot) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        snapshot.writeTo(buffers);
        var fresh = sessions(StateCodecs.dynamic());
        buffers.restoreInto(fresh, buffers.range());
        List<String> rows = new ArrayList<>();
        fresh.onWatermark(Long.MAX_VALUE / 2, row -> rows.add(row.key() + "/" + row.window().startMs() + "/"
            + row.window().endMs() + "=" + row.value()));
        return rows;
    }

    @Test
    void shouldCopyAKeysSessionsOnTheDataPathOnlyWhenChangedAgainBeforeTheWriterCopiedThem() {
        CountingCodec codec = new CountingCodec();
        var op = sessions(codec);
        process(op, 1, 0);
        process(op, 1, 100);
        process(op, 2, 0);
        OperatorSnapshot s0 = op.snapshotState(0);
        assertThat(codec.ownerCopies).as("the barrier copies nothing").hasValue(0);
        process(op, 1, 5);
        process(op, 1, 105);
        assertThat(codec.ownerCopies).as("key 1's two sessions, copied once, at its first change").hasValue(2);
        assertThat(rows(s0)).containsExactly("1/0/10=1", "2/0/10=1", "1/100/110=1");

        OperatorSnapshot s1 = op.snapshotState(1);
        assertThat(rows(s1)).containsExactly("1/0/15=2", "2/0/10=1", "1/100/115=2");
        int copiesBefore = codec.ownerCopies.get(); // the writer ran on this thread too
        process(op, 2, 3);
        assertThat(codec.ownerCopies).as("the writer consumed every delta: no copy").hasValue(copiesBefore);
        assertThat(rows(op.snapshotState(2))).containsExactly("1/0/15=2", "2/0/13=2", "1/100/115=2");
    }

    @Test
    void shouldWriteAKeyEvictedAfterItsBarrierAsItWasAndOneEvictedAndRecreatedInAnEpochWithItsNewSessions() {
        var op = sessions(StateCodecs.dynamic());
        process(op, 1, 0);
        process(op, 2, 0);
        OperatorSnapshot s0 = op.snapshotState(0);
        op.onWatermark(20, r -> { }); // both keys lose their last session
        process(op, 1, 30); // key 1 comes back in the same epoch
        OperatorSnapshot s1 = op.snapshotState(1);
        assertThat(rows(s0)).containsExactly("1/0/10=1", "2/0/10=1");
        assertThat(rows(s1)).containsExactly("1/30/40=1");
    }

    /** A key that counts the {@code hashCode} calls made while {@code counting} is set. */
    private record CountedKey(int id) {
        static final AtomicInteger HASHES = new AtomicInteger();
        static volatile boolean counting;

        @Override
        public int hashCode() {
            if (counting) {
                HASHES.incrementAndGet();
            }
            return Integer.hashCode(id);
        }
    }

    @Test
    void shouldHandKeysThatLostTheirLastSessionOverWithoutTouchingThemAtTheBarrier() {
        var op = new SessionWindowOperator<CountedKey, Event, long[], Long>(GAP_MS, Event::ts, Aggregates.count(),
            OutputMode.APPEND, null, StateCodecs.dynamic(), StateCodecs.dynamic());
        for (int k = 0; k < 1_000; k++) {
            op.process(new CountedKey(k), new Event(k, 0), r -> { });
        }
        op.snapshotState(0).release();
        op.process(new CountedKey(5_000), new Event(5_000, 100), r -> { });
        op.onWatermark(50, r -> { }); // the 1 000 keys lose their last session
        CountedKey.counting = true;
        OperatorSnapshot s1;
        try {
            s1 = op.snapshotState(1);
        } finally {
            CountedKey.counting = false;
        }
        assertThat(CountedKey.HASHES).as("the barrier looks up no removed key").hasValue(0);
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        s1.writeTo(buffers);
        var fresh = new SessionWindowOperator<CountedKey, Event, long[], Long>(GAP_MS, Event::ts, Aggregates.count(),
            OutputMode.APPEND, null, StateCodecs.dynamic(), StateCodecs.dynamic());
        buffers.restoreInto(fresh, buffers.range());
        List<Object> keys = new ArrayList<>();
        fresh.onWatermark(Long.MAX_VALUE / 2, row -> keys.add(row.key()));
        assertThat(keys).as("the removed keys are gone from the image").containsExactly(new CountedKey(5_000));
    }

    @Test
    void shouldSnapshotExactlyTheHeldSessionsAtTheFirstBarrierAfterManyKeysCameAndWentWithoutCheckpoints() {
        var op = sessions(StateCodecs.dynamic());
        var again = sessions(StateCodecs.dynamic());
        for (int t = 0; t < 5_000; t++) {
            process(op, t, t);
            process(again, t, t);
            if (t % 100 == 99) {
                op.onWatermark(t - 20, r -> { });
                again.onWatermark(t - 20, r -> { });
            }
        }
        List<String> held = new ArrayList<>();
        op.onWatermark(Long.MAX_VALUE / 2, row -> held.add(row.key() + "/" + row.window().startMs() + "/"
            + row.window().endMs() + "=" + row.value()));
        assertThat(rows(again.snapshotState(0))).isEqualTo(held).hasSizeBetween(20, 200);
    }

    /**
     * The owner processes random records of 300 keys (sessions open, grow, merge; two watermarks an
     * epoch evict them, so keys lose their last session and come back, also within one epoch) and
     * takes a snapshot per epoch with a copy of its model; a writer thread writes two of every three
     * (a skipped snapshot's delta is applied by the next), each only once the owner is two barriers
     * further on, so the owner changes and evicts keys the writer has not copied yet.
     */
    @Test
    void shouldWriteEverySnapshotAsOfItsBarrierWhileTheOwnerKeepsChangingSessions() throws Exception {
        CountingCodec codec = new CountingCodec();
        var op = sessions(codec);
        LaggingSnapshotWriter<Map<String, Long>> writer = new LaggingSnapshotWriter<>();
        SplittableRandom random = new SplittableRandom(11);
        SessionModel model = new SessionModel();
        for (int epoch = 0; epoch < 120; epoch++) {
            long baseMs = epoch * 5L;
            for (int i = 0; i < 1_500; i++) {
                int key = random.nextInt(300);
                long ts = baseMs - 10 + random.nextInt(40);
                process(op, key, ts);
                model.add(key, ts);
                if (i == 749) {
                    op.onWatermark(baseMs - 3, r -> { });
                    model.watermark(baseMs - 3);
                }
            }
            op.onWatermark(baseMs, r -> { });
            model.watermark(baseMs);
            op.onEpoch(epoch, r -> { });
            writer.barrier(op.snapshotState(epoch), model.rows(), SessionBarrierHandOverTest::rowsByKey, epoch % 3 != 1);
        }
        assertThat(writer.finish()).isEqualTo(80);
        assertThat(codec.ownerCopies.get()).as("copies on write while the writer lagged").isPositive();
    }

    /** Reads a written snapshot back as its rows, by "key/start/end" → count. */
    private static Map<String, Long> rowsByKey(OperatorSnapshot snapshot) {
        Map<String, Long> written = new TreeMap<>();
        for (String row : rows(snapshot)) {
            int eq = row.indexOf('=');
            written.put(row.substring(0, eq), Long.parseLong(row.substring(eq + 1)));
        }
        return written;
    }

    /** Sessions per key, merged when they overlap or touch, evicted when they end at or before the watermark. */
    private static final class SessionModel {
        /** key → start → {end, count}. */
        private final Map<Integer, TreeMap<Long, long[]>> byKey = new TreeMap<>();
        private long watermarkMs = Long.MIN_VALUE;

        void add(int key, long ts) {
            long start = ts;
            long end = ts + GAP_MS;
            if (end <= watermarkMs) {
                return;
            }
            TreeMap<Long, long[]> sessions = byKey.computeIfAbsent(key, k -> new TreeMap<>());
            long count = 1;
            for (var it = sessions.entrySet().iterator(); it.hasNext(); ) {
                var session = it.next();
                if (session.getKey() <= end && session.getValue()[0] >= start) {
                    start = Math.min(start, session.getKey());
                    end = Math.max(end, session.getValue()[0]);
                    count += session.getValue()[1];
                    it.remove();
                }
            }
            sessions.put(start, new long[] {end, count});
        }

        void watermark(long watermarkMs) {
            this.watermarkMs = watermarkMs;
            for (var it = byKey.values().iterator(); it.hasNext(); ) {
                TreeMap<Long, long[]> sessions = it.next();
                sessions.values().removeIf(session -> session[0] <= watermarkMs);
                if (sessions.isEmpty()) {
                    it.remove();
                }
            }
        }

        Map<String, Long> rows() {
            Map<String, Long> rows = new TreeMap<>();
            byKey.forEach((key, sessions) -> sessions.forEach((start, session) ->
                rows.put(key + "/" + start + "/" + session[0], session[1])));
            return rows;
        }
    }
}
