package io.rivulet.engine;

import java.util.Optional;

/**
 * Receives the lifecycle events of every query of an engine, like Spark's
 * {@code StreamingQueryListener}.
 *
 * <p>Called on engine threads: {@code onQueryStarted} on the starting thread; {@code onQueryProgress}
 * on the query's progress thread ({@code rivulet-<query>-progress}, continuous mode; it never holds
 * up records or commits, but while it runs later reports wait and coalesce) or on the micro-batch
 * driver between batches; {@code onQueryTerminated} on the thread that ended last, after the last
 * progress report. An exception thrown by a listener is logged and otherwise ignored.
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
