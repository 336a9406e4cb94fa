package io.rivulet.operators.state;

/**
 * A snapshot's bytes do not hold what the reader expects: truncated, a bad length or tag, a class
 * that no longer exists. Restore fails with it rather than load half a state.
 */
public class StateFormatException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong and where
     */
    public StateFormatException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong and where
     * @param cause the underlying failure
     */
    public StateFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
