package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.internal.checkpoint.Checkpoint;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceReader;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

import java.util.List;
import java.util.Arrays;

/**
 * Runs a query as Spark's micro-batch engine does, on one thread: every task's chain runs here, and
 * keyed stages exchange records in place ({@link LocalExchange}).
 *
 * <p>Batch {@code N} runs with watermark {@code W(N)}, computed when batch {@code N-1} ended:
 * <ol>
 *   <li>each source's available records are read and pushed through the chains; stateful operators
 *       judge lateness against the watermark they last received, {@code W(N-1)};</li>
 *   <li>{@code W(N)} reaches the operators (append mode emits and evicts what it closes);</li>
 *   <li>batch {@code N} ends (update and complete modes emit), and the sink commits it;</li>
 *   <li>{@code W(N+1)} = the minimum (or maximum, by policy) over {@code withWatermark} nodes of their
 *       largest event time − delay ({@link WatermarkMerge}); a node without data counts as 0; it never
 *       goes down.</li>
 * </ol>
 * A trigger runs one batch: a data batch when a source has data, otherwise, with no-data batches on,
 * a no-data batch when {@code W(N+1) > W(N)} and a stateful operator uses the watermark; otherwise
 * nothing (Spark's {@code MicroBatchExecution}). Batch {@code N}'s checkpoint carries both {@code W(N)}
 * and {@code W(N+1)} (as Spark's offset and commit logs do), and a restart from it takes both as they
 * were: the decision for batch {@code N+1} follows from the checkpoint alone, so a no-data batch that
 * was due when the query stopped or failed runs first thing after the restart, with the rows it emits
 * (outer rows, closed windows, evictions) in batch {@code N+1} as in a run without the restart, even
 * when the {@code withWatermark} nodes behind a keyed stage restart without the event times they had
 * seen. (Spark restores {@code W(N+1)} but asks the previous batch's plan, which a restarted query
 * lacks, whether to run a no-data batch: it runs none until new data arrives.) The triggers, as
 * Spark's executors time them:
 * <ul>
 *   <li>{@code processingTime(interval)}: the first trigger fires at start; a trigger that fires at
 *       {@code t} schedules the next at the first multiple of the interval (counted from the start)
 *       after {@code t}, so a batch that overran its interval is followed at once by the next;
 *       interval zero: back to back. A source's {@link Source#maxRecordsPerTrigger()} caps each
 *       batch;</li>
 *   <li>{@code once}: one data batch of everything available (no cap, no no-data batch), then stop;</li>
 *   <li>{@code availableNow}: batches of at most {@link Source#maxRecordsPerTrigger()} records each,
 *       with the no-data batches the watermark calls for, until a batch finds nothing, then stop.
 *       Sources read with the clock frozen at the start, so a time-driven source ({@code rate})
 *       yields what was due then;</li>
 *   <li>{@code processAllAvailable()} runs batches at once, until one finds nothing to do.</li>
 * </ul>
 * A stop is seen between polls of at most {@link SourceTask#POLL_LIMIT} records: the batch in
 * progress ends with what it read and commits, then the query ends, so {@code stop()} waits at most
 * for one poll, the batch's end and its commit. Input that ends is not flushed: as in Spark, windows
 * the watermark has not closed are never emitted. Not thread-safe; owned by its agent thread.
 */
final class MicroBatchDriver implements Agent {
    private final QueryRuntime query;
    private final QueryOptions options;
    private final List<SourceTask<?>> sources;
    private final List<WatermarkTracker> trackers;
    /** The trackers' watermarks, every one participating (a node without data counts as 0). */
    private final WatermarkMerge trackerWatermarks;
    private final List<SinkLink<?>> sinkLinks;
    private final boolean watermarkDrivesState;
    private final String roleName;
    private long nextBatchId;
    private long watermarkMs;
    /**
     * {@code W(N+1)} as the restored checkpoint of batch {@code N} saved it ({@link Long#MIN_VALUE}
     * without one): the next watermark is never below it, whatever the trackers saw since the restart.
     */
    private final long restoredNextWatermarkMs;
    /** {@code W(N+1)} as of the end of the last batch, for tests that compare it with Spark's {@code next_batch_watermark}. */
    private volatile long nextBatchWatermarkMs;
    /** When the first trigger fired: processing-time triggers fire at multiples of the interval from it. */
    private long firstTriggerNs;
    private long firstTriggerMs;
    private long nextTriggerNs;
    private boolean started;
    private boolean inputEnded;
    private boolean finished;
    /** Whether the last batch tried found input (for the query's status). */
    private boolean lastBatchRead;

