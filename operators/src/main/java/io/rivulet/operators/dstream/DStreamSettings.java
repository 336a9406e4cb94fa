package io.rivulet.operators.dstream;

import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.util.Objects;

/**
 * How a DStream operator runs: the batch interval, the codecs its state is checkpointed with and the
 * key groups its partition owns. Immutable; each {@code with…} returns a copy. Validated when built.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class DStreamSettings<K, V> {
    private final long batchIntervalMs;
    private final StateCodec<K> keyCodec;
    private final StateCodec<V> valueCodec;
    private final int maxParallelism;
    private final KeyGroupRange keyGroups;

    private DStreamSettings(long batchIntervalMs, StateCodec<K> keyCodec, StateCodec<V> valueCodec, int maxParallelism,
                            KeyGroupRange keyGroups) {
        if (batchIntervalMs < 1) {
            throw new IllegalArgumentException("batchIntervalMs must be >= 1, got " + batchIntervalMs);
        }
        this.batchIntervalMs = batchIntervalMs;
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        this.keyGroups = Objects.requireNonNull(keyGroups, "keyGroups");
        if (keyGroups.end() > maxParallelism) {
            throw new IllegalArgumentException("keyGroups " + keyGroups + " exceed maxParallelism " + maxParallelism);
        }
    }

    /**
     * Settings with the dynamic codec for keys and values and every key group of the default max
     * parallelism (one partition).
     *
     * @param batchIntervalMs the batch interval, at least 1 ms
     * @param <K> key type
     * @param <V> value type
     * @return the settings
     * @throws IllegalArgumentException if the interval is below 1 ms
     */
    public static <K, V> DStreamSettings<K, V> of(long batchIntervalMs) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        return new DStreamSettings<>(batchIntervalMs, StateCodecs.dynamic(), StateCodecs.dynamic(), max,
            KeyGroups.rangeOf(0, max, 1));
    }

    /**
     * @param maxParallelism the number of key groups
     * @param keyGroups the key groups this partition owns
     * @return a copy with them
     */
    public DStreamSettings<K, V> withKeyGroups(int maxParallelism, KeyGroupRange keyGroups) {
        return new DStreamSettings<>(batchIntervalMs, keyCodec, valueCodec, maxParallelism, keyGroups);
    }

    /**
     * @param codec writes the values (window partials, buffered records) in snapshots
     * @return a copy with it
     */
    public DStreamSettings<K, V> withValueCodec(StateCodec<V> codec) {
        return new DStreamSettings<>(batchIntervalMs, keyCodec, codec, maxParallelism, keyGroups);
    }

    /**
     * @param codec writes the keys in snapshots
     * @return a copy with it
     */
    public DStreamSettings<K, V> withKeyCodec(StateCodec<K> codec) {
        return new DStreamSettings<>(batchIntervalMs, codec, valueCodec, maxParallelism, keyGroups);
    }

    /** @return the batch interval, ms */
    public long batchIntervalMs() {
        return batchIntervalMs;
    }

    /** @return the key codec */
    public StateCodec<K> keyCodec() {
        return keyCodec;
    }

    /** @return the value codec */
    public StateCodec<V> valueCodec() {
        return valueCodec;
    }

    /** @return the number of key groups */
    public int maxParallelism() {
        return maxParallelism;
    }

    /** @return the key groups this partition owns */
    public KeyGroupRange keyGroups() {
        return keyGroups;
    }
}
