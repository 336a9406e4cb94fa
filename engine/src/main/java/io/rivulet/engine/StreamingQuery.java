package io.rivulet.engine;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A handle on a running (or ended) query: Rivulet's {@code StreamingQuery}.
 *
 * <p>Thread-safe. A query is active from {@code start()} until its input ends, it is stopped, or it
 * fails; then its threads are gone and its sink is closed.
 */
public interface StreamingQuery {
    /**
     * @return the query's id
     */
    UUID id();

    /**
     * @return the id of this run
     */
    UUID runId();

    /**
     * @return the query's name, unique among the engine's active queries
     */
    String name();

    /**
     * @return whether the query is still running
     */
    boolean isActive();

    /**
     * Waits until the query ends.
     *
     * @throws StreamingQueryException if it failed
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void awaitTermination() throws InterruptedException;

    /**
     * Waits until the query ends or the timeout passes, at any input rate: returns within the
     * timeout (plus at most 100 ms to join the threads of a query that has just ended).
     *
     * @param timeoutMs how long to wait, in milliseconds
     * @return whether the query has ended
     * @throws StreamingQueryException if it failed
     * @throws InterruptedException if the waiting thread is interrupted
     */
    boolean awaitTermination(long timeoutMs) throws InterruptedException;

    /**
     * Waits until every record available in the sources when called has been processed and
     * committed (Spark's {@code processAllAvailable}). In micro-batch mode the driver runs batches
     * at once, whatever the trigger, including the no-data batches the watermark calls for. In
     * continuous mode it waits until two epochs in a row commit without new input. For tests.
     *
     * @throws StreamingQueryException if the query failed
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if called from one of the query's own threads
     */
    void processAllAvailable() throws InterruptedException;

    /**
     * Stops the query: sources stop reading, what was read is processed and committed, threads end.
     * Open state (windows, sessions) is not emitted: a restart from the checkpoint resumes it.
     * Waits for that unless called from one of the query's own threads (e.g. from a sink). Bounded
     * at any input rate: returns within the stop timeout plus 2 s. If the drain takes longer than
     * the stop timeout, the query is aborted instead and the epoch in progress is discarded (the
     * sink holds whole committed epochs only); threads still running 1 s later are interrupted, and
     * after one more second this returns regardless. Does nothing if the query has ended.
     */
    void stop();

    /**
     * @return the failure that ended the query, if it failed
     */
    Optional<StreamingQueryException> exception();

    /**
     * @return the progress of the last committed epoch, or {@code null} before the first commit; its
     *     {@link QueryProgress#json()} is Spark's {@code lastProgress.json}
     */
    QueryProgress lastProgress();

    /**
     * What the query is doing now (Spark's {@code status}): cheap, reads two volatile fields.
     *
     * @return the query's status; {@link QueryStatus#STOPPED} once it has ended
     */
    QueryStatus status();

    /**
     * Reads the state of a stateful operator named with {@link Stream#queryableAs(String)} while the
     * query runs (queryable state): a key's value or a scan of keys, answered between two records by
     * the thread that owns the key's partition, never blocking it. See {@link QueryableState} for the
     * consistency and staleness bound.
     *
     * @param operatorName the operator's name
     * @param <K> the operator's key type (not checked: the caller states it)
     * @param <V> the type of a key's value (see {@link QueryableState})
     * @return a reader of the operator's state, valid for the query's life
     * @throws IllegalArgumentException if no operator of the query has that name (the message lists
     *     the names it has)
     */
    <K, V> QueryableState<K, V> state(String operatorName);

    /**
     * The progress reports the query keeps (Spark's {@code recentProgress}): the last
     * {@code numRecentProgressUpdates} (default 100, Spark's {@code spark.sql.streaming.numRecentProgressUpdates};
     * set it with {@link DataStreamWriter#numRecentProgressUpdates(int)}), oldest first. A copy: later
     * reports do not change the returned list. A restarted query reports its current run's.
     *
     * @return the progress of up to the last {@code numRecentProgressUpdates} reports, oldest first
     */
    List<QueryProgress> recentProgress();

    /**
     * @return a copy of the end-to-end latency histogram (nanoseconds) of every row written since
     *     the query started
     */
    Histogram latencyHistogram();
}
