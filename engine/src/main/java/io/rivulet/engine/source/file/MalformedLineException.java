package io.rivulet.engine.source.file;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file source in {@link ParseMode#FAILFAST} read a line its decoder rejected: the query fails with
 * this exception (as a cause), which names the file, the line number and the decoder's error (the
 * cause).
 */
public final class MalformedLineException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long lineNumber;

    /**
     * @param file the file
     * @param lineNumber the line's number in the file, from 1
     * @param cause the decoder's error
     */
    public MalformedLineException(Path file, long lineNumber, Exception cause) {
        super("malformed line " + lineNumber + " of " + file + " (mode FAILFAST): " + cause, cause);
        this.file = file;
        this.lineNumber = lineNumber;
    }

    /**
     * @return the file holding the line
     */
    public Path file() {
        return file;
    }

    /**
     * @return the line's number in the file, from 1
     */
    public long lineNumber() {
        return lineNumber;
    }
}
