package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.QueryOptions;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadPlanTest {
    private static final int AUTO = QueryOptions.AUTO_WORKER_THREADS;
    private final Agent source0 = task("source-0");
    private final Agent source1 = task("source-1");
    private final Agent a0 = task("keyed1-0");
    private final Agent a1 = task("keyed1-1");
    private final Agent b0 = task("keyed2-0");
    private final Agent b1 = task("keyed2-1");
    private final Map<Agent, Agent> noHosts = new IdentityHashMap<>();

    @Test
    void shouldRunThePartitionsOnTheSourcesThreadOnTwoProcessorsLeavingTheOtherToTheJvm() {
        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, AUTO, 2);

        assertThat(plan).containsExactly(List.of(source0, a0, a1));
    }

    @Test
    void shouldGiveThePartitionsTheProcessorsLeftAfterTheSourcesAndOneForTheJvm() {
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, AUTO, 3))
            .containsExactly(List.of(a0, a1), List.of(source0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, AUTO, 4))
            .containsExactly(List.of(a0), List.of(a1), List.of(source0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, AUTO, 64))
            .containsExactly(List.of(a0), List.of(a1), List.of(source0));
    }

    @Test
    void shouldKeepOneWorkerThreadBesideSeveralSourcesThatTakeEveryProcessor() {
        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0, source1), List.of(a0, a1), noHosts, AUTO, 2);

        assertThat(plan).containsExactly(List.of(a0, a1), List.of(source0), List.of(source1));
    }

    @Test
    void shouldSpreadThePartitionsOverTheSourcesThreadsWhenAskedForNoWorkerThread() {
        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0, source1), List.of(a0, a1), noHosts, 0, 8);

        assertThat(plan).containsExactly(List.of(source0, a0), List.of(source1, a1));
    }

    @Test
    void shouldTakeAnExplicitThreadCountOverTheProcessorsAndCapItAtOnePerPartition() {
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 2, 2))
            .containsExactly(List.of(a0), List.of(a1), List.of(source0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 1, 64))
            .containsExactly(List.of(a0, a1), List.of(source0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 8, 2))
            .containsExactly(List.of(a0), List.of(a1), List.of(source0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 0, 64))
            .containsExactly(List.of(source0, a0, a1));
    }

    @Test
    void shouldPutPartitionPOfEachStageOnThreadPModThreadsUpstreamFirst() {
        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0), List.of(a0, a1, b0, b1), noHosts, 2, 2);

        assertThat(plan).containsExactly(List.of(a0, b0), List.of(a1, b1), List.of(source0));
    }

    @Test
    void shouldKeepHostedStagesWithTheirHostAndMoveAHostedGroupAsOne() {
        Map<Agent, Agent> hostOf = new IdentityHashMap<>();
        // a0 on the source's thread; b0 (a one-partition stage fed by a1 and another task) on a1's.
        hostOf.put(a0, source0);
        hostOf.put(b0, a1);

        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1, b0, b1), hostOf, AUTO, 3))
            .containsExactly(List.of(a1, b0, b1), List.of(source0, a0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1, b0, b1), hostOf, AUTO, 2))
            .containsExactly(List.of(source0, a0, a1, b0, b1));
    }

    @Test
    void shouldListEachThreadsTasksUpstreamFirst() {
        // b0, one partition fed by a0 and a1, runs on a0's thread; sharing one thread with a1, it must come after a1.
        Map<Agent, Agent> hostOf = new IdentityHashMap<>();
        hostOf.put(b0, a0);

        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1, b0), hostOf, 1, 2))
            .containsExactly(List.of(a0, a1, b0), List.of(source0));
    }

    @Test
    void shouldFollowAChainOfHostsToTheThreadsFirstTask() {
        Map<Agent, Agent> hostOf = new IdentityHashMap<>();
        hostOf.put(a0, source0);
        hostOf.put(b0, a0);

        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0), List.of(a0, b0), hostOf, AUTO, 64);

        assertThat(plan).containsExactly(List.of(source0, a0, b0));
    }

    private static Agent task(String role) {
        return new Agent() {
            @Override
            public int doWork() {
                return 0;
            }

            @Override
            public String roleName() {
                return role;
            }

            @Override
            public String toString() {
                return role;
            }
        };
    }
}
