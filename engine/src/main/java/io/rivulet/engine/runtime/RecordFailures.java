package io.rivulet.engine.runtime;

import io.rivulet.engine.DeadLetter;
import io.rivulet.engine.ErrorPolicy;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One task's side of the query's {@link ErrorPolicy} when it is skip or dead-letter (under the
 * default, fail, a task has none and {@link TaskContext#onRecordFailure} rethrows). Counts each
 * failed record; skip logs at most once per {@link ErrorPolicy#SKIP_LOG_INTERVAL_MS} with the count
 * since the last line; dead-letter writes a {@link DeadLetter} to this task's writer of the
 * dead-letter sink, whose epochs end with the task's (so the sink commits with the query's).
 *
 * <p>Not thread-safe; owned by the task's thread. Nothing here runs unless a user function threw.
 */
final class RecordFailures {
    private static final System.Logger LOG = System.getLogger(RecordFailures.class.getName());
    /** Characters of a record's text kept in a log line or an exception note. */
    static final int RECORD_TEXT_LIMIT = 200;

    private final String queryName;
    private final SinkLink<Object> deadLetters;
    private final NanoClock clock;
    private final long logIntervalNs;
    private long skippedSinceLog;
    private long nextLogNs = Long.MIN_VALUE;

    /**
     * @param queryName the query, for dead letters and log lines
     * @param deadLetters this task's dead-letter writer, or {@code null} to skip
     * @param clock read only when a record is skipped, for the log interval
     * @param logIntervalMs skip: the least time between two log lines of this task
     */
    RecordFailures(String queryName, SinkLink<Object> deadLetters, NanoClock clock, long logIntervalMs) {
        this.queryName = queryName;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.logIntervalNs = TimeUnit.MILLISECONDS.toNanos(logIntervalMs);
    }

    void handle(TaskContext context, String stage, Object record, RuntimeException e) {
        context.recordsFailed.lazySet(context.recordsFailed.get() + 1);
        if (deadLetters != null) {
            // A failing dead-letter sink is an I/O fault: SinkLink passes it through to fail the query.
            deadLetters.emit(deadLetter(context, stage, record, e));
            return;
        }
        skippedSinceLog++;
        long now = clock.nanoTime();
        if (now - nextLogNs >= 0 || nextLogNs == Long.MIN_VALUE) {
            LOG.log(System.Logger.Level.WARNING, "query '" + queryName + "': skipped " + skippedSinceLog
                + " record(s) a user function failed on (error policy skip); latest: " + describe(context, stage, record), e);
            skippedSinceLog = 0;
            nextLogNs = now + logIntervalNs;
        }
    }

    /** The task's epoch {@code epochId} ended: so does its dead-letter writer's. */
    void onEpoch(long epochId) {
        if (deadLetters != null) {
            deadLetters.onEpoch(epochId);
        }
    }

    /** The task ends: so does its dead-letter writer. */
    void onEnd(boolean flush) {
        if (deadLetters != null) {
            deadLetters.onEnd(flush);
        }
    }

    private DeadLetter deadLetter(TaskContext context, String stage, Object record, RuntimeException e) {
        SourceTask<?> source = context.recordSource();
        return new DeadLetter(queryName, stage, context.name, record, e.getClass().getName(), e.getMessage(),
            stackSummary(e), context.epoch, source == null ? null : source.sourceDescription(),
            source == null ? -1 : source.partition(), source == null ? -1 : source.lastEmittedOffset());
    }

    static List<String> stackSummary(Throwable e) {
        StackTraceElement[] frames = e.getStackTrace();
        int n = Math.min(DeadLetter.STACK_FRAMES, frames.length);
        List<String> summary = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            summary.add(frames[i].getClassName() + "." + frames[i].getMethodName() + ":" + frames[i].getLineNumber());
        }
        return summary;
    }

    /**
     * Under the default policy: notes on {@code e}, once, which record failed where (as a suppressed
     * {@link FailedRecord}), so the query's failure names it.
     *
     * @return {@code e}
     */
    static RuntimeException identified(TaskContext context, String stage, Object record, RuntimeException e) {
        for (Throwable suppressed : e.getSuppressed()) {
            if (suppressed instanceof FailedRecord) {
                return e;
            }
        }
        e.addSuppressed(new FailedRecord(describe(context, stage, record)));
        return e;
    }

    /**
     * Under the default policy, where no stage catches: notes on a failure leaving a task's cycle, once,
     * the task, its epoch and the source record in flight (the stack trace names the stage). Failures of
     * the runtime's own (an abort, a termination, one already noted) pass unchanged.
     *
     * @return {@code e}
     */
    static RuntimeException identified(TaskContext context, RuntimeException e) {
        if (e instanceof AgentTerminationException || e instanceof QueryAbortedException) {
            return e;
        }
        Throwable noted = e instanceof ChainFailure && e.getCause() != null ? e.getCause() : e;
        for (Throwable suppressed : noted.getSuppressed()) {
            if (suppressed instanceof FailedRecord) {
                return e;
            }
        }
        noted.addSuppressed(new FailedRecord(describe(context, null, null)));
        return e;
    }

    static String describe(TaskContext context, String stage, Object record) {
        StringBuilder out = new StringBuilder(128);
        if (stage != null) {
            out.append("stage '").append(stage).append("', ");
        }
        out.append("task ").append(context.name).append(", epoch ").append(context.epoch);
        SourceTask<?> source = context.recordSource();
        if (source != null) {
            out.append(", source ").append(source.sourceDescription()).append(" partition ").append(source.partition());
            long offset = source.lastEmittedOffset();
            if (offset >= 0) {
                out.append(" offset ").append(offset);
            }
        }
        return stage == null ? out.toString() : out.append(", record ").append(recordText(record)).toString();
    }

    private static String recordText(Object record) {
        String text;
        try {
            text = String.valueOf(record);
        } catch (RuntimeException e) {
            text = record.getClass().getName() + " (toString threw " + e.getClass().getName() + ")";
        }
        return text.length() <= RECORD_TEXT_LIMIT ? text : text.substring(0, RECORD_TEXT_LIMIT) + "...";
    }

    /** Names the record a user function failed on, attached to its exception; no stack trace. */
    static final class FailedRecord extends RuntimeException {
        FailedRecord(String message) {
            super("failed record: " + message, null, false, false);
        }
    }
}
