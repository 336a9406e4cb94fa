package io.rivulet.engine.sink;

import java.util.List;

/**
 * User code that receives each epoch's rows at once: Spark's {@code foreachBatch} function.
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface BatchFunction<T> {
    /**
     * Handles the rows of one committed epoch.
     *
     * @param rows the epoch's rows, grouped by writer, in arrival order within a writer; read-only
     * @param epochId the epoch (Spark's batch id)
     * @throws Exception fails the query
     */
    void call(List<T> rows, long epochId) throws Exception;
}
