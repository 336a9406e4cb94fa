package io.rivulet.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.StreamingQueryListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes every query of one engine as Micrometer meters: rates, rows, end-to-end latency
 * percentiles, watermark and watermark lag, state per stateful operator, late rows, and the epoch
 * commit's and checkpoint's timings. {@code docs/metrics.md} lists the meters, their units and tags.
 *
 * <pre>{@code
 * try (Rivulet rivulet = Rivulet.create();
 *      RivuletMetrics metrics = RivuletMetrics.bind(rivulet, registry)) {
 *     // every query the engine runs has meters tagged query=<name>, runId=<run id>
 * }
 * }</pre>
 *
 * <p>The meters read the query's progress reports ({@link QueryProgress}), never the data path: a
 * query's meters are updated when it commits an epoch (on its progress thread, or the micro-batch
 * driver between batches) by storing the report in a volatile field; the registry reads them when it
 * publishes or is scraped. A query's meters are registered when it starts (or, for a query already
 * active, when it is bound), its per-operator and checkpoint meters at the first report that has them,
 * and all of them are removed when it ends or its run changes (a restart: new {@code runId}).
 *
 * <p>Thread-safe. Lifecycle: {@link #bind} registers a listener with the engine; {@link #close()}
 * removes it and every meter this binder registered. The engine does not depend on Micrometer: this
 * module is optional.
 */
public final class RivuletMetrics implements StreamingQueryListener, AutoCloseable {
    private final Rivulet rivulet;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<UUID, QueryMeters> queries = new ConcurrentHashMap<>();
    /**
     * Orders the listener's calls with {@link #close()}: a progress report in flight when the binder closes must
     * not register (or re-register) meters after close removed them. Held only while meters are registered,
     * updated or removed (per epoch, never on the data path).
     */
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private RivuletMetrics(Rivulet rivulet, MeterRegistry registry) {
        this.rivulet = rivulet;
        this.registry = registry;
    }

    /**
     * Publishes the engine's queries to a registry: those active now and every query started later,
     * until {@link #close()}.
     *
     * @param rivulet the engine
     * @param registry where the meters go (a {@code SimpleMeterRegistry}, Prometheus, JMX, a composite)
     * @return the binder; close it to remove the listener and the meters
     * @throws NullPointerException if an argument is {@code null}
     */
    public static RivuletMetrics bind(Rivulet rivulet, MeterRegistry registry) {
        RivuletMetrics metrics = new RivuletMetrics(Objects.requireNonNull(rivulet, "rivulet"),
            Objects.requireNonNull(registry, "registry"));
        rivulet.streams().addListener(metrics);
        for (StreamingQuery query : rivulet.streams().active()) {
            metrics.onQueryStarted(query);
            QueryProgress last = query.lastProgress();
            if (last != null) {
                metrics.onQueryProgress(query, last);
            }
            if (!query.isActive()) {
                // It ended while being bound: its terminated event may have come before the meters.
                metrics.remove(query.id());
            }
        }
        return metrics;
    }

    /**
     * Registers the query's meters (they read {@code NaN} until its first progress report). Called by
     * the engine; calling it for a query already bound does nothing.
     *
     * @param query a query that has started
     */
    @Override
    public void onQueryStarted(StreamingQuery query) {
        synchronized (lock) {
            if (!closed) {
                queries.computeIfAbsent(query.id(), id -> new QueryMeters(registry, query.name(), query.runId()));
            }
        }
    }

    /**
     * Makes the query's meters show this report; registers the meters of stateful operators and
     * checkpoints the first time the report has them, and replaces all of them if the run changed.
     * Called by the engine on the query's progress thread.
     *
     * @param query a query that committed an epoch
     * @param progress its progress
     */
    @Override
    public void onQueryProgress(StreamingQuery query, QueryProgress progress) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            QueryMeters meters = queries.computeIfAbsent(query.id(),
                id -> new QueryMeters(registry, progress.name(), progress.runId()));
            if (!meters.runId().equals(progress.runId())) {
                QueryMeters next = new QueryMeters(registry, progress.name(), progress.runId());
                if (queries.replace(query.id(), meters, next)) {
                    meters.remove();
                }
                meters = next;
            }
            meters.update(progress);
        }
    }

    /**
     * Removes the query's meters.
     *
     * @param query a query that ended
     * @param failure why, if it failed
     */
    @Override
    public void onQueryTerminated(StreamingQuery query, Optional<StreamingQueryException> failure) {
        remove(query.id());
    }

    /**
     * @return the names of the queries that have meters now (for tests and diagnostics)
     */
    public List<String> boundQueries() {
        List<String> names = new ArrayList<>();
        for (QueryMeters meters : queries.values()) {
            names.add(meters.queryName());
        }
        return names;
    }

    /**
     * Stops publishing: removes the listener from the engine and every meter this binder registered
     * from the registry. Idempotent.
     */
    @Override
    public void close() {
        // Outside the lock: the engine may be calling this listener while it holds its own.
        rivulet.streams().removeListener(this);
        synchronized (lock) {
            closed = true;
            for (UUID id : List.copyOf(queries.keySet())) {
                remove(id);
            }
        }
    }

    private void remove(UUID queryId) {
        synchronized (lock) {
            QueryMeters meters = queries.remove(queryId);
            if (meters != null) {
                meters.remove();
            }
        }
    }
}
