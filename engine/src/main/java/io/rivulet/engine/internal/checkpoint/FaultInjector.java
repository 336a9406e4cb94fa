package io.rivulet.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A test seam on the write path: called at each {@link WriteStep} of every file written, so a test
 * can fail a write (throw an {@link IOException}) or stop it dead as a crash would (throw an
 * {@link Error}, which the storage does not clean up after).
 */
@FunctionalInterface
interface FaultInjector {
    /** Injects nothing. */
    FaultInjector NONE = (step, file) -> { };

    /**
     * @param step how far the write of {@code file} got
     * @param file the file's final name
     * @throws IOException to fail the write as the disk would
     */
    void at(WriteStep step, Path file) throws IOException;
}
