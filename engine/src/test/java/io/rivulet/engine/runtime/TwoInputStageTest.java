package io.rivulet.engine.runtime;

import io.rivulet.operators.Output;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.state.KeyGroups;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A two-input stage's partition driven by hand on the test thread: {@link PartitionWorker#doWork()}
 * over rings of both sides ({@link Fixtures.Input} with a side), and a {@link LocalExchange} with
 * inputs of both sides. Records are tagged with their side and epoch ({@code "l1@0"}: left record 1,
 * epoch 0); the operator records what it has seen at each epoch end, which is what the partition's
 * snapshot is taken from.
 */
class TwoInputStageTest {
    private final QueryRuntime query = Fixtures.unstartedQuery();
    private final RecordingLink<String> out = new RecordingLink<>();
    private final List<Object> leftLateSink = new ArrayList<>();
    private final List<Object> rightLateSink = new ArrayList<>();
    private long nowNs;
    private final NanoClock clock = () -> nowNs;

    /** Emits "L:x" for a left record, "R:x" for a right one; records starting with "late" go to their side's late output. */
    static final class Tagging implements TwoInputKeyedOperator<Object, String, String, String> {
        final List<String> seen = new ArrayList<>();
        final Map<Long, List<String>> seenAtEpoch = new HashMap<>();
        private final Output<Object> leftLate;
        private final Output<Object> rightLate;

        Tagging(Output<Object> leftLate, Output<Object> rightLate) {
            this.leftLate = leftLate;
            this.rightLate = rightLate;
        }

        @Override
        public void process(Object key, String record, Output<String> out) {
            if (record.startsWith("late")) {
                leftLate.emit(record);
                return;
            }
            seen.add("L:" + record);
            out.emit("L:" + record);
        }

        @Override
        public void processRight(Object key, String record, Output<String> out) {
            if (record.startsWith("late")) {
                rightLate.emit(record);
                return;
            }
            seen.add("R:" + record);
            out.emit("R:" + record);
        }

        @Override
        public void onEpoch(long epochId, Output<String> out) {
            seenAtEpoch.put(epochId, List.copyOf(seen));
        }
    }

    private Tagging operator;

    private TwoInputHead<Object, String, String, String> head() {
        TwoInputHead.LateCounter left = new TwoInputHead.LateCounter(leftLateSink::add);
        TwoInputHead.LateCounter right = new TwoInputHead.LateCounter(rightLateSink::add);
        operator = new Tagging(left, right);
        return new TwoInputHead<>(operator, out, List.of(), new TaskContext(null, "rivulet-test-keyed", new NoOpIdleStrategy()),
            "co", null, null, left, right);
    }

    private PartitionWorker worker(boolean maxPolicy, long idleTimeoutNs, boolean[] carriesWatermark, Fixtures.Input... inputs) {
        SingleProducerPoller[] pollers = new SingleProducerPoller[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            pollers[i] = inputs[i].poller;
        }
        PartitionWorker worker = new PartitionWorker(Fixtures.context(query, "keyed1-0"), pollers, null, carriesWatermark, maxPolicy,
            idleTimeoutNs, clock);
        currentHead = head();
        worker.head(currentHead);
        return worker;
    }

    private PartitionWorker worker(Fixtures.Input... inputs) {
        return worker(false, 0, new boolean[inputs.length], inputs);
    }

    private static Fixtures.Input left() {
        return new Fixtures.Input(Slot.LEFT);
    }

    private static Fixtures.Input right() {
        return new Fixtures.Input(Slot.RIGHT);
    }

    @Test
    void shouldCallProcessForLeftRecordsAndProcessRightForRightRecords() throws Exception {
        Fixtures.Input l = left();
        Fixtures.Input r = right();
        PartitionWorker worker = worker(l, r);
        l.record("k", "l0@0").record("k", "l1@0");
        r.record("k", "r0@0");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:L:l0@0", "r:L:l1@0", "r:R:r0@0");
    }

    @Test
    void shouldNotEndTheEpochUntilTheOtherSidesBarrierArrivesNorSnapshotRecordsBehindIt() throws Exception {
        Fixtures.Input l = left();
        Fixtures.Input r = right();
        PartitionWorker worker = worker(l, r);
        l.record("k", "l0@0").barrier(0).record("k", "l1@1");
        r.record("k", "r0@0");
        worker.doWork();
        worker.doWork();
        assertThat(out.take()).as("the left barrier alone ends nothing; l1@1 waits behind it")
            .containsExactly("r:L:l0@0", "r:R:r0@0");

        r.record("k", "r1@0").barrier(0).record("k", "r2@1");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:R:r1@0", "epoch:0");
        assertThat(operator.seenAtEpoch.get(0L)).as("the epoch-0 state holds both sides' epoch-0 records, nothing of epoch 1")
            .containsExactly("L:l0@0", "R:r0@0", "R:r1@0");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:L:l1@1", "r:R:r2@1");
    }

