package io.rivulet.engine.runtime;

import io.rivulet.engine.QueryableStateException;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.QueryableOperator;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * One partition's queue of queryable-state reads: any thread offers a read, the thread that owns the
 * partition's operator answers it between two records ({@link #answer}, once per duty cycle).
 *
 * <pre>
 *   caller threads --offer--> [ManyToOneConcurrentArrayQueue] --answer (owner, per cycle)--> operator
 *        ^                                                                      |
 *        +------------------- CompletableFuture (a copy of the value) <---------+
 * </pre>
 *
 * <p>An empty queue costs the owner one volatile read per cycle. Bounded: a read offered to a full
 * queue fails at once (backpressure as a value, never a wait on the data path). Once the query has
 * ended ({@link #close}), every pending and later read fails naming the reason.
 *
 * <p>Thread-safe: many offering threads, one answering thread (the owner), and {@link #close} after
 * the owner has ended.
 */
final class StateReadInbox {
    /** Reads that may wait on one partition. */
    static final int CAPACITY = 1024;
    /** Reads answered per duty cycle at most: a burst of reads delays records by a bounded amount. */
    static final int READS_PER_CYCLE = 64;

    private final ManyToOneConcurrentArrayQueue<Read> pending = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final QueryableOperator<Object, Object> operator;
    private final String operatorName;
    private final int partition;
    private volatile String closedReason;

    /**
     * @param operator the partition's operator
     * @param operatorName its queryable name, for errors
     * @param partition the partition it runs, for errors
     */
    @SuppressWarnings("unchecked")
    StateReadInbox(QueryableOperator<?, ?> operator, String operatorName, int partition) {
        this.operator = (QueryableOperator<Object, Object>) operator;
        this.operatorName = operatorName;
        this.partition = partition;
    }

    /**
     * Queues a read of one key. Any thread.
     *
     * @param key the key
     * @return completes with a copy of the value, or {@code null} if the key holds no state
     */
    CompletableFuture<Object> get(Object key) {
        return offer(new Read(key, null));
    }

    /**
     * Queues a read of every key {@code keys} accepts. Any thread.
     *
     * @param keys which keys to read
     * @return completes with the keys and copies of their values, unordered
     */
    CompletableFuture<List<KeyValue<Object, Object>>> scan(Predicate<Object> keys) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<List<KeyValue<Object, Object>>> result = (CompletableFuture) offer(new Read(null, keys));
        return result;
    }

    private CompletableFuture<Object> offer(Read read) {
        String reason = closedReason;
        if (reason != null) {
            read.result.completeExceptionally(ended(reason));
            return read.result;
        }
        if (!pending.offer(read)) {
            read.result.completeExceptionally(new QueryableStateException("cannot read state of '" + operatorName
                + "': " + CAPACITY + " reads are already pending on partition " + partition + "; retry later"));
            return read.result;
        }
        if (closedReason != null) {
            failPending(); // the query ended while this read was offered: nobody else will answer it
        }
        return read.result;
    }

    /**
     * Answers the pending reads, at most {@link #READS_PER_CYCLE}. Owner thread, between two records.
     *
     * @return the number of reads answered
     */
    int answer() {
        int answered = 0;
        Read read;
        while (answered < READS_PER_CYCLE && (read = pending.poll()) != null) {
            answered++;
            answerSlowPath(read);
        }
        return answered;
    }

    private void answerSlowPath(Read read) {
        try {
            if (read.keys == null) {
                read.result.complete(operator.queryValue(read.key));
            } else {
                List<KeyValue<Object, Object>> rows = new ArrayList<>();
                operator.scanValues(read.keys, (key, value) -> rows.add(new KeyValue<>(key, value)));
                read.result.complete(rows);
            }
        } catch (RuntimeException e) {
            // A failed read (a codec's copy, a key of the wrong type) fails the reader, never the query.
            read.result.completeExceptionally(new QueryableStateException("reading state of '" + operatorName
                + "' on partition " + partition + " failed: " + e, e));
        }
    }

    /**
     * The query has ended: fails every pending and later read. Called once the owner thread has ended.
     *
     * @param reason why the state is no longer readable
     */
    void close(String reason) {
        closedReason = reason;
        failPending();
    }

    private synchronized void failPending() {
        Read read;
        while ((read = pending.poll()) != null) {
            read.result.completeExceptionally(ended(closedReason));
        }
    }

    private QueryableStateException ended(String reason) {
        return new QueryableStateException("cannot read state of '" + operatorName + "': " + reason);
    }

    /** One read: of {@code key}, or of the keys {@code keys} accepts. */
    private static final class Read {
        final Object key;
        final Predicate<Object> keys;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Read(Object key, Predicate<Object> keys) {
            this.key = key;
            this.keys = keys;
        }
    }
}
