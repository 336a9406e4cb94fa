package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.StateCodec;

import java.util.Objects;

/**
 * Running per-key aggregation with a user {@link AggregateFunction}. Emits
 * {@code (key, result(accumulator))}.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input type
 * @param <A> accumulator type
 * @param <R> result type
 */
public final class KeyedAggregateOperator<K, T, A, R> extends RunningKeyedOperator<K, T, A, KeyValue<K, R>> {
    private final AggregateFunction<? super T, A, R> fn;

    /**
     * @param fn the aggregate
     * @param emitPolicy when results are emitted
     */
    public KeyedAggregateOperator(AggregateFunction<? super T, A, R> fn, EmitPolicy emitPolicy) {
        this(fn, emitPolicy, null, null);
    }

    /**
     * @param fn the aggregate
     * @param emitPolicy when results are emitted
     * @param keyCodec writes the keys in snapshots; {@code null} for the default codec
     * @param accumulatorCodec writes and copies the accumulators; {@code null} for the default codec
     */
    public KeyedAggregateOperator(AggregateFunction<? super T, A, R> fn, EmitPolicy emitPolicy, StateCodec<K> keyCodec,
                                  StateCodec<A> accumulatorCodec) {
        super(emitPolicy, keyCodec, accumulatorCodec);
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    /**
     * @param fn the aggregate
     * @param emitPolicy when results are emitted
     * @param keyCodec writes the keys in snapshots; {@code null} for the default codec
     * @param accumulatorCodec writes and copies the accumulators; {@code null} for the default codec
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns
     */
    public KeyedAggregateOperator(AggregateFunction<? super T, A, R> fn, EmitPolicy emitPolicy, StateCodec<K> keyCodec,
                                  StateCodec<A> accumulatorCodec, int maxParallelism, KeyGroupRange range) {
        super(emitPolicy, keyCodec, accumulatorCodec, maxParallelism, range);
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    protected A update(A state, T value) throws Exception {
        return fn.add(state == null ? fn.createAccumulator() : state, value);
    }

    /** A read of a key's state returns the aggregate's result: {@code fn.result} of a copy of the accumulator. */
    @Override
    protected Object queriedValue(A stateCopy) {
        return fn.result(stateCopy);
    }

    @Override
    protected KeyValue<K, R> output(K key, A state) {
        return new KeyValue<>(key, fn.result(state));
    }
}
