package io.rivulet.engine.runtime;

import io.rivulet.engine.RecordCopier;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.LongKeyedOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.window.WindowAggregateOperator;
import io.rivulet.operators.window.WindowedValue;

import java.util.List;

/**
 * The head of a partition's chain: a keyed operator fed with the key the exchange already computed,
 * and the partition's late-record link, if the operator has one.
 *
 * <p>Not thread-safe; owned by the partition worker (or the micro-batch driver). At each epoch end
 * it publishes the operator's state figures for the progress reporter (a fresh holder each epoch,
 * through a volatile field).
 *
 * <p>A record the operator's {@code process} throws on (an aggregate function adding it, a process
 * function's {@code processElement}) goes to the task's error policy; failures of the other callbacks
 * (watermarks, timers, epochs, the end) are passed through and fail the query.
 */
class KeyedHead<K, I, O> {
    final KeyedOperator<K, I, O> operator;
    /** The operator, if it takes {@code long} keys unboxed; else {@code null}. */
    final LongKeyedOperator<I, O> longOperator;
    final Link<O> next;
    /** The partition's late-data and side-output links: epochs and ends reach them after the operator's. */
    private final Link<?>[] sideLinks;
    private final StatefulOperator stateful;
    private volatile StateMetrics published;
    private CheckpointCoordinator coordinator;
    private CheckpointCoordinator.Participant participant;
    private CheckpointedOperator checkpointed;
    private long lastEpochId;
    final TaskContext context;
    final String stage;
    private final RecordCopier<Object> copier;

