package io.rivulet.engine.runtime;

import io.rivulet.engine.internal.QueryEvents;
import io.rivulet.engine.QueryProgress;

import java.util.concurrent.locks.LockSupport;

/**
 * Continuous mode: builds and publishes progress reports on a thread of its own, so the data thread
 * that commits an epoch only hands over the epoch id and two clock readings.
 *
 * <p>A report reads histograms of ~34k buckets several times (interval percentiles, merges, resets)
 * and then runs every listener: about 0.3 ms per epoch measured on the thread that committed it,
 * during which no record moved. Here the committing thread stores the epoch and unparks this thread.
 * When commits come faster than reports, they coalesce: one report covers every epoch committed
 * since the last one (its counters are deltas since that report), as a slow listener would otherwise
 * hold the query back.
 *
 * <p>Thread-safe: {@link #epochCommitted} is called by data threads (under the epoch committer's
 * lock), reports run on the publisher's thread, and {@link #finish} runs on the thread that ends the
 * query and waits for the publisher's last report.
 */
final class ProgressPublisher implements Runnable {
    private static final long IDLE_PARK_NS = 100_000_000L;

    private final QueryRuntime query;
    private final ProgressReporter reporter;
    private final QueryEvents events;
    private final Thread thread;
    private long pendingEpoch = -1;
    private long pendingNs;
    private long pendingMs;
    private long publishedEpoch = -1;
    private volatile boolean finishing;

    ProgressPublisher(QueryRuntime query, ProgressReporter reporter, QueryEvents events, String threadName) {
        this.query = query;
        this.reporter = reporter;
        this.events = events;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    Thread thread() {
        return thread;
    }

    void start() {
        thread.start();
    }

    /**
     * An epoch was committed; called on the committing thread, which it never blocks for long.
     *
     * @param epochId the committed epoch
     * @param nowNs monotonic time of the commit
     * @param nowMs wall time of the commit
     */
    void epochCommitted(long epochId, long nowNs, long nowMs) {
        synchronized (this) {
            pendingEpoch = epochId;
            pendingNs = nowNs;
            pendingMs = nowMs;
        }
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!finishing) {
            if (!publishPending()) {
                LockSupport.parkNanos(this, IDLE_PARK_NS);
            }
        }
        // Every task has ended: the last commit is already pending.
        publishPending();
    }

    /**
     * Lets the publisher's thread publish the last report and end, and waits for it, so every
     * committed epoch is reported, on the progress thread, before the query says it terminated.
     *
     * @throws InterruptedException if interrupted while waiting for the publisher's thread
     */
    void finish() throws InterruptedException {
        finishing = true;
        LockSupport.unpark(thread);
        if (thread.getState() == Thread.State.NEW) {
            // Never started: nobody else will publish what is left.
            publishPending();
        } else if (thread != Thread.currentThread()) {
            thread.join();
        }
    }

    /** @return whether there was a report to publish */
    private boolean publishPending() {
        long epoch;
        long nowNs;
        long nowMs;
        synchronized (this) {
            epoch = pendingEpoch;
            nowNs = pendingNs;
            nowMs = pendingMs;
        }
        if (epoch <= publishedEpoch) {
            return false;
        }
        publishedEpoch = epoch;
        QueryProgress report = reporter.report(epoch, nowNs, nowMs);
        events.onProgress(query, report);
        return true;
    }
}
