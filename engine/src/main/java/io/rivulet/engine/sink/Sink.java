package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;

/**
 * A destination for a query's records.
 *
 * <p>The runtime calls {@link #open} once when the query starts, {@link #createWriter} once per
 * writer, {@link #prepareCommit} and then {@link #commit} once per epoch after every writer has ended
 * it (in epoch order, never concurrently; the epoch's checkpoint is written between the two), and
 * {@link #close} once when the query ends. Those calls may come from different threads; the runtime
 * orders them with happens-before edges, so a sink needs no locking of its own for state it touches
 * only in these callbacks.
 *
 * @param <T> record type
 */
public interface Sink<T> {
    /**
     * Short description for progress reports and errors, e.g. {@code console[numRows=20]}.
     *
     * @return the description
     */
    String description();

    /**
     * Prepares the sink for a query. A failure fails the query's start.
     *
     * @param queryName the query's name
     * @param numWriters how many writers will be created
     * @throws Exception when the sink cannot be used
     */
    default void open(String queryName, int numWriters) throws Exception {
    }

    /**
     * Prepares the sink for a query with the query's output mode. By default it calls {@link #open(String, int)}: override it when the mode changes what the sink
     * does (a memory table in complete mode holds only the latest result table).
     *
     * @param queryName the query's name
     * @param numWriters how many writers will be created
     * @param outputMode the query's output mode
     * @throws Exception when the sink cannot be used
     */
    default void open(String queryName, int numWriters, OutputMode outputMode) throws Exception {
        open(queryName, numWriters);
    }

    /**
     * Prepares the sink for a query with its output mode and how it runs; the runtime calls this
     * one. By default it calls {@link #open(String, int, io.rivulet.operators.OutputMode)}: override
     * it when micro-batches change what the sink does (the console prints every micro-batch, empty
     * ones included, as Spark does, but only the continuous epochs that have rows).
     *
     * @param queryName the query's name
     * @param numWriters how many writers will be created
     * @param outputMode the query's output mode
     * @param microBatch whether each epoch is a micro-batch (one Spark would run), not a continuous epoch
     * @throws Exception when the sink cannot be used
     */
    default void open(String queryName, int numWriters, OutputMode outputMode, boolean microBatch)
        throws Exception {
        open(queryName, numWriters, outputMode);
    }

    /**
     * Creates the writer used by one task of the query's last stage.
     *
     * @param writerIndex from 0 to {@code numWriters - 1}
     * @return the writer, owned by that task's thread
     */
    SinkWriter<T> createWriter(int writerIndex);

    /**
     * Makes durable what the writers handed over for epoch {@code epochId} (the first phase of the
     * epoch's commit; Flink calls it pre-commit). Called on the thread that completes epochs (the
     * query's checkpoint thread, or the micro-batch driver), once every writer of this sink has ended
     * {@code epochId}, and before the checkpoint that covers the epoch is written: a checkpoint never
     * covers an epoch whose output this call did not make durable, which is what lets {@link #recover}
     * commit the output of the epochs a checkpoint covers. When several epochs complete together (one
     * checkpoint, of the newest, covers them all), it is called for each of them in epoch order before
     * that checkpoint is written, and before any of them is {@linkplain #commit committed}. Called
     * without a checkpoint location too, before each commit.
     *
     * <p>A sink that stages output for {@link #commit} forces it to disk here, so that its writers'
     * {@code endEpoch} only hands it over (written to the operating system, not forced) and no data
     * thread waits for the disk. Does nothing by default.
     *
     * @param epochId the epoch every writer has ended
     * @throws Exception fails the query: no checkpoint covering the epoch is written, nothing commits
     */
    default void prepareCommit(long epochId) throws Exception {
    }

    /**
     * Makes epoch {@code epochId} final: every writer has ended it, {@link #prepareCommit} has returned
     * for it and its checkpoint (with a checkpoint location) is durable. Called in epoch order.
     *
     * @param epochId the epoch to commit
     * @throws Exception fails the query
     */
    default void commit(long epochId) throws Exception {
    }

    /**
     * Releases the sink after the last commit. Called once.
     *
     * @throws Exception reported, but does not hide an earlier failure
     */
    default void close() throws Exception {
    }

    /**
     * What this sink promises across failures and restarts (with a checkpoint location; without one,
     * a restart starts over and no sink can promise more than at-least-once).
     *
     * @return {@link Delivery#AT_LEAST_ONCE} unless the sink stages and commits per epoch
     */
    default Delivery delivery() {
        return Delivery.AT_LEAST_ONCE;
    }

    /**
     * Whether a query writing here must have a checkpoint location (the file sink does, as in Spark:
     * without one it could not tell its committed files from a crashed run's). Checked at start.
     *
     * @return {@code false} unless the sink needs one
     */
    default boolean requiresCheckpointLocation() {
        return false;
    }

    /**
     * Called once when a query restarts from the checkpoint of epoch {@code checkpointedEpoch}, after
     * {@link #open} and before any writer is created. The commit log says the sink committed every
     * epoch up to {@code lastCommittedEpoch}. Epochs after that, up to {@code checkpointedEpoch}, were
     * ended by every writer and are covered by the checkpoint, but the failure may have come before or
     * after the sink committed them: an exactly-once sink commits those it still holds staged output
     * for, unless it already did (it recognises its own commits). Output staged for epochs after
     * {@code checkpointedEpoch} is discarded: the restarted query produces it again.
     *
     * @param checkpointedEpoch the epoch of the checkpoint the query restarts from
     * @param lastCommittedEpoch the newest epoch in the commit log, or -1
     * @throws Exception fails the start
     */
    default void recover(long checkpointedEpoch, long lastCommittedEpoch) throws Exception {
    }
}
