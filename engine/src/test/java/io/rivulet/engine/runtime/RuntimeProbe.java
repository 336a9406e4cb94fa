package io.rivulet.engine.runtime;

import io.rivulet.engine.StreamingQuery;

/** What tests outside this package may read of a running query's runtime that the public API does not show. */
public final class RuntimeProbe {
    private RuntimeProbe() {
    }

    /**
     * @param query a micro-batch query started without a restart strategy, between batches
     * @return the watermark its next batch will use (epoch ms), or {@link Long#MIN_VALUE} if it has none
     */
    public static long nextBatchWatermarkMs(StreamingQuery query) {
        if (!(query instanceof QueryRuntime runtime)) {
            throw new IllegalArgumentException("not a QueryRuntime: " + query.getClass().getName());
        }
        return runtime.nextBatchWatermarkMs();
    }
}
