package io.rivulet.engine.runtime;

import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import java.util.List;

/**
 * Polls one source partition and pushes its records through the fused chain, on its own thread.
 *
 * <p>Each duty cycle reads the clocks once, ends the current epoch with a barrier when its interval
 * has passed (every epoch whose boundary passed, back to back, when the task fell behind: epoch ids
 * follow one time grid in every source task, which barrier alignment relies on), tells the reader which epochs the sink has committed, then polls the reader for up to
 * {@link #POLL_LIMIT} records, unless an aligned watermark of its chain is too far ahead of its
 * {@link WatermarkAlignmentGroup} (then it skips the poll and reports no work). When the input ends or the query is stopped, it ends the epoch in
 * progress and sends end-of-input down the chain; it terminates once the sink has committed that
 * last epoch (so a replayable reader learns its final restart point) or the query aborts. Not
 * thread-safe; owned by its agent thread.
 */
final class SourceTask<T> implements Agent, SourceOutput<T>, SourceContext {
    private static final int STATE_VERSION = 1;
    static final int POLL_LIMIT = 256;

    private final TaskContext context;
    private final Source<T> source;
    private SourceReader<T> reader;
    private final int partition;
    private final int numPartitions;
    private final NanoClock nanoClock;
    private final EpochClock epochClock;
    private final long epochIntervalNs;
    private Link<T> chain;
    /** What the reader emits into: the chain's entry, a stage clone per class of chain head. */
    private SourceEmitter<T> output;
    /** The chain's {@code withWatermark} links in a watermark alignment group; checked once per poll. */
    private WatermarkLink<?>[] aligned = new WatermarkLink<?>[0];
    /** Polls skipped because this task read too far ahead of its alignment group, for progress. */
    private long alignmentPauses;
    private long nowNs;
    private long nowMs;
    private long epoch;
    private long nextBarrierNs;
    /** Whether the task runs its own duty cycle (continuous mode), ending epochs at {@link #nextBarrierNs}. */
    private boolean cycling;
    private long watermarkMs = Long.MIN_VALUE;
    private long committedSeen = -1;
    private long finalEpoch = Long.MAX_VALUE;
    private boolean finished;

    private final long startNs;
    private final long startMs;
    private CheckpointCoordinator coordinator;
    private CheckpointCoordinator.Participant participant;
    /** Whether each epoch end saves the reader's position and the chain's watermark state. */
    private boolean savesState;
    /** The reader's position in the restored checkpoint, while it opens; then {@code null}. */
    private SnapshotInput restoredPosition;

    SourceTask(TaskContext context, Source<T> source, int partition, int numPartitions,
               NanoClock nanoClock, EpochClock epochClock, long epochIntervalNs, long startNs, long startMs) {
        this.context = context;
        this.source = source;
        this.startNs = startNs;
        this.startMs = startMs;
        this.partition = partition;
        this.numPartitions = numPartitions;
        this.nanoClock = nanoClock;
        this.epochClock = epochClock;
        this.epochIntervalNs = epochIntervalNs;
        this.nextBarrierNs = startNs + epochIntervalNs;
    }

    /**
     * Sets the chain the task pushes records through. Called while planning, once the chain is built:
     * its aligned {@code withWatermark} links ({@link TaskContext#watermarkLinks} with an alignment
     * member) are collected here.
     */
    void chain(Link<T> chain) {
        this.chain = chain;
        this.output = SourceEmitter.create(this, chain, context);
        this.aligned = context.watermarkLinks.stream().filter(link -> link.alignment != null).toArray(WatermarkLink<?>[]::new);
    }

    /**
     * Reports this partition's epoch ends to {@code coordinator}, with its state when the query takes
     * checkpoints, and restores that state from {@code restored}. Called while planning, after
     * {@link #chain}.
     *
     * @param coordinator completes the query's epochs
     * @param participant this partition's registration
     * @param restored what the restored checkpoint saved for this partition, or {@code null}
     */
    void checkpointing(CheckpointCoordinator coordinator, CheckpointCoordinator.Participant participant, byte[] restored) {
        this.coordinator = coordinator;
        this.participant = participant;
        this.savesState = coordinator.checkpointing();
        this.epoch = coordinator.firstEpoch();
        context.epoch = epoch;
        if (restored != null) {
            restoreState(restored);
        }
    }

