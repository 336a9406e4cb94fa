package io.rivulet.engine;

import io.rivulet.journal.Journal;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.List;

/**
 * Fails a test that leaves a journal open: every journal a query's source or sink opens must be
 * closed when the query ends, and every journal a test opens by its end.
 */
public final class NoOpenJournals implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Path> open = Journal.openJournals();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            open = Journal.openJournals();
        }
        if (!open.isEmpty()) {
            throw new AssertionError("journals left open after " + context.getDisplayName() + ": " + open);
        }
    }
}
