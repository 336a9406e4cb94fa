package io.rivulet.engine;

import io.rivulet.engine.internal.ProgressJson;

import java.util.Objects;

/**
 * What a query is doing now: Rivulet's {@code StreamingQueryStatus}, from {@link StreamingQuery#status()}.
 * Immutable.
 *
 * <p>Messages, as Spark's: {@value #INITIALIZING} before the first trigger, {@value #PROCESSING} while a
 * micro-batch runs (and all the time a continuous query runs), {@value #WAITING_FOR_TRIGGER} between
 * micro-batches, {@value #STOPPED} once the query has ended.
 *
 * @param message what the query is doing, in words
 * @param isDataAvailable whether the last trigger found input (continuous: the query is running)
 * @param isTriggerActive whether a trigger is running now, rather than waiting for the next
 */
public record QueryStatus(String message, boolean isDataAvailable, boolean isTriggerActive) {
    /** Status message before the first trigger. */
    public static final String INITIALIZING = "Initializing sources";
    /** Status message while a trigger runs. */
    public static final String PROCESSING = "Processing new data";
    /** Status message between two micro-batches. */
    public static final String WAITING_FOR_TRIGGER = "Waiting for next trigger";
    /** Status message of a query that has ended. */
    public static final String STOPPED = "Stopped";

    /**
     * @throws NullPointerException if {@code message} is {@code null}
     */
    public QueryStatus {
        Objects.requireNonNull(message, "message");
    }

    /**
     * @return compact JSON as Spark's {@code StreamingQueryStatus.json}:
     *     {@code {"message":…,"isDataAvailable":…,"isTriggerActive":…}}
     */
    public String json() {
        return ProgressJson.write(this, false);
    }

    /**
     * @return indented JSON as Spark's {@code StreamingQueryStatus.prettyJson}
     */
    public String prettyJson() {
        return ProgressJson.write(this, true);
    }
}
