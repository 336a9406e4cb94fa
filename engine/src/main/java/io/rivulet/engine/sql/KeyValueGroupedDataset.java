package io.rivulet.engine.sql;

import io.rivulet.engine.GroupStateOptions;
import io.rivulet.engine.KeyedStream;
import io.rivulet.engine.Stream;
import io.rivulet.engine.sql.internal.EncoderStateCodec;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.ReduceFunction;
import io.rivulet.operators.keyed.EmitPolicy;
import io.rivulet.operators.groupstate.FlatMapGroupsWithStateFunction;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.groupstate.MapGroupsWithStateFunction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * <p>Also Spark's {@link #keys()}, {@link #count()}, {@link #reduceGroups} (streaming aggregations on the typed
 * {@link KeyedStream#count()} / {@link KeyedStream#aggregate}: update and complete output modes, append rejected at start),
 * {@link #mapValues} and the {@code initialState} overloads (a {@code Map} from key to state). {@link #mapGroups} and
 * {@link #flatMapGroups} are rejected, as Spark rejects them on a stream.
 *
 * <p>Immutable and thread-safe, as {@link Dataset}.
 *
 * @param <K> key type
 * @param <V> value type (the grouped Dataset's element type, {@link Row} for a DataFrame)
 */
public final class KeyValueGroupedDataset<K, V> {
    /** The grouped Dataset's elements as read (before any {@link #mapValues}); typed {@code Object} inside. */
    private final Dataset<Object> input;
    private final MapFunction<Object, K> keyFunction;
    private final Encoder<K> keyEncoder;
    /** The value of an input element: the element itself until {@link #mapValues}; never null. */
    private final MapFunction<Object, V> valueFunction;
    private final Encoder<V> valueEncoder;

    @SuppressWarnings("unchecked")
    KeyValueGroupedDataset(Dataset<V> input, MapFunction<? super V, K> keyFunction, Encoder<K> keyEncoder) {
        this((Dataset<Object>) (Dataset<?>) input, value -> keyFunction.call((V) value), keyEncoder,
            value -> (V) value, input.encoder());
    }

    private KeyValueGroupedDataset(Dataset<Object> input, MapFunction<Object, K> keyFunction, Encoder<K> keyEncoder,
                                   MapFunction<Object, V> valueFunction, Encoder<V> valueEncoder) {
        this.input = input;
        this.keyFunction = keyFunction;
        this.keyEncoder = keyEncoder;
        this.valueFunction = valueFunction;
        this.valueEncoder = valueEncoder;
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
        return mapGroupsWithState(func, stateEncoder, outputEncoder, timeoutConf, null);
    }

    /**
     * Spark's {@code mapGroupsWithState(func, stateEncoder, outputEncoder, timeoutConf, initialState)} (Spark 3.2+): as
     * {@link #mapGroupsWithState(MapGroupsWithStateFunction, Encoder, Encoder, GroupStateTimeout)}, with each key of
     * {@code initialState} starting with that state. Spark takes the initial state as a
     * {@code KeyValueGroupedDataset<K, S>} of a static Dataset; Rivulet takes the collected form, a map from key to
     * state (a static Dataset cannot be grouped in Rivulet), applied once before the first batch, as the typed
     * {@link KeyedStream#mapGroupsWithState(GroupStateOptions, Map, MapGroupsWithStateFunction)}. A restart from a
     * checkpoint restores the checkpointed state instead.
     *
     * @param func the user function; a throw or a {@code null} result fails the query
     * @param stateEncoder the state's encoder: the state is checkpointed as its rows
     * @param outputEncoder the results' encoder
     * @param timeoutConf the timeout kind (event time needs a {@code withWatermark} upstream, checked at start)
     * @param initialState key to initial state, copied now; {@code null} or empty for none
     * @param <S> state type
     * @param <U> result type
     * @return the Dataset of results
     * @throws IllegalArgumentException if a key or a state of {@code initialState} is {@code null}
     */
    public <S, U> Dataset<U> mapGroupsWithState(MapGroupsWithStateFunction<K, V, S, U> func, Encoder<S> stateEncoder,
                                                Encoder<U> outputEncoder, GroupStateTimeout timeoutConf,
                                                Map<? extends K, ? extends S> initialState) {
        Objects.requireNonNull(func, "func");
        MapFunction<Object, V> values = valueFunction;
        MapGroupsWithStateFunction<K, Object, S, U> onInput = (key, rows, state) ->
            func.call(key, new MappedIterator<>(rows, values), state);
        Stream<U> results = keyed().mapGroupsWithState(options(stateEncoder, outputEncoder, timeoutConf), initialState,
            onInput);
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
        return flatMapGroupsWithState(func, outputMode, stateEncoder, outputEncoder, timeoutConf, null);
    }

    /**
     * Spark's {@code flatMapGroupsWithState(func, outputMode, stateEncoder, outputEncoder, timeoutConf, initialState)}
     * (Spark 3.2+): as {@link #flatMapGroupsWithState(FlatMapGroupsWithStateFunction, OutputMode, Encoder, Encoder,
     * GroupStateTimeout)}, with each key of {@code initialState} starting with that state (Rivulet's form of Spark's
     * {@code KeyValueGroupedDataset<K, S>}: see
     * {@link #mapGroupsWithState(MapGroupsWithStateFunction, Encoder, Encoder, GroupStateTimeout, Map)}).
     *
     * @param func the user function; a throw or a {@code null} element fails the query
     * @param outputMode this operation's output mode, {@link OutputMode#APPEND} or {@link OutputMode#UPDATE}
     * @param stateEncoder the state's encoder: the state is checkpointed as its rows
     * @param outputEncoder the results' encoder
     * @param timeoutConf the timeout kind (event time needs a {@code withWatermark} upstream, checked at start)
     * @param initialState key to initial state, copied now; {@code null} or empty for none
     * @param <S> state type
     * @param <U> result type
     * @return the Dataset of results
     * @throws IllegalArgumentException for {@link OutputMode#COMPLETE}, or if a key or a state of
     *     {@code initialState} is {@code null}
     */
    public <S, U> Dataset<U> flatMapGroupsWithState(FlatMapGroupsWithStateFunction<K, V, S, U> func, OutputMode outputMode,
                                                    Encoder<S> stateEncoder, Encoder<U> outputEncoder,
                                                    GroupStateTimeout timeoutConf,
                                                    Map<? extends K, ? extends S> initialState) {
        Objects.requireNonNull(func, "func");
        Objects.requireNonNull(outputMode, "outputMode");
        MapFunction<Object, V> values = valueFunction;
        FlatMapGroupsWithStateFunction<K, Object, S, U> onInput = (key, rows, state) ->
            func.call(key, new MappedIterator<>(rows, values), state);
        Stream<U> results = keyed().flatMapGroupsWithState(outputMode, options(stateEncoder, outputEncoder, timeoutConf),
            initialState, onInput);
        return new Dataset<>(input.rivulet(), results, outputEncoder);
    }

    /**
     * Spark's {@code mapValues(func, encoder)}: the same groups, each value replaced by {@code func} of it. The
     * function runs where the grouped operation reads its values (inside {@link #mapGroupsWithState}'s iterator, in
     * {@link #reduceGroups}); the keys stay those of the original values.
     *
     * @param func the new value of a value; a throw fails the query
     * @param encoder the new values' encoder
     * @param <W> new value type
     * @return the grouped Dataset of the new values
     */
    public <W> KeyValueGroupedDataset<K, W> mapValues(MapFunction<? super V, W> func, Encoder<W> encoder) {
        Objects.requireNonNull(func, "func");
        Objects.requireNonNull(encoder, "encoder");
        MapFunction<Object, V> values = valueFunction;
        return new KeyValueGroupedDataset<>(input, keyFunction, keyEncoder, value -> func.call(values.call(value)),
            encoder);
    }

    /**
     * Spark's {@code keys()}: the distinct keys, a streaming aggregation in Spark (its plan is an {@code Aggregate} over
     * the keys) and so here, compiled onto a per-key count: in update mode a key once per batch in which it had rows,
     * in complete mode every key seen each batch, append mode rejected at start (an aggregation without a watermark
     * in its key).
     *
     * @return the Dataset of keys, encoded by the key encoder
     */
    public Dataset<K> keys() {
        Stream<K> keys = keyed().count().map(KeyValue::key);
        return new Dataset<>(input.rivulet(), keys, keyEncoder);
    }

    /**
     * Spark's {@code count()}: the running count of rows per key. Spark returns a {@code Dataset<(K, Long)>}; Rivulet
     * returns its DataFrame form, a {@code Dataset<Row>} of the key's columns then {@code count(1) BIGINT} (Spark's
     * column names): a key with a one-field encoder ({@code Encoders.STRING()}) gives one column {@code key}, a record or
     * bean key its fields. A streaming aggregation: update and complete mode; append rejected at start (no watermark
     * in the key, Spark's rule). The counts are checkpointed.
     *
     * @return the DataFrame of {@code (key columns..., count(1))}
     */
    public Dataset<Row> count() {
        StructType schema = pairSchema(new StructField("count(1)", DataTypes.LongType, false), null);
        Encoder<K> keys = keyEncoder;
        Stream<Row> rows = keyed().count().map(kv -> pairRow(schema, keys, kv.key(), new Object[] {kv.value()}));
        return new Dataset<>(input.rivulet(), rows, Encoders.row(schema));
    }

    /**
     * Spark's {@code reduceGroups(func)}: the running reduction of each key's values. Spark returns a
     * {@code Dataset<(K, V)>}; Rivulet returns a {@code Dataset<Row>} of the key's columns (as {@link #count()}) then
     * the value's columns (a one-field value encoder gives one column {@code value}; a {@link Row} or record value its
     * fields). A streaming aggregation: update and complete mode; append rejected at start. The reduced values are
     * checkpointed through the value encoder.
     *
     * @param func combines the reduction so far with the next value; a throw fails the query
     * @return the DataFrame of {@code (key columns..., value columns...)}
     * @throws AnalysisException if a value column has the name of a key column
     */
    public Dataset<Row> reduceGroups(ReduceFunction<V> func) {
        Objects.requireNonNull(func, "func");
        StructType schema = pairSchema(null, valueEncoder.schema());
        Encoder<K> keys = keyEncoder;
        Encoder<V> values = valueEncoder;
        Stream<Row> rows = keyed().aggregate(new Reduction<>(valueFunction, func), EmitPolicy.EVERY_RECORD,
                new EncoderStateCodec<>(valueEncoder))
            .map(kv -> pairRow(schema, keys, kv.key(), fields(values, kv.value())));
        return new Dataset<>(input.rivulet(), rows, Encoders.row(schema));
    }

    /**
     * Spark's {@code mapGroups(func, encoder)}: rejected on a stream, as Spark's {@code UnsupportedOperationChecker}
     * does (a group of an unbounded stream never ends). Rivulet groups only streams ({@link Dataset#groupByKey}), so
     * this always throws; use {@link #mapGroupsWithState}.
     *
     * @param func the function Spark would call once per group
     * @param encoder the results' encoder
     * @param <U> result type
     * @return never
     * @throws AnalysisException always, with Spark's message
     */
    public <U> Dataset<U> mapGroups(MapGroupsFunction<K, V, U> func, Encoder<U> encoder) {
        throw notOnStream("mapGroups", "mapGroupsWithState");
    }

    /**
     * Spark's {@code flatMapGroups(func, encoder)}: rejected on a stream, as in Spark ({@code flatMapGroups} runs only
     * on a batch Dataset). Always throws in Rivulet; use {@link #flatMapGroupsWithState}.
     *
     * @param func the function Spark would call once per group
     * @param encoder the results' encoder
     * @param <U> result type
     * @return never
     * @throws AnalysisException always, with Spark's message
     */
    public <U> Dataset<U> flatMapGroups(FlatMapGroupsFunction<K, V, U> func, Encoder<U> encoder) {
        throw notOnStream("flatMapGroups", "flatMapGroupsWithState");
    }

    private static AnalysisException notOnStream(String operation, String instead) {
        return new AnalysisException("UNSUPPORTED_FEATURE", operation + " is not supported on streaming"
            + " DataFrames/Datasets: a group of an unbounded stream never ends; use " + instead);
    }

    /** The key's columns ({@code key} for a one-field key encoder), then {@code extra} or {@code valueSchema}'s. */
    private StructType pairSchema(StructField extra, StructType valueSchema) {
        List<StructField> fields = new ArrayList<>();
        StructType keySchema = keyEncoder.schema();
        if (keySchema.size() == 1) {
            StructField f = keySchema.apply(0);
            fields.add(new StructField("key", f.dataType(), f.nullable()));
        } else {
            fields.addAll(List.of(keySchema.fields()));
        }
        if (extra != null) {
            fields.add(extra);
        } else {
            for (StructField f : valueSchema.fields()) {
                for (StructField k : fields) {
                    if (k.name().equalsIgnoreCase(f.name())) {
                        throw new AnalysisException("AMBIGUOUS_REFERENCE", "reduceGroups: value column '" + f.name()
                            + "' has the name of a key column; rename one of them (mapValues)");
                    }
                }
                fields.add(f);
            }
        }
        return new StructType(fields);
    }

    private static <T> Object[] fields(Encoder<T> encoder, T value) {
        Row row = encoder.toRow(value);
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }

    private static <K> Row pairRow(StructType schema, Encoder<K> keyEncoder, K key, Object[] rest) {
        Object[] keyFields = fields(keyEncoder, key);
        Object[] all = new Object[keyFields.length + rest.length];
        System.arraycopy(keyFields, 0, all, 0, keyFields.length);
        System.arraycopy(rest, 0, all, keyFields.length, rest.length);
        return Row.of(schema, all);
    }

    /** reduceGroups as an aggregate: the accumulator is the reduction so far, {@code null} before the first value. */
    private record Reduction<V>(MapFunction<Object, V> values, ReduceFunction<V> func)
        implements AggregateFunction<Object, V, V> {
        @Override
        public V createAccumulator() {
            return null;
        }

        @Override
        public V add(V accumulator, Object value) throws Exception {
            V v = values.call(value);
            return accumulator == null ? v : func.reduce(accumulator, v);
        }

        @Override
        public V merge(V a, V b) {
            try {
                return a == null ? b : b == null ? a : func.reduce(a, b);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e.toString(), e);
            }
        }

        @Override
        public V result(V accumulator) {
            return accumulator;
        }
    }

    /** A group's values as the user function sees them: each input element through the value function. */
    private record MappedIterator<V>(Iterator<Object> rows, MapFunction<Object, V> values) implements Iterator<V> {
        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public V next() {
            try {
                return values.call(rows.next());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e.toString(), e);
            }
        }
    }

    /** The input keyed by the key function; the operator keeps the values until the batch ends: new rows per record. */
    private KeyedStream<K, Object> keyed() {
        MapFunction<Object, K> fn = keyFunction;
        return input.stream().keyBy("groupByKey", value -> key(fn, value));
    }

    private <S> GroupStateOptions<Object, S> options(Encoder<S> stateEncoder, Encoder<?> outputEncoder,
                                                     GroupStateTimeout timeoutConf) {
        Objects.requireNonNull(stateEncoder, "stateEncoder");
        Objects.requireNonNull(outputEncoder, "outputEncoder");
        Objects.requireNonNull(timeoutConf, "timeoutConf");
        GroupStateOptions<Object, S> options = GroupStateOptions.<Object, S>of(timeoutConf)
            .withStateCodec(new EncoderStateCodec<>(stateEncoder));
        ToLongFunction<Object> eventTime = input.watermarkEventTime();
        return eventTime == null ? options : options.withEventTime(eventTime);
    }

    private static <K> K key(MapFunction<Object, K> fn, Object value) {
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
