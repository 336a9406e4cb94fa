package io.rivulet.engine.runtime;

import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadPlanTest {
    private final Agent source0 = task("source-0");
    private final Agent source1 = task("source-1");
    private final Agent a0 = task("keyed1-0");
    private final Agent a1 = task("keyed1-1");
    private final Agent b0 = task("keyed2-0");
    private final Agent b1 = task("keyed2-1");
    private final Map<Agent, Agent> noHosts = new IdentityHashMap<>();

    @Test
    void shouldRunBothPartitionsOnTheOneCoreASourceLeavesOnTwoProcessors() {
        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 0, 2);

        assertThat(plan).containsExactly(List.of(a0, a1), List.of(source0));
    }

    @Test
    void shouldGiveEachPartitionAThreadWhenTheProcessorsAllowIt() {
        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 0, 4);

        assertThat(plan).containsExactly(List.of(a0), List.of(a1), List.of(source0));
    }

    @Test
    void shouldKeepOneWorkerThreadWhenTheSourcesTakeEveryProcessor() {
        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0, source1), List.of(a0, a1), noHosts, 0, 2);

        assertThat(plan).containsExactly(List.of(a0, a1), List.of(source0), List.of(source1));
    }

    @Test
    void shouldTakeAnExplicitThreadCountOverTheProcessorsAndCapItAtOnePerPartition() {
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 2, 2))
            .containsExactly(List.of(a0), List.of(a1), List.of(source0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 1, 64))
            .containsExactly(List.of(a0, a1), List.of(source0));
        assertThat(ThreadPlan.plan(List.of(source0), List.of(a0, a1), noHosts, 8, 2))
            .containsExactly(List.of(a0), List.of(a1), List.of(source0));
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

        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0), List.of(a0, a1, b0, b1), hostOf, 0, 2);

        assertThat(plan).containsExactly(List.of(a1, b0, b1), List.of(source0, a0));
    }

    @Test
    void shouldFollowAChainOfHostsToTheThreadsFirstTask() {
        Map<Agent, Agent> hostOf = new IdentityHashMap<>();
        hostOf.put(a0, source0);
        hostOf.put(b0, a0);

        List<List<Agent>> plan = ThreadPlan.plan(List.of(source0), List.of(a0, b0), hostOf, 0, 2);

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
