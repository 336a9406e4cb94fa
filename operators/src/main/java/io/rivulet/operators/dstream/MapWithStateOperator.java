package io.rivulet.operators.dstream;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;

import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Spark's {@code mapWithState}: calls the function once per record, in arrival order, with the
 * record's key, value and the key's {@link State}, and emits what it returns (the mapped stream); or,
 * in snapshot mode ({@code stateSnapshots()}), emits {@code KeyValue(key, state)} for every key at the
 * end of each batch instead.
 *
 * <p><b>Timeout</b> (Spark's {@code StateSpec.timeout}): a key whose function was last called with a
 * value in batch {@code b} times out at the end of the first batch {@code n} with
 * {@code (n - b) * interval > timeout}: the function is called once more with no value and
 * {@link State#isTimingOut()}, its result emitted, and the key removed. A call with a value on a key
 * that keeps state refreshes it, as in Spark.
 *
 * <p>State per key in a {@link KeyedStateBackend} value state {@code dstreamState} (the state and the
 * batch of its last call); the last batch index is operator state. With a timeout or in snapshot mode
 * every key is visited once per batch (O(keys with state)), and a batch is asked for every interval
 * while any key has state.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <S> state type
 * @param <R> mapped type
 * @param <O> output type: {@code R}, or {@code KeyValue<K, S>} in snapshot mode
 */
public final class MapWithStateOperator<K, V, S, R, O> extends BatchStateOperator<K, V, O> {
    /** No timeout. */
    public static final long NO_TIMEOUT = -1;

    private final MapWithStateFunction<K, V, S, R> function;
    private final long timeoutMs;
    private final boolean snapshots;
    private final StateDescriptor<ValueState<KeyState>> descriptor;
    private final ValueState<KeyState> entries;
    private final StateImpl<S> state = new StateImpl<>();
    private final ArrayList<K> keys = new ArrayList<>();
    private final BiConsumer<K, KeyState> collectKey = (key, entry) -> keys.add(key);

    @SuppressWarnings("unchecked")
    private MapWithStateOperator(MapWithStateFunction<K, V, S, R> function, long timeoutMs, boolean snapshots,
                                 DStreamSettings<K, V> settings, StateCodec<S> stateCodec) {
        super(Objects.requireNonNull(settings, "settings"));
        this.function = Objects.requireNonNull(function, "function");
        if (timeoutMs < 0 && timeoutMs != NO_TIMEOUT) {
            throw new IllegalArgumentException("mapWithState timeoutMs must be >= 0 or NO_TIMEOUT, got " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
        this.snapshots = snapshots;
        Objects.requireNonNull(settings, "settings");
        this.descriptor = StateDescriptor.value("dstreamState", new KeyState.Codec(
            (StateCodec<Object>) Objects.requireNonNull(stateCodec, "stateCodec"), (StateCodec<Object>) settings.valueCodec()));
        this.entries = backend.state(descriptor);
    }

    /**
     * The mapped stream: what the function returns, per record and per timeout.
     *
     * @param function the mapping function
     * @param timeoutMs how long a key may stay idle, ms, or {@link #NO_TIMEOUT}
     * @param settings batch interval, codecs, key groups
     * @param stateCodec writes the user's state in snapshots
     * @param <K> key type
     * @param <V> value type
     * @param <S> state type
     * @param <R> mapped type
     * @return the operator
     */
    public static <K, V, S, R> MapWithStateOperator<K, V, S, R, R> mapped(MapWithStateFunction<K, V, S, R> function,
                                                                         long timeoutMs, DStreamSettings<K, V> settings,
                                                                         StateCodec<S> stateCodec) {
        return new MapWithStateOperator<>(function, timeoutMs, false, settings, stateCodec);
    }

    /**
     * The state snapshots: every key's state at the end of each batch (the function still runs, its
     * results are not emitted).
     *
     * @param function the mapping function
     * @param timeoutMs how long a key may stay idle, ms, or {@link #NO_TIMEOUT}
     * @param settings batch interval, codecs, key groups
     * @param stateCodec writes the user's state in snapshots
     * @param <K> key type
     * @param <V> value type
     * @param <S> state type
     * @param <R> mapped type
     * @return the operator
     */
    public static <K, V, S, R> MapWithStateOperator<K, V, S, R, KeyValue<K, S>> snapshots(
        MapWithStateFunction<K, V, S, R> function, long timeoutMs, DStreamSettings<K, V> settings, StateCodec<S> stateCodec) {
        return new MapWithStateOperator<>(function, timeoutMs, true, settings, stateCodec);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(K key, V record, Output<O> out) {
        backend.setCurrentKey(key);
        KeyState entry = entries.value();
        state.reset(entry == null ? null : (S) entry.state, false);
        R result = call(key, Optional.of(record));
        if (state.isRemoved()) {
            if (entry != null) {
                entries.clear();
            }
        } else if (state.isUpdated() || entry != null && timeoutMs != NO_TIMEOUT) {
            if (entry == null) {
                entry = new KeyState();
                hasState = true;
            }
            entry.state = state.valueOrNull();
            entry.lastBatch = KeyState.CALLED_THIS_BATCH;
            entries.update(entry);
        }
        state.clear();
        if (result != null && !snapshots) {
            out.emit((O) result);
        }
    }

    private R call(K key, Optional<V> value) {
        try {
            return function.call(key, value, state);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }

    /** A batch every interval while a key has state and a timeout or the snapshots need one. */
    @Override
    public long nextProcessingTimeMs() {
        return clock.nextBatchDueMs(hasState && (snapshots || timeoutMs != NO_TIMEOUT));
    }

    @Override
    public void onEpoch(long epochId, Output<O> out) {
        long batch = clock.nextBatch();
        if (!snapshots && timeoutMs == NO_TIMEOUT) {
            return;
        }
        keys.clear();
        backend.forEachValue(descriptor, collectKey);
        int kept = 0;
        for (int i = 0, n = keys.size(); i < n; i++) {
            K key = keys.get(i);
            backend.setCurrentKey(key);
            if (endBatch(key, entries.value(), batch, out)) {
                kept++;
            }
        }
        keys.clear();
        hasState = kept > 0;
    }

    @SuppressWarnings("unchecked")
    private boolean endBatch(K key, KeyState entry, long batch, Output<O> out) {
        if (entry.lastBatch == KeyState.CALLED_THIS_BATCH) {
            entry.lastBatch = batch;
            entries.update(entry);
        } else if (timeoutMs != NO_TIMEOUT && (batch - entry.lastBatch) * clock.intervalMs() > timeoutMs) {
            state.reset((S) entry.state, true);
            R result = call(key, Optional.empty());
            state.clear();
            entries.clear();
            if (result != null && !snapshots) {
                out.emit((O) result);
            }
            return false;
        }
        if (snapshots) {
            out.emit((O) new KeyValue<>(key, (S) entry.state));
        }
        return true;
    }
}
