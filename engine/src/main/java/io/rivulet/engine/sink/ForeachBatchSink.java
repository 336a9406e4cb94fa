package io.rivulet.engine.sink;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Calls a {@link BatchFunction} with each committed epoch's rows (Spark's {@code foreachBatch}).
 * Epochs without rows are skipped. The rows of an epoch are held in memory until it commits.
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
        claim.claim(description(), queryName);
        buffer = new EpochBuffer<>(numWriters, Integer.MAX_VALUE);
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return buffer.writer(writerIndex);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void commit(long epochId) throws Exception {
        List<T> rows = buffer.take(epochId, Integer.MAX_VALUE).rows();
        if (!rows.isEmpty()) {
            ((BatchFunction<T>) function).call(Collections.unmodifiableList(rows), epochId);
        }
    }

    @Override
    public void close() {
        claim.release();
    }
}
