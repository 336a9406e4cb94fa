package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps every committed row in an in-memory table that can be read while the query runs: Spark's
 * {@code memory} sink, for tests and interactive use. Rows become visible when their epoch commits,
 * all of an epoch at once; in complete mode each epoch's result table replaces the previous one;
 * in update mode an epoch holds each result key once, with its last value in the epoch.
 * In append and update modes the table grows without bound: not for long-running queries.
 *
 * <p>Thread-safe: {@link #rows()} may be called from any thread at any time. One query at a time
 * writes to the table (a second concurrent query fails to start); a later query appends to it.
 *
 * @param <T> record type
 */
public final class MemorySink<T> implements Sink<T> {
    private final String tableName;
    private final List<T> table = new ArrayList<>();
    private final QueryClaim claim = new QueryClaim();
    private boolean replaceOnCommit;
    private EpochBuffer<T> buffer;
    /** The previous run's buffer, for {@link #recover}: epochs it staged but did not commit. */
    private EpochBuffer<T> previousRun;
    /** The newest epoch committed, across runs in this JVM. */
    private long committedThrough = -1;

    MemorySink(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        if (tableName.isBlank()) {
            throw new IllegalArgumentException("memory sink table name must not be blank");
        }
        this.tableName = tableName;
    }

    /**
     * @return the table's name
     */
    public String tableName() {
        return tableName;
    }

    /**
     * @return a snapshot of the committed rows, in commit order
     */
    public synchronized List<T> rows() {
        return List.copyOf(table);
    }

    /**
     * @return how many rows are committed
     */
    public synchronized int size() {
        return table.size();
    }

    @Override
    public String description() {
        return "memory[" + tableName + "]";
    }

    /**
     * @throws IllegalStateException if another query is writing to this table
     */
    @Override
    public void open(String queryName, int numWriters) {
        open(queryName, numWriters, OutputMode.APPEND);
    }

    /**
     * In complete mode each committed epoch replaces the table (it holds the latest result table, as
     * Spark's memory sink does); otherwise committed rows are appended. In update mode an epoch adds
     * one row per result key (a {@code KeyValue}'s key, a {@code WindowedValue}'s key and window),
     * its last value in the epoch, as a Spark batch would; {@code foreach}/{@code foreachBatch} keep
     * every change instead.
     *
     * @throws IllegalStateException if another query is writing to this table
     */
    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode) {
        claim.claim(description(), queryName);
        previousRun = buffer;
        buffer = new EpochBuffer<>(numWriters, Integer.MAX_VALUE, outputMode == OutputMode.UPDATE);
        replaceOnCommit = outputMode == OutputMode.COMPLETE;
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return buffer.writer(writerIndex);
    }

    @Override
    public void commit(long epochId) {
        publish(buffer, epochId);
    }

    private void publish(EpochBuffer<T> from, long epochId) {
        List<T> rows = from.take(epochId, Integer.MAX_VALUE).rows();
        synchronized (this) {
            if (replaceOnCommit) {
                table.clear();
            }
            table.addAll(rows);
            committedThrough = Math.max(committedThrough, epochId);
        }
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
