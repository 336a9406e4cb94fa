package io.rivulet.engine.sql;

import io.rivulet.engine.GroupStateOptions;
import io.rivulet.engine.KeyedStream;
import io.rivulet.engine.Stream;
import io.rivulet.engine.sql.internal.EncoderStateCodec;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.FlatMapGroupsWithStateFunction;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.groupstate.MapGroupsWithStateFunction;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * A Dataset grouped by a key a function computes (Spark's {@code KeyValueGroupedDataset}, made by
 * {@link Dataset#groupByKey}), for Spark's arbitrary stateful operations: {@link #mapGroupsWithState} and
 * {@link #flatMapGroupsWithState}, with a {@link io.rivulet.operators.groupstate.GroupState} per key and
 * {@link GroupStateTimeout}s in processing or event time. Compiled onto the typed
 * {@link KeyedStream#mapGroupsWithState} / {@link KeyedStream#flatMapGroupsWithState}: the same operator, the same
 * per-batch calls (a key's rows of one micro-batch in one call at the batch's end, then the keys whose timeout
 * passed with no rows), the same checkpointed state. The state is kept and checkpointed through the state
 * encoder, as Spark keeps it; keys through the engine's dynamic state codec (strings, boxed primitives, records,
 * lists; see {@code StateCodecs.dynamic()}).
 *
 * <p>Spark's rules ({@code UnsupportedOperationChecker}) are checked when the query starts, each error naming the
 * rule: {@code mapGroupsWithState} only in update output mode and not with an aggregation in the query;
 * {@code flatMapGroupsWithState} without an aggregation only with its own output mode equal to the query's, with one
 * only in append mode and before the aggregation; an event-time timeout only with a {@code withWatermark} upstream.
 * Rows at or behind the watermark never reach the function (Spark's late-data filter of the operator), counted in
 * progress as {@code numRowsDroppedByWatermark}.
 *
 * <p>Immutable and thread-safe, as {@link Dataset}.
 *
 * @param <K> key type
 * @param <V> value type (the grouped Dataset's element type, {@link Row} for a DataFrame)
 */
public final class KeyValueGroupedDataset<K, V> {
    private final Dataset<V> input;
    private final MapFunction<? super V, K> keyFunction;
    private final Encoder<K> keyEncoder;

    KeyValueGroupedDataset(Dataset<V> input, MapFunction<? super V, K> keyFunction, Encoder<K> keyEncoder) {
        this.input = input;
        this.keyFunction = keyFunction;
        this.keyEncoder = keyEncoder;
    }

    /**
     * @return the key encoder given to {@link Dataset#groupByKey} (Spark's {@code keyEncoder}; its schema describes
     *     the key)
     */
    public Encoder<K> keyEncoder() {
        return keyEncoder;
    }

    /**
     * Spark's {@code mapGroupsWithState(func, stateEncoder, outputEncoder)}: without a timeout.
     *
     * @param func the user function: one result per call; a throw or a {@code null} result fails the query
     * @param stateEncoder the state's encoder: the state is checkpointed as its rows
     * @param outputEncoder the results' encoder ({@code Encoders.row(schema)} for rows)
     * @param <S> state type
     * @param <U> result type
     * @return the Dataset of results
     */
    public <S, U> Dataset<U> mapGroupsWithState(MapGroupsWithStateFunction<K, V, S, U> func, Encoder<S> stateEncoder,
                                                Encoder<U> outputEncoder) {
        return mapGroupsWithState(func, stateEncoder, outputEncoder, GroupStateTimeout.NO_TIMEOUT);
    }

    /**
     * Spark's {@code mapGroupsWithState(func, stateEncoder, outputEncoder, timeoutConf)}: calls {@code func} with a
     * key, the key's new values and its state, and emits the one result it returns. The query must run in update
     * output mode without an aggregation (checked at start, Spark's "mapGroupsWithState is not supported with ...
     * output mode on a streaming DataFrame/Dataset").
     *
     * @param func the user function; a throw or a {@code null} result fails the query
     * @param stateEncoder the state's encoder: the state is checkpointed as its rows
     * @param outputEncoder the results' encoder
     * @param timeoutConf {@code NO_TIMEOUT}, {@code PROCESSING_TIME_TIMEOUT} or {@code EVENT_TIME_TIMEOUT} (needs a
     *     {@code withWatermark} upstream, checked at start)
     * @param <S> state type
     * @param <U> result type
     * @return the Dataset of results
     */
    public <S, U> Dataset<U> mapGroupsWithState(MapGroupsWithStateFunction<K, V, S, U> func, Encoder<S> stateEncoder,
                                                Encoder<U> outputEncoder, GroupStateTimeout timeoutConf) {
        Objects.requireNonNull(func, "func");
        Stream<U> results = keyed().mapGroupsWithState(options(stateEncoder, outputEncoder, timeoutConf), func);
        return new Dataset<>(input.rivulet(), results, outputEncoder);
    }

    /**
     * Spark's {@code flatMapGroupsWithState(func, outputMode, stateEncoder, outputEncoder, timeoutConf)}: as
     * {@link #mapGroupsWithState(MapGroupsWithStateFunction, Encoder, Encoder, GroupStateTimeout)}, but {@code func}
     * returns any number of results. Spark's rules, checked at start: without an aggregation in the query,
     * {@code outputMode} must be the query's output mode; with one, it must be append and the aggregation must come
     * after this operation.
     *
     * @param func the user function; a throw or a {@code null} element fails the query
     * @param outputMode this operation's output mode, {@link OutputMode#APPEND} or {@link OutputMode#UPDATE}
     * @param stateEncoder the state's encoder: the state is checkpointed as its rows
     * @param outputEncoder the results' encoder
     * @param timeoutConf the timeout kind (event time needs a {@code withWatermark} upstream, checked at start)
     * @param <S> state type
     * @param <U> result type
     * @return the Dataset of results
     * @throws IllegalArgumentException for {@link OutputMode#COMPLETE} (Spark's "The output mode of function should
     *     be append or update")
     */
    public <S, U> Dataset<U> flatMapGroupsWithState(FlatMapGroupsWithStateFunction<K, V, S, U> func, OutputMode outputMode,
                                                    Encoder<S> stateEncoder, Encoder<U> outputEncoder,
                                                    GroupStateTimeout timeoutConf) {
        Objects.requireNonNull(func, "func");
        Objects.requireNonNull(outputMode, "outputMode");
        Stream<U> results = keyed().flatMapGroupsWithState(outputMode, options(stateEncoder, outputEncoder, timeoutConf),
            func);
        return new Dataset<>(input.rivulet(), results, outputEncoder);
    }

    /** The input keyed by the key function; the operator keeps the values until the batch ends: new rows per record. */
    private KeyedStream<K, V> keyed() {
        MapFunction<? super V, K> fn = keyFunction;
        return input.stream().keyBy("groupByKey", value -> key(fn, value));
    }

    private <S> GroupStateOptions<V, S> options(Encoder<S> stateEncoder, Encoder<?> outputEncoder,
                                                GroupStateTimeout timeoutConf) {
        Objects.requireNonNull(stateEncoder, "stateEncoder");
        Objects.requireNonNull(outputEncoder, "outputEncoder");
        Objects.requireNonNull(timeoutConf, "timeoutConf");
        GroupStateOptions<V, S> options = GroupStateOptions.<V, S>of(timeoutConf)
            .withStateCodec(new EncoderStateCodec<>(stateEncoder));
        ToLongFunction<V> eventTime = input.watermarkEventTime();
        return eventTime == null ? options : options.withEventTime(eventTime);
    }

    private static <V, K> K key(MapFunction<? super V, K> fn, V value) {
        K key;
        try {
            key = fn.call(value);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e.toString(), e);
        }
        if (key == null) {
            throw new NullPointerException("groupByKey's key function returned null for " + value
                + ": Rivulet keys must not be null");
        }
        return key;
    }
}
