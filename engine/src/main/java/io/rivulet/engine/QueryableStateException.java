package io.rivulet.engine;

/**
 * A read of queryable state ({@link QueryableState}) could not be answered: it timed out, the query
 * has ended, too many reads were pending on a partition, or the operator failed to read its state.
 * The message says which.
 */
public class QueryableStateException extends RuntimeException {
    /**
     * @param message what went wrong, naming the operator
     */
    public QueryableStateException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the operator
     * @param cause the failure behind it
     */
    public QueryableStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
