package io.rivulet.engine.runtime;

import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.internal.QueryEvents;
import io.rivulet.engine.internal.QueryOptions;
import io.rivulet.engine.sink.Sink;

/**
 * The runtime's one entry point: plans and starts a query. Not public API (applications call
 * {@code DataStreamWriter.start()}, which calls this); every other runtime type is package-private
 * but {@link PlanExplainer} and {@link QueryProbe}.
 * Stateless and thread-safe.
 */
public final class QueryLauncher {
    private QueryLauncher() {
    }

    /**
     * Validates the plan, opens the sink and the sources, and starts the query's threads.
     *
     * @param root the node whose records go to the sink
     * @param sink the sink
     * @param options validated settings
     * @param events where lifecycle events go; {@code onStarted} is called before this returns
     * @param <T> record type at the sink
     * @return the running query
     * @throws IllegalArgumentException if the plan is invalid (the message names the rule)
     * @throws IllegalStateException if a source or the sink cannot be opened (the cause says why)
     */
    public static <T> StreamingQuery start(PlanNode<T> root, Sink<T> sink, QueryOptions options, QueryEvents events) {
        if (options.restartStrategy().attempts() > 0 && options.checkpointLocation() != null) {
            return RestartingQuery.start(root, sink, options, events);
        }
        return QueryRuntime.start(root, sink, options, events);
    }
}