    /**
     * @param operator the partition's operator
     * @param next where its output goes
     * @param sideLinks its late-data and side-output links
     * @param context the partition's task context
     * @param stage the stage's name, for a failed record
     * @param copier the stage's record copier (a failed record then goes to the dead-letter sink as a
     *     copy, since its instance is reused), or {@code null}
     */
    @SuppressWarnings("unchecked")
    KeyedHead(KeyedOperator<K, I, O> operator, Link<O> next, List<Link<?>> sideLinks, TaskContext context, String stage,
              RecordCopier<?> copier) {
        this.context = context;
        this.stage = stage;
        this.copier = (RecordCopier<Object>) copier;
        this.operator = operator;
        this.longOperator = operator instanceof LongKeyedOperator<?, ?> l ? (LongKeyedOperator<I, O>) l : null;
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
     * A partial accumulator of a (key, tumbling window) built on the producer's side of the exchange
     * ({@link PreAggregatingLink}): merged into the window operator's row. Its failures fail the query
     * (pre-aggregation runs only under the default error policy).
     *
     * @param key the key
     * @param windowStartMs the window's start, epoch ms
     * @param partial the accumulator
     * @throws IllegalStateException if the stage's operator is not a window aggregation
     */
    @SuppressWarnings("unchecked")
    void onPartial(Object key, long windowStartMs, Object partial) {
        if (!(operator instanceof WindowAggregateOperator<?, ?, ?, ?> windows)) {
            throw new IllegalStateException("'" + stage + "' got a partial aggregate but is not a window aggregation");
        }
        try {
            ((WindowAggregateOperator<Object, Object, Object, Object>) windows).processPartial(key, windowStartMs, partial,
                (Link<WindowedValue<Object, Object>>) (Link<?>) next);
        } catch (RuntimeException e) {
            throw TaskContext.passThrough(e);
        }
    }

    /**
     * A record of the right input of a two-input stage ({@link TwoInputHead}); a one-input stage has none.
     *
     * @param key the record's key
     * @param record the record
     */
    void onRightRecord(Object key, Object record) {
        throw new IllegalStateException("'" + stage + "' is a one-input stage but got a record of a right input");
    }

    /**
     * A record of the right input of a {@code long}-keyed two-input stage, its key unboxed
     * ({@link TwoInputHead}); a one-input stage has none.
     *
     * @param key the record's key
     * @param record the record
     */
    void onLongRightRecord(long key, Object record) {
        throw new IllegalStateException("'" + stage + "' is a one-input stage but got a record of a right input");
    }

    /**
     * A record of a {@code long}-keyed stage, its key unboxed: straight to the operator's
     * {@code processLong}, or boxed for an operator that takes boxed keys.
     *
     * @param key the record's key
     * @param record the record
     */
    @SuppressWarnings("unchecked")
    void onLongRecord(long key, Object record) {
        if (longOperator != null) {
            longOperator.processLong(key, (I) record, next);
        } else {
            operator.process((K) (Object) key, (I) record, next);
        }
    }

    /**
     * Reads the operator's state figures at an epoch end (a fresh holder, published to other threads).
     *
     * @param stateful the operator
     * @return its figures
     */
    StateMetrics readStateMetrics(StatefulOperator stateful) {
        StateMetrics metrics = new StateMetrics();
        stateful.stateMetrics(metrics);
        return metrics;
    }

    /** Publishes figures of the partition besides the operator's state metrics; called at each epoch end. */
    void publishFigures() {
    }

    /**
     * @return a head for the plan: guarded ({@link Guarded}) when the partition's task has an error
     *     policy other than fail, else a plain one, whose per-record path is the operator call alone
     */
    static <K, I, O> KeyedHead<K, I, O> create(KeyedOperator<K, I, O> operator, Link<O> next, List<Link<?>> sideLinks,
                                               TaskContext context, String stage, RecordCopier<?> copier) {
        return context.failures == null ? new KeyedHead<>(operator, next, sideLinks, context, stage, copier)
            : new Guarded<>(operator, next, sideLinks, context, stage, copier);
    }

    /** The operator's failure on a record goes to the task's error policy, and the partition goes on. */
    static final class Guarded<K, I, O> extends KeyedHead<K, I, O> {
        Guarded(KeyedOperator<K, I, O> operator, Link<O> next, List<Link<?>> sideLinks, TaskContext context, String stage,
                RecordCopier<?> copier) {
            super(operator, next, sideLinks, context, stage, copier);
        }

        @Override
        @SuppressWarnings("unchecked")
        void onRecord(Object key, Object record) {
            try {
                operator.process((K) key, (I) record, next);
            } catch (RuntimeException e) {
                onRecordFailure(record, e);
            }
        }

        @Override
        void onLongRecord(long key, Object record) {
            try {
                super.onLongRecord(key, record);
            } catch (RuntimeException e) {
                onRecordFailure(record, e);
            }
        }
    }

    /** Slow path: a copied record goes on as a copy, since its instance is reused. */
    void onRecordFailure(Object record, RuntimeException e) {
        Object failed = record;
        if (copier != null && context.failures != null) {
            failed = copier.newInstance();
            copier.copy(record, failed);
        }
        context.onRecordFailure(stage, failed, e);
    }

    /**
     * @return whether the operator acts on processing time (a keyed process function's timers)
     */
    boolean usesProcessingTime() {
        return operator.usesProcessingTime();
    }

    /**
     * @return the earliest processing time at which the operator has a timer or timeout due, epoch ms;
     *     {@code Long.MAX_VALUE} if none. Owner thread (the micro-batch driver's in micro-batch mode)
     */
    long nextProcessingTimeMs() {
        return operator.nextProcessingTimeMs();
    }

    /**
     * Passes the processing time on (fires due processing-time timers).
     *
     * @param nowMs wall-clock time, epoch ms, from the query's clock
     */
    void onProcessingTime(long nowMs) {
        try {
            operator.onProcessingTime(nowMs, next);
        } catch (RuntimeException e) {
            throw TaskContext.passThrough(e);
        }
    }

    void onWatermark(long watermarkMs) {
        try {
            operator.onWatermark(watermarkMs, next);
        } catch (RuntimeException e) {
            throw TaskContext.passThrough(e);
        }
        next.onWatermark(watermarkMs);
    }

    void onEpoch(long epochId) {
        try {
            operator.onEpoch(epochId, next);
        } catch (RuntimeException e) {
            throw TaskContext.passThrough(e);
        }
        if (participant != null) {
            // After onEpoch: the snapshot holds exactly the records of every epoch up to this one.
            lastEpochId = epochId;
            coordinator.epochEnded(participant, epochId, null, checkpointed.snapshotState(epochId));
        }
        if (stateful != null) {
            published = readStateMetrics(stateful);
        }
        publishFigures();
        for (Link<?> side : sideLinks) {
            side.onEpoch(epochId);
        }
        next.onEpoch(epochId);
        // Last: records that failed while the epoch's output went downstream still belong to it.
        context.epoch = epochId + 1;
        if (context.failures != null) {
            context.failures.onEpoch(epochId);
        }
    }

    /**
     * Every input ended ({@code flush}: the operator emits what it still holds) or the query stops
     * (the operator keeps its state, which the last barrier's snapshot saved).
     */
    void onEnd(boolean flush) {
        if (flush) {
            try {
                operator.onEnd(next);
            } catch (RuntimeException e) {
                throw TaskContext.passThrough(e);
            }
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
        if (context.failures != null) {
            context.failures.onEnd(flush);
        }
    }

    /**
     * @return the state figures as of the last epoch end, or {@code null} (not stateful, or no epoch yet)
     */
    StateMetrics stateMetrics() {
        return published;
    }
}