    @Test
    void shouldCountTheProducersOfBothSidesWhenAligningBarriers() throws Exception {
        Fixtures.Input l1 = left();
        Fixtures.Input l2 = left();
        Fixtures.Input r1 = right();
        Fixtures.Input r2 = right();
        PartitionWorker worker = worker(l1, r1, l2, r2);
        l1.barrier(0);
        l2.barrier(0);
        r1.barrier(0).record("k", "r1a@1");
        r2.record("k", "r2a@0");
        worker.doWork();
        worker.doWork();
        assertThat(out.take()).as("one producer of the right side has not passed epoch 0").containsExactly("r:R:r2a@0");
        r2.barrier(0);
        worker.doWork();
        assertThat(out.take()).containsExactly("epoch:0");
        assertThat(operator.seenAtEpoch.get(0L)).containsExactly("R:r2a@0");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:R:r1a@1");
    }

    @Test
    void shouldTakeTheMinimumOfBothSidesWatermarksByDefault() throws Exception {
        Fixtures.Input l = left();
        Fixtures.Input r = right();
        PartitionWorker worker = worker(false, 0, new boolean[] {true, true}, l, r);
        l.watermark(100);
        worker.doWork();
        assertThat(out.take()).as("the right side has no watermark yet").isEmpty();
        r.watermark(40);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:40");
        r.watermark(300);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:100");
    }

    @Test
    void shouldTakeTheMaximumOfBothSidesWatermarksUnderTheMaxPolicy() throws Exception {
        Fixtures.Input l = left();
        Fixtures.Input r = right();
        PartitionWorker worker = worker(true, 0, new boolean[] {true, true}, l, r);
        l.watermark(100);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:100");
        r.watermark(40);
        worker.doWork();
        assertThat(out.take()).isEmpty();
        r.watermark(300);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:300");
    }

    @Test
    void shouldNotLetAnIdleSideHoldTheWatermarkBack() throws Exception {
        Fixtures.Input l = left();
        Fixtures.Input r = right();
        PartitionWorker worker = worker(false, 1_000, new boolean[] {true, true}, l, r);
        l.watermark(100);
        r.watermark(50);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:50");
        l.watermark(200);
        nowNs = 600;
        worker.doWork();
        assertThat(out.take()).as("the right side is still within the idle timeout").isEmpty();
        nowNs = 1_700;
        l.watermark(250);
        worker.doWork();
        assertThat(out.take()).as("the right side is idle: the left side alone moves the watermark").containsExactly("wm:250");
    }

    @Test
    void shouldCountEachSidesLateRowsAndForwardThemToItsSink() throws Exception {
        Fixtures.Input l = left();
        Fixtures.Input r = right();
        PartitionWorker worker = worker(l, r);
        TwoInputHead<?, ?, ?, ?> head = currentHead;
        l.record("k", "late-l0").record("k", "l1").record("k", "late-l2").barrier(0);
        r.record("k", "late-r0").barrier(0);
        worker.doWork();
        assertThat(out.take()).containsExactly("r:L:l1", "epoch:0");
        assertThat(leftLateSink).containsExactly("late-l0", "late-l2");
        assertThat(rightLateSink).containsExactly("late-r0");
        assertThat(head.leftLateRows()).isEqualTo(2);
        assertThat(head.rightLateRows()).isEqualTo(1);
    }

    private TwoInputHead<?, ?, ?, ?> currentHead;

    @Test
    void shouldFailNamingBothKeyTypesWhenTheSidesAreKeyedByDifferentValueTypes() {
        TwoInputHead<Object, String, String, String> head = head();
        head.onRecord("1", "l0");
        assertThatThrownBy(() -> head.onRightRecord(1L, "r0"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.lang.String").hasMessageContaining("java.lang.Long")
            .hasMessageContaining("key both inputs by the same type");
    }

    @Test
    void shouldAcceptKeysOfOneTypeOnBothSides() {
        TwoInputHead<Object, String, String, String> head = head();
        head.onRecord("1", "l0");
        head.onRightRecord("1", "r0");
        assertThat(out.take()).containsExactly("r:L:l0", "r:R:r0");
    }

    @Test
    void shouldDispatchLocalExchangeInputsBySideAndAlignTheirBarriers() {
        TwoInputHead<Object, String, String, String> head = head();
        TaskContext stage = new TaskContext(null, "rivulet-test-keyed1-0", new NoOpIdleStrategy());
        LocalExchange exchange = new LocalExchange(new KeyedHead<?, ?, ?>[] {head}, new TaskContext[] {stage},
            KeyGroups.partitionTable(128, 1), false);
        Link<String> leftInput = exchange.input(upstream("left"), s -> "k", "keyBy", Slot.LEFT);
        Link<String> rightInput = exchange.input(upstream("right"), s -> "k", "keyBy", Slot.RIGHT);
        exchange.inputsPlanned();
        leftInput.emit("l0@0");
        rightInput.emit("r0@0");
        leftInput.onEpoch(0);
        assertThat(out.take()).containsExactly("r:L:l0@0", "r:R:r0@0");
        leftInput.onWatermark(100);
        rightInput.onWatermark(70);
        assertThat(out.take()).containsExactly("wm:70");
        rightInput.onEpoch(0);
        assertThat(out.take()).containsExactly("epoch:0");
        assertThat(operator.seenAtEpoch.get(0L)).containsExactly("L:l0@0", "R:r0@0");
    }

    private static TaskContext upstream(String name) {
        TaskContext context = new TaskContext(null, name, new NoOpIdleStrategy());
        context.producesWatermarks = true;
        return context;
    }
}
