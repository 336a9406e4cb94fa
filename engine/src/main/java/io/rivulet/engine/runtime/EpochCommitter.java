package io.rivulet.engine.runtime;

import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.function.Sneaky;

import java.util.Arrays;

/**
 * Commits an epoch on the sink once every writer has ended it, in epoch order.
 *
 * <p>Thread-safe: writers on different task threads report to it; the commit runs on the thread of
 * the writer that completes the epoch, under this object's lock, so commits never overlap and each
 * sees everything the writers did before ending the epoch.
 */
final class EpochCommitter {
    private static final long FINISHED = Long.MAX_VALUE;

    private final Sink<?> sink;
    private final QueryRuntime query;
    private final long[] endedEpoch;
    private long highestEnded = -1;
    private long committed = -1;
    private int finishedWriters;

    /**
     * @param sink the sink
     * @param writers its writer count
     * @param query the query, told of each commit (progress) and of the end; {@code null} for a
     *     side sink (late data) whose commits make no progress reports
     */
    EpochCommitter(Sink<?> sink, int writers, QueryRuntime query) {
        this.sink = sink;
        this.query = query;
        this.endedEpoch = new long[writers];
        Arrays.fill(endedEpoch, -1);
    }

    synchronized void writerEnded(int writer, long epochId) {
        endedEpoch[writer] = epochId;
        highestEnded = Math.max(highestEnded, epochId);
        commitReady();
    }

    synchronized void writerFinished(int writer) {
        endedEpoch[writer] = FINISHED;
        finishedWriters++;
        commitReady();
        if (finishedWriters == endedEpoch.length && query != null) {
            query.onSinkFinished();
        }
    }

    private void commitReady() {
        long ready = FINISHED;
        for (long epoch : endedEpoch) {
            ready = Math.min(ready, epoch);
        }
        ready = Math.min(ready, highestEnded);
        while (committed < ready) {
            long epoch = committed + 1;
            try {
                sink.commit(epoch);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw Sneaky.rethrow(e);
            }
            committed = epoch;
            if (query != null) {
                query.onEpochCommitted(epoch);
            }
        }
    }
}
