package io.rivulet.engine.runtime;

import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a continuous query's tasks share a thread. Every source task has a thread of its own, with the
 * keyed stages it hosts ({@link Planner#hostOf}). The keyed partitions that no source hosts run on the
 * query's worker threads: as many as asked ({@code workerThreads}), or by default as many as the
 * processors the sources leave, at least one; never more than there are such partitions. Partitions go
 * to worker threads round-robin in plan order (upstream stages first), so partition {@code p} of each
 * stage of equal width lands on thread {@code p mod threads}, and a thread runs its upstream partitions
 * before the downstream ones they feed.
 *
 * <p>Why not a thread per partition: a thread that waits runnable for a core is late by the scheduler's
 * time slice, not by its work. On two cores, a paced source spinning on one core and two keyed
 * partitions on the other made every window close wait for the other partition's turn (issue 14: each
 * keyed thread waited 1.7 s per 10 s for a core, window results p99 2.3–6 ms); one thread running both
 * partitions does the same work without the wait.
 *
 * <p>Stateless; {@link #plan} is a pure function of its arguments.
 */
final class ThreadPlan {
    private ThreadPlan() {
    }

    /**
     * @param sources the source tasks, in plan order
     * @param workers the keyed partitions, in plan order (upstream stages first)
     * @param hostOf the task whose thread runs a task (chains of hosts end at the thread's first task)
     * @param workerThreads threads for the partitions no source hosts, 0 to derive them from {@code processors}
     * @param processors the processors available to the JVM
     * @return the threads, each the tasks it runs in order (the first is its host): the worker threads first, so
     *     they start before the sources that feed them
     */
    static List<List<Agent>> plan(List<? extends Agent> sources, List<? extends Agent> workers,
                                  Map<Agent, Agent> hostOf, int workerThreads, int processors) {
        // Each thread's tasks by its first task, in plan order.
        Map<Agent, List<Agent>> groups = new IdentityHashMap<>();
        List<List<Agent>> sourceThreads = new ArrayList<>();
        List<List<Agent>> unhosted = new ArrayList<>();
        for (Agent source : sources) {
            List<Agent> group = new ArrayList<>(List.of(source));
            groups.put(source, group);
            sourceThreads.add(group);
        }
        for (Agent worker : workers) {
            if (!hostOf.containsKey(worker)) {
                List<Agent> group = new ArrayList<>(List.of(worker));
                groups.put(worker, group);
                unhosted.add(group);
            }
        }
        for (Agent worker : workers) {
            Agent root = worker;
            while (hostOf.containsKey(root)) {
                root = hostOf.get(root);
            }
            if (root != worker) {
                groups.get(root).add(worker);
            }
        }
        List<List<Agent>> threads = new ArrayList<>();
        if (!unhosted.isEmpty()) {
            int count = workerThreads > 0 ? workerThreads : processors - sourceThreads.size();
            count = Math.max(1, Math.min(count, unhosted.size()));
            for (int t = 0; t < count; t++) {
                threads.add(new ArrayList<>());
            }
            for (int i = 0; i < unhosted.size(); i++) {
                threads.get(i % count).addAll(unhosted.get(i));
            }
        }
        threads.addAll(sourceThreads);
        return threads;
    }
}
