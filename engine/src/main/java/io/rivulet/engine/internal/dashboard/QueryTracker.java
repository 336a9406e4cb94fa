package io.rivulet.engine.internal.dashboard;

import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.StreamingQueryListener;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queries the dashboard shows: every active query and the last {@link #RECENT_ENDED} that ended,
 * in start order, by id (a query restarted from its checkpoint keeps its id and replaces its earlier
 * run). Learns of them as a listener of the engine's query manager.
 *
 * <p>Thread-safe: listener callbacks come from query threads, reads from the dashboard's threads;
 * each method holds this object's lock briefly.
 */
final class QueryTracker implements StreamingQueryListener {
    /** Ended queries kept for the page. */
    static final int RECENT_ENDED = 20;

    private final Map<String, StreamingQuery> queries = new LinkedHashMap<>();
    private long version;

    @Override
    public synchronized void onQueryStarted(StreamingQuery query) {
        queries.remove(query.id().toString());
        queries.put(query.id().toString(), query);
        trimEnded();
        version++;
    }

    @Override
    public synchronized void onQueryTerminated(StreamingQuery query, Optional<StreamingQueryException> failure) {
        trimEnded();
        version++;
    }

    /** @param query a query that was active before the dashboard started */
    void add(StreamingQuery query) {
        onQueryStarted(query);
    }

    private void trimEnded() {
        int ended = 0;
        for (StreamingQuery query : queries.values()) {
            if (!query.isActive()) {
                ended++;
            }
        }
        Iterator<StreamingQuery> it = queries.values().iterator();
        while (ended > RECENT_ENDED && it.hasNext()) {
            if (!it.next().isActive()) {
                it.remove();
                ended--;
            }
        }
    }

    /** @return a counter that changes whenever a query starts or ends */
    synchronized long version() {
        return version;
    }

    /** @return the tracked queries, in start order */
    synchronized List<StreamingQuery> queries() {
        return new ArrayList<>(queries.values());
    }

    /**
     * @param id a query id
     * @return the tracked query with that id, or {@code null}
     */
    synchronized StreamingQuery find(String id) {
        return queries.get(id);
    }

    /** @return the query a page without a choice shows: the newest active one, else the newest; or {@code null} */
    synchronized StreamingQuery preferred() {
        StreamingQuery newest = null;
        StreamingQuery newestActive = null;
        for (StreamingQuery query : queries.values()) {
            newest = query;
            if (query.isActive()) {
                newestActive = query;
            }
        }
        return newestActive != null ? newestActive : newest;
    }
}
