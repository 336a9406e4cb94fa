package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Objects;

/**
 * Base of the running (never-ending) per-key aggregations: holds one state value per key and emits
 * according to its {@link EmitPolicy}.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input type
 * @param <S> per-key state type
 * @param <O> output type
 */
public abstract class RunningKeyedOperator<K, T, S, O> implements KeyedOperator<K, T, O> {
    private final HashMap<K, Entry<K, S>> state = new HashMap<>();
    private final ArrayList<Entry<K, S>> changedThisEpoch = new ArrayList<>();
    private final EmitPolicy emitPolicy;

    /**
     * @param emitPolicy when updated values are emitted
     */
    protected RunningKeyedOperator(EmitPolicy emitPolicy) {
        this.emitPolicy = Objects.requireNonNull(emitPolicy, "emitPolicy");
    }

    /**
     * Folds one value into a key's state.
     *
     * @param state the key's state, or {@code null} for the key's first record
     * @param value the new value
     * @return the new state; never {@code null}
     * @throws Exception to fail the query
     */
    protected abstract S update(S state, T value) throws Exception;

    /**
     * Builds the record emitted for a key.
     *
     * @param key the key
     * @param state its current state
     * @return the output record
     */
    protected abstract O output(K key, S state);

    @Override
    public final void process(K key, T record, Output<O> out) {
        Entry<K, S> entry = state.get(key);
        if (entry == null) {
            entry = new Entry<>(key);
            state.put(key, entry);
        }
        S updated = updateChecked(entry.state, record);
        if (updated == null) {
            throw new NullPointerException("aggregation returned null state for key " + key);
        }
        entry.state = updated;
        if (emitPolicy == EmitPolicy.EVERY_RECORD) {
            out.emit(output(key, updated));
        } else if (emitPolicy == EmitPolicy.ON_EPOCH && !entry.changed) {
            entry.changed = true;
            changedThisEpoch.add(entry);
        }
    }

    @Override
    public final void onEpoch(long epochId, Output<O> out) {
        flushChanged(out);
    }

    @Override
    public final void onEnd(Output<O> out) {
        flushChanged(out);
    }

    /**
     * Number of keys holding state.
     *
     * @return the key count
     */
    public final int keyCount() {
        return state.size();
    }

    private void flushChanged(Output<O> out) {
        if (emitPolicy == EmitPolicy.ALL_ON_EPOCH) {
            for (Entry<K, S> entry : state.values()) {
                out.emit(output(entry.key, entry.state));
            }
            return;
        }
        for (int i = 0, n = changedThisEpoch.size(); i < n; i++) {
            Entry<K, S> entry = changedThisEpoch.get(i);
            entry.changed = false;
            out.emit(output(entry.key, entry.state));
        }
        changedThisEpoch.clear();
    }

    private S updateChecked(S current, T record) {
        try {
            return update(current, record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw io.rivulet.operators.function.Sneaky.rethrow(e);
        }
    }

    private static final class Entry<K, S> {
        final K key;
        S state;
        boolean changed;

        Entry(K key) {
            this.key = key;
        }
    }
}