    /**
     * What a checkpoint saves for a source partition: version, the chain's watermark generators
     * (largest event time and last watermark each), then the reader's position (empty when the source
     * is not replayable).
     */
    private byte[] savedState() {
        SnapshotOutput out = new SnapshotOutput(64);
        out.writeByte(STATE_VERSION);
        List<WatermarkLink<?>> links = context.watermarkLinks;
        out.writeVarInt(links.size());
        for (WatermarkLink<?> link : links) {
            out.writeLong(link.maxEventMs()).writeLong(link.emittedMs());
        }
        if (source.isReplayable()) {
            reader.writePosition(out);
        }
        return out.toByteArray();
    }

    private void restoreState(byte[] saved) {
        SnapshotInput in = new SnapshotInput(saved);
        int version = in.readByte();
        if (version != STATE_VERSION) {
            throw new IllegalStateException("the checkpoint saved " + context.name + " in layout version " + version
                + "; this version of Rivulet reads " + STATE_VERSION);
        }
        List<WatermarkLink<?>> links = context.watermarkLinks;
        int count = in.readVarInt();
        if (count != links.size()) {
            throw new IllegalArgumentException("the checkpoint saved " + count + " withWatermark generators for "
                + source.description() + ", the query has " + links.size() + ": the plan changed");
        }
        for (WatermarkLink<?> link : links) {
            link.restore(in.readLong(), in.readLong());
        }
        if (source.isReplayable() && in.hasRemaining()) {
            restoredPosition = new SnapshotInput(saved, saved.length - in.remaining(), in.remaining());
        }
    }

    TaskContext context() {
        return context;
    }

    @Override
    public int doWork() throws Exception {
        try {
            return cycle();
        } catch (RuntimeException e) {
            // Once per failure, never per record: names the task, epoch and source record in flight.
            throw RecordFailures.identified(context, e);
        }
    }

    private int cycle() throws Exception {
        QueryRuntime query = context.query;
        if (query.isAborted()) {
            throw new AgentTerminationException();
        }
        if (context.stateInboxes.length != 0) {
            // A fused keyed stage's reads: answered until the task ends (its state is final once input ended).
            context.answerStateReads();
        }
        if (finished) {
            return awaitFinalCommit();
        }
        cycling = true;
        nowNs = nanoClock.nanoTime();
        nowMs = epochClock.time();
        context.ingestNs = nowNs;
        if (query.isStopRequested()) {
            finish(false);
            return 1;
        }
        int work = notifyCommitted();
        while (nowNs >= nextBarrierNs) {
            // One barrier per boundary passed, even when several passed while the task was away: epoch
            // e ends at the e-th boundary of the grid every source task shares (same start, same
            // interval), so a stage fed by several tasks pairs barriers of one time. A task that ended
            // one epoch for several missed boundaries would stay behind the others' numbering for
            // good, and alignment would hold every other input of its stages a whole interval or more.
            endEpoch();
            nextBarrierNs += epochIntervalNs;
            work++;
        }
        if (!context.timedHeads.isEmpty()) {
            context.advanceProcessingTime(nowMs);
        }
        if (aligned.length != 0 && aheadOfAlignmentGroup()) {
            // Too far ahead in event time of a slower source of the group: no read this cycle (the
            // epochs above still end), and no work, so the thread backs off as for an idle source.
            alignmentPauses++;
            context.flushExchanges();
            return work;
        }
        int polled = reader.poll(output, POLL_LIMIT);
        if (polled == SourceReader.END_OF_INPUT) {
            finish(true);
            return work + 1;
        }
        for (WatermarkLink<?> link : aligned) {
            // Published now, not at the next cycle, so a member this task holds back resumes sooner.
            link.alignment.publish(link.emittedMs());
        }
        context.flushExchanges();
        context.recordsIn.lazySet(output.recordsRead);
        return work + polled;
    }

    /**
     * Publishes each aligned link's watermark to its group and tells whether any is more than its drift
     * ahead of its group's minimum. Once per cycle, not per record; allocates nothing.
     */
    private boolean aheadOfAlignmentGroup() {
        boolean ahead = false;
        for (WatermarkLink<?> link : aligned) {
            ahead |= link.alignment.publishAndCheckAhead(link.emittedMs());
        }
        return ahead;
    }

