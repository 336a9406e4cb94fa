package io.rivulet.engine;

import io.rivulet.engine.internal.QueryResource;
import io.rivulet.operators.join.StaticTable;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The static side of a stream-static join ({@link Stream#join(StaticTableHandle, Function,
 * io.rivulet.operators.join.JoinType, io.rivulet.operators.join.JoinFunction)}): a table loaded from a
 * {@link StaticSource}, keyed by {@code keyOf}, and the means to refresh it, which Spark lacks (its static
 * side is read once per batch, or cached forever).
 *
 * <p><b>Loading.</b> {@link #load} reads the source at once, on the caller's thread, and fails if it
 * cannot (so a query never starts with a missing file). Rows whose key is {@code null} match nothing.
 *
 * <p><b>Refreshing.</b> A refresh reads the source again, builds a new immutable table and swaps it in;
 * every record processed after the swap joins with the new table, and no record ever sees a mix of two.
 * <ul>
 *   <li>On demand: {@link #refresh()}, on the caller's thread; returns once the new table is live.</li>
 *   <li>On an interval ({@link #load(StaticSource, Function, Duration, boolean)}): each query that joins
 *       with this handle runs a daemon thread, {@code rivulet-<query>-static-refresh}, from its start to its
 *       end, that refreshes every interval (the first one an interval after the start).</li>
 * </ul>
 * A refresh that fails (the source throws) keeps the previous table, is logged at WARNING and counted
 * ({@link #refreshFailures()}, {@link #lastRefreshFailure()}); the query goes on, unless the handle was
 * made with {@code failQueryOnRefreshError}: then an interval refresh that fails fails every query running
 * the refresh, with the cause (an on-demand refresh throws to its caller either way).
 *
 * <p>Thread-safe: refreshes are serialised; the table reference is read by the join's partitions with one
 * volatile read per record.
 *
 * @param <K> key type ({@code equals} and {@code hashCode})
 * @param <R> static row type
 */
public final class StaticTableHandle<K, R> {
    private static final System.Logger LOG = System.getLogger(StaticTableHandle.class.getName());

    private final StaticSource<R> source;
    private final Function<? super R, ? extends K> keyOf;
    private final long refreshIntervalNs;
    private final boolean failQueryOnRefreshError;
    private final AtomicReference<StaticTable<K, R>> table = new AtomicReference<>();
    private final Object refreshLock = new Object();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong refreshFailures = new AtomicLong();
    private volatile Throwable lastRefreshFailure;
    /** When the live table was loaded, epoch ms (wall clock: a figure for people, never a decision). */
    private volatile long loadedAtMs;

    private StaticTableHandle(StaticSource<R> source, Function<? super R, ? extends K> keyOf, Duration refreshInterval,
                              boolean failQueryOnRefreshError) {
        this.source = Objects.requireNonNull(source, "source");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
        if (refreshInterval != null && (refreshInterval.isNegative() || refreshInterval.isZero())) {
            throw new IllegalArgumentException("refreshInterval must be positive, got " + refreshInterval);
        }
        this.refreshIntervalNs = refreshInterval == null ? 0 : refreshInterval.toNanos();
        this.failQueryOnRefreshError = failQueryOnRefreshError;
        table.set(build());
        loadedAtMs = System.currentTimeMillis();
    }

    /**
     * Loads a static table now; refreshed only on demand ({@link #refresh()}).
     *
     * @param source where the rows come from
     * @param keyOf a static row's key
     * @param <K> key type
     * @param <R> row type
     * @return the handle
     * @throws IllegalStateException if the source cannot be read (the cause says why)
     */
    public static <K, R> StaticTableHandle<K, R> load(StaticSource<R> source, Function<? super R, ? extends K> keyOf) {
        return new StaticTableHandle<>(source, keyOf, null, false);
    }

    /**
     * Loads a static table now, refreshed every {@code refreshInterval} while a query joins with it
     * (and on demand).
     *
     * @param source where the rows come from
     * @param keyOf a static row's key
     * @param refreshInterval time between refreshes; positive
     * @param failQueryOnRefreshError {@code true}: a failed interval refresh fails the query;
     *     {@code false}: it keeps the previous table, logged and counted
     * @param <K> key type
     * @param <R> row type
     * @return the handle
     * @throws IllegalStateException if the source cannot be read now
     * @throws IllegalArgumentException if {@code refreshInterval} is not positive
     */
    public static <K, R> StaticTableHandle<K, R> load(StaticSource<R> source, Function<? super R, ? extends K> keyOf,
                                                      Duration refreshInterval, boolean failQueryOnRefreshError) {
        return new StaticTableHandle<>(source, keyOf, Objects.requireNonNull(refreshInterval, "refreshInterval"),
            failQueryOnRefreshError);
    }

    /**
     * Reads the source again and swaps the new table in; returns once it is live (the next record any
     * join processes uses it). On failure the previous table stays, the failure is counted, and it is
     * thrown.
     *
     * @throws IllegalStateException if the source cannot be read (the cause says why)
     */
    public void refresh() {
        synchronized (refreshLock) {
            StaticTable<K, R> fresh;
            try {
                fresh = build();
            } catch (IllegalStateException e) {
                refreshFailures.incrementAndGet();
                lastRefreshFailure = e;
                throw e;
            }
            table.set(fresh);
            loadedAtMs = System.currentTimeMillis();
            refreshes.incrementAndGet();
        }
    }

    private StaticTable<K, R> build() {
        try {
            return StaticTable.of(Objects.requireNonNull(source.load(), "the source returned null"), keyOf);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the static table from " + source.description() + ": "
                + e.getMessage(), e);
        }
    }

    /**
     * @return the table joins use now
     */
    public StaticTable<K, R> table() {
        return table.get();
    }

    /**
     * @return refreshes that swapped a new table in (the first load not counted)
     */
    public long refreshes() {
        return refreshes.get();
    }

    /**
     * @return refreshes that failed and kept the previous table
     */
    public long refreshFailures() {
        return refreshFailures.get();
    }

    /**
     * @return when the table joins use now was loaded: the first load, or the last refresh that
     *     succeeded (wall clock)
     */
    public Instant lastRefreshTime() {
        return Instant.ofEpochMilli(loadedAtMs);
    }

    /**
     * @return the last failed refresh's exception, or {@code null}
     */
    public Throwable lastRefreshFailure() {
        return lastRefreshFailure;
    }

    /**
     * @return what the table is read from
     */
    public String description() {
        return source.description();
    }

    AtomicReference<StaticTable<K, R>> reference() {
        return table;
    }

    /**
     * @return the interval refresh task a query opens at start and closes at its end, or {@code null}
     *     without an interval
     */
    QueryResource refresher() {
        return refreshIntervalNs == 0 ? null : this::startRefreshing;
    }

    private AutoCloseable startRefreshing(String queryName, Consumer<Throwable> failQuery) {
        Refresher refresher = new Refresher(failQuery);
        Thread thread = new Thread(refresher, "rivulet-" + queryName + "-static-refresh");
        thread.setDaemon(true);
        refresher.thread = thread;
        thread.start();
        return refresher;
    }

    /** One query's interval refresh: runs until the query closes it. */
    private final class Refresher implements Runnable, AutoCloseable {
        private final Consumer<Throwable> failQuery;
        private final Object wakeUp = new Object();
        private boolean closed;
        private Thread thread;

        Refresher(Consumer<Throwable> failQuery) {
            this.failQuery = failQuery;
        }

        @Override
        public void run() {
            long nextNs = System.nanoTime() + refreshIntervalNs;
            while (awaitNext(nextNs)) {
                nextNs = System.nanoTime() + refreshIntervalNs;
                try {
                    refresh();
                } catch (IllegalStateException e) {
                    if (failQueryOnRefreshError) {
                        failQuery.accept(e);
                        return;
                    }
                    LOG.log(System.Logger.Level.WARNING, "refreshing the static table from " + source.description()
                        + " failed; the join keeps the previous table (" + refreshFailures.get() + " failed refreshes"
                        + " so far)", e);
                }
            }
        }

        /** Waits until {@code nextNs}; {@code false} once closed. */
        private boolean awaitNext(long nextNs) {
            synchronized (wakeUp) {
                while (!closed) {
                    long waitNs = nextNs - System.nanoTime();
                    if (waitNs <= 0) {
                        return true;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(wakeUp, waitNs);
                    } catch (InterruptedException e) {
                        return false;
                    }
                }
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            synchronized (wakeUp) {
                closed = true;
                wakeUp.notifyAll();
            }
            if (thread != Thread.currentThread()) {
                thread.join();
            }
        }

        @Override
        public String toString() {
            return "static table refresh of " + source.description();
        }
    }
}
