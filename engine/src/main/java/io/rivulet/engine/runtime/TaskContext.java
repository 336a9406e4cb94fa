package io.rivulet.engine.runtime;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * What one task's chain shares: the ingest time of the record in flight, the task's counters and
 * the idle strategy it waits with when a downstream ring is full.
 *
 * <p>Owned by the task's thread; the counters are written only by it (ordered stores) and read by
 * the progress reporter.
 */
final class TaskContext {
    final QueryRuntime query;
    final String name;
    final IdleStrategy backpressureIdle;
    /** Records this task took in: read from its source, or taken from its rings. */
    final AtomicLong recordsIn = new AtomicLong();
    /** Monotonic time the record being processed entered the query. */
    long ingestNs;
    /** Whether this task's output carries watermarks (a withWatermark node upstream). Set by the planner. */
    boolean producesWatermarks;
    /** The chain's current watermark, for progress (written by the owner, read by the reporter). */
    volatile long watermarkMs = Long.MIN_VALUE;
    /** The sink link ending this task's chain, if the task is in the query's last stage. */
    SinkLink<?> sinkLink;
    /** The side sink links of this task's keyed operator (late data, side outputs). */
    final List<SinkLink<?>> sideLinks = new ArrayList<>();

    /** The exchanges this task's chain ends in; their batched records are published by {@link #flushExchanges}. */
    private ExchangeLink<?, ?>[] exchanges = new ExchangeLink<?, ?>[0];
    /** The task whose thread runs this context's chain: itself, or the task a fused keyed stage runs in. */
    private TaskContext owner = this;
    /** The tasks sharing this task's thread, if it hosts a keyed stage (set on the root context at start). */
    CoLocatedAgents coLocatedAgents;
    /** Keyed heads run on this task's thread whose operators act on processing time (owner context only). */
    final List<KeyedHead<?, ?, ?>> timedHeads = new ArrayList<>();
    /** Queryable-state read queues of the keyed operators run on this task's thread (owner context only). */
    StateReadInbox[] stateInboxes = new StateReadInbox[0];
    /** The query's wall clock, read once per cycle when {@link #timedHeads} is not empty. */
    EpochClock epochClock = SystemEpochClock.INSTANCE;
    /** The watermark generators of this task's chain, in plan order: their state goes into checkpoints. */
    final List<WatermarkLink<?>> watermarkLinks = new ArrayList<>();
    /** Keyed stages fused into this task's thread; closed when the task ends. */
    final List<TaskContext> fused = new ArrayList<>();
    /** The epoch in progress, as this task last learned it (for identifying failed records). Owner thread only. */
    long epoch;
    /** Records a user function failed on that this task skipped or dead-lettered (owner writes, reporter reads). */
    final AtomicLong recordsFailed = new AtomicLong();
    /** What this task does with a record a user function failed on; {@code null}: the query fails (the default). */
    RecordFailures failures;
    /** The source task whose chain this context's records come from, if this is a source context. */
    SourceTask<?> sourceTask;

    TaskContext(QueryRuntime query, String name, IdleStrategy backpressureIdle) {
        this.query = query;
        this.name = name;
        this.backpressureIdle = backpressureIdle;
    }

    /**
     * Makes this (keyed stage's) context run on {@code upstream}'s thread: exchanges its chain ends in
     * are flushed by that task, and its sink writers close when that task ends.
     *
     * @param upstream the context of the task that feeds the stage
     */
    void fuseInto(TaskContext upstream) {
        owner = upstream.owner;
        owner.fused.add(this);
        producesWatermarks = upstream.producesWatermarks;
    }

    /** @return the tasks sharing the thread that runs this context's chain, or {@code null} if it runs alone */
    CoLocatedAgents coLocated() {
        return owner.coLocatedAgents;
    }

    /** @return the context of the task whose thread runs this context's chain */
    TaskContext owner() {
        return owner;
    }

    void addExchange(ExchangeLink<?, ?> exchange) {
        if (owner != this) {
            owner.addExchange(exchange);
            return;
        }
        exchanges = Arrays.copyOf(exchanges, exchanges.length + 1);
        exchanges[exchanges.length - 1] = exchange;
    }

    /**
     * Passes the processing time to the keyed operators on this thread that use it (timers), once per
     * duty cycle.
     *
     * @param nowMs the wall-clock time read for this cycle
     */
    void advanceProcessingTime(long nowMs) {
        List<KeyedHead<?, ?, ?>> heads = timedHeads;
        for (int i = 0, n = heads.size(); i < n; i++) {
            heads.get(i).onProcessingTime(nowMs);
        }
    }

    /**
     * Registers a queryable operator run on this (owner) context's thread. Planner thread.
     *
     * @param inbox its read queue
     */
    void addStateInbox(StateReadInbox inbox) {
        stateInboxes = Arrays.copyOf(stateInboxes, stateInboxes.length + 1);
        stateInboxes[stateInboxes.length - 1] = inbox;
    }

    /**
     * Answers the pending queryable-state reads of the operators on this thread, between two records:
     * called once per duty cycle, only when {@link #stateInboxes} is not empty (one volatile read per
     * queue when nothing is pending).
     *
     * @return the reads answered
     */
    int answerStateReads() {
        int answered = 0;
        for (StateReadInbox inbox : stateInboxes) {
            answered += inbox.answer();
        }
        return answered;
    }

    /**
     * A user function threw on {@code record} in {@code stage}: applies the query's error policy. Called
     * from a catch block around the stage's per-record call, so nothing of this runs unless a call threw.
     * Under the default policy it rethrows {@code e} (first noting, on the exception, which record and
     * stage failed); under skip or dead-letter it counts the record, handles it and returns, and the
     * stage goes on with its next record. Failures the runtime passes through a chain (a sink's, an
     * aborted query's) are rethrown unchanged.
     *
     * @param stage the stage, as plans name it
     * @param record the record the stage was given
     * @param e what the user function threw
     */
    void onRecordFailure(String stage, Object record, RuntimeException e) {
        if (e instanceof ChainFailure || e instanceof QueryAbortedException) {
            throw e;
        }
        if (failures == null) {
            throw RecordFailures.identified(this, stage, record, e);
        }
        failures.handle(this, stage, record, e);
    }

    /**
     * Wraps a failure that must pass through the chain's stages to the task (a sink's write), so that
     * no stage's error policy takes it for its own; {@code QueryRuntime.fail} unwraps it.
     *
     * @param e the failure
     * @return what to throw
     */
    static RuntimeException passThrough(RuntimeException e) {
        return e instanceof ChainFailure || e instanceof QueryAbortedException ? e : new ChainFailure(e);
    }

    /**
     * @return the source task whose record is being processed on this thread, or {@code null} when
     *     unknown (a partition worker behind rings, or a micro-batch stage between drains)
     */
    SourceTask<?> recordSource() {
        if (owner.sourceTask != null) {
            return owner.sourceTask;
        }
        return query.drainingSource;
    }

    /** Publishes what the task's exchanges hold: the end of every duty cycle that may have emitted records. */
    void flushExchanges() {
        for (ExchangeLink<?, ?> exchange : exchanges) {
            exchange.flush();
        }
    }
}
