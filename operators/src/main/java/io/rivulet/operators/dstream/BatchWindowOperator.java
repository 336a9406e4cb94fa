package io.rivulet.operators.dstream;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
import io.rivulet.operators.function.ReduceFunction;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.ValueState;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Spark's windowed DStream operations over windows of whole batches: {@code reduceByKey} (a window of
 * one batch), {@code reduceByKeyAndWindow} with and without an inverse function, and
 * {@code window} (the records themselves).
 *
 * <p><b>Batches.</b> Batch {@code n} ({@link BatchClock}) ends at {@link #onEpoch}. A window of
 * {@code lengthBatches} batches is emitted after every {@code slideBatches}-th batch: after batch
 * {@code n} when {@code (n + 1) % slideBatches == 0}, covering batches {@code n - lengthBatches + 1 ..
 * n} (Spark: the windows end at multiples of the slide from the stream's zero time, the first batch
 * being one interval after it).
 *
 * <p><b>State</b>, per key in a {@link KeyedStateBackend} value state {@code dstreamWindow}: the
 * batch now running reduced as it arrives, and the per-batch reduces still inside the window. Without
 * an inverse function, the window value is the reduce of those, in batch order, and a key with no
 * batch left in the window is removed. With one, the window value is kept: each batch adds its reduce
 * and subtracts the reduces of the batches that leave the window; a key stays (Spark: with the value
 * the inverse left, such as a count of 0) until the filter, applied at each emitted window, drops it.
 * In collect mode ({@code window}) a batch's "reduce" is the list of its records and the window emits
 * them all, batch by batch, in arrival order. The last batch index is operator state.
 *
 * <p>Every key is visited once per batch (to fold its batch in and evict what left the window): a
 * batch costs O(keys with state). Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <O> output type: {@code KeyValue<K, V>}, or {@code V} in collect mode
 */
public final class BatchWindowOperator<K, V, O> extends BatchStateOperator<K, V, O> {
    private final ReduceFunction<V> reduce;
    private final ReduceFunction<V> inverse;
    private final Predicate<? super KeyValue<K, V>> filter;
    private final boolean collect;
    private final int lengthBatches;
    private final int slideBatches;
    private final StateDescriptor<ValueState<WindowEntry>> descriptor;
    private final ValueState<WindowEntry> entries;
    private final ArrayList<K> keys = new ArrayList<>();
    private final BiConsumer<K, WindowEntry> collectKey = (key, entry) -> keys.add(key);

    private BatchWindowOperator(ReduceFunction<V> reduce, ReduceFunction<V> inverse, Predicate<? super KeyValue<K, V>> filter,
                                boolean collect, DStreamSettings<K, V> settings, long lengthMs, long slideMs) {
        super(settings);
        this.reduce = reduce;
        this.inverse = inverse;
        this.filter = filter;
        this.collect = collect;
        long intervalMs = settings.batchIntervalMs();
        this.lengthBatches = batches("window", lengthMs, intervalMs);
        this.slideBatches = batches("slide", slideMs, intervalMs);
        @SuppressWarnings("unchecked")
        StateCodec<Object> values = (StateCodec<Object>) settings.valueCodec();
        this.descriptor = StateDescriptor.value("dstreamWindow", new WindowEntry.Codec(values));
        this.entries = backend.state(descriptor);
    }

    /**
     * Spark's rule ({@code WindowedDStream}): a window and its slide are whole multiples of the parent's
     * slide, here the batch interval.
     */
    static int batches(String what, long durationMs, long intervalMs) {
        if (durationMs < 1 || durationMs % intervalMs != 0) {
            throw new IllegalArgumentException("The " + what + " duration of windowed DStream (" + durationMs
                + " ms) must be a multiple of the slide duration of parent DStream (" + intervalMs + " ms): DStream"
                + " windows are made of whole batches of the batch interval");
        }
        long n = durationMs / intervalMs;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("The " + what + " duration of windowed DStream (" + durationMs + " ms) spans "
                + n + " batches of " + intervalMs + " ms: at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /**
     * {@code reduceByKeyAndWindow(reduce, length, slide)}, and {@code reduceByKey(reduce)} with length and
     * slide one interval. Emits {@code KeyValue(key, windowValue)} for every key with data in the window.
     *
     * @param reduce associative (and, as Spark asks, commutative) reduce
     * @param settings batch interval, codecs and key groups
     * @param lengthMs window length, a multiple of the batch interval
     * @param slideMs slide, a multiple of the batch interval
     * @param <K> key type
     * @param <V> value type
     * @return the operator
     * @throws IllegalArgumentException if length or slide is not a positive multiple of the interval
     */
    public static <K, V> BatchWindowOperator<K, V, KeyValue<K, V>> reduce(ReduceFunction<V> reduce,
                                                                         DStreamSettings<K, V> settings,
                                                                         long lengthMs, long slideMs) {
        return new BatchWindowOperator<>(Objects.requireNonNull(reduce, "reduce"), null, null, false,
            Objects.requireNonNull(settings, "settings"), lengthMs, slideMs);
    }

    /**
     * {@code reduceByKeyAndWindow(reduce, inverse, length, slide, filter)}: incremental over the window.
     *
     * @param reduce associative, commutative reduce
     * @param inverse undoes {@code reduce}: {@code inverse(reduce(a, b), b) == a}
     * @param filter keys whose window value fails it are dropped from state (not emitted); {@code null}: keep all
     * @param settings batch interval, codecs and key groups
     * @param lengthMs window length, a multiple of the batch interval
     * @param slideMs slide, a multiple of the batch interval
     * @param <K> key type
     * @param <V> value type
     * @return the operator
     * @throws IllegalArgumentException if length or slide is not a positive multiple of the interval
     */
    public static <K, V> BatchWindowOperator<K, V, KeyValue<K, V>> reduceWithInverse(
        ReduceFunction<V> reduce, ReduceFunction<V> inverse, Predicate<? super KeyValue<K, V>> filter,
        DStreamSettings<K, V> settings, long lengthMs, long slideMs) {
        return new BatchWindowOperator<>(Objects.requireNonNull(reduce, "reduce"), Objects.requireNonNull(inverse, "inverse"),
            filter, false, Objects.requireNonNull(settings, "settings"), lengthMs, slideMs);
    }

    /**
     * {@code window(length, slide)}: emits every record of the window's batches (per key; the engine
     * runs it on one constant key), batch by batch, in arrival order.
     *
     * @param settings batch interval, codecs (the value codec writes the records) and key groups
     * @param lengthMs window length, a multiple of the batch interval
     * @param slideMs slide, a multiple of the batch interval
     * @param <K> key type
     * @param <V> record type
     * @return the operator
     * @throws IllegalArgumentException if length or slide is not a positive multiple of the interval
     */
    public static <K, V> BatchWindowOperator<K, V, V> collect(DStreamSettings<K, V> settings, long lengthMs, long slideMs) {
        return new BatchWindowOperator<>(null, null, null, true, Objects.requireNonNull(settings, "settings"), lengthMs,
            slideMs);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(K key, V record, Output<O> out) {
        backend.setCurrentKey(key);
        WindowEntry entry = entries.value();
        if (entry == null) {
            entry = new WindowEntry();
            hasState = true;
        }
        if (collect) {
            if (entry.pending == null) {
                entry.pending = new ArrayList<>();
            }
            ((List<Object>) entry.pending).add(record);
        } else {
            entry.pending = entry.pending == null ? record : apply(reduce, (V) entry.pending, record);
        }
        entries.update(entry);
    }

    /** The next batch is due while any key holds state: its window slides, or leaves it. */
    @Override
    public long nextProcessingTimeMs() {
        return clock.nextBatchDueMs(hasState);
    }

    @Override
    public void onEpoch(long epochId, Output<O> out) {
        long batch = clock.nextBatch();
        boolean emit = (batch + 1) % slideBatches == 0;
        long oldest = batch - lengthBatches + 1;
        keys.clear();
        backend.forEachValue(descriptor, collectKey);
        int kept = 0;
        for (int i = 0, n = keys.size(); i < n; i++) {
            K key = keys.get(i);
            backend.setCurrentKey(key);
            if (endBatch(key, entries.value(), batch, oldest, emit, out)) {
                kept++;
            }
        }
        keys.clear();
        hasState = kept > 0;
    }

    /** Folds the key's batch in, evicts what left the window, emits; returns whether the key stays. */
    @SuppressWarnings("unchecked")
    private boolean endBatch(K key, WindowEntry entry, long batch, long oldest, boolean emit, Output<O> out) {
        if (entry.pending != null) {
            if (inverse != null) {
                entry.window = entry.window == null ? entry.pending : apply(reduce, (V) entry.window, (V) entry.pending);
            }
            entry.append(batch, entry.pending);
            entry.pending = null;
        }
        while (entry.size > 0 && entry.batches[0] < oldest) {
            if (inverse != null && entry.window != null) {
                entry.window = apply(inverse, (V) entry.window, (V) entry.partials[0]);
            }
            entry.removeOldest();
        }
        if (inverse != null) {
            if (emit && entry.window != null) {
                KeyValue<K, V> result = new KeyValue<>(key, (V) entry.window);
                if (filter != null && !filter.test(result)) {
                    entries.clear();
                    return false;
                }
                out.emit((O) result);
            }
            entries.update(entry);
            return true;
        }
        if (entry.size == 0) {
            entries.clear();
            return false;
        }
        if (emit) {
            emitWindow(key, entry, out);
        }
        entries.update(entry);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void emitWindow(K key, WindowEntry entry, Output<O> out) {
        if (collect) {
            for (int b = 0; b < entry.size; b++) {
                List<Object> records = (List<Object>) entry.partials[b];
                for (int r = 0, n = records.size(); r < n; r++) {
                    out.emit((O) records.get(r));
                }
            }
            return;
        }
        V value = (V) entry.partials[0];
        for (int b = 1; b < entry.size; b++) {
            value = apply(reduce, value, (V) entry.partials[b]);
        }
        out.emit((O) new KeyValue<>(key, value));
    }

    private static <V> V apply(ReduceFunction<V> fn, V accumulated, V value) {
        V result;
        try {
            result = fn.reduce(accumulated, value);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
        if (result == null) {
            throw new NullPointerException("DStream reduce function returned null for (" + accumulated + ", " + value
                + "): a reduce must return a value");
        }
        return result;
    }

    /** The last batch index: the largest over the old partitions. */

    /** @return the key groups this instance owns */
    public KeyGroupRange keyGroups() {
        return backend.range();
    }
}
