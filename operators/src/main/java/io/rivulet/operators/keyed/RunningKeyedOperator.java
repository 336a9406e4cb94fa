package io.rivulet.operators.keyed;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotCell;
import io.rivulet.operators.state.SnapshotImage;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Base of the running (never-ending) per-key aggregations: holds one state value per key and emits
 * according to its {@link EmitPolicy}.
 *
 * <h2>State and snapshots</h2>
 * One hash map from key to entry: a record costs one lookup (the per-record path of a running count
 * is as short as a hand-written map's). Snapshots are taken per key group after {@code onEpoch}, when
 * the keys changed in the epoch have been emitted, so only the per-key values are state. Snapshots
 * are incremental ({@link SnapshotImage}) and O(1) at the barrier: each entry is a
 * {@link SnapshotCell}; its first change in an epoch (one compare per record) puts it on the epoch's
 * list, which the barrier hands over as is. The writer thread copies each value on it as of the
 * barrier ({@link StateCodec#copy}) into the image of the whole state, which it writes per key group;
 * until it has, a value the owner changes again is copied first (copy-on-write,
 * {@link SnapshotCell#markChanged}). The list is kept from the start (a running aggregation never
 * removes a key, so it holds at most every key once), so the first snapshot is O(1) too. (Operators
 * written on the {@code KeyedStateBackend} take copy-on-write snapshots instead: O(key groups) at the
 * barrier, at some cost per record; for the running aggregations the per-record path won, measured
 * in docs/benchmarks.md.)
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
 * <h2>Queryable state</h2>
 * As a {@link QueryableOperator}, a key's value is {@link #queriedValue} of a copy of its state
 * ({@link StateCodec#copy}): the state itself for a reduce, the aggregate's result for an aggregation.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input type
 * @param <S> per-key state type
 * @param <O> output type
 */
public abstract class RunningKeyedOperator<K, T, S, O>
    implements KeyedOperator<K, T, O>, CheckpointedOperator, StatefulOperator, QueryableOperator<K, Object> {
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
    /** The state as of the newest snapshot written, kept on the writer's side from each barrier's changes. */
    private final SnapshotImage<K, S> image;
    /** Reads a handed-over entry as of its barrier, on the writer thread. */
    private final SnapshotImage.Freezer<Entry<K, S>, K, S> freezer;
    /** Entries changed (or created) in the epoch: handed to the barrier's delta as is. */
    private ArrayList<Entry<K, S>> dirtyEntries = new ArrayList<>();
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
        StateCodec<K> keys = this.keyCodec;
        StateCodec<S> values = this.stateCodec;
        this.image = new SnapshotImage<>((slot, key, value, out) -> {
            out.writeByte(ENTRY);
            keys.write(key, out);
            values.write(value, out);
        });
        this.freezer = new SnapshotImage.Freezer<>() {
            @Override
            public long slot(Entry<K, S> entry) {
                return 0;
            }

            @Override
            public K key(Entry<K, S> entry) {
                return entry.key;
            }

            @Override
            public S freeze(Entry<K, S> entry, long seq) {
                return values.copy(entry.valueAt(seq));
            }
        };
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
            entry = new Entry<>(key, null, image.seq());
            state.put(key, entry);
            dirtyEntries.add(entry);
        } else if (!entry.isChangedIn(image.seq())) {
            markDirty(entry);
        }
        S current = entry.value();
        S updated = updateChecked(current, record);
        if (updated == null) {
            throw new NullPointerException("aggregation returned null state for key " + key);
        }
        if (updated != current) {
            entry.value(updated); // a release store: only when the state is a new object
        }
        if (emitPolicy == EmitPolicy.EVERY_RECORD) {
            out.emit(output(key, updated));
        } else if (emitPolicy == EmitPolicy.ON_EPOCH && !entry.changed) {
            entry.changed = true;
            changedThisEpoch.add(entry);
        }
    }

    /** The entry's first change in the epoch: copy-on-write if the writer has not copied it yet. */
    private void markDirty(Entry<K, S> entry) {
        entry.markChanged(image.seq(), image.consumedSeq(), stateCodec);
        dirtyEntries.add(entry);
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
     * The value a read of the key's state returns (queryable state). Owner thread.
     *
     * @param stateCopy a copy of the key's state, which the result may keep
     * @return the value read; the state copy itself unless a subclass says otherwise
     */
    protected Object queriedValue(S stateCopy) {
        return stateCopy;
    }

    /** Owner thread; see {@link QueryableOperator}. */
    @Override
    public final Object queryValue(K key) {
        Entry<K, S> entry = state.get(key);
        return entry == null ? null : queriedValue(stateCodec.copy(entry.value()));
    }

    /** Owner thread; see {@link QueryableOperator}. */
    @Override
    public final void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super Object> into) {
        for (Map.Entry<K, Entry<K, S>> e : state.entrySet()) {
            if (keys.test(e.getKey())) {
                into.accept(e.getKey(), queriedValue(stateCodec.copy(e.getValue().value())));
            }
        }
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

    /**
     * Hands the list of keys changed since the previous snapshot to the snapshot image as is, O(1)
     * on the owner thread; the writer thread copies their values as of this barrier (see the class
     * comment). Owner thread.
     *
     * @param epochId the epoch that just ended
     * @return the snapshot
     */
    @Override
    public final OperatorSnapshot snapshotState(long epochId) {
        SnapshotImage.Delta<K, S> delta = image.delta(epochId);
        dirtyEntries = delta.handOver(dirtyEntries, freezer);
        return delta.snapshot(writer -> { });
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
            Entry<K, S> entry = new Entry<>(key, stateCodec.read(in), 0);
            state.put(key, entry);
            image.put(0, key, stateCodec.copy(entry.value()));
        }
    }

    private void flushChanged(Output<O> out) {
        if (emitPolicy == EmitPolicy.ALL_ON_EPOCH) {
            for (Entry<K, S> entry : state.values()) {
                out.emit(output(entry.key, entry.value()));
            }
            return;
        }
        updatedSinceRead += changedThisEpoch.size();
        for (int i = 0, n = changedThisEpoch.size(); i < n; i++) {
            Entry<K, S> entry = changedThisEpoch.get(i);
            entry.changed = false;
            out.emit(output(entry.key, entry.value()));
        }
        changedThisEpoch.clear();
    }

    private S updateChecked(S current, T record) {
        try {
            return update(current, record);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }

    /** A key's entry; its state is the cell's value. */
    private static final class Entry<K, S> extends SnapshotCell<S> {
        final K key;
        boolean changed;

        Entry(K key, S state, long changedSeq) {
            super(state, changedSeq);
            this.key = key;
        }
    }
}
