package io.rivulet.engine.internal;

import io.rivulet.engine.QueryProgress;
import io.rivulet.engine.StreamingQuery;

/**
 * Where a running query reports its lifecycle: the engine's query manager, which keeps the list of
 * active queries and calls the user's listeners. Not public API. Called on engine threads: {@link
 * #onStarted} on the thread that starts the query, {@link #onProgress} on the query's progress (or
 * micro-batch driver) thread, {@link #onTerminated} on the query's last thread to end.
 */
public interface QueryEvents {
    /**
     * @param query the query that started
     */
    void onStarted(StreamingQuery query);

    /**
     * @param query the query that committed an epoch
     * @param progress its progress for that epoch
     */
    void onProgress(StreamingQuery query, QueryProgress progress);

    /**
     * @param query the query that has terminated (stopped, finished or failed); its threads are gone
     */
    void onTerminated(StreamingQuery query);
}