    /** The batch watermark a checkpoint saves and a restart resumes with. */
    static final String BATCH_WATERMARK = "batchWatermarkMs";
    /** The next batch's watermark, {@code W(N+1)}, as batch {@code N}'s checkpoint saves it (Spark's commit log field). */
    static final String NEXT_BATCH_WATERMARK = "nextBatchWatermarkMs";

    private final CheckpointCoordinator coordinator;
    private final List<KeyedHead<?, ?, ?>> timedHeads;
    private final StateReadInbox[] stateInboxes;

    /**
     * @param restored the checkpoint the query restarts from, or {@code null}: its batch's watermark and
     *     the next batch's
     */
    MicroBatchDriver(QueryRuntime query, QueryOptions options, Planner planner, boolean watermarkDrivesState,
                     CheckpointCoordinator coordinator, Checkpoint restored) {
        this.query = query;
        this.coordinator = coordinator;
        this.nextBatchId = coordinator.firstEpoch();
        String restoredWatermarkMs = restored == null ? null : restored.property(BATCH_WATERMARK);
        if (restoredWatermarkMs != null) {
            this.watermarkMs = Long.parseLong(restoredWatermarkMs);
        }
        // A checkpoint written before this property existed: the trackers' restored event times decide.
        String restoredNextMs = restored == null ? null : restored.property(NEXT_BATCH_WATERMARK);
        this.restoredNextWatermarkMs = restoredNextMs == null ? Long.MIN_VALUE : Long.parseLong(restoredNextMs);
        this.nextBatchWatermarkMs = Math.max(watermarkMs, restoredNextWatermarkMs);
        this.options = options;
        this.sources = List.copyOf(planner.sourceTasks);
        this.trackers = List.copyOf(planner.watermarkTrackers);
        boolean[] everyTracker = new boolean[trackers.size()];
        Arrays.fill(everyTracker, true);
        this.trackerWatermarks = new WatermarkMerge(options.maxWatermarkPolicy(), everyTracker);
        this.sinkLinks = List.copyOf(planner.sinkLinks);
        this.timedHeads = List.copyOf(planner.timedHeads);
        this.stateInboxes = planner.stateInboxes.toArray(new StateReadInbox[0]);
        this.watermarkDrivesState = watermarkDrivesState;
        this.roleName = "rivulet-" + options.name() + "-microbatch";
    }

    @Override
    public int doWork() throws Exception {
        if (query.isAborted() || finished) {
            throw new AgentTerminationException();
        }
        if (query.isStopRequested()) {
            finish();
        }
        int reads = answerStateReads();
        long requested = query.processAllRequested();
        boolean forced = requested > query.processAllCompleted();
        long nowNs = options.nanoClock().nanoTime();
        boolean due = !started || nowNs >= nextTriggerNs;
        if (!due && !forced) {
            return reads;
        }
        if (!started) {
            started = true;
            firstTriggerNs = nowNs;
            firstTriggerMs = options.epochClock().time();
        }
        if (due) {
            nextTriggerNs = nextTriggerAfter(nowNs);
        }
        query.batchStatus(QueryRuntime.STATUS_BATCH_ACTIVE);
        int batches = switch (options.execution()) {
            case ONCE -> runBatch(false, false, false);
            case AVAILABLE_NOW -> runUntilIdle(true);
            default -> forced ? runUntilIdle(false) : runBatch(true, true, false);
        };
        query.batchStatus(lastBatchRead ? QueryRuntime.STATUS_WAITING_DATA : QueryRuntime.STATUS_WAITING_IDLE);
        if (forced) {
            query.processAllDone(requested);
        }
        if (inputEnded || query.isStopRequested() || options.execution() != QueryOptions.Execution.PROCESSING_TIME) {
            finish();
        }
        return batches;
    }

    /**
     * Answers the queryable-state reads pending on every keyed operator: the driver's thread runs them
     * all, and between two batches each holds the state as of the last batch's end.
     */
    private int answerStateReads() {
        int answered = 0;
        for (StateReadInbox inbox : stateInboxes) {
            answered += inbox.answer();
        }
        return answered;
    }

    /**
     * Spark's {@code ProcessingTimeExecutor}: the first multiple of the interval, counted from the
     * first trigger, after {@code triggerNs}; with interval zero, at once.
     */
    private long nextTriggerAfter(long triggerNs) {
        long intervalNs = options.intervalNs();
        if (intervalNs == 0) {
            return triggerNs;
        }
        return firstTriggerNs + ((triggerNs - firstTriggerNs) / intervalNs + 1) * intervalNs;
    }

    /** Runs batches until one finds nothing to do, the input ends or the query is stopped. */
    private int runUntilIdle(boolean frozenClock) throws Exception {
        int batches = 0;
        while (!inputEnded && !query.isStopRequested() && !query.isAborted() && runBatch(true, true, frozenClock) > 0) {
            batches++;
            answerStateReads(); // between batches: a long catch-up does not hold reads back
        }
        return batches;
    }

