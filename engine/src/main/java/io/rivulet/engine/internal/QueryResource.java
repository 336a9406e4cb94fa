package io.rivulet.engine.internal;

import java.util.function.Consumer;

/**
 * Something a plan node needs while its query runs, beside its operators: opened once when the query
 * starts (after planning, before the first record) and closed once when the query ends, however it
 * ends. A stream-static join's refresh task is one. Not public API.
 *
 * <p>Implementations are thread-safe: {@link #open} runs on the thread that starts the query, the
 * returned handle's {@code close} on the thread that ends it.
 */
public interface QueryResource {
    /**
     * Starts what the query needs.
     *
     * @param queryName the query's name, for thread names and logs
     * @param failQuery fails the query with a cause (callable from any thread; the first failure wins)
     * @return closes what was started; called once, when the query ends; waits for threads it started
     */
    AutoCloseable open(String queryName, Consumer<Throwable> failQuery);
}
