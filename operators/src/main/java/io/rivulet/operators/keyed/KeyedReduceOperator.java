package io.rivulet.operators.keyed;

import io.rivulet.operators.function.ReduceFunction;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.StateCodec;

import java.util.Objects;

/**
 * Running per-key reduce: the first record of a key is its state; each later record is combined
 * with it. Emits the reduced value.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> record type
 */
public final class KeyedReduceOperator<K, T> extends RunningKeyedOperator<K, T, T, T> {
    private final ReduceFunction<T> fn;

    /**
     * @param fn combines the reduced value with a new record
     * @param emitPolicy when reduced values are emitted
     */
    public KeyedReduceOperator(ReduceFunction<T> fn, EmitPolicy emitPolicy) {
        this(fn, emitPolicy, null, null);
    }

    /**
     * @param fn combines the reduced value with a new record
     * @param emitPolicy when reduced values are emitted
     * @param keyCodec writes the keys in snapshots; {@code null} for the default codec
     * @param valueCodec writes and copies the reduced values; {@code null} for the default codec
     */
    public KeyedReduceOperator(ReduceFunction<T> fn, EmitPolicy emitPolicy, StateCodec<K> keyCodec,
                               StateCodec<T> valueCodec) {
        super(emitPolicy, keyCodec, valueCodec);
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    /**
     * @param fn combines the reduced value with a new record
     * @param emitPolicy when reduced values are emitted
     * @param keyCodec writes the keys in snapshots; {@code null} for the default codec
     * @param valueCodec writes and copies the reduced values; {@code null} for the default codec
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns
     */
    public KeyedReduceOperator(ReduceFunction<T> fn, EmitPolicy emitPolicy, StateCodec<K> keyCodec,
                               StateCodec<T> valueCodec, int maxParallelism, KeyGroupRange range) {
        super(emitPolicy, keyCodec, valueCodec, maxParallelism, range);
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    protected T update(T state, T value) throws Exception {
        return state == null ? value : fn.reduce(state, value);
    }

    @Override
    protected T output(K key, T state) {
        return state;
    }
}
