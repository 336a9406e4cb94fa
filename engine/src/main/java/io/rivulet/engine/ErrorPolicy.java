package io.rivulet.engine;

import io.rivulet.engine.sink.Sink;

import java.util.Objects;

/**
 * What a query does with a record on which a user function throws (Kafka Streams'
 * {@code processing.exception.handler}, KIP-1033): fail the query ({@link #fail()}, the default),
 * drop the record and count it ({@link #skip()}), or send it with its failure to a dead-letter sink
 * of its own ({@link #deadLetter(Sink)}). Set with {@link DataStreamWriter#errorPolicy(ErrorPolicy)}.
 *
 * <p>Covered: the per-record calls of user functions in every stage, on the stage's input record:
 * {@code map}, {@code filter}, {@code flatMap}, custom {@code transform} operators, {@code keyBy} key
 * functions (and a {@code null} key), {@code withWatermark} event-time functions, and a keyed
 * operator's {@code process} (aggregate and reduce functions adding the record, a
 * {@code KeyedProcessFunction}'s {@code processElement}). Not covered, so still failing the query:
 * calls not made for one input record (timers, window results and flushes at a watermark, an epoch or
 * the end of input), the sink's own write (as in Kafka Streams, where writing out is a production
 * handler's business: a sink that refuses a record is an I/O fault), source readers, and
 * {@link Error}s. A record that failed half-way may have left effects behind: records the stage
 * emitted before it threw go on, and state it changed stays changed.
 *
 * <p>Skipped and dead-lettered records are counted in {@link QueryProgress#numRowsFailed()}; skipped
 * ones are logged at most once per {@link #SKIP_LOG_INTERVAL_MS} per task, with the count since the
 * previous line. Immutable.
 */
public final class ErrorPolicy {
    /** How often, at most, each task logs the records it skipped, in milliseconds. */
    public static final long SKIP_LOG_INTERVAL_MS = 10_000;

    private static final ErrorPolicy FAIL = new ErrorPolicy(Kind.FAIL, null);
    private static final ErrorPolicy SKIP = new ErrorPolicy(Kind.SKIP, null);

    /** The three behaviours. */
    public enum Kind {
        /** The query fails with the user function's exception as cause (the default). */
        FAIL,
        /** The record is dropped, counted and logged once per interval. */
        SKIP,
        /** The record goes to the dead-letter sink as a {@link DeadLetter}, and is counted. */
        DEAD_LETTER
    }

    private final Kind kind;
    private final Sink<? super DeadLetter> deadLetterSink;

    private ErrorPolicy(Kind kind, Sink<? super DeadLetter> deadLetterSink) {
        this.kind = kind;
        this.deadLetterSink = deadLetterSink;
    }

    /**
     * @return the default: a record on which a user function throws fails the query with that
     *     exception as cause (with a checkpoint location, the restart strategy then applies)
     */
    public static ErrorPolicy fail() {
        return FAIL;
    }

    /**
     * @return drop the failing record, count it in {@code numRowsFailed} and log once per interval
     */
    public static ErrorPolicy skip() {
        return SKIP;
    }

    /**
     * Sends each failing record, with the stage it failed in, its exception and its source position
     * where the runtime knows it, to {@code sink} as a {@link DeadLetter}. The sink is opened, committed
     * and recovered with the query's own sink: exactly-once when it is (a restarted query writes each
     * dead letter once), and a query that replays a poison record after a restart moves past it.
     *
     * @param sink a sink of its own: not the query's sink, nor one of its late-data or side-output sinks
     * @return the policy
     */
    public static ErrorPolicy deadLetter(Sink<? super DeadLetter> sink) {
        return new ErrorPolicy(Kind.DEAD_LETTER, Objects.requireNonNull(sink, "deadLetter sink"));
    }

    /**
     * @return which behaviour
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the dead-letter sink, or {@code null} unless {@link Kind#DEAD_LETTER}
     */
    public Sink<? super DeadLetter> deadLetterSink() {
        return deadLetterSink;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FAIL -> "fail";
            case SKIP -> "skip";
            case DEAD_LETTER -> "deadLetter(" + deadLetterSink.description() + ")";
        };
    }
}
