package io.rivulet.engine;

import io.rivulet.operators.KeyValue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the per-key state of one named stateful operator of a running query (queryable state, Kafka
 * Streams' interactive queries), from any thread, without blocking the query's data path.
 *
 * <h2>How a read is served</h2>
 * A read is put on a lock-free queue of the partition that owns the key (its key group); the thread
 * that owns that partition answers it between two records, once per duty cycle, and hands back a copy.
 * A scan goes to every partition and merges their answers. So a read is consistent per partition: it
 * sees that partition's state as of one record boundary, with every record it processed before the
 * read and none after. Scans of several partitions are each consistent, not a snapshot across them.
 *
 * <h2>Staleness</h2>
 * A read waits for at most one duty cycle of the owning thread: in continuous mode at most
 * {@code 1024} records per input of the partition (plus the idle strategy's pause when it is idle, or
 * the wait while a full downstream ring pushes back); in micro-batch mode, until the batch in progress
 * ends (reads are answered between batches). Records still in the rings before the partition are not
 * reflected yet. See {@code docs/guarantees.md}.
 *
 * <h2>Failures</h2>
 * The blocking methods wait for the handle's {@linkplain #withTimeout timeout} (10 s by default) and
 * throw {@link QueryableStateException} when it passes, when the query has ended (stopped, failed or
 * finished: its state is no longer readable), or when too many reads are pending on a partition.
 * The asynchronous ones complete exceptionally with that exception.
 *
 * <p>Thread-safe. Obtained from {@link StreamingQuery#state(String)}; valid for the query's life (for
 * a restarting query, each read goes to the run in progress).
 *
 * @param <K> the operator's key type ({@code Integer} position for {@code orderBy(..).limit(n)}, the
 *     ranked key for top-N)
 * @param <V> the type of a key's value, per operator as listed at {@link Stream#queryableAs(String)}:
 *     e.g. the aggregate's result for {@code aggregate} and {@code count}, the reduced record for
 *     {@code reduce}
 */
public interface QueryableState<K, V> {
    /**
     * @return the operator's name, as given to {@link Stream#queryableAs(String)}
     */
    String operatorName();

    /**
     * Reads one key's current value.
     *
     * @param key the key; never {@code null}
     * @return a copy of the value, or empty if the key holds no state
     * @throws QueryableStateException if the read times out, the query has ended or the partition is busy
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    Optional<V> get(K key) throws InterruptedException;

    /**
     * Reads one key's current value without waiting.
     *
     * @param key the key; never {@code null}
     * @return completes with a copy of the value, or empty if the key holds no state
     */
    CompletableFuture<Optional<V>> getAsync(K key);

    /**
     * Reads every key's current value.
     *
     * @return copies of every key's value: sorted by key when the keys are {@link Comparable}, else in
     *     an unspecified order
     * @throws QueryableStateException if the read times out, the query has ended or a partition is busy
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    List<KeyValue<K, V>> scan() throws InterruptedException;

    /**
     * Reads the values of the keys in {@code [from, to)}, for keys of a {@link Comparable} type.
     *
     * @param from the lowest key read (inclusive); never {@code null}
     * @param to the key above the highest key read (exclusive); never {@code null}, not below {@code from}
     * @return copies of the values, sorted by key
     * @throws IllegalArgumentException if {@code from} is not {@link Comparable} or is above {@code to}
     * @throws QueryableStateException if the read times out, the query has ended or a partition is busy
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    List<KeyValue<K, V>> scan(K from, K to) throws InterruptedException;

    /**
     * Reads every key's current value without waiting.
     *
     * @return completes with what {@link #scan()} returns
     */
    CompletableFuture<List<KeyValue<K, V>>> scanAsync();

    /**
     * Reads the keys in {@code [from, to)} without waiting.
     *
     * @param from the lowest key read (inclusive)
     * @param to the key above the highest key read (exclusive)
     * @return completes with what {@link #scan(Object, Object)} returns
     * @throws IllegalArgumentException if {@code from} is not {@link Comparable} or is above {@code to}
     */
    CompletableFuture<List<KeyValue<K, V>>> scanAsync(K from, K to);

    /**
     * @param timeout how long the blocking reads wait; positive
     * @return a handle on the same operator whose blocking reads wait at most {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    QueryableState<K, V> withTimeout(Duration timeout);
}
