package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Objects;

/**
 * Base of the running (never-ending) per-key aggregations: holds one state value per key and emits
 * according to its {@link EmitPolicy}.
 *
 * <h2>State and snapshots</h2>
 * One hash map from key to entry: a record costs one lookup (the per-record path of a running count
 * is as short as a hand-written map's). Snapshots are taken per key group after {@code onEpoch}, when
 * the keys changed in the epoch have been emitted, so only the per-key values are state. A snapshot
 * holds, per key, a frozen copy of its value ({@link StateCodec#copy}): an entry changed since the
 * previous snapshot is copied again, an unchanged one shares its frozen copy (never mutated), so the
 * barrier costs one reference per key plus one copy per changed key, and the bytes are written later
 * on the coordinator's thread. (Operators written on the {@code KeyedStateBackend} take copy-on-write
 * snapshots instead: O(key groups) at the barrier, at some cost per record; for the running
 * aggregations the per-record path won, measured in docs/benchmarks.md.)
 *
 * <p>{@link EmitPolicy#ALL_ON_EPOCH} emits every key in the map's order: unspecified.
 *
 * <h2>State figures</h2>
 * {@link #stateMetrics} reports one state row per key and a memory estimate of
 * {@value #ENTRY_BYTES_ESTIMATE} bytes per key (map node and entry, not the key and value objects).
 * Rows updated are the keys emitted as changed under {@link EmitPolicy#ON_EPOCH}; the other
 * policies do not track changed keys (that would cost every record), so they report 0. Nothing is
 * removed or dropped by watermark: a running aggregation keeps every key.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input type
 * @param <S> per-key state type
 * @param <O> output type
 */
public abstract class RunningKeyedOperator<K, T, S, O>
    implements KeyedOperator<K, T, O>, CheckpointedOperator, StatefulOperator {
    private static final int ENTRY = 1;
    /** Bytes a key's map node and entry take, roughly (compressed oops), for the memory estimate. */
    static final int ENTRY_BYTES_ESTIMATE = 80;

    private final HashMap<K, Entry<K, S>> state = new HashMap<>();
    private final ArrayList<Entry<K, S>> changedThisEpoch = new ArrayList<>();
    private final EmitPolicy emitPolicy;
    private final StateCodec<K> keyCodec;
    private final StateCodec<S> stateCodec;
    private final int maxParallelism;
    private final KeyGroupRange range;
    /** Keys emitted as changed since the last {@link #stateMetrics} read. */
    private long updatedSinceRead;

    /**
     * An operator owning every key group of {@link KeyGroups#DEFAULT_MAX_PARALLELISM}, keys and state
     * written with {@link StateCodecs#dynamic()}.
     *
     * @param emitPolicy when updated values are emitted
     */
    protected RunningKeyedOperator(EmitPolicy emitPolicy) {
        this(emitPolicy, StateCodecs.dynamic(), StateCodecs.dynamic());
    }

    /**
     * An operator owning every key group of {@link KeyGroups#DEFAULT_MAX_PARALLELISM}.
     *
     * @param emitPolicy when updated values are emitted
     * @param keyCodec writes the keys; {@code null} for {@link StateCodecs#dynamic()}
     * @param stateCodec writes and copies the per-key state; {@code null} for the default
     */
    protected RunningKeyedOperator(EmitPolicy emitPolicy, StateCodec<K> keyCodec, StateCodec<S> stateCodec) {
        this(emitPolicy, keyCodec, stateCodec, KeyGroups.DEFAULT_MAX_PARALLELISM,
            new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM));
    }

    /**
     * @param emitPolicy when updated values are emitted
     * @param keyCodec writes the keys; {@code null} for {@link StateCodecs#dynamic()}
     * @param stateCodec writes and copies the per-key state; {@code null} for the default
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns (restore refuses others; restored keys are checked
     *     against the hash)
     */
    protected RunningKeyedOperator(EmitPolicy emitPolicy, StateCodec<K> keyCodec, StateCodec<S> stateCodec,
                                   int maxParallelism, KeyGroupRange range) {
        this.emitPolicy = Objects.requireNonNull(emitPolicy, "emitPolicy");
        this.keyCodec = keyCodec == null ? StateCodecs.dynamic() : keyCodec;
        this.stateCodec = stateCodec == null ? StateCodecs.dynamic() : stateCodec;
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        this.range = Objects.requireNonNull(range, "range");
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
        entry.dirty = true;
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

    /**
     * Reports the keys held and the keys emitted as changed since the previous read (see the class
     * comment); resets the latter.
     */
    @Override
    public final void stateMetrics(StateMetrics into) {
        into.set(state.size(), updatedSinceRead, 0, 0, (long) state.size() * ENTRY_BYTES_ESTIMATE);
        updatedSinceRead = 0;
    }

    @Override
    public final OperatorSnapshot snapshotState(long epochId) {
        int n = state.size();
        Object[] keys = new Object[n];
        Object[] values = new Object[n];
        int i = 0;
        for (Entry<K, S> entry : state.values()) {
            if (entry.dirty) {
                entry.frozen = stateCodec.copy(entry.state);
                entry.dirty = false;
            }
            keys[i] = entry.key;
            values[i] = entry.frozen;
            i++;
        }
        return new Snapshot<>(keys, values, keyCodec, stateCodec);
    }

    @Override
    public final void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        if (!range.contains(keyGroup)) {
            throw new IllegalStateException("key group " + keyGroup + " is outside this partition's range " + range);
        }
        while (in.hasRemaining()) {
            int tag = in.readByte();
            if (tag != ENTRY) {
                throw new StateFormatException("running aggregation state: unknown entry tag "
                    + tag + " in key group " + keyGroup);
            }
            K key = keyCodec.read(in);
            KeyGroups.checkRestoredKey(key, keyGroup, maxParallelism);
            Entry<K, S> entry = new Entry<>(key);
            entry.state = stateCodec.read(in);
            entry.dirty = true;
            state.put(key, entry);
        }
    }

    private void flushChanged(Output<O> out) {
        if (emitPolicy == EmitPolicy.ALL_ON_EPOCH) {
            for (Entry<K, S> entry : state.values()) {
                out.emit(output(entry.key, entry.state));
            }
            return;
        }
        updatedSinceRead += changedThisEpoch.size();
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
            throw Sneaky.rethrow(e);
        }
    }

    private static final class Entry<K, S> {
        final K key;
        S state;
        /** The value as of the last snapshot; never mutated (a codec copy), shared by later snapshots. */
        S frozen;
        /** Whether {@link #state} changed since {@link #frozen} was taken. */
        boolean dirty;
        boolean changed;

        Entry(K key) {
            this.key = key;
        }
    }

    /** Keys and frozen values at a barrier; written per key group on the coordinator's thread. */
    private record Snapshot<K, S>(Object[] keys, Object[] values, StateCodec<K> keyCodec, StateCodec<S> stateCodec)
        implements OperatorSnapshot {
        @Override
        @SuppressWarnings("unchecked")
        public void writeTo(KeyGroupWriter writer) {
            for (int i = 0; i < keys.length; i++) {
                K key = (K) keys[i];
                SnapshotOutput out = writer.forKey(key);
                out.writeByte(ENTRY);
                keyCodec.write(key, out);
                stateCodec.write((S) values[i], out);
            }
        }
    }
}
