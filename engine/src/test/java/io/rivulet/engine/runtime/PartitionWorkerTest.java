package io.rivulet.engine.runtime;

import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives {@link PartitionWorker#doWork()} by hand on the test thread: the test is the single producer
 * of every input ring, and a fake clock stands in for time. Records are tagged with their input and
 * epoch ({@code "a1@0"}: input a, record 1, epoch 0).
 */
class PartitionWorkerTest {
    private final QueryRuntime query = Fixtures.unstartedQuery();
    private final RecordingLink<String> out = new RecordingLink<>();
    private long nowNs;
    private final NanoClock clock = () -> nowNs;

    private PartitionWorker worker(boolean maxPolicy, long idleTimeoutNs, boolean[] carriesWatermark, Fixtures.Input... inputs) {
        SingleProducerPoller[] pollers = new SingleProducerPoller[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            pollers[i] = inputs[i].poller;
        }
        PartitionWorker worker = new PartitionWorker(Fixtures.context(query, "keyed1-0"), pollers, null, carriesWatermark, maxPolicy,
            idleTimeoutNs, clock);
        worker.head(RecordingLink.passThrough(out));
        return worker;
    }

    private PartitionWorker worker(Fixtures.Input... inputs) {
        return worker(false, 0, new boolean[inputs.length], inputs);
    }

    @Test
    void shouldHoldInputAfterItsBarrierUntilEveryOtherInputDeliveredIt() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        Fixtures.Input b = new Fixtures.Input();
        PartitionWorker worker = worker(a, b);
        a.record("k", "a0@0").barrier(0).record("k", "a1@1").record("k", "a2@1");
        b.record("k", "b0@0");
        worker.doWork();
        worker.doWork();
        assertThat(out.take()).containsExactly("r:a0@0", "r:b0@0");

        b.record("k", "b1@0").barrier(0).record("k", "b2@1");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:b1@0", "epoch:0");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:a1@1", "r:a2@1", "r:b2@1");
    }

    @Test
    void shouldNeverLetARecordOfTheNextEpochPassItsBarrierOverRandomInterleavings() throws Exception {
        for (long seed = 0; seed < 200; seed++) {
            checkAlignment(new Random(seed), 1 + (int) (seed % 4));
        }
    }

    private void checkAlignment(Random random, int inputCount) throws Exception {
        out.take();
        int epochs = 6;
        Fixtures.Input[] inputs = new Fixtures.Input[inputCount];
        List<List<Runnable>> scripts = new ArrayList<>();
        for (int i = 0; i < inputCount; i++) {
            Fixtures.Input input = inputs[i] = new Fixtures.Input();
            List<Runnable> script = new ArrayList<>();
            String name = "i" + i;
            for (int e = 0; e < epochs; e++) {
                int records = random.nextInt(4);
                for (int r = 0; r < records; r++) {
                    String record = name + "r" + r + "@" + e;
                    script.add(() -> input.record(name, record));
                }
                long epoch = e;
                script.add(() -> input.barrier(epoch));
            }
            script.add(input::end);
            scripts.add(script);
        }
        PartitionWorker worker = worker(inputs);
        int[] next = new int[inputCount];
        boolean terminated = false;
        int steps = 0;
        while (!terminated) {
            assertThat(steps++).as("the worker finishes").isLessThan(10_000);
            int i = random.nextInt(inputCount);
            int burst = random.nextInt(3);
            for (int n = 0; n < burst && next[i] < scripts.get(i).size(); n++) {
                scripts.get(i).get(next[i]++).run();
            }
            if (random.nextInt(3) == 0) {
                try {
                    worker.doWork();
                } catch (AgentTerminationException ended) {
                    terminated = true;
                }
            }
        }
        // Records of epoch e come after "epoch:e-1" and before "epoch:e"; epochs end in order; then the end.
        List<String> events = out.take();
        long current = 0;
        for (String event : events.subList(0, events.size() - 1)) {
            if (event.startsWith("epoch:")) {
                assertThat(Long.parseLong(event.substring(6))).as(events.toString()).isEqualTo(current);
                current++;
            } else {
                assertThat(Long.parseLong(event.substring(event.indexOf('@') + 1))).as(events.toString()).isEqualTo(current);
            }
        }
        assertThat(current).isEqualTo(epochs);
        assertThat(events.get(events.size() - 1)).isEqualTo("end");
    }

    @Test
    void shouldTakeMinimumWatermarkOfInputsUnderMinPolicy() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        Fixtures.Input b = new Fixtures.Input();
        PartitionWorker worker = worker(false, 0, new boolean[] {true, true}, a, b);
        a.watermark(100);
        worker.doWork();
        assertThat(out.take()).isEmpty();
        b.watermark(50);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:50");
        b.watermark(200);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:100");
        assertThat(worker.context().watermarkMs).isEqualTo(100);
    }

    @Test
    void shouldFollowFastestInputUnderMaxPolicy() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        Fixtures.Input b = new Fixtures.Input();
        PartitionWorker worker = worker(true, 0, new boolean[] {true, true}, a, b);
        a.watermark(100);
        b.watermark(50);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:100");
        b.watermark(300);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:300");
    }

    @Test
    void shouldReleaseWatermarkHoldWhenSlowInputEnds() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        Fixtures.Input b = new Fixtures.Input();
        PartitionWorker worker = worker(false, 0, new boolean[] {true, true}, a, b);
        a.watermark(100);
        b.watermark(20);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:20");
        b.end();
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:100");
    }

    @Test
    void shouldStopHoldingWatermarkForInputIdlePastTimeoutAndHoldAgainWhenItResumes() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        Fixtures.Input b = new Fixtures.Input();
        PartitionWorker worker = worker(false, 1_000, new boolean[] {true, true}, a, b);
        a.watermark(100);
        b.watermark(10);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:10");

        nowNs = 1_000;
        a.watermark(150);
        worker.doWork();
        assertThat(out.take()).as("silent for exactly the timeout: not idle yet").isEmpty();

        nowNs = 1_001;
        a.watermark(160);
        worker.doWork();
        assertThat(out.take()).as("idle past the timeout: b no longer holds it back").containsExactly("wm:160");

        nowNs = 1_100;
        b.watermark(170);
        worker.doWork();
        a.watermark(400);
        worker.doWork();
        assertThat(out.take()).as("b is active again and holds the watermark at its own").containsExactly("wm:170");
    }

    @Test
    void shouldNotCountBarriersAsActivityOfAnIdleInput() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        Fixtures.Input b = new Fixtures.Input();
        PartitionWorker worker = worker(false, 1_000, new boolean[] {true, true}, a, b);
        a.watermark(100);
        b.watermark(10);
        worker.doWork();
        out.take();
        nowNs = 5_000;
        a.watermark(120).barrier(0);
        b.barrier(0);
        worker.doWork();
        assertThat(out.take()).containsExactly("wm:120", "epoch:0");
    }

    @Test
    void shouldCompleteAlignmentWhenTheOtherInputEndsAndEndOnceEveryInputEnded() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        Fixtures.Input b = new Fixtures.Input();
        PartitionWorker worker = worker(a, b);
        a.record("k", "a0@0").barrier(0).record("k", "a1@1");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:a0@0");
        b.record("k", "b0@0").end();
        worker.doWork();
        assertThat(out.take()).containsExactly("r:b0@0", "epoch:0");
        worker.doWork();
        assertThat(out.take()).containsExactly("r:a1@1");
        a.barrier(1).end();
        worker.doWork();
        assertThat(out.take()).containsExactly("epoch:1");
        assertThatThrownBy(worker::doWork).isInstanceOf(AgentTerminationException.class);
        assertThat(out.take()).containsExactly("end");
        assertThatThrownBy(worker::doWork).isInstanceOf(AgentTerminationException.class);
        assertThat(out.take()).as("the chain ends once").isEmpty();
    }

    @Test
    void shouldTakeAtMostPollLimitSlotsFromAnInputPerCycle() throws Exception {
        Fixtures.Input a = new Fixtures.Input();
        PartitionWorker worker = worker(a);
        for (int i = 0; i < PartitionWorker.POLL_LIMIT; i++) {
            a.record("k", "x");
        }
        assertThat(worker.doWork()).isEqualTo(PartitionWorker.POLL_LIMIT);
        assertThat(out.take()).hasSize(PartitionWorker.POLL_LIMIT);
        assertThat(worker.context().recordsIn.get()).isEqualTo(PartitionWorker.POLL_LIMIT);
    }
}
