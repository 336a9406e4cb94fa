package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.checkpoint.Checkpoint;
import io.rivulet.engine.internal.checkpoint.CheckpointBuilder;
import io.rivulet.engine.internal.checkpoint.CheckpointStorage;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotOutput;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Completes epochs: gathers the end of each epoch from every participant (source partitions,
 * checkpointed operator partitions, sink writers), then, in epoch order, has every sink make the
 * epoch's output durable ({@link Sink#prepareCommit}), writes the epoch's checkpoint (with a
 * checkpoint location), commits every sink, records the commit, and tells the query.
 *
 * <pre>
 *  data threads                       coordinator (own thread, or the micro-batch driver)
 *  source p: onEpochEnd(e) ─ position ─┐
 *  operator p: onEpoch(e) ─ snapshot ──┼─► all ended e? ─► sink.prepareCommit(..e) ─► checkpoint e ─► sink.commit(..e) ─► commit log ─► committed = e
 *  writer w: endEpoch(e) ──────────────┘     (checkpoint of the newest ready epoch only, when several are ready at once)
 * </pre>
 *
 * <p>A participant that finished (its input ended) counts as having ended every later epoch; its last
 * position or snapshot stands for it. When several epochs become ready together, one checkpoint, of
 * the newest, covers them: every sink prepares each of them, in epoch order, before it is written,
 * and it is written before any of them is committed. A sink's failure to prepare fails the query
 * before the checkpoint: no checkpoint covers an epoch whose output is not durable. Sinks prepare
 * here, not in their writers' {@code endEpoch}, so that their disk forces stay off the data threads.
 *
 * <p>Snapshots are written here, off the data threads: an operator hands over an
 * {@link OperatorSnapshot} at its barrier and goes on. A key group the operator keeps
 * ({@link KeyGroupWriter#keepKeyGroup}: unchanged since the base, the latest complete checkpoint) is
 * not even encoded, and one whose bytes equal those of the previous checkpoint is not written again:
 * either way the new checkpoint references the old block.
 *
 * <p>Thread-safe: participants report from their own threads under one lock, held only to record
 * the report. Epochs complete on the coordinator's thread ({@link #start}) in continuous mode, or on
 * the caller's in {@link #completeReady} (micro-batch: the driver calls it after each batch).
 * Commits and checkpoint writes never run under the lock.
 */
final class CheckpointCoordinator {
    /** What the coordinator tells the query. */
    interface Listener {
        /**
         * Every sink committed every epoch up to {@code epochId}. Called on the completing thread, in
         * epoch order, once per epoch.
         */
        void onEpochCommitted(long epochId);

        /** Every sink writer finished and its last epoch is committed. */
        void onSinksFinished();

        /** Completing an epoch failed on the coordinator's own thread (a sink's commit, the disk). */
        void onFailure(Throwable cause);
    }

    private static final System.Logger LOG = System.getLogger(CheckpointCoordinator.class.getName());
    /** How often (in checkpoints) old checkpoints are cleaned. */
    private static final int RETAIN_EVERY = 16;

    private final Object lock = new Object();
    private final List<Participant> participants = new ArrayList<>();
    private final List<Sink<?>> sinks;
    private final CheckpointStorage storage;
    private final int maxParallelism;
    private final int minBatchesToRetain;
    /** Written into every checkpoint; guarded by the lock. */
    private final Map<String, String> properties;
    private final Listener listener;
    /** The key group blocks of the previous checkpoint, by operator and key group: length and CRC. */
    private final Map<String, long[]> previousBlocks = new HashMap<>();
    private final CRC32C crc = new CRC32C();
    /**
     * The epoch of the storage's latest complete checkpoint, the base snapshots keep key groups from
     * (the restored one until this run completes one), or -1. Coordinator's thread.
     */
    private long baseEpoch;
    private long committed;
    private long highestEnded;
    private int writersFinished;
    private int writers;
    private boolean sinksFinishedReported;
    private int checkpointsSinceRetain;
    /** Checkpoints written, and the total and longest time writing them took; coordinator's thread only. */
    private long checkpointsWritten;
    private long checkpointNsTotal;
    private long checkpointNsMax;
    /** Bytes the checkpoint being written has put so far (new blocks only); coordinator's thread only. */
    private long checkpointBytes;
    /**
     * The last completion's figures, for the dashboard: written once per completion by the completing
     * thread, read by any (the dashboard's sampler). Nanoseconds and bytes; -1 until measured.
     */
    private volatile long lastCheckpointNs = -1;
    private volatile long lastCheckpointBytes = -1;
    private volatile long lastCommitNs = -1;
    private Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    /**
     * @param sinks the sinks to commit, the query's own first
     * @param storage the checkpoint location, or {@code null} to commit without checkpoints
     * @param restored the checkpoint the query restarts from, or {@code null}: its epoch counts as committed
     * @param maxParallelism the query's number of key groups
     * @param minBatchesToRetain complete checkpoints to keep
     * @param properties written into every checkpoint (run id and the like)
     * @param listener told of commits
     */
    CheckpointCoordinator(List<Sink<?>> sinks, CheckpointStorage storage, Checkpoint restored, int maxParallelism,
                          int minBatchesToRetain, Map<String, String> properties, Listener listener) {
        this.sinks = new ArrayList<>(sinks);
        this.storage = storage;
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        this.minBatchesToRetain = minBatchesToRetain;
        this.properties = new HashMap<>(properties);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.committed = restored == null ? -1 : restored.epochId();
        this.highestEnded = committed;
        this.baseEpoch = committed;
    }

    /**
     * @return how long writing the last checkpoint took, in nanoseconds, or -1 before the first (or
     *     without a checkpoint location); any thread
     */
    long lastCheckpointNs() {
        return lastCheckpointNs;
    }

    /**
     * @return the bytes the last checkpoint wrote (new key-group blocks and operator state; blocks it
     *     reused from earlier checkpoints not counted), or -1 before the first; any thread
     */
    long lastCheckpointBytes() {
        return lastCheckpointBytes;
    }

    /**
     * @return how long the last completion spent in the sinks and the commit log: preparing its epochs
     *     (before the checkpoint) and committing them to every sink, then the commit log (after it),
     *     in nanoseconds, the checkpoint's own time not included; -1 before the first; any thread
     */
    long lastCommitNs() {
        return lastCommitNs;
    }

    /** @return whether epochs write checkpoints */
    boolean checkpointing() {
        return storage != null;
    }

    /** @return the first epoch of this run: the one after the restored checkpoint's, or 0 */
    long firstEpoch() {
        return committed + 1;
    }

    /**
     * Registers a source partition. Called while planning, before any task runs.
     *
     * @param sourceId the source's id in the plan (stable across restarts)
     * @param partition its partition
     * @return the participant
     */
    Participant source(String sourceId, int partition) {
        return register(new Participant(Participant.SOURCE, sourceId, partition, 0));
    }

    /**
     * Registers a partition of a checkpointed operator. Called while planning.
     *
     * @param operatorId the operator's id in the plan (stable across restarts)
     * @param partition its partition
     * @param partitions the stage's partition count
     * @return the participant
     */
    Participant operator(String operatorId, int partition, int partitions) {
        return register(new Participant(Participant.OPERATOR, operatorId, partition, partitions));
    }

    /**
     * Registers a sink writer. Called while planning.
     *
     * @param description the sink, for errors
     * @param writerIndex the writer
     * @return the participant
     */
    Participant writer(String description, int writerIndex) {
        synchronized (lock) {
            writers++;
        }
        return register(new Participant(Participant.WRITER, description, writerIndex, 0));
    }

    private Participant register(Participant participant) {
        synchronized (lock) {
            participants.add(participant);
        }
        return participant;
    }

    /**
     * Sets a property the next checkpoints carry (the micro-batch driver's batch watermark).
     *
     * @param key the name
     * @param value the value
     */
    void property(String key, String value) {
        synchronized (lock) {
            properties.put(key, value);
        }
    }

    /**
     * Adds a sink to commit with the query's (a late-data sink). Called while planning.
     *
     * @param sink the sink
     */
    void addSink(Sink<?> sink) {
        synchronized (lock) {
            sinks.add(sink);
        }
    }

    /** Continuous mode: completes epochs on a thread of its own until {@link #finish}. */
    void start(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the coordinator's thread, or {@code null} in micro-batch mode */
    Thread thread() {
        return thread;
    }

    /**
     * Reports that a participant ended an epoch. For a source, {@code position} is where its reader
     * stands after it ({@code null} without checkpoints or for a source that is not replayable); for an
     * operator, {@code snapshot} is its state after it.
     *
     * @param participant who
     * @param epochId the epoch it ended
     * @param position a source's position, or {@code null}
     * @param snapshot an operator's snapshot, or {@code null}
     */
    void epochEnded(Participant participant, long epochId, byte[] position, OperatorSnapshot snapshot) {
        synchronized (lock) {
            participant.ended = epochId;
            if (position != null || snapshot != null) {
                participant.pending.addLast(new Pending(epochId, position, snapshot));
            }
            if (epochId > highestEnded) {
                highestEnded = epochId;
            }
            if (readyEpoch() > committed) {
                lock.notifyAll();
            }
        }
    }

    /**
     * Reports that a participant finished: its input ended and it will end no more epochs.
     *
     * @param participant who
     */
    void finished(Participant participant) {
        synchronized (lock) {
            if (participant.finished) {
                return;
            }
            participant.finished = true;
            if (participant.kind == Participant.WRITER) {
                writersFinished++;
            }
            lock.notifyAll();
        }
    }

    /**
     * Completes every epoch that is ready, on the calling thread (micro-batch mode, and the last
     * call after the tasks ended).
     *
     * @throws RuntimeException a sink's or the storage's failure
     */
    void completeReady() {
        while (true) {
            long ready;
            synchronized (lock) {
                ready = readyEpoch();
                if (ready <= committed) {
                    reportSinksFinished();
                    return;
                }
            }
            complete(ready);
        }
    }

    /**
     * Stops the coordinator's thread after it completed what is ready, and completes what is left on
     * the calling thread. Called once the query's tasks have ended (or aborted).
     *
     * @param aborted whether the query failed: nothing more is committed
     * @throws InterruptedException if interrupted while joining the thread
     */
    void finish(boolean aborted) throws InterruptedException {
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null && thread != Thread.currentThread()) {
            thread.join();
        }
        if (!aborted && failure == null) {
            completeReady();
        }
        releaseAll();
        if (checkpointsWritten > 0) {
            LOG.log(System.Logger.Level.INFO, "checkpoints to " + storage.location() + ": " + checkpointsWritten
                + " written up to epoch " + committed + ", " + String.format("%.1f", checkpointNsTotal / 1e6 / checkpointsWritten)
                + " ms each on average, " + String.format("%.1f", checkpointNsMax / 1e6) + " ms the longest");
        }
    }

    private void run() {
        try {
            while (true) {
                synchronized (lock) {
                    while (readyEpoch() <= committed && !stopping) {
                        reportSinksFinished();
                        lock.wait();
                    }
                    if (readyEpoch() <= committed) {
                        return;
                    }
                }
                completeReady();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            listener.onFailure(t);
        }
    }

    /** The newest epoch every participant has ended (finished ones count as having ended all). */
    private long readyEpoch() {
        long ready = highestEnded;
        for (int i = 0, n = participants.size(); i < n; i++) {
            Participant p = participants.get(i);
            if (!p.finished && p.ended < ready) {
                ready = p.ended;
            }
        }
        return ready;
    }

    private void reportSinksFinished() {
        if (!sinksFinishedReported && writers > 0 && writersFinished == writers) {
            sinksFinishedReported = true;
            listener.onSinksFinished();
        }
    }

    /**
     * Prepares every epoch up to {@code epochId} in every sink, writes the checkpoint of {@code epochId},
     * then commits every epoch up to it.
     */
    private void complete(long epochId) {
        long prepareStartNs = System.nanoTime();
        for (long epoch = committed + 1; epoch <= epochId; epoch++) {
            for (Sink<?> sink : sinks) {
                prepareCommit(sink, epoch);
            }
        }
        long prepareNs = System.nanoTime() - prepareStartNs;
        if (storage != null) {
            long startNs = System.nanoTime();
            checkpointBytes = 0;
            writeCheckpoint(epochId);
            long tookNs = System.nanoTime() - startNs;
            checkpointsWritten++;
            checkpointNsTotal += tookNs;
            checkpointNsMax = Math.max(checkpointNsMax, tookNs);
            lastCheckpointNs = tookNs;
            lastCheckpointBytes = checkpointBytes;
        }
        long commitStartNs = System.nanoTime();
        for (long epoch = committed + 1; epoch <= epochId; epoch++) {
            for (Sink<?> sink : sinks) {
                commit(sink, epoch);
            }
            if (storage != null && epoch == epochId) {
                storage.commit(epoch);
            }
            if (epoch == epochId) {
                // Before the listener runs, so whoever reads it on this commit's report sees this commit's time.
                lastCommitNs = prepareNs + System.nanoTime() - commitStartNs;
            }
            synchronized (lock) {
                committed = epoch;
            }
            listener.onEpochCommitted(epoch);
        }
        if (storage != null && ++checkpointsSinceRetain >= RETAIN_EVERY) {
            checkpointsSinceRetain = 0;
            storage.retain(minBatchesToRetain);
        }
    }

    private static void prepareCommit(Sink<?> sink, long epochId) {
        try {
            sink.prepareCommit(epochId);
        } catch (Exception e) {
            // Unchecked ones too: the message says which sink and epoch the query failed at, before the checkpoint.
            throw new IllegalStateException("sink " + sink.description() + " failed to prepare epoch " + epochId
                + " for its commit: " + e.getMessage(), e);
        }
    }

    private static void commit(Sink<?> sink, long epochId) {
        try {
            sink.commit(epochId);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("sink " + sink.description() + " failed to commit epoch " + epochId + ": "
                + e.getMessage(), e);
        }
    }

    private void writeCheckpoint(long epochId) {
        CheckpointBuilder builder = storage.begin(epochId);
        boolean done = false;
        try {
            Map<String, String> now;
            synchronized (lock) {
                now = Map.copyOf(properties);
            }
            for (Map.Entry<String, String> property : now.entrySet()) {
                builder.putProperty(property.getKey(), property.getValue());
            }
            builder.putProperty("epochId", Long.toString(epochId));
            List<Participant> all;
            synchronized (lock) {
                all = List.copyOf(participants);
            }
            for (Participant participant : all) {
                Pending state = takeUpTo(participant, epochId);
                if (participant.kind == Participant.SOURCE && state != null && state.position != null) {
                    builder.putSourcePosition(participant.id, participant.partition, state.position);
                } else if (participant.kind == Participant.OPERATOR) {
                    writeOperator(builder, participant, state);
                }
            }
            builder.complete();
            baseEpoch = epochId;
            done = true;
        } finally {
            if (!done) {
                builder.abort();
                // The signatures may describe blocks that never became durable.
                previousBlocks.clear();
            }
        }
    }

    private void writeOperator(CheckpointBuilder builder, Participant participant, Pending state) {
        if (state == null || state.snapshot == null) {
            throw new IllegalStateException("operator " + participant.id + " partition " + participant.partition
                + " reported no snapshot for the checkpoint");
        }
        builder.putProperty("partitions." + participant.id, Integer.toString(participant.partitions));
        if (state.written) {
            // A finished operator: the same state again, from the blocks already stored.
            rewrite(builder, participant);
            return;
        }
        state.written = true;
        KeyGroupRange range = KeyGroups.rangeOf(participant.partition, maxParallelism, participant.partitions);
        CheckpointKeyGroupWriter writer = participant.writer;
        if (writer == null || !writer.range().equals(range)) {
            writer = new CheckpointKeyGroupWriter(maxParallelism, range);
            participant.writer = writer;
        }
        writer.begin(builder.epochId(), baseEpoch >= 0 ? baseEpoch : KeyGroupWriter.NO_SNAPSHOT);
        state.snapshot.writeTo(writer);
        long[] previous = previousBlocks.computeIfAbsent(participant.id, id -> newBlockTable());
        for (int g = range.start(); g < range.end(); g++) {
            if (writer.kept(g)) {
                if (!builder.reuseKeyGroup(participant.id, g)) {
                    throw new IllegalStateException("operator " + participant.id + " partition " + participant.partition
                        + " kept key group " + g + " in the checkpoint of epoch " + builder.epochId()
                        + ", but the base checkpoint of epoch " + baseEpoch + " holds nothing for it");
                }
                continue;
            }
            SnapshotOutput out = writer.written(g);
            if (out == null || out.length() == 0) {
                previous[g] = -1;
                continue;
            }
            crc.reset();
            crc.update(out.buffer(), 0, out.length());
            long signature = ((long) out.length() << 32) | crc.getValue();
            if (previous[g] == signature && builder.reuseKeyGroup(participant.id, g)) {
                continue;
            }
            builder.putKeyGroup(participant.id, g, out.buffer(), 0, out.length());
            checkpointBytes += out.length();
            previous[g] = signature;
        }
        SnapshotOutput operatorState = writer.operatorState();
        if (operatorState.length() > 0) {
            builder.putOperatorState(participant.id, participant.partition, operatorState.toByteArray());
            checkpointBytes += operatorState.length();
        }
    }

    /**
     * A finished operator's state again: every key group of its range as the base (the previous
     * checkpoint, which holds its last write) has it, and its last operator state.
     */
    private void rewrite(CheckpointBuilder builder, Participant participant) {
        KeyGroupRange range = participant.writer.range();
        for (int g = range.start(); g < range.end(); g++) {
            builder.reuseKeyGroup(participant.id, g);
        }
        SnapshotOutput operatorState = participant.writer.operatorState();
        if (operatorState.length() > 0) {
            builder.putOperatorState(participant.id, participant.partition, operatorState.toByteArray());
        }
    }

    private long[] newBlockTable() {
        long[] table = new long[maxParallelism];
        Arrays.fill(table, -1);
        return table;
    }

    /**
     * The state a participant reported for the newest epoch at or below {@code epochId}, or, when it
     * reported none since the last checkpoint (it finished), the one written last. Superseded
     * snapshots are released unwritten.
     */
    private Pending takeUpTo(Participant participant, long epochId) {
        synchronized (lock) {
            Pending newest = null;
            while (!participant.pending.isEmpty() && participant.pending.peekFirst().epochId <= epochId) {
                Pending next = participant.pending.pollFirst();
                if (newest != null && newest.snapshot != null) {
                    newest.snapshot.release();
                }
                newest = next;
            }
            if (newest == null) {
                return participant.last;
            }
            if (participant.last != null && participant.last.snapshot != null) {
                participant.last.snapshot.release();
            }
            participant.last = newest;
            return newest;
        }
    }

    private void releaseAll() {
        synchronized (lock) {
            for (Participant participant : participants) {
                for (Pending pending : participant.pending) {
                    if (pending.snapshot != null) {
                        pending.snapshot.release();
                    }
                }
                participant.pending.clear();
            }
        }
    }

    /** One reporting task: a source partition, an operator partition or a sink writer. */
    static final class Participant {
        static final int SOURCE = 0;
        static final int OPERATOR = 1;
        static final int WRITER = 2;

        final int kind;
        final String id;
        final int partition;
        final int partitions;
        /** Guarded by the coordinator's lock. */
        long ended = -1;
        /** Guarded by the coordinator's lock. */
        boolean finished;
        /** Reported states not yet written, oldest first. Guarded by the coordinator's lock. */
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        /** The newest state written: stands for a finished participant. */
        Pending last;
        /** What an operator partition's snapshots are written into, reused. */
        CheckpointKeyGroupWriter writer;

        Participant(int kind, String id, int partition, int partitions) {
            this.kind = kind;
            this.id = id;
            this.partition = partition;
            this.partitions = partitions;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case SOURCE -> "source " + id + "/" + partition;
                case OPERATOR -> "operator " + id + "/" + partition;
                default -> "writer " + partition + " of " + id;
            };
        }
    }

    /** A participant's state at the end of one epoch. */
    private static final class Pending {
        final long epochId;
        final byte[] position;
        final OperatorSnapshot snapshot;
        /** Whether the snapshot was written (it may be written once). Coordinator thread only. */
        boolean written;

        Pending(long epochId, byte[] position, OperatorSnapshot snapshot) {
            this.epochId = epochId;
            this.position = position;
            this.snapshot = snapshot;
        }
    }
}