    /** @return how many cycles skipped their poll because the task was too far ahead of its alignment group */
    long alignmentPauses() {
        return alignmentPauses;
    }

    /**
     * After its input ended, the task lives on until the sink has committed its last epoch, so the
     * reader learns its final committed position; then it terminates.
     */
    private int awaitFinalCommit() throws Exception {
        int work = notifyCommitted();
        if (committedSeen >= finalEpoch) {
            throw new AgentTerminationException();
        }
        if (context.query.isSinkFinished()) {
            // The last commit may have landed between the read above and this one: the sink finishes
            // only after it, so reading again now cannot miss it.
            notifyCommitted();
            throw new AgentTerminationException();
        }
        return work;
    }

    private void endEpoch() throws Exception {
        endEpoch(epoch++);
    }

    private void endEpoch(long epochId) throws Exception {
        reader.onEpochEnd(epochId);
        if (coordinator != null) {
            coordinator.epochEnded(participant, epochId, savesState ? savedState() : null, null);
        }
        chain.onEpoch(epochId);
        context.epoch = epochId + 1;
        if (context.failures != null) {
            context.failures.onEpoch(epochId);
        }
    }

    private int notifyCommitted() throws Exception {
        long committed = context.query.committedEpoch();
        if (committed > committedSeen) {
            committedSeen = committed;
            reader.onEpochCommitted(committed);
            return 1;
        }
        return 0;
    }

    /**
     * Ends the epoch in progress and sends the end down the chain.
     *
     * @param inputEnded whether the input ended (stages flush what they hold) rather than the query stopping
     */
    private void finish(boolean inputEnded) throws Exception {
        finished = true;
        finalEpoch = epoch;
        endEpoch();
        chain.onEnd(inputEnded);
        for (WatermarkLink<?> link : aligned) {
            // Ended tasks leave their alignment groups, holding nobody back.
            link.alignment.leave();
        }
        if (context.failures != null) {
            context.failures.onEnd(inputEnded);
        }
        if (coordinator != null) {
            coordinator.finished(participant);
        }
        context.recordsIn.lazySet(output.recordsRead);
    }

    @Override
    public void onClose() {
        context.query.taskEnded(this);
    }

    @Override
    public String roleName() {
        return context.name;
    }

    /** The reader is given the task's {@link SourceEmitter}; this is the same path, for code that holds the task. */
    @Override
    public void emit(T record) {
        output.emit(record);
    }

    /** As {@link SourceEmitter#emit(Object, long)}. */
    @Override
    public void emit(T record, long sourceNanoTime) {
        output.emit(record, sourceNanoTime);
    }

