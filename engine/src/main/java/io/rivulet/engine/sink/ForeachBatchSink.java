package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Calls a {@link BatchFunction} with each committed epoch's rows (Spark's {@code foreachBatch}).
 * In micro-batch mode it is called for every batch the query runs, as Spark calls it: a batch
 * without rows too (a no-data batch, run because the watermark moved for a stateful operator, or a
 * data batch whose rows were all filtered out), with an empty list; the query runs no batch when
 * there is no new data and nothing to advance, so the function is not called then either. In
 * continuous mode (which Spark's {@code foreachBatch} does not support) epochs are checkpoint
 * intervals, not batches: only epochs with rows are passed. The rows of an epoch are held in
 * memory until it commits.
 *
 * <p>Thread-safe per the {@link Sink} contract; one query at a time writes through an instance (a
 * second concurrent query fails to start).
 *
 * @param <T> record type
 */
public final class ForeachBatchSink<T> implements Sink<T> {
    private final BatchFunction<? super T> function;
    private final QueryClaim claim = new QueryClaim();
    private EpochBuffer<T> buffer;
    /** The previous run's buffer, for {@link #recover}: epochs it staged but did not commit. */
    private EpochBuffer<T> previousRun;
    /** The newest epoch committed, across runs in this JVM. */
    private long committedThrough = -1;
    /** Whether each epoch is a micro-batch: then an epoch without rows is passed too. */
    private boolean everyEpoch;

    ForeachBatchSink(BatchFunction<? super T> function) {
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    public String description() {
        return "foreachBatch";
    }

    /**
     * @throws IllegalStateException if another query is writing through this sink
     */
    @Override
    public void open(String queryName, int numWriters) {
        open(queryName, numWriters, OutputMode.APPEND, false);
    }

    /**
     * @param microBatch whether each epoch is a micro-batch: the function then gets every epoch, empty ones included
     * @throws IllegalStateException if another query is writing through this sink
     */
    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode, boolean microBatch) {
        claim.claim(description(), queryName);
        everyEpoch = microBatch;
        previousRun = buffer;
        buffer = new EpochBuffer<>(numWriters, Integer.MAX_VALUE);
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return buffer.writer(writerIndex);
    }

    @Override
    public void commit(long epochId) throws Exception {
        publish(buffer, epochId);
    }

    @SuppressWarnings("unchecked")
    private void publish(EpochBuffer<T> from, long epochId) throws Exception {
        List<T> rows = from.take(epochId, Integer.MAX_VALUE).rows();
        if (everyEpoch || !rows.isEmpty()) {
            ((BatchFunction<T>) function).call(Collections.unmodifiableList(rows), epochId);
        }
        committedThrough = Math.max(committedThrough, epochId);
    }

    /** Exactly once with a checkpoint location: rows become visible when their epoch commits. */
    @Override
    public Delivery delivery() {
        return Delivery.EXACTLY_ONCE;
    }

    /**
     * Commits what the previous run in this JVM staged for epochs the restored checkpoint covers and
     * did not commit (the same epoch ids with the same rows); drops the rest. After a restart in a new
     * JVM there is nothing staged: this sink keeps nothing on disk.
     */
    @Override
    public void recover(long checkpointedEpoch, long lastCommittedEpoch) throws Exception {
        EpochBuffer<T> staged = previousRun;
        previousRun = null;
        if (staged == null) {
            return;
        }
        staged.recover(committedThrough, checkpointedEpoch, epoch -> publish(staged, epoch));
    }

    @Override
    public void close() {
        claim.release();
    }
}
