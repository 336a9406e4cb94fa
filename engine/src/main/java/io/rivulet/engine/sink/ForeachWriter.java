package io.rivulet.engine.sink;

/**
 * User code that writes rows one by one: Spark's {@code ForeachWriter}. One instance (from the
 * factory given to {@link Sinks#foreach}) serves one writer of the query's last stage.
 *
 * <p>For each partition and each epoch that has rows: {@link #open} once, {@link #process} for each
 * row unless {@code open} returned {@code false}, then {@link #close} with {@code null}, or with the
 * error if processing failed (the query then fails with that error). As in Spark, {@code close}
 * follows every {@code open} that returned, whatever it returned, and only those: if {@code open}
 * throws, the query fails without a {@code close}. If the query is aborted in the middle of an
 * epoch, {@code close} gets an {@link IllegalStateException} saying so. Not thread-safe; called by
 * one task thread.
 *
 * @param <T> record type
 */
public interface ForeachWriter<T> {
    /**
     * Starts an epoch's rows on a partition.
     *
     * @param partitionId the writer's index
     * @param epochId the epoch
     * @return whether to process the epoch's rows (false skips them, e.g. already written)
     * @throws Exception fails the query
     */
    boolean open(long partitionId, long epochId) throws Exception;

    /**
     * Writes one row.
     *
     * @param value the row
     * @throws Exception fails the query
     */
    void process(T value) throws Exception;

    /**
     * Ends the epoch's rows on the partition.
     *
     * @param errorOrNull the error that stopped processing, or {@code null}
     * @throws Exception fails the query
     */
    void close(Throwable errorOrNull) throws Exception;
}