    @Override
    public void emitWatermark(long watermarkMs) {
        if (watermarkMs > this.watermarkMs) {
            this.watermarkMs = watermarkMs;
            chain.onWatermark(watermarkMs);
        }
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public int numPartitions() {
        return numPartitions;
    }

    @Override
    public String queryName() {
        return context.query.name();
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    @Override
    public ReadMode readMode() {
        return switch (context.query.options().execution()) {
            case CONTINUOUS -> ReadMode.CONTINUOUS;
            case PROCESSING_TIME -> ReadMode.MICRO_BATCH;
            case ONCE -> ReadMode.ONCE;
            case AVAILABLE_NOW -> ReadMode.AVAILABLE_NOW;
        };
    }

    @Override
    public long epochMillis() {
        return nowMs;
    }

    /**
     * Spins until the deadline, running the tasks that share this thread (the keyed stage this task hosts,
     * fed also by other producers) while it waits, so their records do not wait for this reader. Returns
     * early when the epoch ends meanwhile (continuous mode), so the task sends its barrier on time: a
     * stage fed also by another task holds that task's records from its barrier until this one's arrives.
     */
    @Override
    public long awaitUntil(long deadlineNs, long maxWaitNs) {
        CoLocatedAgents coLocated = context.coLocated();
        long now = nanoClock.nanoTime();
        // One end, computed without branches: a wait cut short by the epoch's end happens once per epoch,
        // after warm-up had compiled the caller without that path, and a branch taken that rarely is an
        // uncommon trap in C2's code: the source's whole compiled cycle deoptimised and was recompiled
        // during the measured run (docs/benchmarks.md, "Issue 14", stalls).
        long end = earlier(deadlineNs, now + (maxWaitNs & ~(maxWaitNs >> 63)));
        end = earlier(end, cycling ? nextBarrierNs : end);
        while (now - end < 0) {
            if (coLocated == null || coLocated.helpOthers() == 0) {
                Thread.onSpinWait();
            }
            now = nanoClock.nanoTime();
        }
        return now;
    }

    /** The earlier of two {@code nanoTime} instants (less than 2^63 ns apart), without a branch. */
    static long earlier(long a, long b) {
        long d = a - b;
        return b + (d & (d >> 63));
    }

    @Override
    public SnapshotInput restoredPosition() {
        return restoredPosition;
    }

    @Override
    public boolean checkpointing() {
        return savesState;
    }

    @Override
    public void recordsDropped(int count) {
        context.recordsFailed.lazySet(context.recordsFailed.get() + count);
    }

    /**
     * Opens this partition's reader, on the starting thread, before the task's thread starts.
     *
     * @throws Exception when the reader cannot be opened
     */
    void open() throws Exception {
        // Every partition of the query opens at the same instant, so their schedules agree.
        nowNs = startNs;
        nowMs = startMs;
        try {
            reader = source.open(this);
        } finally {
            restoredPosition = null;
        }
        if (reader == null) {
            throw new IllegalStateException("source " + source.description() + " opened a null reader");
        }
    }

    SourceReader<T> reader() {
        return reader;
    }

    /** @return the source's description, naming a failed record's source */
    String sourceDescription() {
        return source.description();
    }

    /** @return the reader's offset of the record it emitted last, or -1 where the source has none */
    long lastEmittedOffset() {
        return reader == null ? -1 : reader.lastEmittedOffset();
    }

    /**
     * Micro-batch: reads what the reader has now into the chain, on the driver thread: everything, or
     * at most the source's {@link Source#maxRecordsPerTrigger()} when {@code capped}. A stop cuts the
     * read short at the next poll (of at most {@link #POLL_LIMIT} records), so the batch ends with
     * what was read.
     *
     * @param batchNs the batch's monotonic time
     * @param batchMs the batch's wall-clock time
     * @param capped whether the source's per-trigger limit applies
     * @return records read, or {@link SourceReader#END_OF_INPUT} if the input ended and nothing was read
     * @throws Exception a reader or operator failure
     */
    int drainAvailable(long batchNs, long batchMs, boolean capped) throws Exception {
        if (finished) {
            return SourceReader.END_OF_INPUT;
        }
        nowNs = batchNs;
        nowMs = batchMs;
        context.ingestNs = batchNs;
        long remaining = capped ? source.maxRecordsPerTrigger() : Long.MAX_VALUE;
        QueryRuntime query = context.query;
        int total = 0;
        query.drainingSource = this;
        try {
            while (remaining > 0 && !query.isStopRequested()) {
                int polled = reader.poll(output, (int) Math.min(POLL_LIMIT, remaining));
                if (polled == SourceReader.END_OF_INPUT) {
                    finished = true;
                    break;
                }
                if (polled == 0) {
                    break;
                }
                total += polled;
                remaining -= polled;
            }
        } catch (RuntimeException e) {
            throw RecordFailures.identified(context, e);
        } finally {
            query.drainingSource = null;
        }
        context.recordsIn.lazySet(output.recordsRead);
        return total == 0 && finished ? SourceReader.END_OF_INPUT : total;
    }

    /** Micro-batch: the batch's watermark reaches the chain. */
    void batchWatermark(long watermarkMs) {
        chain.onWatermark(watermarkMs);
    }

    /** Micro-batch: batch {@code batchId} ends on this task's chain. */
    void batchEnd(long batchId) throws Exception {
        endEpoch(batchId);
    }

    /** Micro-batch: batch {@code batchId} is committed. */
    void batchCommitted(long batchId) throws Exception {
        reader.onEpochCommitted(batchId);
    }
}
