package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyedOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyed partitions share the query's worker threads ({@code workerThreads}), or the source's thread with
 * none: a thread runs its tasks in turn, upstream first, and a task whose ring to a partition on its own
 * thread is full runs that partition instead of waiting for it.
 */
@ExtendWith(NoLeakedThreads.class)
class WorkerThreadsTest {
    private static final int EVENTS = 200_000;

    @Test
    @Timeout(120)
    void shouldRunTwoChainedTwoPartitionStagesOnOneThreadWithoutDeadlockOnFullRings() throws Exception {
        assertThat(writtenOnce(run(1))).containsExactly("rivulet-workers-keyed1-0+keyed1-1+keyed2-0+keyed2-1");
    }

    @Test
    @Timeout(120)
    void shouldPutPartitionPOfEachStageOnThreadPModThreads() throws Exception {
        assertThat(writtenOnce(run(2))).containsExactlyInAnyOrder("rivulet-workers-keyed1-0+keyed2-0",
            "rivulet-workers-keyed1-1+keyed2-1");
    }

    @Test
    @Timeout(120)
    void shouldRunThePartitionsOnTheSourcesThreadWithNoWorkerThread() throws Exception {
        assertThat(writtenOnce(run(0))).containsExactly("rivulet-workers-source-0+keyed1-0+keyed1-1+keyed2-0+keyed2-1");
    }

    @Test
    void shouldRefuseToHostPartitionsFedBySeveralSourcesOnTheSourcesThreads() {
        try (Rivulet rivulet = Rivulet.create()) {
            DataStreamWriter<Long> writer = rivulet.readStream(Sources.generator(10, i -> i))
                .union(rivulet.readStream(Sources.generator(10, i -> i)))
                .keyBy(i -> i % 7, 2)
                .process("pass-through", () -> (KeyedOperator<Long, Long, Long>) (k, v, out) -> out.emit(v))
                .writeStream(Sinks.collecting())
                .workerThreads(0);

            assertThatThrownBy(writer::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workerThreads(0)").hasMessageContaining("needs a query with one source task")
                .hasMessageContaining("this one has 2");
        }
    }

    @Test
    void shouldRejectANegativeWorkerThreadCount() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream(Sources.generator(1, i -> i)).writeStream(Sinks.collecting())
                .workerThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workerThreads must be >= 0, got -1");
        }
        assertThatThrownBy(() -> Rivulet.builder().workerThreads(-2))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("workerThreads must be >= 0, got -2");
    }

    /** Checks that every row was written once (three per event) and returns the names of the threads that wrote them. */
    private static Set<String> writtenOnce(ThreadRecordingSink run) {
        assertThat(run.count.get()).isEqualTo(3L * EVENTS);
        assertThat(run.sum.get()).isEqualTo(3L * EVENTS * (EVENTS - 1) / 2);
        return run.threads;
    }

    /**
     * Two keyed stages of two partitions, the second keyed differently, so every partition feeds both of the next;
     * the first emits each record three times.
     */
    private static ThreadRecordingSink run(int workerThreads) throws Exception {
        ThreadRecordingSink recorder = new ThreadRecordingSink();
        try (Rivulet rivulet = Rivulet.create()) {
            // 64-slot rings, and the first stage emits each record three times: a cycle of the first stage
            // (up to a ring of input) overfills its rings to the second, which on one thread only runs if
            // the first runs it.
            rivulet.readStream(Sources.generator(EVENTS, i -> i))
                .keyBy(i -> i % 7, 2)
                .process("triple", () -> (KeyedOperator<Long, Long, Long>) (k, v, out) -> {
                    out.emit(v);
                    out.emit(v);
                    out.emit(v);
                })
                .keyBy(i -> i % 11, 2)
                .process("pass-through", () -> (KeyedOperator<Long, Long, Long>) (k, v, out) -> out.emit(v))
                .writeStream(recorder.sink())
                .queryName("workers")
                .ringCapacity(64)
                .workerThreads(workerThreads)
                .start()
                .awaitTermination();
        }
        return recorder;
    }
}
