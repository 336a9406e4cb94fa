package io.rivulet.bench.kafka;

import io.rivulet.engine.sink.ForwardingSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.operators.window.WindowedValue;

/**
 * A sink of W2 results that stamps, into {@link StageTimes}, when each epoch's writers end it (after the inner sink's
 * writer has, e.g. written and renamed its staging file) and when its commit starts and returns; everything else is the inner
 * sink's. Writers are owned by their task threads, commits run on the query's commit thread, as the inner sink's.
 */
final class TimedSink extends ForwardingSink<WindowedValue<Integer, long[]>, WindowedValue<Integer, long[]>> {
    private final StageTimes times;

    TimedSink(Sink<WindowedValue<Integer, long[]>> inner, StageTimes times) {
        super(inner);
        this.times = times;
    }

    @Override
    public SinkWriter<WindowedValue<Integer, long[]>> createWriter(int writerIndex) {
        SinkWriter<WindowedValue<Integer, long[]>> writer = delegate.createWriter(writerIndex);
        return new SinkWriter<>() {
            private int fromK = Integer.MAX_VALUE;
            private int toK = -1;

            @Override
            public void write(WindowedValue<Integer, long[]> record) throws Exception {
                writer.write(record);
                int k = StageTimes.window(record.window().endMs());
                fromK = Math.min(fromK, k);
                toK = Math.max(toK, k);
            }

            @Override
            public void endEpoch(long epochId) throws Exception {
                writer.endEpoch(epochId);
                times.staged(epochId, fromK, toK, System.nanoTime());
                fromK = Integer.MAX_VALUE;
                toK = -1;
            }

            @Override
            public void close() throws Exception {
                writer.close();
            }
        };
    }

    @Override
    public void commit(long epochId) throws Exception {
        long startNs = System.nanoTime();
        delegate.commit(epochId);
        times.committed(epochId, startNs, System.nanoTime());
    }
}
