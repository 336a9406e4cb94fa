package io.rivulet.examples;

import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.internal.terminal.ProgressLine;

import java.time.Duration;

/**
 * How the examples run a query: until it ends, a time limit passes, or Ctrl-C (which stops it
 * cleanly: what was read is processed and committed). Launched through {@link ExamplesMain}, the
 * query's progress shows on one live line on standard error while it runs.
 */
final class Run {
    /** The progress line {@link ExamplesMain} set up, or {@code null} (an example's main run directly, a test). */
    private static volatile ProgressLine progress;

    private Run() {
    }

    /**
     * @param line where {@link #until} shows the query's progress from now on
     */
    static void showProgress(ProgressLine line) {
        progress = line;
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
        ProgressLine line = progress;
        // Closed (the line erased) before the example prints its final lines.
        try (ProgressLine.Watch watch = line == null ? null : line.watch(query)) {
            if (limit == null) {
                query.awaitTermination();
            } else if (!query.awaitTermination(limit.toMillis())) {
                query.stop();
            }
        }
    }
}
