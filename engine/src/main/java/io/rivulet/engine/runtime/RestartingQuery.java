package io.rivulet.engine.runtime;

import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.QueryStatus;
import io.rivulet.engine.QueryableState;
import io.rivulet.operators.KeyValue;
import io.rivulet.engine.RestartStrategy;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryEvents;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.sink.Sink;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A query that restarts from its last checkpoint when a run fails, as its {@link RestartStrategy}
 * allows: the handle the application holds, over one {@link QueryRuntime} per run.
 *
 * <p>The application sees one query: started once, one id (the checkpoint location's), progress from
 * every run, terminated once (stopped, input done, or failed for good). A failed run's state and
 * output that were not committed are dropped with it; the next run restores the checkpoint, its sinks
 * recover, and its sources rewind. Restarts run on a thread of their own
 * ({@code rivulet-<query>-restart}), which waits out the backoff.
 *
 * <p>Thread-safe.
 */
final class RestartingQuery<T> implements StreamingQuery {
    private static final System.Logger LOG = System.getLogger(RestartingQuery.class.getName());

    private final PlanNode<T> root;
    private final Sink<T> sink;
    private final QueryOptions options;
    private final QueryEvents events;
    private final RestartStrategy strategy;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile QueryRuntime current;
    private volatile boolean stopRequested;
    private volatile Throwable failure;
    private boolean announced;
    /** Failures in a row (guarded by {@link #lock}). */
    private int failuresInARow;
    private Thread restarter;

    private RestartingQuery(PlanNode<T> root, Sink<T> sink, QueryOptions options, QueryEvents events) {
        this.root = root;
        this.sink = sink;
        this.options = options;
        this.events = events;
        this.strategy = options.restartStrategy();
    }

    /**
     * Starts the first run.
     *
     * @return the query
     * @throws IllegalArgumentException if the plan is invalid
     * @throws IllegalStateException if the first run cannot start
     */
    static <T> RestartingQuery<T> start(PlanNode<T> root, Sink<T> sink, QueryOptions options, QueryEvents events) {
        RestartingQuery<T> query = new RestartingQuery<>(root, sink, options, events);
        query.current = QueryRuntime.start(root, sink, options, query.runEvents());
        return query;
    }

    private QueryEvents runEvents() {
        return new QueryEvents() {
            @Override
            public void onStarted(StreamingQuery run) {
                // Before start() returns it: listeners told of the start read the query's id through it.
                current = (QueryRuntime) run;
                boolean first;
                synchronized (lock) {
                    first = !announced;
                    announced = true;
                }
                if (first) {
                    events.onStarted(RestartingQuery.this);
                }
            }

            @Override
            public void onProgress(StreamingQuery run, QueryProgress progress) {
                events.onProgress(RestartingQuery.this, progress);
            }

            @Override
            public void onTerminated(StreamingQuery run) {
                runEnded((QueryRuntime) run);
            }
        };
    }

    /** Called on the ending run's last thread: restart, or end for good. */
    private void runEnded(QueryRuntime run) {
        Optional<StreamingQueryException> error = run.exception();
        if (error.isEmpty() || stopRequested) {
            finish(error.map(Throwable::getCause).orElse(null));
            return;
        }
        Throwable cause = error.get().getCause();
        int attempt;
        synchronized (lock) {
            // A run that committed input of its own got past where the last one failed: the failures
            // before it do not count. (Empty epochs it committed before reaching the failure do not count.)
            QueryProgress last = run.lastProgress();
            boolean progressed = last != null && last.totalInputRows() > 0;
            failuresInARow = progressed ? 1 : failuresInARow + 1;
            attempt = failuresInARow;
            if (attempt > strategy.attempts()) {
                LOG.log(System.Logger.Level.ERROR, "query '" + options.name() + "' failed " + (attempt - 1)
                    + " restarts in a row; giving up", cause);
                finish(cause);
                return;
            }
            Duration backoff = strategy.backoff(attempt);
            LOG.log(System.Logger.Level.WARNING, "query '" + options.name() + "' failed; restart " + attempt + " of "
                + strategy.attempts() + " from its last checkpoint in " + backoff.toMillis() + " ms: " + cause);
            restarter = new Thread(() -> restartAfter(backoff, cause), "rivulet-" + options.name() + "-restart");
            restarter.setDaemon(true);
            restarter.start();
        }
    }

    private void restartAfter(Duration backoff, Throwable cause) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            // stop() while waiting: end with the failure that caused the restart
        }
        synchronized (lock) {
            if (stopRequested) {
                finish(cause);
                return;
            }
            try {
                current = QueryRuntime.start(root, sink, options, runEvents());
            } catch (RuntimeException | Error e) {
                e.addSuppressed(cause);
                finish(e);
            }
        }
    }

    private void finish(Throwable cause) {
        synchronized (lock) {
            if (terminated.getCount() == 0) {
                return;
            }
            failure = cause;
            terminated.countDown();
            lock.notifyAll();
        }
        events.onTerminated(this);
    }

    /** @return the current run (the last one, once the query ended) */
    QueryRuntime currentRun() {
        return current;
    }

    @Override
    public UUID id() {
        return current.id();
    }

    @Override
    public UUID runId() {
        return current.runId();
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public boolean isActive() {
        return terminated.getCount() > 0;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        terminated.await();
        current.awaitTermination(Long.MAX_VALUE / 2);
        throwIfFailed();
    }

    @Override
    public boolean awaitTermination(long timeoutMs) throws InterruptedException {
        if (!terminated.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        throwIfFailed();
        return true;
    }

    /**
     * Waits for what is available to be processed; a run that fails meanwhile is restarted and the
     * wait goes on in the next run, unless the query fails for good.
     */
    @Override
    public void processAllAvailable() throws InterruptedException {
        while (true) {
            QueryRuntime run = current;
            try {
                run.processAllAvailable();
                if (run == current && run.exception().isEmpty()) {
                    throwIfFailed();
                    return;
                }
            } catch (StreamingQueryException e) {
                // The run failed: wait for the next one, or for the end.
            }
            synchronized (lock) {
                while (current == run && terminated.getCount() > 0) {
                    lock.wait(10);
                }
            }
            if (terminated.getCount() == 0) {
                throwIfFailed();
                return;
            }
        }
    }

    @Override
    public void stop() {
        // The same bound as one run's stop(): the stop timeout plus two abort grace periods, in all.
        long deadlineNs = System.nanoTime() + options.stopTimeoutNs() + 2 * QueryRuntime.ABORT_GRACE_NS;
        Thread waiting;
        synchronized (lock) {
            stopRequested = true;
            waiting = restarter;
        }
        if (waiting != null) {
            waiting.interrupt();
        }
        current.stop();
        try {
            terminated.await(Math.max(1_000_000L, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void throwIfFailed() {
        Throwable cause = failure;
        if (cause != null) {
            throw new StreamingQueryException(options.name(), cause);
        }
    }

    @Override
    public Optional<StreamingQueryException> exception() {
        Throwable cause = failure;
        return cause == null ? Optional.empty() : Optional.of(new StreamingQueryException(options.name(), cause));
    }

    @Override
    public QueryProgress lastProgress() {
        return current.lastProgress();
    }

    /** Each read goes to the run in progress (a restart plans the operators anew). */
    @Override
    public <K, V> QueryableState<K, V> state(String operatorName) {
        QueryableState<K, V> first = current.state(operatorName); // fails now for an unknown name
        return new CurrentRunState<>(first.operatorName(), null);
    }

    /** A reader that asks the current run for its operator's reader at each read. Thread-safe. */
    private final class CurrentRunState<K, V> implements QueryableState<K, V> {
        private final String operatorName;
        /** The timeout asked for, or {@code null} for the runs' default. */
        private final Duration timeout;

        CurrentRunState(String operatorName, Duration timeout) {
            this.operatorName = operatorName;
            this.timeout = timeout;
        }

        private QueryableState<K, V> run() {
            QueryableState<K, V> reader = current.state(operatorName);
            return timeout == null ? reader : reader.withTimeout(timeout);
        }

        @Override
        public String operatorName() {
            return operatorName;
        }

        @Override
        public Optional<V> get(K key) throws InterruptedException {
            return run().get(key);
        }

        @Override
        public CompletableFuture<Optional<V>> getAsync(K key) {
            return run().getAsync(key);
        }

        @Override
        public List<KeyValue<K, V>> scan() throws InterruptedException {
            return run().scan();
        }

        @Override
        public List<KeyValue<K, V>> scan(K from, K to) throws InterruptedException {
            return run().scan(from, to);
        }

        @Override
        public CompletableFuture<List<KeyValue<K, V>>> scanAsync() {
            return run().scanAsync();
        }

        @Override
        public CompletableFuture<List<KeyValue<K, V>>> scanAsync(K from, K to) {
            return run().scanAsync(from, to);
        }

        @Override
        public QueryableState<K, V> withTimeout(Duration timeout) {
            run().withTimeout(timeout); // validates it
            return new CurrentRunState<>(operatorName, timeout);
        }
    }

    @Override
    public QueryStatus status() {
        return isActive() ? current.status() : new QueryStatus(QueryStatus.STOPPED, false, false);
    }

    @Override
    public List<QueryProgress> recentProgress() {
        return current.recentProgress();
    }

    @Override
    public Histogram latencyHistogram() {
        return current.latencyHistogram();
    }

    @Override
    public String toString() {
        return "StreamingQuery[name=" + options.name() + ", id=" + current.id() + ", active=" + isActive() + "]";
    }
}
