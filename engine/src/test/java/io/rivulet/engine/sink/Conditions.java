package io.rivulet.engine.sink;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition another thread makes true, instead of sleeping a guessed time. */
final class Conditions {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Conditions() {
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true within " + TIMEOUT + ": " + what);
            }
            Thread.sleep(1);
        }
    }
}
