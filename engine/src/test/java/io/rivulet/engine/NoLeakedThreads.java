package io.rivulet.engine;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test that leaves a Rivulet thread running: every query a test starts must end, and its
 * threads with it. Waits briefly for threads that are on their way out.
 */
public final class NoLeakedThreads implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Thread> alive;
        do {
            alive = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rivulet-") && t.isAlive())
                .toList();
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("leaked Rivulet threads after " + context.getDisplayName() + ": " + alive);
    }
}
