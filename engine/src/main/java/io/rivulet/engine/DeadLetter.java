package io.rivulet.engine;

import java.util.List;
import java.util.Objects;

/**
 * A record a user function failed on, as {@link ErrorPolicy#deadLetter} writes it to its sink.
 *
 * <p>The source position is known for records that fail on a source's thread (the stateless chain
 * behind a source, a keyed stage fused into it, and every stage of a micro-batch query); past a
 * keyed exchange through rings (a stage on a thread of its own, or co-located on a producer's) the
 * runtime no longer knows which source record led to the failing one, and {@code source} is
 * {@code null}. Immutable.
 *
 * @param queryName the query
 * @param stage the stage whose user function threw, as plans and errors name it ({@code map},
 *     {@code filter}, {@code keyBy(symbol)}, {@code withWatermark}, {@code aggregate}, ...)
 * @param task the task that ran it, e.g. {@code rivulet-q-source-0}
 * @param record the record the stage was given (for a keyed stage with {@code copyingRecords}, a
 *     copy of it, since the stage's instance is reused)
 * @param exceptionClass the thrown exception's class name
 * @param exceptionMessage its message, or {@code null}
 * @param stackSummary up to {@link #STACK_FRAMES} top frames of its stack, {@code class.method:line}
 * @param epochId the epoch the record was processed in
 * @param source the source whose record led to the failure, or {@code null} if unknown
 * @param sourcePartition that source's partition, or -1 if unknown
 * @param sourceOffset the source's offset of the record the failing one came from (the journal offset
 *     of a journal or journaled source), or -1 where the source has none
 */
public record DeadLetter(String queryName, String stage, String task, Object record, String exceptionClass,
                         String exceptionMessage, List<String> stackSummary, long epochId, String source,
                         int sourcePartition, long sourceOffset) {
    /** The most stack frames a dead letter keeps. */
    public static final int STACK_FRAMES = 5;

    /**
     * Copies the stack summary.
     */
    public DeadLetter {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(exceptionClass, "exceptionClass");
        stackSummary = List.copyOf(stackSummary);
    }
}
