package io.rivulet.examples;

import io.rivulet.engine.StreamingQuery;

import java.time.Duration;

/**
 * How the examples run a query: until it ends, a time limit passes, or Ctrl-C (which stops it
 * cleanly: what was read is processed and committed).
 */
final class Run {
    private Run() {
    }

    /**
     * Waits for the query, stopping it on Ctrl-C or after {@code limit}.
     *
     * @param query the started query
     * @param limit how long to let it run, or {@code null} for no limit
     * @throws InterruptedException if interrupted while waiting
     */
    static void until(StreamingQuery query, Duration limit) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(query::stop, query.name() + "-shutdown"));
        if (limit == null) {
            query.awaitTermination();
        } else if (!query.awaitTermination(limit.toMillis())) {
            query.stop();
        }
    }
}
