package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.QueryOptions;
import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a continuous query's tasks share a thread. Every source task has a thread of its own, with the
 * keyed stages it hosts ({@link Planner#hostOf}). The keyed partitions that no source hosts run on the
 * query's worker threads: as many as asked ({@code workerThreads}), or by default as many as the
 * processors left after one per source task and one for the JVM's own threads (the JIT compiler, the
 * garbage collector, the query's checkpoint and progress threads); never more than there are such
 * partitions. When that leaves none, a query with one source task runs on that task's thread alone (as
 * on two cores with one source), and one with several gets one worker thread: a partition fed by several
 * sources is then not tied to one source's thread, whose reader may block in a call (a Kafka consumer's
 * metadata request) while the others wait for the partition. With no worker thread (asked for, or
 * chosen) the partitions run on the source tasks' threads, round-robin. Partitions go to threads round-robin in plan order
 * (upstream stages first), so partition {@code p} of each stage of equal width lands on thread
 * {@code p mod threads}. Each thread lists its tasks upstream first (sources, then partitions in plan order,
 * which is topological), the order {@link CoLocatedAgents} runs them in and the direction it helps in.
 *
 * <p>Why not a thread per partition: a thread that waits runnable for a core is late by the scheduler's
 * time slice, not by its work. On two cores, a paced source spinning on one core and two keyed partitions
 * on the other made window closes wait for the other partition's turn (issue 14: each keyed thread waited
 * 1.7 s per 10 s for a core, window results p99 2.3–7 ms); one worker thread for both still left the
 * closes waiting whenever the JIT compiled the code they had just made hot, since the compiler had no core
 * of its own (p99 2.2–4.1 ms). With the partitions on the source's thread, as with one partition, the
 * other core is the JVM's (docs/benchmarks.md, "Thread plan").
 *
 * <p>Stateless; {@link #plan} is a pure function of its arguments.
 */
final class ThreadPlan {
    private ThreadPlan() {
    }

    /**
     * Rejects a plan this class will not make: no worker thread ({@code workerThreads(0)}) for a query whose
     * keyed partitions are fed by several source tasks. Each would be hosted by one source's thread while
     * the others feed it too; with Kafka scale-out that stalled a task's output (docs/architecture.md), and
     * until that is understood such a query gets at least one worker thread or is refused.
     *
     * @param sourceTasks the query's source tasks
     * @param workers the query's keyed partitions
     * @param workerThreads the setting
     * @throws IllegalArgumentException naming the rule
     */
    static void check(int sourceTasks, int workers, int workerThreads) {
        if (workerThreads == 0 && sourceTasks > 1 && workers > 0) {
            throw new IllegalArgumentException("workerThreads(0) runs the keyed partitions on the source tasks' "
                + "threads, which needs a query with one source task; this one has " + sourceTasks
                + " (give it one worker thread or more, or leave workerThreads unset)");
        }
    }

    /**
     * @param sources the source tasks, in plan order
     * @param workers the keyed partitions, in plan order (upstream stages first)
     * @param hostOf the task whose thread runs a task (chains of hosts end at the thread's first task)
     * @param workerThreads threads for the partitions no source hosts, 0 to run them on the sources' threads,
     *     {@link QueryOptions#AUTO_WORKER_THREADS} to derive them from {@code processors}
     * @param processors the processors available to the JVM
     * @return the threads, each the tasks it runs, upstream first: the worker threads first, so they start before
     *     the sources that feed them
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
        int count = workerThreads;
        if (count == QueryOptions.AUTO_WORKER_THREADS) {
            count = processors - sourceThreads.size() - 1;
            if (count <= 0) {
                // No core left: the whole query on its one source's thread, or one worker thread beside several.
                count = sourceThreads.size() == 1 ? 0 : 1;
            }
        }
        count = Math.min(count, unhosted.size());
        if (count == 0 && sourceThreads.isEmpty()) {
            // Nothing to host them on (no plan has partitions without sources, but never plan an empty thread).
            count = Math.min(1, unhosted.size());
        }
        List<List<Agent>> threads = new ArrayList<>();
        List<List<Agent>> hosts = sourceThreads;
        if (count > 0) {
            for (int t = 0; t < count; t++) {
                threads.add(new ArrayList<>());
            }
            hosts = threads;
        }
        for (int i = 0; i < unhosted.size(); i++) {
            hosts.get(i % hosts.size()).addAll(unhosted.get(i));
        }
        threads.addAll(sourceThreads);
        // Upstream first on every thread: the order CoLocatedAgents runs and helps tasks in. The sources come
        // first, then the partitions in plan order, which is topological (a stage's inputs are planned first).
        Map<Agent, Integer> rank = new IdentityHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            rank.put(sources.get(i), i - sources.size());
        }
        for (int i = 0; i < workers.size(); i++) {
            rank.put(workers.get(i), i);
        }
        for (List<Agent> thread : threads) {
            thread.sort(Comparator.comparingInt(rank::get));
        }
        return threads;
    }
}
