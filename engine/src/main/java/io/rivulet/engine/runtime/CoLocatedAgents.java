package io.rivulet.engine.runtime;

import io.rivulet.operators.function.Sneaky;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

import java.util.Arrays;

/**
 * Several tasks on one thread ({@link ThreadPlan}): a source and the keyed partitions it hosts, or keyed
 * partitions sharing one of the query's worker threads, in upstream-first order. Each duty cycle runs every
 * live task once, in that order, so the records a task publishes at the end of its cycle are taken by a
 * downstream task on the same thread in the same cycle. A task that terminates is closed and dropped; the
 * thread ends when the last one has.
 *
 * <p>A task whose ring to a downstream task is full must not wait for a consumer that only its own thread
 * can run: its exchange calls {@link #helpOthers()} instead of idling, which runs every live task after it
 * (downstream, or beside it). Never one before it: the tasks on the stack are exactly the ones that are
 * waiting, each later than the one below it, so a nest of waits only ever moves downstream, ends at the
 * last task, and never re-enters a task on the stack (re-entry would corrupt its state). Helping upstream
 * would deadlock: an upstream task that fills its ring to a task waiting below it on the stack can only
 * wait for that task, which cannot resume until it returns.
 *
 * <p>Not thread-safe; owned by its thread.
 */
final class CoLocatedAgents implements Agent {
    private final Agent[] agents;
    private final boolean[] live;
    private final String roleName;
    private int liveCount;
    /** The innermost running task, -1 between duty cycles. */
    private int current = -1;

    /**
     * @param agents the tasks, upstream first
     * @param roleName the thread's name
     */
    CoLocatedAgents(Agent[] agents, String roleName) {
        this.agents = agents.clone();
        this.live = new boolean[agents.length];
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
     * Runs every live task after the running one once (see the class comment for why only those).
     *
     * @return work done
     */
    int helpOthers() {
        int work = 0;
        for (int i = current + 1; i < agents.length; i++) {
            if (live[i]) {
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
        int outer = current;
        current = i;
        try {
            return agents[i].doWork();
        } catch (AgentTerminationException e) {
            live[i] = false;
            liveCount--;
            agents[i].onClose();
            return 1;
        } finally {
            current = outer;
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
