package io.rivulet.engine;

import java.util.Optional;

/**
 * Receives the lifecycle events of every query of an engine, like Spark's
 * {@code StreamingQueryListener}.
 *
 * <p>Called on engine threads (the starting thread, or the task thread that committed an epoch or
 * ended last): keep the work short. An exception thrown by a listener is logged and otherwise
 * ignored.
 */
public interface StreamingQueryListener {
    /**
     * @param query a query that has started
     */
    default void onQueryStarted(StreamingQuery query) {
    }

    /**
     * @param query a query that committed an epoch
     * @param progress its progress
     */
    default void onQueryProgress(StreamingQuery query, QueryProgress progress) {
    }

    /**
     * @param query a query that ended; its threads are gone
     * @param failure why, if it failed
     */
    default void onQueryTerminated(StreamingQuery query, Optional<StreamingQueryException> failure) {
    }
}
