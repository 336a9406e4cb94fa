package io.rivulet.kafka;

import io.rivulet.engine.StreamingQuery;

import java.util.Optional;
import java.util.Set;

/**
 * This JVM's member of a {@link KafkaScaleOut} group: it holds the tasks the consumer-group protocol
 * assigned to it, each running as a Rivulet query, until it is closed, fails, or the group moves the
 * tasks elsewhere.
 *
 * <p>Lifecycle: {@link KafkaScaleOut#start()} returns it active, joining the group on a thread of its own
 * ({@code rivulet-<name>-group}). Tasks come and go with rebalances. It ends when {@link #close()} is
 * called (its tasks stop, committing their current epoch, and it leaves the group so that the others take
 * them over at once) or when a task fails for good (a task query failed after its restart strategy gave
 * up, or could not start): the other tasks stop likewise and {@link #failure()} says why.
 *
 * <p>Thread-safe.
 */
public interface ScaleOutInstance extends AutoCloseable {
    /** @return the Kafka consumer group the instances of this query share: {@code rivulet-<name>} */
    String groupId();

    /**
     * @return the ids of the tasks the group assigned to this instance now (a snapshot): running, waiting
     *     for their previous owner to release their checkpoint, or finished (their input ended)
     */
    Set<Integer> assignedTasks();

    /** @return the ids of the tasks this instance runs now (a snapshot) */
    Set<Integer> runningTasks();

    /**
     * @param taskId a task id
     * @return the query of that task if this instance runs it now
     */
    Optional<StreamingQuery> task(int taskId);

    /** @return whether the instance is still a member of the group */
    boolean isActive();

    /** @return the failure that ended this instance, if one did */
    Optional<Throwable> failure();

    /**
     * Waits until the instance ends, at most {@code timeoutMs}.
     *
     * @param timeoutMs how long to wait, in milliseconds
     * @return whether it has ended
     * @throws InterruptedException if the waiting thread is interrupted
     */
    boolean awaitTermination(long timeoutMs) throws InterruptedException;

    /**
     * Stops every task of this instance (each commits its current epoch, as {@link StreamingQuery#stop()}
     * does) and leaves the group, so the other instances take the tasks over without waiting for the
     * session timeout. Waits for that; bounded by the tasks' stop timeouts plus the group's leave.
     * Does nothing if the instance has ended.
     */
    @Override
    void close();
}
