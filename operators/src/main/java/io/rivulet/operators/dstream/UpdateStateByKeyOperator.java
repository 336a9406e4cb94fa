package io.rivulet.operators.dstream;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Spark's {@code updateStateByKey}: at the end of every batch, calls the function for every key that
 * has new values or state, with the key's values of the batch (none for a key with state only) and
 * its state; the state returned replaces it, empty removes the key. Emits {@code KeyValue(key, state)}
 * for every key with state after the batch: Spark's output, the whole state each batch.
 *
 * <p>State per key in a {@link KeyedStateBackend} value state {@code dstreamState} (the state and the
 * batch's values, so a snapshot may be taken at any point); the last batch index is operator state.
 * While any key has state, {@link #nextProcessingTimeMs()} asks for a batch every interval, so the
 * function runs every batch as in Spark, with data or not. A batch costs O(keys with state).
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <S> state type
 */
public final class UpdateStateByKeyOperator<K, V, S> extends BatchStateOperator<K, V, KeyValue<K, S>> {
    private final UpdateStateFunction<V, S> function;
    private final StateDescriptor<ValueState<KeyState>> descriptor;
    private final ValueState<KeyState> entries;
    private final ArrayList<K> keys = new ArrayList<>();
    private final BiConsumer<K, KeyState> collectKey = (key, entry) -> keys.add(key);

    /**
     * @param function the update function
     * @param settings batch interval, key and value codecs, key groups
     * @param stateCodec writes the user's state in snapshots
     */
    @SuppressWarnings("unchecked")
    public UpdateStateByKeyOperator(UpdateStateFunction<V, S> function, DStreamSettings<K, V> settings,
                                    StateCodec<S> stateCodec) {
        super(Objects.requireNonNull(settings, "settings"));
        this.function = Objects.requireNonNull(function, "function");
        this.descriptor = StateDescriptor.value("dstreamState", new KeyState.Codec(
            (StateCodec<Object>) Objects.requireNonNull(stateCodec, "stateCodec"), (StateCodec<Object>) settings.valueCodec()));
        this.entries = backend.state(descriptor);
    }

    @Override
    public void process(K key, V record, Output<KeyValue<K, S>> out) {
        backend.setCurrentKey(key);
        KeyState entry = entries.value();
        if (entry == null) {
            entry = new KeyState();
            hasState = true;
        }
        if (entry.pending == null) {
            entry.pending = new ArrayList<>();
        }
        entry.pending.add(record);
        entries.update(entry);
    }

    /** A batch every interval while any key has state: the function is called for it every batch. */
    @Override
    public long nextProcessingTimeMs() {
        return clock.nextBatchDueMs(hasState);
    }

    @Override
    public void onEpoch(long epochId, Output<KeyValue<K, S>> out) {
        clock.nextBatch();
        keys.clear();
        backend.forEachValue(descriptor, collectKey);
        int kept = 0;
        for (int i = 0, n = keys.size(); i < n; i++) {
            K key = keys.get(i);
            backend.setCurrentKey(key);
            if (update(key, entries.value(), out)) {
                kept++;
            }
        }
        keys.clear();
        hasState = kept > 0;
    }

    @SuppressWarnings("unchecked")
    private boolean update(K key, KeyState entry, Output<KeyValue<K, S>> out) {
        List<V> values = entry.pending == null ? Collections.emptyList() : (List<V>) (List<?>) entry.pending;
        Optional<S> newState;
        try {
            newState = function.call(values, Optional.ofNullable((S) entry.state));
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
        if (newState == null) {
            throw new NullPointerException("updateStateByKey function returned null for key " + key
                + ": return Optional.empty() to remove the key's state");
        }
        if (newState.isEmpty()) {
            entries.clear();
            return false;
        }
        entry.state = newState.get();
        entry.pending = null;
        entries.update(entry);
        out.emit(new KeyValue<>(key, (S) entry.state));
        return true;
    }
}
