package io.rivulet.operators.process;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.KeyedTimers;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.TimeDomain;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Runs a {@link KeyedProcessFunction}: sets each record's key as the current key of its
 * {@link KeyedStateBackend}, fires timers as the watermark and the processing time advance, and
 * snapshots the keyed state and timers per key group.
 *
 * <p>Operator state (not per key): the current watermark and the last processing time passed in;
 * after rescaling, the restored watermark is the minimum over the old partitions and the processing
 * time the maximum (time never goes back, and the runtime passes a fresh one soon). {@link #onEnd} fires nothing: event-time timers still pending at
 * the end of a bounded input fire only if the runtime advances the watermark to them first.
 *
 * <p><b>Queryable state.</b> A key reads as the map of its states, state name to a copy of the value
 * ({@link KeyedStateBackend#query}): a value state's value, a list state's list, a map state's map, a
 * {@code LongValueState}'s {@code Long}; states the key holds nothing in are left out, and a key
 * holding nothing reads as absent. Timers are not read.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <I> input record type
 * @param <O> main output record type
 */
public final class KeyedProcessOperator<K, I, O>
    implements KeyedOperator<K, I, O>, CheckpointedOperator, StatefulOperator, KeyedTimers.Handler,
    QueryableOperator<K, Map<String, Object>> {
    private final KeyedProcessFunction<K, I, O> function;
    private final KeyedStateBackend<K> backend;
    private final SideOutputs sideOutputs;
    private final HashMap<OutputTag<?>, Output<?>> resolved = new HashMap<>();
    private final ContextImpl context = new ContextImpl();
    private boolean open;
    private long watermarkMs = Long.MIN_VALUE;
    private boolean watermarkRestored;
    private long processingTimeMs;
    private Output<O> timerOut;

    /**
     * @param function the user function
     * @param keyCodec writes the keys in snapshots
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns
     * @param sideOutputs resolves side output tags ({@link SideOutputs#NONE} if there are none)
     */
    public KeyedProcessOperator(KeyedProcessFunction<K, I, O> function, StateCodec<K> keyCodec, int maxParallelism,
                                KeyGroupRange range, SideOutputs sideOutputs) {
        this.function = Objects.requireNonNull(function, "function");
        this.backend = new KeyedStateBackend<>(keyCodec, maxParallelism, range);
        this.sideOutputs = Objects.requireNonNull(sideOutputs, "sideOutputs");
    }

    /**
     * An operator owning every key group of {@link KeyGroups#DEFAULT_MAX_PARALLELISM}, keys written with
     * {@link StateCodecs#dynamic()}, without side outputs.
     *
     * @param function the user function
     */
    public KeyedProcessOperator(KeyedProcessFunction<K, I, O> function) {
        this(function, StateCodecs.dynamic(), KeyGroups.DEFAULT_MAX_PARALLELISM,
            new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM), SideOutputs.NONE);
    }

    /**
     * @return the keyed state (for tests and metrics)
     */
    public KeyedStateBackend<K> backend() {
        return backend;
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}. Opens the function first (so the
     * states it registers, and their restored entries, are readable before the first record).
     *
     * @param key the key
     * @return state name to a copy of the key's value, unmodifiable; {@code null} if the key holds no state
     */
    @Override
    public Map<String, Object> queryValue(K key) {
        ensureOpen();
        return backend.query(key);
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: each key holding any state, with
     * what {@link #queryValue} reads for it.
     *
     * @param keys which keys to read
     * @param into receives each key and its states
     */
    @Override
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super Map<String, Object>> into) {
        ensureOpen();
        backend.scan(keys, into);
    }

    @Override
    public void process(K key, I record, Output<O> out) {
        ensureOpen();
        backend.setCurrentKey(key);
        context.domain = null;
        try {
            function.processElement(record, context, out);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }

    @Override
    public void onWatermark(long watermarkMs, Output<O> out) {
        ensureOpen();
        if (watermarkMs <= this.watermarkMs) {
            return;
        }
        this.watermarkMs = watermarkMs;
        timerOut = out;
        backend.timers().advanceWatermark(watermarkMs, this);
        timerOut = null;
    }

    /** Processing-time timers fire from {@link #onProcessingTime}. */
    @Override
    public boolean usesProcessingTime() {
        return true;
    }

    @Override
    public long nextProcessingTimeMs() {
        return backend.timers().nextTimestampMs(TimeDomain.PROCESSING_TIME);
    }

    @Override
    public void onProcessingTime(long nowMs, Output<O> out) {
        ensureOpen();
        processingTimeMs = Math.max(processingTimeMs, nowMs);
        timerOut = out;
        backend.timers().advanceProcessingTime(processingTimeMs, this);
        timerOut = null;
    }

    /**
     * Fires one timer into the user function; called by the timers with the timer's key current.
     *
     * @param timestampMs the timer's timestamp
     * @param domain its time domain
     */
    @Override
    public void onTimer(long timestampMs, TimeDomain domain) {
        context.domain = domain;
        try {
            function.onTimer(timestampMs, context, timerOut);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        } finally {
            context.domain = null;
        }
    }

    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        return backend.snapshotState(epochId, watermarkMs, processingTimeMs);
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        backend.restoreKeyGroup(keyGroup, in);
    }

    @Override
    public void restoreOperatorState(SnapshotInput in) {
        long restored = in.readLong();
        watermarkMs = watermarkRestored ? Math.min(watermarkMs, restored) : restored;
        watermarkRestored = true;
        processingTimeMs = Math.max(processingTimeMs, in.readLong());
        backend.setProcessingTimeMs(processingTimeMs);
    }

    @Override
    public void stateMetrics(StateMetrics into) {
        backend.stateMetrics(into);
    }

    /** Opens the function once; marked open only when {@code open} returned (a read that failed it is retried by the next call). */
    private void ensureOpen() {
        if (!open) {
            try {
                function.open(backend);
            } catch (Exception e) {
                throw Sneaky.rethrow(e);
            }
            open = true;
        }
    }

    private final class ContextImpl implements KeyedProcessFunction.Context<K, O>, TimerService {
        TimeDomain domain;

        @Override
        public K currentKey() {
            return backend.currentKey();
        }

        @Override
        public long currentWatermarkMs() {
            return watermarkMs;
        }

        @Override
        public long currentProcessingTimeMs() {
            return processingTimeMs;
        }

        @Override
        public TimerService timerService() {
            return this;
        }

        @Override
        public TimeDomain timeDomain() {
            return domain;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <X> void output(OutputTag<X> tag, X value) {
            Output<X> out = (Output<X>) resolved.get(tag);
            if (out == null) {
                out = sideOutputs.outputFor(tag);
                if (out == null) {
                    throw new IllegalArgumentException("no side output named '" + tag.name()
                        + "': the plan does not consume this OutputTag");
                }
                resolved.put(tag, out);
            }
            out.emit(value);
        }

        @Override
        public void registerEventTimeTimer(long timestampMs) {
            backend.timers().register(TimeDomain.EVENT_TIME, timestampMs);
        }

        @Override
        public void registerProcessingTimeTimer(long timestampMs) {
            backend.timers().register(TimeDomain.PROCESSING_TIME, timestampMs);
        }

        @Override
        public void deleteEventTimeTimer(long timestampMs) {
            backend.timers().delete(TimeDomain.EVENT_TIME, timestampMs);
        }

        @Override
        public void deleteProcessingTimeTimer(long timestampMs) {
            backend.timers().delete(TimeDomain.PROCESSING_TIME, timestampMs);
        }
    }
}