    /**
     * Runs one batch: a data batch if a source has records, else a no-data batch if the watermark
     * calls for one (and {@code noDataBatch} allows it).
     *
     * @param capped whether each source reads at most its {@link Source#maxRecordsPerTrigger()}
     * @param noDataBatch whether a no-data batch may run
     * @param frozenClock whether sources read with the clock of the first trigger
     * @return 1 if a batch ran, else 0
     */
    private int runBatch(boolean capped, boolean noDataBatch, boolean frozenClock) throws Exception {
        long batchWatermark = nextWatermark();
        long readNs = frozenClock ? firstTriggerNs : options.nanoClock().nanoTime();
        long readMs = frozenClock ? firstTriggerMs : options.epochClock().time();
        int rows = readBatch(readNs, readMs, capped);
        lastBatchRead = rows > 0;
        if (rows == SourceReader.END_OF_INPUT) {
            inputEnded = true;
        }
        if (rows > 0) {
            watermarkMs = batchWatermark;
            completeBatch(watermarkMs);
            return 1;
        }
        if (noDataBatch && options.noDataMicroBatches()
            && (watermarkDrivesState && batchWatermark > watermarkMs || processingTimeDue(readMs))) {
            watermarkMs = batchWatermark;
            completeBatch(watermarkMs);
            return 1;
        }
        return 0;
    }

    /**
     * Whether a processing-time timer or timeout is due: Spark runs a no-data batch at every trigger for
     * a processing-time group-state timeout; Rivulet runs one only when something is due, so the
     * same timeouts fire at the same trigger without empty batches in between.
     */
    private boolean processingTimeDue(long nowMs) {
        for (KeyedHead<?, ?, ?> head : timedHeads) {
            if (head.nextProcessingTimeMs() <= nowMs) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads one batch of input into the chains.
     *
     * @param batchNs the monotonic time sources read at
     * @param batchMs the wall-clock time sources read at
     * @param capped whether each source reads at most its per-trigger limit
     * @return rows read; {@link SourceReader#END_OF_INPUT} when every source has ended and none read
     */
    private int readBatch(long batchNs, long batchMs, boolean capped) throws Exception {
        int rows = 0;
        boolean allEnded = true;
        for (SourceTask<?> source : sources) {
            int read = source.drainAvailable(batchNs, batchMs, capped);
            if (read != SourceReader.END_OF_INPUT) {
                allEnded = false;
                rows += read;
            }
        }
        return rows == 0 && allEnded ? SourceReader.END_OF_INPUT : rows;
    }

    private void completeBatch(long batchWatermarkMs) throws Exception {
        long batchId = nextBatchId++;
        query.onBatchWatermark(batchWatermarkMs);
        for (SourceTask<?> source : sources) {
            source.batchWatermark(batchWatermarkMs);
        }
        coordinator.property(BATCH_WATERMARK, Long.toString(batchWatermarkMs));
        long nowMs = options.epochClock().time();
        for (KeyedHead<?, ?, ?> head : timedHeads) {
            head.onProcessingTime(nowMs);
        }
        for (SourceTask<?> source : sources) {
            source.batchEnd(batchId);
        }
        // Every record of the batch has passed the trackers: W(N+1) is known and goes into the checkpoint.
        long nextMs = nextWatermark();
        coordinator.property(NEXT_BATCH_WATERMARK, Long.toString(nextMs));
        // One thread runs the whole batch: the coordinator writes its checkpoint and commits it here.
        coordinator.completeReady();
        for (SourceTask<?> source : sources) {
            source.batchCommitted(batchId);
        }
        nextBatchWatermarkMs = nextMs;
    }

    /**
     * @return the watermark the next batch will run with, as of the end of the last batch (any thread)
     */
    long nextBatchWatermarkMs() {
        return nextBatchWatermarkMs;
    }

    /** {@code W(N+1)}: never below {@code W(N)} nor below the one the restored checkpoint saved. */
    private long nextWatermark() {
        long floorMs = Math.max(watermarkMs, restoredNextWatermarkMs);
        if (trackers.isEmpty()) {
            return floorMs;
        }
        for (int i = 0; i < trackers.size(); i++) {
            trackerWatermarks.onWatermark(i, trackers.get(i).watermarkMs());
        }
        return Math.max(floorMs, trackerWatermarks.watermarkMs());
    }

    private void finish() {
        finished = true;
        for (SinkLink<?> link : sinkLinks) {
            link.finish();
        }
        coordinator.completeReady();
        throw new AgentTerminationException();
    }

    @Override
    public void onClose() {
        query.driverEnded(this);
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
