package io.rivulet.engine.runtime;

import io.rivulet.engine.QueryableState;
import io.rivulet.engine.QueryableStateException;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.state.KeyGroups;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The query's queryable operators by name, and the readers ({@link QueryableState}) that route a read
 * to the partition owning the key's key group (the exchange's own routing) or, for a scan, to every
 * partition, merging their answers.
 *
 * <p>Filled by the planner on the thread that starts the query, then read-only; {@link #close} once
 * the query has ended. Thread-safe after planning.
 */
final class QueryableStages {
    /** How long a blocking read waits unless the handle says otherwise. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String queryName;
    private final Map<String, Stage> stages = new LinkedHashMap<>();

    /**
     * @param queryName the query's name, for errors
     */
    QueryableStages(String queryName) {
        this.queryName = queryName;
    }

    /**
     * Registers one partition of a queryable operator. Planner thread.
     *
     * @param name the operator's queryable name
     * @param node identifies the plan node, so that two nodes with one name are refused
     * @param partition the partition
     * @param partitions the stage's partition count
     * @param maxParallelism the query's key-group count
     * @param inbox the partition's read queue
     * @throws IllegalArgumentException if another node already uses {@code name}
     */
    void add(String name, Object node, int partition, int partitions, int maxParallelism, StateReadInbox inbox) {
        Stage stage = stages.get(name);
        if (stage == null) {
            stage = new Stage(name, node, KeyGroups.partitionTable(maxParallelism, partitions), new StateReadInbox[partitions]);
            stages.put(name, stage);
        } else if (stage.node != node) {
            throw new IllegalArgumentException("queryable operator name '" + name + "' is used by two operators of query '"
                + queryName + "'; each name must be unique in a query");
        }
        stage.inboxes[partition] = inbox;
    }

    /**
     * @return whether any operator is queryable
     */
    boolean isEmpty() {
        return stages.isEmpty();
    }

    /**
     * @param name an operator's queryable name
     * @return a reader of its state
     * @throws IllegalArgumentException if no operator has that name (the message lists the names)
     */
    <K, V> QueryableState<K, V> reader(String name) {
        Objects.requireNonNull(name, "operatorName");
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new IllegalArgumentException("query '" + queryName + "' has no queryable operator named '" + name
                + "'; its queryable operators are " + stages.keySet()
                + " (name one with Stream.queryableAs(name) on the stream a stateful operator returns)");
        }
        return new Reader<>(stage, DEFAULT_TIMEOUT.toNanos());
    }

    /**
     * The query has ended: every pending and later read fails. Any thread, after the query's threads ended.
     *
     * @param reason why, for the readers' errors
     */
    void close(String reason) {
        for (Stage stage : stages.values()) {
            for (StateReadInbox inbox : stage.inboxes) {
                if (inbox != null) {
                    inbox.close(reason);
                }
            }
        }
    }

    /** One queryable operator: its partitions' read queues and the key-group routing table. */
    private record Stage(String name, Object node, int[] partitionByKeyGroup, StateReadInbox[] inboxes) {
    }

    /** A reader of one operator's state. Thread-safe, immutable. */
    private static final class Reader<K, V> implements QueryableState<K, V> {
        private final Stage stage;
        private final long timeoutNs;

        Reader(Stage stage, long timeoutNs) {
            this.stage = stage;
            this.timeoutNs = timeoutNs;
        }

        @Override
        public String operatorName() {
            return stage.name;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletableFuture<Optional<V>> getAsync(K key) {
            Objects.requireNonNull(key, "key");
            int partition = ExchangeLink.partitionOf(key, stage.partitionByKeyGroup, stage.inboxes.length);
            return stage.inboxes[partition].get(key).thenApply(value -> Optional.ofNullable((V) value));
        }

        @Override
        public Optional<V> get(K key) throws InterruptedException {
            return await(getAsync(key));
        }

        @Override
        public CompletableFuture<List<KeyValue<K, V>>> scanAsync() {
            return scanAsync(key -> true);
        }

        @Override
        public CompletableFuture<List<KeyValue<K, V>>> scanAsync(K from, K to) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!(from instanceof Comparable<?>)) {
                throw new IllegalArgumentException("scan(from, to) needs Comparable keys; from is a "
                    + from.getClass().getName());
            }
            @SuppressWarnings("unchecked")
            Comparable<Object> lower = (Comparable<Object>) from;
            if (lower.compareTo(to) > 0) {
                throw new IllegalArgumentException("scan(from, to): from must not be above to, got from=" + from
                    + ", to=" + to);
            }
            return scanAsync(key -> lower.compareTo(key) <= 0 && ((Comparable<Object>) key).compareTo(to) < 0);
        }

        @SuppressWarnings("unchecked")
        private CompletableFuture<List<KeyValue<K, V>>> scanAsync(Predicate<Object> keys) {
            StateReadInbox[] inboxes = stage.inboxes;
            CompletableFuture<List<KeyValue<Object, Object>>>[] parts = new CompletableFuture[inboxes.length];
            for (int p = 0; p < inboxes.length; p++) {
                parts[p] = inboxes[p].scan(keys);
            }
            return CompletableFuture.allOf(parts).thenApply(done -> {
                List<KeyValue<K, V>> rows = new ArrayList<>();
                for (CompletableFuture<List<KeyValue<Object, Object>>> part : parts) {
                    for (KeyValue<Object, Object> row : part.join()) {
                        rows.add((KeyValue<K, V>) row);
                    }
                }
                sortIfComparable(rows);
                return rows;
            });
        }

        @SuppressWarnings("unchecked")
        private static <K, V> void sortIfComparable(List<KeyValue<K, V>> rows) {
            for (KeyValue<K, V> row : rows) {
                if (!(row.key() instanceof Comparable<?>)) {
                    return;
                }
            }
            try {
                rows.sort(Comparator.comparing(row -> (Comparable<Object>) row.key()));
            } catch (ClassCastException mixedKeyTypes) {
                // keys of several types that do not compare with each other: left unordered, as documented
            }
        }

        @Override
        public List<KeyValue<K, V>> scan() throws InterruptedException {
            return await(scanAsync());
        }

        @Override
        public List<KeyValue<K, V>> scan(K from, K to) throws InterruptedException {
            return await(scanAsync(from, to));
        }

        @Override
        public QueryableState<K, V> withTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            return new Reader<>(stage, timeout.toNanos());
        }

        private <R> R await(CompletableFuture<R> result) throws InterruptedException {
            try {
                return result.get(timeoutNs, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new QueryableStateException("reading state of '" + stage.name + "' timed out after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms (the partition's thread did not reach the end of"
                    + " its duty cycle: a full downstream ring, or a long-running user function)");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof QueryableStateException q) {
                    throw new QueryableStateException(q.getMessage(), q);
                }
                throw new QueryableStateException("reading state of '" + stage.name + "' failed: " + cause, cause);
            }
        }

        @Override
        public String toString() {
            return "QueryableState[" + stage.name + ", partitions=" + stage.inboxes.length + "]";
        }
    }
}
