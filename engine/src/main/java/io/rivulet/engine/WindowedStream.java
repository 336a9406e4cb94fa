package io.rivulet.engine;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.window.SessionWindowOperator;
import io.rivulet.operators.window.WindowAggregateOperator;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.window.WindowedValue;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * A keyed stream grouped by event-time window: Spark's {@code groupBy(window(..), key)} or
 * {@code groupBy(session_window(..), key)}. Aggregating it gives one row per key and window, emitted
 * according to the query's output mode:
 * <ul>
 *   <li>append: once, when the watermark passes the window's end (then its state is dropped);</li>
 *   <li>update: each changed (key, window) once per epoch;</li>
 *   <li>complete: every (key, window) every epoch; nothing is evicted.</li>
 * </ul>
 * A record is late when its window's end (for sessions: its own event time + gap) is at or behind
 * the watermark: it is dropped and counted in progress ({@code numRowsDroppedByWatermark}), or,
 * with {@link #lateData(Sink)}, written to a sink of its own. Append mode needs a
 * {@code withWatermark} upstream.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <K> key type
 * @param <T> record type
 */
public final class WindowedStream<K, T> {
    private final KeyedStream<K, T> keyed;
    private final WindowAssigner windows;
    private final ToLongFunction<? super T> sessionGapMs;
    private final ToLongFunction<? super T> eventTimeMs;
    private final Sink<? super T> lateSink;

    WindowedStream(KeyedStream<K, T> keyed, WindowAssigner windows, ToLongFunction<? super T> sessionGapMs,
                   ToLongFunction<? super T> eventTimeMs, Sink<? super T> lateSink) {
        this.keyed = keyed;
        this.windows = windows;
        this.sessionGapMs = sessionGapMs;
        this.eventTimeMs = Objects.requireNonNull(eventTimeMs, "eventTimeMs");
        this.lateSink = lateSink;
    }

    /**
     * Sends late records to a sink instead of dropping them (Spark has no such option): each record
     * that was late for every window it belongs to is written once, on the thread of its partition;
     * the sink commits with the query's epochs.
     *
     * @param sink where late records go
     * @return a copy with the late-data sink
     */
    public WindowedStream<K, T> lateData(Sink<? super T> sink) {
        return new WindowedStream<>(keyed, windows, sessionGapMs, eventTimeMs, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Aggregates each key and window.
     *
     * @param fn the aggregate; {@link Aggregates#of} combines several
     * @param <A> accumulator type
     * @param <R> result type
     * @return one row per key and window, per the output mode
     */
    public <A, R> Stream<WindowedValue<K, R>> aggregate(AggregateFunction<? super T, A, R> fn) {
        Objects.requireNonNull(fn, "fn");
        if (windows != null) {
            return keyed.keyed("window(" + windows + ").aggregate", PlanNode.KeyedKind.WINDOW_AGGREGATION, lateSink,
                context -> new WindowAggregateOperator<K, T, A, R>(windows, eventTimeMs, fn, context.outputMode(),
                    late(context.lateOutput())));
        }
        return keyed.keyed("sessionWindow.aggregate", PlanNode.KeyedKind.SESSION_AGGREGATION, lateSink,
            context -> new SessionWindowOperator<K, T, A, R>(sessionGapMs, eventTimeMs, fn, context.outputMode(),
                late(context.lateOutput())));
    }

    /**
     * Counts the records of each key and window.
     *
     * @return one {@code (key, window, count)} row per key and window, per the output mode
     */
    public Stream<WindowedValue<K, Long>> count() {
        return aggregate(Aggregates.<T>count());
    }

    @SuppressWarnings("unchecked")
    private static <T> Output<? super T> late(Output<Object> lateOutput) {
        return (Output<? super T>) (Output<?>) lateOutput;
    }
}
