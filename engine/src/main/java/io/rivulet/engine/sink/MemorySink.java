package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps every committed row in an in-memory table that can be read while the query runs: Spark's
 * {@code memory} sink, for tests and interactive use. Rows become visible when their epoch commits,
 * all of an epoch at once; in complete mode each epoch's result table replaces the previous one.
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
     * Spark's memory sink does); otherwise committed rows are appended.
     *
     * @throws IllegalStateException if another query is writing to this table
     */
    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode) {
        claim.claim(description(), queryName);
        buffer = new EpochBuffer<>(numWriters, Integer.MAX_VALUE);
        replaceOnCommit = outputMode == OutputMode.COMPLETE;
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return buffer.writer(writerIndex);
    }

    @Override
    public void commit(long epochId) {
        List<T> rows = buffer.take(epochId, Integer.MAX_VALUE).rows();
        synchronized (this) {
            if (replaceOnCommit) {
                table.clear();
            }
            table.addAll(rows);
        }
    }

    @Override
    public void close() {
        claim.release();
    }
}
