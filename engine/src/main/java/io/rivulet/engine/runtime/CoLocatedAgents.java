package io.rivulet.engine.runtime;

import io.rivulet.operators.function.Sneaky;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

import java.util.Arrays;

/**
 * Several tasks on one thread ({@link ThreadPlan}): a producer and the one-partition keyed stage it hosts
 * (a stage fed by several tasks, run on its first producer's thread), or keyed partitions sharing one of
 * the query's worker threads. Each duty cycle runs every live task once, in order (upstream first), so
 * the records a task publishes at the end of its cycle are taken by a downstream task on the same thread
 * in the same cycle. A task that terminates is closed and dropped; the thread ends when the last one has.
 *
 * <p>A task whose ring to a downstream task is full must not wait for a consumer that only its own thread
 * can run: its exchange calls {@link #helpOthers()} instead of idling, which runs every other live task
 * that is not already on the stack (re-entry would corrupt a task's state).
 *
 * <p>Not thread-safe; owned by its thread.
 */
final class CoLocatedAgents implements Agent {
    private final Agent[] agents;
    private final boolean[] live;
    private final boolean[] running;
    private final String roleName;
    private int liveCount;

    /**
     * @param agents the tasks, host (or upstream) first
     * @param roleName the thread's name
     */
    CoLocatedAgents(Agent[] agents, String roleName) {
        this.agents = agents.clone();
        this.live = new boolean[agents.length];
        this.running = new boolean[agents.length];
        Arrays.fill(live, true);
        this.liveCount = agents.length;
        this.roleName = roleName;
    }

    @Override
    public void onStart() {
        for (Agent agent : agents) {
            agent.onStart();
        }
    }

    @Override
    public int doWork() throws Exception {
        int work = 0;
        for (int i = 0; i < agents.length; i++) {
            if (live[i]) {
                work += run(i);
            }
        }
        if (liveCount == 0) {
            throw new AgentTerminationException();
        }
        return work;
    }

    /**
     * Runs every other live task once (those not already running below on this thread's stack).
     *
     * @return work done
     */
    int helpOthers() {
        int work = 0;
        for (int i = 0; i < agents.length; i++) {
            if (live[i] && !running[i]) {
                try {
                    work += run(i);
                } catch (Exception e) {
                    throw Sneaky.rethrow(e);
                }
            }
        }
        return work;
    }

    private int run(int i) throws Exception {
        running[i] = true;
        try {
            return agents[i].doWork();
        } catch (AgentTerminationException e) {
            live[i] = false;
            liveCount--;
            agents[i].onClose();
            return 1;
        } finally {
            running[i] = false;
        }
    }

    @Override
    public void onClose() {
        for (int i = 0; i < agents.length; i++) {
            if (live[i]) {
                live[i] = false;
                liveCount--;
                agents[i].onClose();
            }
        }
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
