package io.rivulet.engine;

import io.rivulet.engine.internal.PlanNode;
import io.rivulet.engine.sink.Sink;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.dstream.BatchWindowOperator;
import io.rivulet.operators.dstream.DStreamSettings;
import io.rivulet.operators.dstream.MapWithStateOperator;
import io.rivulet.operators.dstream.UpdateStateByKeyOperator;
import io.rivulet.operators.dstream.UpdateStateFunction;
import io.rivulet.operators.function.ReduceFunction;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A DStream of key-value pairs (Spark's {@code JavaPairDStream}), from {@link DStream#mapToPair}: the
 * per-key operations. Each one partitions the pairs by key (over the engine's default number of
 * partitions) into a keyed, checkpointed operator of {@code io.rivulet.operators.dstream}; see
 * {@link DStream} for batches and windows, and {@code docs/dstreams.md} for what each compiles to.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <K> key type; needs {@code equals} and {@code hashCode}
 * @param <V> value type
 */
public final class PairDStream<K, V> extends DStream<KeyValue<K, V>> {
    /** Partitions of the keyed operations, or 0 for the engine's default. */
    private final int partitions;

    PairDStream(Stream<KeyValue<K, V>> stream, Duration batchInterval, Duration slide) {
        this(stream, batchInterval, slide, 0);
    }

    PairDStream(Stream<KeyValue<K, V>> stream, Duration batchInterval, Duration slide, int partitions) {
        super(stream, batchInterval, slide);
        this.partitions = partitions;
    }

    /**
     * @param fn transforms each value, keeping its key (Spark's {@code mapValues})
     * @param <W> new value type
     * @return the pair DStream
     */
    public <W> PairDStream<K, W> mapValues(Function<? super V, ? extends W> fn) {
        Objects.requireNonNull(fn, "fn");
        return new PairDStream<>(stream.map(kv -> new KeyValue<K, W>(kv.key(), fn.apply(kv.value()))), batchInterval, slide,
            partitions);
    }

    /**
     * @param predicate keeps the pairs that satisfy it (Spark's {@code filter} on a pair DStream)
     * @return the filtered pair DStream
     */
    @Override
    public PairDStream<K, V> filter(Predicate<? super KeyValue<K, V>> predicate) {
        return new PairDStream<>(stream.filter(predicate), batchInterval, slide, partitions);
    }

    /**
     * @return the values, without their keys
     */
    public DStream<V> values() {
        return new DStream<>(stream.map(KeyValue::value), batchInterval, slide);
    }

    /**
     * Reduces each key's values within each batch (Spark's {@code reduceByKey}): one
     * {@code (key, reduce)} per key with values in the batch; not running across batches.
     *
     * @param fn associative, commutative reduce
     * @return the reduces of each batch
     */
    public PairDStream<K, V> reduceByKey(ReduceFunction<V> fn) {
        Objects.requireNonNull(fn, "fn");
        return windowed("reduceByKey", slide, slide,
            settings -> BatchWindowOperator.reduce(fn, settings, slide.toMillis(), slide.toMillis()));
    }

    /**
     * Reduces each key's values over the window of the last {@code length} of batches, every
     * {@link #slideDuration()} (Spark's {@code reduceByKeyAndWindow(fn, windowDuration)}).
     *
     * @param fn associative, commutative reduce
     * @param length window length, a multiple of {@link #slideDuration()}
     * @return {@code (key, reduce)} per key with values in each window
     */
    public PairDStream<K, V> reduceByKeyAndWindow(ReduceFunction<V> fn, Duration length) {
        return reduceByKeyAndWindow(fn, length, slide);
    }

    /**
     * Reduces each key's values over sliding windows of batches (Spark's
     * {@code reduceByKeyAndWindow(fn, windowDuration, slideDuration)}): each window is reduced from the
     * per-batch reduces of its batches, in batch order.
     *
     * @param fn associative, commutative reduce
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often a window is emitted, a multiple of {@link #slideDuration()}
     * @return {@code (key, reduce)} per key with values in each window
     * @throws IllegalArgumentException if length or slide is not a positive multiple of this stream's slide
     */
    public PairDStream<K, V> reduceByKeyAndWindow(ReduceFunction<V> fn, Duration length, Duration slide) {
        Objects.requireNonNull(fn, "fn");
        checkWindow(length, slide);
        return windowed("reduceByKeyAndWindow", length, slide,
            settings -> BatchWindowOperator.reduce(fn, settings, length.toMillis(), slide.toMillis()));
    }

    /**
     * Reduces each key's values over sliding windows incrementally (Spark's
     * {@code reduceByKeyAndWindow(fn, invFn, windowDuration, slideDuration)}): each window's value is
     * the previous one reduced with the batches that entered and "inverse reduced" with those that
     * left. A key stays, with the value the inverse left (e.g. a count of 0), until it gets values
     * again; use the variant with a filter to drop such keys.
     *
     * @param fn associative, commutative reduce
     * @param inverse undoes {@code fn}: {@code inverse(fn(a, b), b) == a}
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often, a multiple of {@link #slideDuration()}
     * @return {@code (key, value)} per key in state at each window
     */
    public PairDStream<K, V> reduceByKeyAndWindow(ReduceFunction<V> fn, ReduceFunction<V> inverse, Duration length,
                                                  Duration slide) {
        return reduceByKeyAndWindow(fn, inverse, length, slide, null);
    }

    /**
     * {@link #reduceByKeyAndWindow(ReduceFunction, ReduceFunction, Duration, Duration)} with Spark's
     * {@code filterFunc}: at each window, a key whose {@code (key, value)} fails {@code filter} is not
     * emitted and is dropped from the state (e.g. {@code kv -> kv.value() != 0}).
     *
     * @param fn associative, commutative reduce
     * @param inverse undoes {@code fn}
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often, a multiple of {@link #slideDuration()}
     * @param filter which keys to keep, or {@code null} for all
     * @return {@code (key, value)} per key kept at each window
     */
    public PairDStream<K, V> reduceByKeyAndWindow(ReduceFunction<V> fn, ReduceFunction<V> inverse, Duration length,
                                                  Duration slide, Predicate<? super KeyValue<K, V>> filter) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inverse, "inverse");
        checkWindow(length, slide);
        return windowed("reduceByKeyAndWindow", length, slide, settings -> BatchWindowOperator.reduceWithInverse(fn, inverse,
            filter, settings, length.toMillis(), slide.toMillis()));
    }

    /**
     * The pairs of the last {@code length} of batches, every {@code slide} (Spark's {@code window}).
     *
     * @param length window length, a multiple of {@link #slideDuration()}
     * @param slide how often, a multiple of {@link #slideDuration()}
     * @return every pair of each window
     */
    @Override
    public PairDStream<K, V> window(Duration length, Duration slide) {
        DStream<KeyValue<K, V>> windowed = super.window(length, slide);
        return new PairDStream<>(windowed.stream, batchInterval, windowed.slide, partitions);
    }

    /**
     * Keeps each key's state across batches (Spark's {@code updateStateByKey}): at the end of every
     * batch, {@code fn} is called for each key with values in the batch or state (with no values for a
     * key with state only), and its result replaces the state; empty removes the key. Emits
     * {@code (key, state)} for every key with state, each batch. State is checkpointed with
     * {@link StateCodecs#dynamic()}.
     *
     * @param fn the update function; a throw fails the query
     * @param <S> state type
     * @return every key's state after each batch
     */
    public <S> PairDStream<K, S> updateStateByKey(UpdateStateFunction<V, S> fn) {
        return updateStateByKey(fn, StateCodecs.dynamic());
    }

    /**
     * {@link #updateStateByKey(UpdateStateFunction)} with a codec for the state.
     *
     * @param fn the update function
     * @param stateCodec writes the state in checkpoints
     * @param <S> state type
     * @return every key's state after each batch
     */
    public <S> PairDStream<K, S> updateStateByKey(UpdateStateFunction<V, S> fn, StateCodec<S> stateCodec) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(stateCodec, "stateCodec");
        Stream<KeyValue<K, S>> out = keyedOperation("updateStateByKey", partitions,
            settings -> new UpdateStateByKeyOperator<K, V, S>(fn, settings, stateCodec));
        return new PairDStream<>(out, batchInterval, slide, partitions);
    }

    /**
     * Keeps each key's state and maps each record with it (Spark's {@code mapWithState}): the spec's
     * function is called once per record, in arrival order, with the key, the value and the key's
     * {@link io.rivulet.operators.dstream.State}; with a timeout, once more for a key idle longer than
     * it ({@code isTimingOut()}, no value), after which the key is gone. The result is the mapped
     * records; {@link MapWithStateDStream#stateSnapshots()} gives every key's state each batch instead.
     *
     * @param spec the function, timeout, state codec and partitions
     * @param <S> state type
     * @param <R> mapped type
     * @return the mapped records
     */
    public <S, R> MapWithStateDStream<K, V, S, R> mapWithState(StateSpec<K, V, S, R> spec) {
        Objects.requireNonNull(spec, "spec");
        int parts = spec.numPartitions() > 0 ? spec.numPartitions() : partitions;
        long timeoutMs = spec.timeout() == null ? MapWithStateOperator.NO_TIMEOUT : spec.timeout().toMillis();
        Stream<R> mapped = keyedOperation("mapWithState", parts,
            settings -> MapWithStateOperator.mapped(spec.function(), timeoutMs, settings, spec.stateCodec()));
        Stream<KeyValue<K, S>> snapshots = keyedOperation("mapWithState.stateSnapshots", parts,
            settings -> MapWithStateOperator.snapshots(spec.function(), timeoutMs, settings, spec.stateCodec()));
        return new MapWithStateDStream<>(mapped, new PairDStream<>(snapshots, batchInterval, slide, parts), batchInterval,
            slide);
    }

    private PairDStream<K, V> windowed(String operation, Duration length, Duration windowSlide,
                                       Function<DStreamSettings<K, V>,
                                           BatchWindowOperator<K, V, KeyValue<K, V>>> create) {
        String name = operation + (operation.equals("reduceByKey") ? "" : "(" + length + ", " + windowSlide + ")");
        return new PairDStream<>(keyedOperation(name, partitions, create), batchInterval, windowSlide, partitions);
    }

    private <O> Stream<O> keyedOperation(String name, int parts,
                                         Function<DStreamSettings<K, V>,
                                             ? extends KeyedOperator<K, V, O>> create) {
        KeyedStream<K, KeyValue<K, V>> keyed = parts > 0 ? stream.keyBy("key", KeyValue::key, parts)
            : stream.keyBy("key", KeyValue::key);
        return keyed.keyed(name, PlanNode.KeyedKind.STATEFUL,
            new DStreamOperators.Factory<K, KeyValue<K, V>, V, O>(name, batchInterval.toMillis(), KeyValue::value, create));
    }

    @Override
    public String toString() {
        return "PairDStream[" + batchInterval + ", " + stream + "]";
    }

    /**
     * @param sink the sink
     * @return the writer, trigger set to the batch interval
     */
    @Override
    public DataStreamWriter<KeyValue<K, V>> writeStream(Sink<? super KeyValue<K, V>> sink) {
        return super.writeStream(sink);
    }
}
