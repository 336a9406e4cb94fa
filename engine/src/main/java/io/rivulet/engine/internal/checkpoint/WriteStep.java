package io.rivulet.engine.internal.checkpoint;

/** The points of an atomic file write at which a {@link FaultInjector} is called. */
enum WriteStep {
    /** The temporary file is written and forced; it has not been renamed. */
    TEMP_FORCED,
    /** The temporary file was renamed to its final name; the directory has not been forced. */
    RENAMED
}
