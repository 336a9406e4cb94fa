package io.rivulet.engine;

import io.rivulet.operators.dstream.MapWithStateFunction;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link PairDStream#mapWithState} runs (Spark's {@code StateSpec}): the function, and optionally
 * a timeout, the number of partitions and a codec for the state. Immutable; each setter returns a copy.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <S> state type
 * @param <R> mapped type
 */
public final class StateSpec<K, V, S, R> {
    private final MapWithStateFunction<K, V, S, R> function;
    private final Duration timeout;
    private final int numPartitions;
    private final StateCodec<S> stateCodec;

    private StateSpec(MapWithStateFunction<K, V, S, R> function, Duration timeout, int numPartitions,
                      StateCodec<S> stateCodec) {
        this.function = function;
        this.timeout = timeout;
        this.numPartitions = numPartitions;
        this.stateCodec = stateCodec;
    }

    /**
     * Spark's {@code StateSpec.function}.
     *
     * @param function called per record (and per timeout) with the key, value and state
     * @param <K> key type
     * @param <V> value type
     * @param <S> state type
     * @param <R> mapped type
     * @return the spec: no timeout, default partitions, state written with {@link StateCodecs#dynamic()}
     */
    public static <K, V, S, R> StateSpec<K, V, S, R> function(MapWithStateFunction<K, V, S, R> function) {
        return new StateSpec<>(Objects.requireNonNull(function, "function"), null, 0, StateCodecs.dynamic());
    }

    /**
     * A key whose function was not called with a value for longer than {@code idle} (counted in whole
     * batches: it times out at the first batch more than {@code idle} after its last call) is called
     * once more with no value and {@code isTimingOut()}, then removed.
     *
     * @param idle positive
     * @return a copy with the timeout
     * @throws IllegalArgumentException if {@code idle} is zero or negative
     */
    public StateSpec<K, V, S, R> timeout(Duration idle) {
        if (Objects.requireNonNull(idle, "timeout").isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("StateSpec timeout must be positive, got " + idle);
        }
        return new StateSpec<>(function, idle, numPartitions, stateCodec);
    }

    /**
     * @param partitions how many partitions hold the state, at least 1
     * @return a copy with them
     * @throws IllegalArgumentException if {@code partitions < 1}
     */
    public StateSpec<K, V, S, R> numPartitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("StateSpec numPartitions must be >= 1, got " + partitions);
        }
        return new StateSpec<>(function, timeout, partitions, stateCodec);
    }

    /**
     * @param codec writes the state in checkpoints (Rivulet's; Spark uses Java serialization)
     * @return a copy with it
     */
    public StateSpec<K, V, S, R> stateCodec(StateCodec<S> codec) {
        return new StateSpec<>(function, timeout, numPartitions, Objects.requireNonNull(codec, "codec"));
    }

    /** @return the function */
    public MapWithStateFunction<K, V, S, R> function() {
        return function;
    }

    /** @return the timeout, or {@code null} for none */
    public Duration timeout() {
        return timeout;
    }

    /** @return the partitions, or 0 for the engine's default */
    public int numPartitions() {
        return numPartitions;
    }

    /** @return the state codec */
    public StateCodec<S> stateCodec() {
        return stateCodec;
    }
}
