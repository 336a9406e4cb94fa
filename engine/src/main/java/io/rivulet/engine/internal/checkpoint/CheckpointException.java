package io.rivulet.engine.internal.checkpoint;

/**
 * A checkpoint location cannot do what was asked: a file is missing, truncated or damaged, the
 * location belongs to a query with other settings, is in use, or the disk refused a write. The
 * message names the file or directory and what is wrong with it.
 */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the file or directory
     */
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the file or directory
     * @param cause the underlying failure
     */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
