package io.rivulet.engine.runtime;

/**
 * Unwinds a task that was waiting on a full ring when its query failed or was stopped hard.
 * Carries no stack trace: it is flow control inside the runtime, never shown to users.
 */
final class QueryAbortedException extends RuntimeException {

    QueryAbortedException() {
        super("query aborted", null, false, false);
    }
}
