package io.rivulet.engine.sink;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Which query a sink with per-query state serves. The {@link Sink} callbacks do not say which query
 * they come from, so a sink that buffers epochs can serve one query at a time: a second concurrent
 * query is refused when it opens the sink, instead of mixing its epochs with the first one's.
 *
 * <p>Thread-safe.
 */
final class QueryClaim {
    private final AtomicReference<String> query = new AtomicReference<>();

    /**
     * Claims the sink for a query, in {@link Sink#open}.
     *
     * @param sink the sink's description, for the message
     * @param queryName the query opening the sink
     * @throws IllegalStateException if another query holds the sink
     */
    void claim(String sink, String queryName) {
        if (!query.compareAndSet(null, queryName)) {
            throw new IllegalStateException("sink " + sink + " is already used by query '" + query.get()
                + "'; a sink instance serves one query at a time (create one per query)");
        }
    }

    /** Releases the sink, in {@link Sink#close}. */
    void release() {
        query.set(null);
    }
}
