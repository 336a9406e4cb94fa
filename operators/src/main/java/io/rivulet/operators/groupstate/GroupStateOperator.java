package io.rivulet.operators.groupstate;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.KeyedTimers;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.TimeDomain;
import io.rivulet.operators.state.ValueState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Runs Spark's {@code mapGroupsWithState} / {@code flatMapGroupsWithState}: calls the user function
 * with a key, its new values and its {@link GroupState}, and with no values when the key times out.
 *
 * <p><b>State.</b> One entry per key (value and timeout) in a {@link KeyedStateBackend} value state
 * named {@code groupState}; a key's timeout is also a timer of that backend (event time or processing
 * time), registered at {@code timeout + 1} because Spark times a key out when the watermark or clock
 * is strictly past it. Both are snapshotted per key group, so they survive a restart and rescale.
 * Operator state: the watermark and processing time, merged on restore as
 * {@link io.rivulet.operators.process.KeyedProcessOperator} merges them.
 *
 * <p><b>Micro-batch mode</b> ({@link GroupStateSettings#microBatch()}): records are buffered per key;
 * at {@link #onEpoch} each key with data is called once with all its values of the epoch, in the
 * order keys first arrived, then keys whose timeout has passed (the watermark and processing time
 * the runtime passed in that batch) are called with no values: Spark's order. A snapshot must then be
 * taken after {@code onEpoch}, as the runtime does. <b>Continuous mode</b>: one call per record (an
 * iterator of one value); timeouts fire from {@link #onWatermark} and {@link #onProcessingTime}.
 *
 * <p><b>Late rows.</b> With an event-time function, a record whose event time is {@code <=} the
 * watermark the operator holds (in micro-batch mode, the previous batch's) never reaches the function:
 * it is counted ({@link StateMetrics#numRowsDroppedByWatermark()}) and sent to the late output, if any.
 *
 * <p><b>Initial state</b> ({@link GroupStateSettings#withInitialState}): applied once, before the
 * first batch, and every key of it called once then; not applied again after a restore from a
 * checkpoint taken once it was applied (the flag is operator state).
 *
 * <p><b>Results.</b> A {@code mapGroupsWithState} call returning {@code null}, or a
 * {@code flatMapGroupsWithState} iterator yielding {@code null}, fails the query naming the key: a
 * stream carries no null records (where Spark emits a null row).
 *
 * <p><b>Queryable state.</b> As a {@link QueryableOperator}, a key's value is a copy of its state value
 * ({@code stateCodec.copy}), or {@code null} if it has none (never set, removed, or a removed key that
 * keeps only its timeout). In micro-batch mode a read sees the state as of the last {@link #onEpoch}:
 * values buffered in the epoch have not reached the function yet. A read makes the key the backend's
 * current key (every call sets its own), nothing else.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <V> value (input record) type
 * @param <S> state type
 * @param <R> output type
 */
public final class GroupStateOperator<K, V, S, R>
    implements KeyedOperator<K, V, R>, CheckpointedOperator, StatefulOperator, KeyedTimers.Handler, QueryableOperator<K, S> {
    /** The name Spark's progress gives both operations' state operator. */
    public static final String NAME = "flatMapGroupsWithState";

    private final MapGroupsWithStateFunction<K, V, S, R> mapFunction;
    private final FlatMapGroupsWithStateFunction<K, V, S, R> flatMapFunction;
    private final GroupStateTimeout timeout;
    private final boolean microBatch;
    private final ToLongFunction<? super V> eventTimeMs;
    private final Output<Object> lateOutput;
    private final KeyedStateBackend<K> backend;
    private final StateDescriptor<ValueState<GroupEntry<S>>> entriesDescriptor;
    private final ValueState<GroupEntry<S>> entries;
    private final StateCodec<S> stateCodec;
    private final GroupStateImpl<S> state;
    private final Values<V> values = new Values<>();
    /** Micro-batch mode: each key's values of the current epoch, keys in arrival order. */
    private final LinkedHashMap<K, ArrayList<V>> pending = new LinkedHashMap<>();
    private final ArrayDeque<ArrayList<V>> spareLists = new ArrayDeque<>();
    /** Spark's initial state, key to value, or {@code null}; see {@link GroupStateSettings#withInitialState}. */
    private final Map<K, S> initialState;
    /** Whether the initial state is still to be applied (not yet, and not restored from a checkpoint taken after). */
    private boolean initialStatePending;
    private long watermarkMs = Long.MIN_VALUE;
    private boolean watermarkRestored;
    private long processingTimeMs;
    private long droppedByWatermark;
    private Output<R> timerOut;

    private GroupStateOperator(MapGroupsWithStateFunction<K, V, S, R> mapFunction,
                               FlatMapGroupsWithStateFunction<K, V, S, R> flatMapFunction,
                               GroupStateSettings<K, V, S> settings) {
        this.mapFunction = mapFunction;
        this.flatMapFunction = flatMapFunction;
        this.timeout = settings.timeout();
        this.microBatch = settings.microBatch();
        this.eventTimeMs = settings.eventTimeMs();
        this.lateOutput = settings.lateOutput();
        this.backend = new KeyedStateBackend<>(settings.keyCodec(), settings.maxParallelism(), settings.keyGroups());
        this.stateCodec = settings.stateCodec();
        this.entriesDescriptor = StateDescriptor.value("groupState", new GroupEntry.Codec<>(stateCodec));
        this.entries = backend.state(entriesDescriptor);
        this.state = new GroupStateImpl<>(timeout, settings.watermarkPresent(),
            mapFunction != null ? "mapGroupsWithState" : "flatMapGroupsWithState");
        this.initialState = settings.initialState();
        this.initialStatePending = initialState != null;
    }

    /**
     * An operator for {@code mapGroupsWithState}: one output record per call.
     *
     * @param function the user function
     * @param settings how it runs
     * @param <K> key type
     * @param <V> value type
     * @param <S> state type
     * @param <R> output type
     * @return the operator
     */
    public static <K, V, S, R> GroupStateOperator<K, V, S, R> mapGroups(MapGroupsWithStateFunction<K, V, S, R> function,
                                                                        GroupStateSettings<K, V, S> settings) {
        return new GroupStateOperator<>(Objects.requireNonNull(function, "function"), null,
            Objects.requireNonNull(settings, "settings"));
    }

    /**
     * An operator for {@code flatMapGroupsWithState}: any number of output records per call.
     *
     * @param function the user function
     * @param settings how it runs
     * @param <K> key type
     * @param <V> value type
     * @param <S> state type
     * @param <R> output type
     * @return the operator
     */
    public static <K, V, S, R> GroupStateOperator<K, V, S, R> flatMapGroups(
        FlatMapGroupsWithStateFunction<K, V, S, R> function, GroupStateSettings<K, V, S> settings) {
        return new GroupStateOperator<>(null, Objects.requireNonNull(function, "function"),
            Objects.requireNonNull(settings, "settings"));
    }

    /**
     * @return the keyed state (for tests and metrics)
     */
    public KeyedStateBackend<K> backend() {
        return backend;
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}.
     *
     * @param key the key; never {@code null}
     * @return a copy of the key's state value, or {@code null} if it has none
     */
    @Override
    public S queryValue(K key) {
        backend.setCurrentKey(Objects.requireNonNull(key, "key"));
        GroupEntry<S> entry = entries.value();
        return entry == null || entry.value == null ? null : stateCodec.copy(entry.value);
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: each key with a state value.
     *
     * @param keys which keys to read
     * @param into receives each key and a copy of its state value
     */
    @Override
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super S> into) {
        backend.forEachValue(entriesDescriptor, (key, entry) -> {
            if (entry.value != null && keys.test(key)) {
                into.accept(key, stateCodec.copy(entry.value));
            }
        });
    }

    @Override
    public void process(K key, V record, Output<R> out) {
        if (initialStatePending && !microBatch) {
            applyInitialState(out);
        }
        if (eventTimeMs != null && watermarkMs != Long.MIN_VALUE && eventTimeMs.applyAsLong(record) <= watermarkMs) {
            onLate(record);
            return;
        }
        if (microBatch) {
            buffer(key, record);
            return;
        }
        backend.setCurrentKey(key);
        values.resetToOne(record);
        call(key, false, out);
    }

    private void onLate(V record) {
        droppedByWatermark++;
        if (lateOutput != null) {
            lateOutput.emit(record);
        }
    }

    private void buffer(K key, V record) {
        ArrayList<V> list = pending.get(key);
        if (list == null) {
            list = spareLists.isEmpty() ? new ArrayList<>() : spareLists.pop();
            pending.put(key, list);
        }
        list.add(record);
    }

    @Override
    public void onWatermark(long watermarkMs, Output<R> out) {
        if (initialStatePending && !microBatch) {
            applyInitialState(out);
        }
        if (watermarkMs <= this.watermarkMs) {
            return;
        }
        this.watermarkMs = watermarkMs;
        if (!microBatch && timeout == GroupStateTimeout.EVENT_TIME_TIMEOUT) {
            fireEventTime(out);
        }
    }

    /** Processing time feeds {@link GroupState#getCurrentProcessingTimeMs()} and processing-time timeouts. */
    @Override
    public boolean usesProcessingTime() {
        return true;
    }

    @Override
    public long nextProcessingTimeMs() {
        return timeout == GroupStateTimeout.PROCESSING_TIME_TIMEOUT
            ? backend.timers().nextTimestampMs(TimeDomain.PROCESSING_TIME) : Long.MAX_VALUE;
    }

    @Override
    public void onProcessingTime(long nowMs, Output<R> out) {
        processingTimeMs = Math.max(processingTimeMs, nowMs);
        backend.setProcessingTimeMs(processingTimeMs);
        if (initialStatePending && !microBatch) {
            applyInitialState(out);
        }
        if (!microBatch && timeout == GroupStateTimeout.PROCESSING_TIME_TIMEOUT) {
            fireProcessingTime(out);
        }
    }

    /** Micro-batch mode: the epoch's calls with data, then the timeouts now due. */
    @Override
    public void onEpoch(long epochId, Output<R> out) {
        if (initialStatePending) {
            applyInitialState(out);
        }
        if (!microBatch) {
            return;
        }
        flushPending(out);
        if (timeout == GroupStateTimeout.EVENT_TIME_TIMEOUT) {
            fireEventTime(out);
        } else if (timeout == GroupStateTimeout.PROCESSING_TIME_TIMEOUT) {
            fireProcessingTime(out);
        }
    }

    /** Micro-batch mode: calls the keys buffered since the last epoch; no timeout fires. */
    @Override
    public void onEnd(Output<R> out) {
        if (initialStatePending) {
            applyInitialState(out);
        }
        flushPending(out);
    }

    /**
     * Spark's initial state, once: stores each owned key's value (a codec copy, no timeout), then calls
     * every such key. In micro-batch mode the keys with data in this epoch are called by
     * {@link #flushPending} (with their values, after the initial state), the others with no values;
     * in continuous mode every key is called with no values, before the first record.
     */
    private void applyInitialState(Output<R> out) {
        initialStatePending = false;
        ArrayList<K> withoutData = new ArrayList<>();
        int maxParallelism = backend.maxParallelism();
        for (Map.Entry<K, S> e : initialState.entrySet()) {
            K key = e.getKey();
            if (!backend.range().contains(KeyGroups.keyGroupOf(key, maxParallelism))) {
                continue;
            }
            backend.setCurrentKey(key);
            GroupEntry<S> entry = new GroupEntry<>();
            entry.value = stateCodec.copy(e.getValue());
            entries.update(entry);
            if (!pending.containsKey(key)) {
                withoutData.add(key);
            }
        }
        if (microBatch) {
            flushPending(out);
        }
        for (K key : withoutData) {
            backend.setCurrentKey(key);
            values.resetToEmpty();
            call(key, false, out);
        }
    }

    private void flushPending(Output<R> out) {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<K, ArrayList<V>> e : pending.entrySet()) {
            ArrayList<V> list = e.getValue();
            backend.setCurrentKey(e.getKey());
            values.resetToList(list);
            call(e.getKey(), false, out);
            list.clear();
            spareLists.push(list);
        }
        pending.clear();
    }

    private void fireEventTime(Output<R> out) {
        if (watermarkMs == Long.MIN_VALUE) {
            return;
        }
        timerOut = out;
        try {
            backend.timers().advanceWatermark(watermarkMs, this);
        } finally {
            timerOut = null;
        }
    }

    private void fireProcessingTime(Output<R> out) {
        timerOut = out;
        try {
            backend.timers().advanceProcessingTime(processingTimeMs, this);
        } finally {
            timerOut = null;
        }
    }

    /**
     * A key's timeout timer fired; the key is current. Calls the function with no values, unless the
     * timer is stale (the key's timeout moved since: cannot happen, old timers are deleted, but cheap
     * to guard).
     *
     * @param timestampMs the timer's timestamp ({@code timeout + 1})
     * @param domain its time domain
     */
    @Override
    public void onTimer(long timestampMs, TimeDomain domain) {
        GroupEntry<S> entry = entries.value();
        if (entry == null || timerAt(entry.timeoutMs) != timestampMs) {
            return;
        }
        values.resetToEmpty();
        call(backend.currentKey(), true, timerOut);
    }

    /** One call of the user function for the current key, then Spark's write-back of the state. */
    private void call(K key, boolean timedOut, Output<R> out) {
        GroupEntry<S> entry = entries.value();
        long oldTimeoutMs = entry == null ? GroupStateImpl.NO_TIMESTAMP : entry.timeoutMs;
        state.reset(entry == null ? null : entry.value, timedOut, watermarkMs, processingTimeMs);
        try {
            if (mapFunction != null) {
                R result = mapFunction.call(key, values, state);
                if (result == null) {
                    throw new NullPointerException("mapGroupsWithState function returned null for key " + key
                        + ": a stream carries no null records (Spark would emit a null row); return a record, or use"
                        + " flatMapGroupsWithState to emit nothing for a call");
                }
                out.emit(result);
            } else {
                Iterator<R> results = flatMapFunction.call(key, values, state);
                if (results == null) {
                    throw new NullPointerException("flatMapGroupsWithState function returned a null iterator for key "
                        + key + ": return an empty iterator to emit nothing");
                }
                while (results.hasNext()) {
                    R result = results.next();
                    if (result == null) {
                        throw new NullPointerException("flatMapGroupsWithState function returned a null element for key "
                            + key + ": a stream carries no null records; leave it out of the iterator");
                    }
                    out.emit(result);
                }
            }
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        } finally {
            values.resetToEmpty();
        }
        commit(entry, oldTimeoutMs, timedOut);
    }

    private void commit(GroupEntry<S> entry, long oldTimeoutMs, boolean timedOut) {
        long newTimeoutMs = state.timeoutMs();
        S newValue = state.valueOrNull();
        boolean updated = state.isUpdated();
        boolean removed = state.isRemoved();
        state.clear();
        if (removed && newTimeoutMs == GroupStateImpl.NO_TIMESTAMP) {
            if (entry != null) {
                entries.clear();
            }
        } else if (updated || removed || newTimeoutMs != oldTimeoutMs) {
            if (entry == null) {
                entry = new GroupEntry<>();
            }
            entry.value = newValue;
            entry.timeoutMs = newTimeoutMs;
            entries.update(entry);
        }
        // A fired timer is gone already; otherwise move the key's timer if its timeout changed.
        long timerOldMs = timedOut ? GroupStateImpl.NO_TIMESTAMP : oldTimeoutMs;
        if (timerOldMs != newTimeoutMs) {
            TimeDomain domain = timeout == GroupStateTimeout.EVENT_TIME_TIMEOUT ? TimeDomain.EVENT_TIME
                : TimeDomain.PROCESSING_TIME;
            if (timerOldMs != GroupStateImpl.NO_TIMESTAMP) {
                backend.timers().delete(domain, timerAt(timerOldMs));
            }
            if (newTimeoutMs != GroupStateImpl.NO_TIMESTAMP) {
                backend.timers().register(domain, timerAt(newTimeoutMs));
            }
        }
    }

    /** Timers fire at {@code >=}; Spark times out at {@code >}: the timer sits one ms later. */
    private static long timerAt(long timeoutMs) {
        return timeoutMs == Long.MAX_VALUE ? timeoutMs : timeoutMs + 1;
    }

    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("group state snapshot with " + pending.size() + " keys buffered in a"
                + " micro-batch: snapshots are taken after onEpoch");
        }
        return backend.snapshotState(epochId, watermarkMs, processingTimeMs, initialStatePending ? 0 : 1);
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        backend.restoreKeyGroup(keyGroup, in);
    }

    /**
     * Restored watermark: the minimum over the old partitions; processing time: the maximum. The
     * initial state is not applied again if any old partition had applied it (all apply it in the
     * first epoch; a snapshot without the flag predates initial states, which counts as applied).
     */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        long restored = in.readLong();
        watermarkMs = watermarkRestored ? Math.min(watermarkMs, restored) : restored;
        watermarkRestored = true;
        processingTimeMs = Math.max(processingTimeMs, in.readLong());
        backend.setProcessingTimeMs(processingTimeMs);
        boolean initialStateApplied = !in.hasRemaining() || in.readLong() != 0;
        if (initialStateApplied) {
            initialStatePending = false;
        }
    }

    /** One state row per key (value and timeout together, as Spark counts); late rows since the start. */
    @Override
    public void stateMetrics(StateMetrics into) {
        backend.stateMetrics(into);
        into.set(into.numRowsTotal(), into.numRowsUpdated(), into.numRowsRemoved(), droppedByWatermark,
            into.memoryUsedBytes());
    }

    /** The values iterator handed to the function: one record, a buffered list, or none; reused. */
    private static final class Values<V> implements Iterator<V> {
        private V one;
        private ArrayList<V> list;
        private int next;
        private int size;

        void resetToOne(V value) {
            one = value;
            list = null;
            next = 0;
            size = 1;
        }

        void resetToList(ArrayList<V> values) {
            one = null;
            list = values;
            next = 0;
            size = values.size();
        }

        void resetToEmpty() {
            one = null;
            list = null;
            next = 0;
            size = 0;
        }

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public V next() {
            if (next >= size) {
                throw new NoSuchElementException("no more values for this key");
            }
            V value = list == null ? one : list.get(next);
            next++;
            return value;
        }
    }
}
