package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.function.AggregateFunction;

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
        super(emitPolicy);
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    protected A update(A state, T value) throws Exception {
        return fn.add(state == null ? fn.createAccumulator() : state, value);
    }

    @Override
    protected KeyValue<K, R> output(K key, A state) {
        return new KeyValue<>(key, fn.result(state));
    }
}
