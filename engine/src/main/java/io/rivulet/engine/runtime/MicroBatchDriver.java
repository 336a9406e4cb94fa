package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.QueryOptions;
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
 * A batch runs when a source has data, or, with no-data batches on, when {@code W(N+1) > W(N)} and a
 * stateful operator uses the watermark. Input that ends is not flushed: as in Spark, windows the
 * watermark has not closed are never emitted. Not thread-safe; owned by its agent thread.
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
    private long nextTriggerNs;
    private boolean started;
    private boolean finished;

    /** The batch watermark a checkpoint saves and a restart resumes with. */
    static final String BATCH_WATERMARK = "batchWatermarkMs";

    private final CheckpointCoordinator coordinator;
    private final List<KeyedHead<?, ?, ?>> timedHeads;

    MicroBatchDriver(QueryRuntime query, QueryOptions options, Planner planner, boolean watermarkDrivesState,
                     CheckpointCoordinator coordinator, String restoredWatermarkMs) {
        this.query = query;
        this.coordinator = coordinator;
        this.nextBatchId = coordinator.firstEpoch();
        if (restoredWatermarkMs != null) {
            this.watermarkMs = Long.parseLong(restoredWatermarkMs);
        }
        this.options = options;
        this.sources = List.copyOf(planner.sourceTasks);
        this.trackers = List.copyOf(planner.watermarkTrackers);
        boolean[] everyTracker = new boolean[trackers.size()];
        Arrays.fill(everyTracker, true);
        this.trackerWatermarks = new WatermarkMerge(options.maxWatermarkPolicy(), everyTracker);
        this.sinkLinks = List.copyOf(planner.sinkLinks);
        this.timedHeads = List.copyOf(planner.timedHeads);
        this.watermarkDrivesState = watermarkDrivesState;
        this.roleName = "rivulet-" + options.name() + "-microbatch";
    }

    @Override
    public int doWork() throws Exception {
        if (query.isAborted() || finished) {
            throw new AgentTerminationException();
        }
        long requested = query.processAllRequested();
        boolean forced = requested > query.processAllCompleted();
        if (query.isStopRequested()) {
            finish();
        }
        long now = options.nanoClock().nanoTime();
        boolean due = forced || !started || now >= nextTriggerNs;
        if (!due) {
            return 0;
        }
        started = true;
        nextTriggerNs = now + options.intervalNs();
        int batches = 0;
        boolean inputEnded;
        // Run batches until nothing is left to do right now.
        while (true) {
            long batchWatermark = nextWatermark();
            int rows = readBatch();
            inputEnded = rows == SourceReader.END_OF_INPUT;
            if (rows > 0) {
                watermarkMs = batchWatermark;
                completeBatch(watermarkMs);
                batches++;
            }
            long following = nextWatermark();
            if (options.noDataMicroBatches() && watermarkDrivesState && following > watermarkMs
                && options.execution() != QueryOptions.Execution.ONCE) {
                watermarkMs = following;
                completeBatch(watermarkMs);
                batches++;
            }
            if (rows <= 0 || options.execution() == QueryOptions.Execution.ONCE) {
                break;
            }
        }
        if (forced) {
            query.processAllDone(requested);
        }
        if (inputEnded || options.execution() != QueryOptions.Execution.PROCESSING_TIME) {
            finish();
        }
        return batches;
    }

    /**
     * Reads one batch of input into the chains.
     *
     * @return rows read; {@link SourceReader#END_OF_INPUT} when every source has ended and none read
     */
    private int readBatch() throws Exception {
        long batchNs = options.nanoClock().nanoTime();
        long batchMs = options.epochClock().time();
        int rows = 0;
        boolean allEnded = true;
        for (SourceTask<?> source : sources) {
            int read = source.drainAvailable(batchNs, batchMs);
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
        // One thread runs the whole batch: the coordinator writes its checkpoint and commits it here.
        coordinator.completeReady();
        for (SourceTask<?> source : sources) {
            source.batchCommitted(batchId);
        }
    }

    private long nextWatermark() {
        if (trackers.isEmpty()) {
            return watermarkMs;
        }
        for (int i = 0; i < trackers.size(); i++) {
            trackerWatermarks.onWatermark(i, trackers.get(i).watermarkMs());
        }
        return Math.max(watermarkMs, trackerWatermarks.watermarkMs());
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
