package io.rivulet.engine.runtime;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.state.CheckpointedOperator;

import java.util.List;

/**
 * The head of a partition's chain: a keyed operator fed with the key the exchange already computed,
 * and the partition's late-record link, if the operator has one.
 *
 * <p>Not thread-safe; owned by the partition worker (or the micro-batch driver). At each epoch end
 * it publishes the operator's state figures for the progress reporter (a fresh holder each epoch,
 * through a volatile field).
 */
final class KeyedHead<K, I, O> {
    private final KeyedOperator<K, I, O> operator;
    private final Link<O> next;
    /** The partition's late-data and side-output links: epochs and ends reach them after the operator's. */
    private final Link<?>[] sideLinks;
    private final StatefulOperator stateful;
    private volatile StateMetrics published;
    private CheckpointCoordinator coordinator;
    private CheckpointCoordinator.Participant participant;
    private CheckpointedOperator checkpointed;
    private long lastEpochId;

    KeyedHead(KeyedOperator<K, I, O> operator, Link<O> next, List<Link<?>> sideLinks) {
        this.operator = operator;
        this.next = next;
        this.sideLinks = sideLinks.toArray(new Link<?>[0]);
        this.stateful = operator instanceof StatefulOperator s ? s : null;
    }

    /**
     * Snapshots the operator at every barrier and hands the snapshot to {@code coordinator}. Called
     * while planning, for a query with a checkpoint location.
     *
     * @param coordinator completes the query's epochs
     * @param participant this partition's registration
     */
    void checkpointing(CheckpointCoordinator coordinator, CheckpointCoordinator.Participant participant) {
        this.coordinator = coordinator;
        this.participant = participant;
        this.checkpointed = (CheckpointedOperator) operator;
        this.lastEpochId = coordinator.firstEpoch() - 1;
    }

    @SuppressWarnings("unchecked")
    void onRecord(Object key, Object record) {
        operator.process((K) key, (I) record, next);
    }

    /**
     * @return whether the operator acts on processing time (a keyed process function's timers)
     */
    boolean usesProcessingTime() {
        return operator.usesProcessingTime();
    }

    /**
     * Passes the processing time on (fires due processing-time timers).
     *
     * @param nowMs wall-clock time, epoch ms, from the query's clock
     */
    void onProcessingTime(long nowMs) {
        operator.onProcessingTime(nowMs, next);
    }

    void onWatermark(long watermarkMs) {
        operator.onWatermark(watermarkMs, next);
        next.onWatermark(watermarkMs);
    }

    void onEpoch(long epochId) {
        operator.onEpoch(epochId, next);
        if (participant != null) {
            // After onEpoch: the snapshot holds exactly the records of every epoch up to this one.
            lastEpochId = epochId;
            coordinator.epochEnded(participant, epochId, null, checkpointed.snapshotState(epochId));
        }
        if (stateful != null) {
            StateMetrics metrics = new StateMetrics();
            stateful.stateMetrics(metrics);
            published = metrics;
        }
        for (Link<?> side : sideLinks) {
            side.onEpoch(epochId);
        }
        next.onEpoch(epochId);
    }

    /**
     * Every input ended ({@code flush}: the operator emits what it still holds) or the query stops
     * (the operator keeps its state, which the last barrier's snapshot saved).
     */
    void onEnd(boolean flush) {
        if (flush) {
            operator.onEnd(next);
        }
        if (participant != null && flush) {
            // What the end of input flushed goes out in one more epoch (see SinkLink.onEnd); the state
            // after the flush stands for this partition from then on, so a restart does not flush again.
            coordinator.epochEnded(participant, lastEpochId + 1, null, checkpointed.snapshotState(lastEpochId + 1));
        }
        if (participant != null) {
            coordinator.finished(participant);
        }
        for (Link<?> side : sideLinks) {
            side.onEnd(flush);
        }
        next.onEnd(flush);
    }

    /**
     * @return the state figures as of the last epoch end, or {@code null} (not stateful, or no epoch yet)
     */
    StateMetrics stateMetrics() {
        return published;
    }
}
