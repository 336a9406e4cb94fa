package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;
import org.agrona.collections.ObjectHashSet;

import java.util.ArrayList;
import java.util.Objects;

/**
 * Base of the running (never-ending) per-key aggregations: holds one state value per key in a
 * {@link KeyedStateBackend} (state {@value #STATE_NAME}) and emits according to its
 * {@link EmitPolicy}. Snapshots are taken per key group, copy-on-write, after {@code onEpoch}; by then
 * the keys changed in the epoch have been emitted, so only the per-key values are state.
 *
 * <p>{@link EmitPolicy#ALL_ON_EPOCH} emits every key in key-group order, and within a key group in
 * the map's order: unspecified, as it was with a hash map.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input type
 * @param <S> per-key state type
 * @param <O> output type
 */
public abstract class RunningKeyedOperator<K, T, S, O> implements KeyedOperator<K, T, O>, CheckpointedOperator {
    /** The name of the per-key state in snapshots. */
    public static final String STATE_NAME = "running";

    private final KeyedStateBackend<K> backend;
    private final StateDescriptor<ValueState<S>> descriptor;
    private final ValueState<S> state;
    private final ArrayList<K> changedThisEpoch = new ArrayList<>();
    private final ObjectHashSet<K> changed = new ObjectHashSet<>();
    private final EmitPolicy emitPolicy;

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
     * @param stateCodec writes (and copies, for copy-on-write) the per-key state; {@code null} for the default
     */
    protected RunningKeyedOperator(EmitPolicy emitPolicy, StateCodec<K> keyCodec, StateCodec<S> stateCodec) {
        this(emitPolicy, keyCodec, stateCodec, KeyGroups.DEFAULT_MAX_PARALLELISM,
            new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM));
    }

    /**
     * @param emitPolicy when updated values are emitted
     * @param keyCodec writes the keys; {@code null} for {@link StateCodecs#dynamic()}
     * @param stateCodec writes (and copies, for copy-on-write) the per-key state; {@code null} for the default
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns
     */
    protected RunningKeyedOperator(EmitPolicy emitPolicy, StateCodec<K> keyCodec, StateCodec<S> stateCodec,
                                   int maxParallelism, KeyGroupRange range) {
        this.emitPolicy = Objects.requireNonNull(emitPolicy, "emitPolicy");
        this.backend = new KeyedStateBackend<>(keyCodec == null ? StateCodecs.dynamic() : keyCodec,
            maxParallelism, range);
        this.descriptor = StateDescriptor.value(STATE_NAME,
            stateCodec == null ? StateCodecs.<S>dynamic() : stateCodec);
        this.state = backend.state(descriptor);
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
        backend.setCurrentKey(key);
        S current = state.value();
        S updated = updateChecked(current, record);
        if (updated == null) {
            throw new NullPointerException("aggregation returned null state for key " + key);
        }
        if (updated != current) {
            // An accumulator updated in place needs no write: value() returned one no snapshot shares.
            state.update(updated);
        }
        if (emitPolicy == EmitPolicy.EVERY_RECORD) {
            out.emit(output(key, updated));
        } else if (emitPolicy == EmitPolicy.ON_EPOCH && changed.add(key)) {
            changedThisEpoch.add(key);
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
        int[] count = new int[1];
        backend.forEachValue(descriptor, (k, s) -> count[0]++);
        return count[0];
    }

    /**
     * @return the keyed state (for tests and metrics)
     */
    public final KeyedStateBackend<K> backend() {
        return backend;
    }

    @Override
    public final OperatorSnapshot snapshotState(long epochId) {
        return backend.snapshotState(epochId);
    }

    @Override
    public final void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        backend.restoreKeyGroup(keyGroup, in);
    }

    private void flushChanged(Output<O> out) {
        if (emitPolicy == EmitPolicy.ALL_ON_EPOCH) {
            backend.forEachValue(descriptor, (k, s) -> out.emit(output(k, s)));
            return;
        }
        for (int i = 0, n = changedThisEpoch.size(); i < n; i++) {
            K key = changedThisEpoch.get(i);
            backend.setCurrentKey(key);
            out.emit(output(key, state.value()));
        }
        changedThisEpoch.clear();
        changed.clear();
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
}
