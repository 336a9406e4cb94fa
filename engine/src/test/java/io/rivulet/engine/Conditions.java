package io.rivulet.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition another thread (or process) makes true, instead of sleeping a guessed time. */
public final class Conditions {
    /** The default wait. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Conditions() {
    }

    /**
     * Waits up to {@link #TIMEOUT}.
     *
     * @param what what is awaited, for the failure message
     * @param condition polled until true
     * @throws InterruptedException if interrupted
     * @throws AssertionError if the condition stays false
     */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, TIMEOUT, condition);
    }

    /**
     * Waits up to {@code timeout}.
     *
     * @param what what is awaited, for the failure message
     * @param timeout the longest wait
     * @param condition polled until true
     * @throws InterruptedException if interrupted
     * @throws AssertionError if the condition stays false
     */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true within " + timeout + ": " + what);
            }
            Thread.sleep(1);
        }
    }
}
