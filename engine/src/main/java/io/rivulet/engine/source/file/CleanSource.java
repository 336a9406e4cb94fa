package io.rivulet.engine.source.file;

/**
 * What a file source does with a file once the epoch that read its last line has committed (Spark's
 * {@code cleanSource} option). Best effort: a file that cannot be deleted or moved is logged and left.
 */
public enum CleanSource {
    /** Files stay where they are (the default). */
    OFF,
    /** Files are deleted. */
    DELETE,
    /**
     * Files are moved under the source's {@code sourceArchiveDir}, keeping their absolute path:
     * {@code /in/a/f.json} goes to {@code <sourceArchiveDir>/in/a/f.json}.
     */
    ARCHIVE
}
