package io.rivulet.journal;

/**
 * A journal cannot do what was asked: its directory is missing, unwritable or full, its files are
 * damaged, it is closed, or an offset lies outside it. The message names the directory or file.
 */
public class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the directory or file
     */
    public JournalException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the directory or file
     * @param cause the underlying failure
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
