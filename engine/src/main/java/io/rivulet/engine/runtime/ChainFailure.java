package io.rivulet.engine.runtime;

/**
 * Carries a failure that is not a user function's failure on a record (a sink's write, a
 * dead-letter write) through the stages of a chain to its task: a stage's catch block rethrows it
 * instead of applying the error policy to it. {@link QueryRuntime#fail} unwraps it, so users see the
 * cause. Carries no stack trace of its own.
 */
final class ChainFailure extends RuntimeException {

    ChainFailure(Throwable cause) {
        super(cause.toString(), cause, false, false);
    }
}
