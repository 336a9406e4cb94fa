package io.rivulet.engine;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.window.SessionWindowOperator;
import io.rivulet.operators.window.WindowAggregateOperator;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.window.WindowedValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.topn.RankedValue;
import io.rivulet.operators.topn.WindowTopNOperator;

import java.util.Comparator;

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
        return aggregate(fn, null);
    }

    /**
     * Aggregates each key and window, checkpointing the accumulators with a codec of their own (for accumulators
     * the default {@link io.rivulet.operators.state.StateCodecs#dynamic()} cannot write, such as a sketch).
     *
     * @param fn the aggregate
     * @param accumulatorCodec writes, reads and copies the accumulators; {@code null} for the default codec
     * @param <A> accumulator type
     * @param <R> result type
     * @return one row per key and window, per the output mode
     */
    public <A, R> Stream<WindowedValue<K, R>> aggregate(AggregateFunction<? super T, A, R> fn,
                                                        StateCodec<A> accumulatorCodec) {
        Objects.requireNonNull(fn, "fn");
        // Tumbling windows may be pre-aggregated before the exchange; the planner decides where its rules allow.
        PlanNode.PreAggregation<T, A> preAggregation = windows != null && windows.isTumbling()
            ? new PlanNode.PreAggregation<>(windows, eventTimeMs, fn) : null;
        if (accumulatorCodec != null) {
            StateCodec<K> keys = StateCodecs.dynamic();
            if (windows != null) {
                return keyed.keyed("window(" + windows + ").aggregate", PlanNode.KeyedKind.WINDOW_AGGREGATION, lateSink,
                    preAggregation, context -> new WindowAggregateOperator<K, T, A, R>(windows, eventTimeMs, fn, context.outputMode(),
                        late(context.lateOutput()), keys, accumulatorCodec));
            }
            return keyed.keyed("sessionWindow.aggregate", PlanNode.KeyedKind.SESSION_AGGREGATION, lateSink,
                context -> new SessionWindowOperator<K, T, A, R>(sessionGapMs, eventTimeMs, fn, context.outputMode(),
                    late(context.lateOutput()), keys, accumulatorCodec));
        }
        if (windows != null) {
            return keyed.keyed("window(" + windows + ").aggregate", PlanNode.KeyedKind.WINDOW_AGGREGATION, lateSink,
                preAggregation, context -> new WindowAggregateOperator<K, T, A, R>(windows, eventTimeMs, fn,
                    context.outputMode(), late(context.lateOutput())));
        }
        return keyed.keyed("sessionWindow.aggregate", PlanNode.KeyedKind.SESSION_AGGREGATION, lateSink,
            context -> new SessionWindowOperator<K, T, A, R>(sessionGapMs, eventTimeMs, fn, context.outputMode(),
                late(context.lateOutput())));
    }

    /**
     * The {@code n} keys with the greatest aggregate in each window (the "top 10 most traded stocks of
     * every minute"): {@link #aggregate} per key and window, then a top-N per window over those rows.
     * In append mode a window's ranks 1..n are emitted once, when the watermark closes the window; in
     * update mode the ranks of a window whose key or value changed (per record in continuous mode, per
     * batch in micro-batch mode), until the watermark closes it. Aggregation rows for a window already
     * closed at the ranking stage are late: counted in progress, not ranked (see
     * {@link #topN(int, AggregateFunction, Comparator, Comparator, Sink)} to keep them).
     *
     * <p>The ranking stage is global: it runs in <b>one partition</b> under an internal single key
     * (no constant key from the user) and is checkpointed with the query. Not allowed in complete mode.
     *
     * @param n how many ranks per window, at least 1
     * @param fn the aggregate
     * @param order orders results; the greatest ranks first
     * @param ties orders keys with equal results, or {@code null}: the key whose row arrived first wins
     * @param <A> accumulator type
     * @param <R> result type
     * @return the ranks of each window ({@link RankedValue} with its window)
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public <A, R> Stream<RankedValue<K, R>> topN(int n, AggregateFunction<? super T, A, R> fn, Comparator<? super R> order,
                                                 Comparator<? super K> ties) {
        return topN(n, fn, order, ties, null, false);
    }

    /**
     * As {@link #topN(int, AggregateFunction, Comparator, Comparator)}, with the aggregation rows that
     * reach the ranking stage after their window closed there (late rows) written to {@code lateRows}
     * instead of dropped: each once, on the ranking stage's thread, committed with the query's epochs;
     * counted in progress ({@code numRowsDroppedByWatermark} of the ranking stage) either way. Records
     * late for the aggregation itself go to {@link #lateData(Sink)}, if set.
     *
     * @param n how many ranks per window, at least 1
     * @param fn the aggregate
     * @param order orders results; the greatest ranks first
     * @param ties orders keys with equal results, or {@code null}: the key whose row arrived first wins
     * @param lateRows where late aggregation rows go
     * @param <A> accumulator type
     * @param <R> result type
     * @return the ranks of each window ({@link RankedValue} with its window)
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws NullPointerException if {@code lateRows} is {@code null}
     */
    public <A, R> Stream<RankedValue<K, R>> topN(int n, AggregateFunction<? super T, A, R> fn, Comparator<? super R> order,
                                                 Comparator<? super K> ties, Sink<? super WindowedValue<K, R>> lateRows) {
        return topN(n, fn, order, ties, Objects.requireNonNull(lateRows, "lateRows"), true);
    }

    @SuppressWarnings("unchecked")
    private <A, R> Stream<RankedValue<K, R>> topN(int n, AggregateFunction<? super T, A, R> fn, Comparator<? super R> order,
                                                  Comparator<? super K> ties, Sink<? super WindowedValue<K, R>> lateRows,
                                                  boolean withLateRows) {
        Objects.requireNonNull(order, "order");
        if (n < 1) {
            throw new IllegalArgumentException("topN n must be >= 1, got " + n);
        }
        return aggregate(fn).global("window.topN(" + n + ")", withLateRows ? lateRows : null, context ->
            (KeyedOperator<Boolean, WindowedValue<K, R>, RankedValue<K, R>>) (KeyedOperator<?, ?, ?>)
                new WindowTopNOperator<K, R>(n, order, ties, context.outputMode() == OutputMode.APPEND,
                    !context.microBatch(), late(context.lateOutput())));
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
