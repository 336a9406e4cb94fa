package io.rivulet.engine;

/**
 * A query failed: its cause is what failed it, usually the exception a user function threw.
 * Thrown by {@link StreamingQuery#awaitTermination()} and available from
 * {@link StreamingQuery#exception()}.
 */
public final class StreamingQueryException extends RuntimeException {

    /**
     * @param queryName the failed query
     * @param cause what failed it
     */
    public StreamingQueryException(String queryName, Throwable cause) {
        super("Query '" + queryName + "' failed: " + cause, cause);
    }
}
