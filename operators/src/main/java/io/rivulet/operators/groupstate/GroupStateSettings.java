package io.rivulet.operators.groupstate;

import io.rivulet.operators.Output;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * How a {@link GroupStateOperator} runs: its timeout kind, codecs, key groups, execution mode and
 * late-row handling. Immutable and thread-safe; each {@code with…} method returns a copy.
 *
 * @param <K> key type
 * @param <V> value (input record) type
 * @param <S> state type
 */
public final class GroupStateSettings<K, V, S> {
    private final GroupStateTimeout timeout;
    private final StateCodec<S> stateCodec;
    private final StateCodec<K> keyCodec;
    private final int maxParallelism;
    private final KeyGroupRange keyGroups;
    private final boolean microBatch;
    private final boolean watermarkPresent;
    private final ToLongFunction<? super V> eventTimeMs;
    private final Output<Object> lateOutput;
    private final Map<K, S> initialState;

    private GroupStateSettings(GroupStateTimeout timeout, StateCodec<S> stateCodec, StateCodec<K> keyCodec,
                               int maxParallelism, KeyGroupRange keyGroups, boolean microBatch, boolean watermarkPresent,
                               ToLongFunction<? super V> eventTimeMs, Output<Object> lateOutput, Map<K, S> initialState) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.stateCodec = Objects.requireNonNull(stateCodec, "stateCodec");
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        this.keyGroups = Objects.requireNonNull(keyGroups, "keyGroups");
        if (keyGroups.end() > maxParallelism) {
            throw new IllegalArgumentException("keyGroups " + keyGroups + " exceed maxParallelism " + maxParallelism);
        }
        this.microBatch = microBatch;
        this.watermarkPresent = watermarkPresent;
        this.eventTimeMs = eventTimeMs;
        this.lateOutput = lateOutput;
        this.initialState = initialState;
    }

    /**
     * Continuous mode, every key group of {@link KeyGroups#DEFAULT_MAX_PARALLELISM}, keys and state
     * written with {@link StateCodecs#dynamic()}, a watermark present, no late-row check.
     *
     * @param timeout the timeout kind
     * @param <K> key type
     * @param <V> value type
     * @param <S> state type
     * @return the settings
     */
    public static <K, V, S> GroupStateSettings<K, V, S> of(GroupStateTimeout timeout) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        return new GroupStateSettings<>(timeout, StateCodecs.dynamic(), StateCodecs.dynamic(), max,
            new KeyGroupRange(0, max), false, true, null, null, null);
    }

    /**
     * @param stateCodec writes state values in snapshots
     * @return a copy with it
     */
    public GroupStateSettings<K, V, S> withStateCodec(StateCodec<S> stateCodec) {
        return new GroupStateSettings<>(timeout, stateCodec, keyCodec, maxParallelism, keyGroups, microBatch,
            watermarkPresent, eventTimeMs, lateOutput, initialState);
    }

    /**
     * @param keyCodec writes keys in snapshots
     * @return a copy with it
     */
    public GroupStateSettings<K, V, S> withKeyCodec(StateCodec<K> keyCodec) {
        return new GroupStateSettings<>(timeout, stateCodec, keyCodec, maxParallelism, keyGroups, microBatch,
            watermarkPresent, eventTimeMs, lateOutput, initialState);
    }

    /**
     * @param maxParallelism the number of key groups
     * @param keyGroups the key groups this partition owns
     * @return a copy with them
     */
    public GroupStateSettings<K, V, S> withKeyGroups(int maxParallelism, KeyGroupRange keyGroups) {
        return new GroupStateSettings<>(timeout, stateCodec, keyCodec, maxParallelism, keyGroups, microBatch,
            watermarkPresent, eventTimeMs, lateOutput, initialState);
    }

    /**
     * @param microBatch {@code true}: a key's values of one epoch are buffered and passed in one call at
     *     the epoch's end, then timeouts fire (Spark's micro-batch shape); {@code false}: one call per
     *     record, timeouts as the watermark and processing time pass
     * @return a copy with it
     */
    public GroupStateSettings<K, V, S> withMicroBatch(boolean microBatch) {
        return new GroupStateSettings<>(timeout, stateCodec, keyCodec, maxParallelism, keyGroups, microBatch,
            watermarkPresent, eventTimeMs, lateOutput, initialState);
    }

    /**
     * @param watermarkPresent whether the query has a watermark upstream ({@link GroupState#getCurrentWatermarkMs()}
     *     throws otherwise)
     * @return a copy with it
     */
    public GroupStateSettings<K, V, S> withWatermarkPresent(boolean watermarkPresent) {
        return new GroupStateSettings<>(timeout, stateCodec, keyCodec, maxParallelism, keyGroups, microBatch,
            watermarkPresent, eventTimeMs, lateOutput, initialState);
    }

    /**
     * @param eventTimeMs a record's event time, epoch ms; records at or behind the watermark are late
     *     and never reach the function ({@code null}: no record is late)
     * @param lateOutput where late records go, or {@code null} to drop them (they are counted either way)
     * @return a copy with them
     */
    public GroupStateSettings<K, V, S> withLateRows(ToLongFunction<? super V> eventTimeMs, Output<Object> lateOutput) {
        return new GroupStateSettings<>(timeout, stateCodec, keyCodec, maxParallelism, keyGroups, microBatch,
            watermarkPresent, eventTimeMs, lateOutput, initialState);
    }

    /**
     * Spark's initial state ({@code mapGroupsWithState(func, timeout, initialState)}): each key's state
     * value when the query starts for the first time. Applied once, before the first batch (micro-batch
     * mode: at the first epoch's end, before the epoch's calls; continuous mode: before the first
     * record); every key of it owned by the partition is then called once with its initial state (a
     * key with data in the first batch in that call, with its values; a key without, with no values,
     * {@code hasTimedOut()} false), without a timeout. Not applied again when the operator is restored
     * from a checkpoint taken after it was applied. The values are copied with the state codec when
     * applied, so one map may serve every partition.
     *
     * @param initialState key to initial state value; keys and values non-null; {@code null} or empty
     *     for none. Copied
     * @return a copy with it
     * @throws IllegalArgumentException if a key or value is {@code null} (the message names the key)
     */
    public GroupStateSettings<K, V, S> withInitialState(Map<? extends K, ? extends S> initialState) {
        return new GroupStateSettings<>(timeout, stateCodec, keyCodec, maxParallelism, keyGroups, microBatch,
            watermarkPresent, eventTimeMs, lateOutput, checkInitialState(initialState));
    }

    /**
     * Validates and copies an initial state (insertion order kept).
     *
     * @param initialState key to initial state value, or {@code null}
     * @param <K> key type
     * @param <S> state type
     * @return an unmodifiable copy, {@code null} if {@code initialState} is {@code null} or empty
     * @throws IllegalArgumentException if a key or value is {@code null}
     */
    public static <K, S> Map<K, S> checkInitialState(Map<? extends K, ? extends S> initialState) {
        if (initialState == null || initialState.isEmpty()) {
            return null;
        }
        LinkedHashMap<K, S> copy = new LinkedHashMap<>();
        for (Map.Entry<? extends K, ? extends S> e : initialState.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException("initialState has a null key: every key must be non-null");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("initialState of key " + e.getKey() + " is null: 'null' is not a valid"
                    + " state value (leave the key out to start it without state)");
            }
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    /** @return the initial state, key to value, or {@code null} for none */
    public Map<K, S> initialState() {
        return initialState;
    }

    /** @return the timeout kind */
    public GroupStateTimeout timeout() {
        return timeout;
    }

    /** @return the state codec */
    public StateCodec<S> stateCodec() {
        return stateCodec;
    }

    /** @return the key codec */
    public StateCodec<K> keyCodec() {
        return keyCodec;
    }

    /** @return the number of key groups */
    public int maxParallelism() {
        return maxParallelism;
    }

    /** @return the key groups this partition owns */
    public KeyGroupRange keyGroups() {
        return keyGroups;
    }

    /** @return whether values are buffered per epoch */
    public boolean microBatch() {
        return microBatch;
    }

    /** @return whether a watermark is present upstream */
    public boolean watermarkPresent() {
        return watermarkPresent;
    }

    /** @return a record's event time, or {@code null} */
    public ToLongFunction<? super V> eventTimeMs() {
        return eventTimeMs;
    }

    /** @return where late records go, or {@code null} */
    public Output<Object> lateOutput() {
        return lateOutput;
    }
}
