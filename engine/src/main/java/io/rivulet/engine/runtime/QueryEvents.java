package io.rivulet.engine.runtime;

import io.rivulet.engine.QueryProgress;

/**
 * Where a running query reports its lifecycle: the engine's query manager, which keeps the list of
 * active queries and calls the user's listeners. Called on engine threads.
 */
public interface QueryEvents {
    /**
     * @param query the query that started
     */
    void onStarted(QueryRuntime query);

    /**
     * @param query the query that committed an epoch
     * @param progress its progress for that epoch
     */
    void onProgress(QueryRuntime query, QueryProgress progress);

    /**
     * @param query the query that has terminated (stopped, finished or failed); its threads are gone
     */
    void onTerminated(QueryRuntime query);
}
