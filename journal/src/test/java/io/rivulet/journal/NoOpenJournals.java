package io.rivulet.journal;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.List;

/**
 * Fails a test that leaves a journal open: every journal a test opens must be closed by its end.
 * (Chronicle's own tests do the same with {@code QueueTestCommon}.)
 */
public final class NoOpenJournals implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        long deadline = System.nanoTime() + 2_000_000_000L;
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
