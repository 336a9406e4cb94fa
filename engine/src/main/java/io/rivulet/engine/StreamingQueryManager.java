package io.rivulet.engine;

import io.rivulet.engine.internal.QueryEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The active queries of one engine, and its listeners: Spark's {@code spark.streams}.
 *
 * <p>Thread-safe.
 */
public final class StreamingQueryManager {
    private static final System.Logger LOG = System.getLogger(StreamingQueryManager.class.getName());

    private final List<StreamingQuery> active = new ArrayList<>();
    private final QueryEvents events = new Events();
    private final CopyOnWriteArrayList<StreamingQueryListener> listeners = new CopyOnWriteArrayList<>();

    StreamingQueryManager() {
    }

    /**
     * @return the queries running now
     */
    public synchronized List<StreamingQuery> active() {
        return List.copyOf(active);
    }

    /**
     * @param id a query id
     * @return the active query with that id
     */
    public synchronized Optional<StreamingQuery> get(UUID id) {
        return active.stream().filter(q -> q.id().equals(id)).findFirst();
    }

    /**
     * @param listener receives every query's lifecycle events from now on
     */
    public void addListener(StreamingQueryListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * @param listener a listener added before
     */
    public void removeListener(StreamingQueryListener listener) {
        listeners.remove(listener);
    }

    /**
     * Stops every active query and waits for each.
     */
    public void stopAll() {
        for (StreamingQuery query : active()) {
            query.stop();
        }
    }

    /**
     * Starts a query unless an active query has its name; starts are serialised so two queries
     * cannot take one name.
     *
     * @param name the new query's name
     * @param starter plans and starts the query (and reports it started to {@link #events()})
     * @return the started query
     * @throws IllegalArgumentException if an active query has that name
     */
    synchronized StreamingQuery start(String name, Supplier<StreamingQuery> starter) {
        for (StreamingQuery query : active) {
            if (query.name().equals(name)) {
                throw new IllegalArgumentException("cannot start query with name '" + name
                    + "': a query with that name is already active (id " + query.id() + ")");
            }
        }
        return starter.get();
    }

    /**
     * @return where the engine's queries report their lifecycle: the list of active queries and the listeners
     */
    QueryEvents events() {
        return events;
    }

    /** Keeps the active list and calls the listeners; a listener that throws is logged and skipped. */
    private final class Events implements QueryEvents {
        @Override
        public void onStarted(StreamingQuery query) {
            synchronized (StreamingQueryManager.this) {
                active.add(query);
            }
            for (StreamingQueryListener listener : listeners) {
                try {
                    listener.onQueryStarted(query);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "listener failed in onQueryStarted", e);
                }
            }
        }

        @Override
        public void onProgress(StreamingQuery query, QueryProgress progress) {
            for (StreamingQueryListener listener : listeners) {
                try {
                    listener.onQueryProgress(query, progress);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "listener failed in onQueryProgress", e);
                }
            }
        }

        @Override
        public void onTerminated(StreamingQuery query) {
            synchronized (StreamingQueryManager.this) {
                active.remove(query);
            }
            Optional<StreamingQueryException> failure = query.exception();
            for (StreamingQueryListener listener : listeners) {
                try {
                    listener.onQueryTerminated(query, failure);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "listener failed in onQueryTerminated", e);
                }
            }
        }
    }
}
