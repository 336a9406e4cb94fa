package io.rivulet.engine.runtime;

import com.lmax.disruptor.RingBuffer;
import io.rivulet.operators.LongKeyLookahead;
import io.rivulet.operators.Output;
import io.rivulet.operators.TwoInputLongKeyedOperator;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition worker's look-ahead over a {@link LongKeyLookahead} operator, driven by hand: which keys it
 * touches, when, and that it touches nothing the producers have not published.
 */
class LongKeyLookaheadTest {
    private final QueryRuntime query = Fixtures.unstartedQuery();
    private final RecordingLink<String> out = new RecordingLink<>();

    /** Records every touch and every processed record, in call order. */
    static final class Recording implements TwoInputLongKeyedOperator<String, String, String>, LongKeyLookahead {
        final List<String> calls = new ArrayList<>();

        @Override
        public void processLong(long key, String record, Output<String> out) {
            calls.add("process L" + key);
            out.emit(record);
        }

        @Override
        public void processRightLong(long key, String record, Output<String> out) {
            calls.add("process R" + key);
            out.emit(record);
        }

        @Override
        public long touchKey(long key) {
            calls.add("key " + key);
            return key;
        }

        @Override
        public int rowToTouch(long key, boolean rightInput) {
            return (int) key;
        }

        @Override
        public long touchRow(int row, Object record, boolean rightInput) {
            calls.add("rows " + (rightInput ? "R" : "L") + row + " " + record);
            return row;
        }
    }

    private final Recording operator = new Recording();

    private PartitionWorker worker(Fixtures.Input... inputs) {
        SingleProducerPoller[] pollers = new SingleProducerPoller[inputs.length];
        @SuppressWarnings("unchecked")
        RingBuffer<Slot>[] rings = new RingBuffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            pollers[i] = inputs[i].poller;
            rings[i] = inputs[i].ring;
        }
        PartitionWorker worker = new PartitionWorker(Fixtures.context(query, "keyed1-0"), pollers, rings,
            new boolean[inputs.length], false, 0, () -> 0L);
        TwoInputHead.LateCounter late = new TwoInputHead.LateCounter(r -> { });
        worker.head(new TwoInputHead<>(operator, out, List.of(),
            new TaskContext(null, "rivulet-test-keyed", new NoOpIdleStrategy()), "join", null, null, late, late));
        return worker;
    }

    @Test
    void shouldTouchEveryRecordsKeyAndRowsBeforeProcessingItAndNoKeyTwice() throws Exception {
        Fixtures.Input left = new Fixtures.Input(Slot.LEFT);
        int n = 3 * PartitionWorker.LOOKAHEAD_GROUP + 3;
        for (int k = 0; k < n; k++) {
            left.longRecord(100 + k, "l" + k);
        }
        worker(left).doWork();

        assertThat(out.take()).hasSize(n);
        List<String> calls = operator.calls;
        for (int k = 0; k < n; k++) {
            int processed = calls.indexOf("process L" + (100 + k));
            assertThat(calls.indexOf("key " + (100 + k))).as("key %s touched before it is processed", 100 + k)
                .isBetween(0, processed);
            assertThat(calls.indexOf("rows L" + (100 + k) + " l" + k)).as("rows of %s touched, with its record, before it is processed", 100 + k)
                .isBetween(0, processed);
            assertThat(calls.stream().filter(("key " + (100 + k))::equals)).as("key %s touched once", 100 + k).hasSize(1);
        }
    }

    @Test
    void shouldTouchOnlyPublishedSlotsNeverTheRingsUnusedOnes() throws Exception {
        Fixtures.Input left = new Fixtures.Input(Slot.LEFT);
        Fixtures.Input right = new Fixtures.Input(Slot.RIGHT);
        left.longRecord(7, "l7");
        right.longRecord(9, "r9").longRecord(10, "r10");
        PartitionWorker worker = worker(left, right);
        worker.doWork();

        // An unused ring slot reads as a long record of key 0: touching it would touch what no one published.
        assertThat(operator.calls).containsExactly(
            "key 7", "rows L7 l7", "process L7",
            "key 9", "key 10", "rows R9 r9", "rows R10 r10", "process R9", "process R10");

        right.longRecord(11, "r11");
        worker.doWork();
        assertThat(operator.calls.subList(9, operator.calls.size())).containsExactly("key 11", "rows R11 r11", "process R11");
    }
}
