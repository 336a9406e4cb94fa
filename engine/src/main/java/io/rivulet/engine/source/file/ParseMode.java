package io.rivulet.engine.source.file;

/**
 * What a file source does with a line its decoder rejects (Spark's {@code mode} option of the
 * {@code json} and {@code csv} sources). A decoder rejects a line by throwing; a truncated last line
 * (a file that ends in the middle of a JSON object) is rejected like any other.
 */
public enum ParseMode {
    /**
     * The line becomes a record all the same: the source's corrupt-record function builds it from the
     * raw line, its file, its line number and the error (Spark's {@code columnNameOfCorruptRecord}).
     * Needs a corrupt-record function ({@link FileSource#corruptRecord}).
     */
    PERMISSIVE,
    /** The line is dropped and counted in the query's progress ({@code numRowsFailed}). */
    DROPMALFORMED,
    /**
     * The query fails with a {@link MalformedLineException} naming the file, the line number and the
     * decoder's error.
     */
    FAILFAST
}
