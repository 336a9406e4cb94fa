package io.rivulet.operators.window;

import io.rivulet.operators.function.AggregateFunction;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The producer's half of a local-global window aggregation (Flink SQL's "local-global aggregation",
 * Spark's partial aggregation before a shuffle): folds the records of each (key, tumbling window) seen
 * since the last flush into a <em>partial</em> accumulator with the user's
 * {@link AggregateFunction#add}, and hands the partials to a {@link PartialOutput}, which ships them to the
 * keyed stage; there {@link WindowAggregateOperator#processPartial} merges them
 * ({@link AggregateFunction#merge}) into its state.
 *
 * <p>The caller (the producer's exchange) keeps the rules that make the keyed stage's output identical to
 * shipping every record:
 * <ul>
 *   <li>{@link #flushUpTo} before it forwards a watermark: every partial of a window ending at or before
 *       that watermark goes out first, so partials reach the keyed stage while their window is still open
 *       there;</li>
 *   <li>{@link #flushAll} before it forwards an epoch barrier or the end, so a checkpoint sees no partial
 *       in flight and a restore has nothing on the producer's side;</li>
 *   <li>{@link #add} returns {@code false} for a record whose window the producer already closed (its end
 *       at or before the highest watermark flushed, or the floor a restore set with {@link #closeUpTo}):
 *       the caller sends that record on un-aggregated, so the keyed stage judges it late exactly as
 *       before.</li>
 * </ul>
 *
 * <p>Partials of a window are flushed in the order their keys first arrived, so a keyed stage fed by one
 * producer creates its rows in the same order as from the records; each partial carries the number of
 * records folded into it. A flushed partial is a new accumulator ({@link AggregateFunction#createAccumulator})
 * handed over for good: the next record of that key and window starts another. With a mutable accumulator
 * (one that {@code add} returns itself) a record of a (key, window) already held allocates nothing.
 *
 * <p>Tumbling windows only (a record belongs to one window). Not thread-safe; owned by the producing
 * task's thread.
 *
 * @param <K> key type
 * @param <T> record type
 * @param <A> accumulator type
 */
public final class WindowPreAggregator<K, T, A> {
    /**
     * Receives flushed partials. Called on the pre-aggregator's owner thread.
     *
     * @param <K> key type
     * @param <A> accumulator type
     */
    @FunctionalInterface
    public interface PartialOutput<K, A> {
        /**
         * One partial accumulator of a (key, window).
         *
         * @param key the key
         * @param windowStartMs the window's start, epoch ms
         * @param partial the accumulator; the receiver owns it from now on
         * @param records how many records were folded into it, at least 1
         */
        void onPartial(K key, long windowStartMs, A partial, int records);
    }

    private final ToLongFunction<? super T> eventTimeMs;
    private final AggregateFunction<? super T, A, ?> fn;
    private final long sizeMs;
    private final long offsetMs;
    private final Long2ObjectHashMap<Pending<K, A>> byStart = new Long2ObjectHashMap<>();
    private final LongMinHeap<Pending<K, A>> starts = new LongMinHeap<>();
    private final ArrayDeque<Pending<K, A>> free = new ArrayDeque<>();
    private Pending<K, A> last;
    private long closedMs = Long.MIN_VALUE;
    private long heldRecords;

    /**
     * @param assigner the windows; must be tumbling
     * @param eventTimeMs a record's event time, epoch ms (the keyed stage's function)
     * @param fn the aggregate; its {@code merge} combines partials at the keyed stage
     * @throws IllegalArgumentException if {@code assigner} is not tumbling
     */
    public WindowPreAggregator(WindowAssigner assigner, ToLongFunction<? super T> eventTimeMs,
                               AggregateFunction<? super T, A, ?> fn) {
        Objects.requireNonNull(assigner, "assigner");
        if (!assigner.isTumbling()) {
            throw new IllegalArgumentException("pre-aggregation needs tumbling windows (one window per record), got "
                + assigner);
        }
        this.eventTimeMs = Objects.requireNonNull(eventTimeMs, "eventTimeMs");
        this.fn = Objects.requireNonNull(fn, "fn");
        this.sizeMs = assigner.sizeMs();
        this.offsetMs = assigner.offsetMs();
    }

    /**
     * Folds a record into its (key, window) partial, unless its window is closed here.
     *
     * @param key the record's key, not {@code null}
     * @param record the record; not kept
     * @return {@code true} if folded, or dropped for having no event time ({@link Window#NO_EVENT_TIME}, as the
     *     window operator would drop it); {@code false} if its window ends at or before {@link #closedMs()}:
     *     the caller must send the record on itself
     */
    public boolean add(K key, T record) {
        long timestampMs = eventTimeMs.applyAsLong(record);
        if (timestampMs == Window.NO_EVENT_TIME) {
            return true;
        }
        long start = startOf(timestampMs);
        if (start + sizeMs <= closedMs) {
            return false;
        }
        Pending<K, A> pending = last;
        if (pending == null || pending.startMs != start) {
            pending = pendingSlowPath(start);
            last = pending;
        }
        int index = pending.indexByKey.getValue(key);
        if (index == Pending.MISSING) {
            index = pending.newPartial(key, createAccumulator());
        }
        A current = pending.partials.get(index);
        A updated = UserAggregates.add(fn, current, record);
        if (updated == null) {
            throw new NullPointerException("aggregate returned a null accumulator for key " + key);
        }
        if (updated != current) {
            pending.partials.set(index, updated);
        }
        pending.records[index]++;
        heldRecords++;
        return true;
    }

    /**
     * Flushes every window that ends at or before {@code watermarkMs} (by start, each in key arrival order)
     * and closes them: later records of those windows are not folded. Call before forwarding the watermark.
     *
     * @param watermarkMs the watermark about to be forwarded, epoch ms
     * @param out receives the partials
     */
    public void flushUpTo(long watermarkMs, PartialOutput<K, A> out) {
        closeUpTo(watermarkMs);
        LongMinHeap<Pending<K, A>> heap = starts;
        while (!heap.isEmpty() && heap.peekKey() + sizeMs <= watermarkMs) {
            Pending<K, A> pending = heap.peekValue();
            heap.pop();
            flush(pending, out);
        }
    }

    /**
     * Flushes every partial held (by window start, each in key arrival order); windows stay open. Call
     * before forwarding an epoch barrier or the end.
     *
     * @param out receives the partials
     */
    public void flushAll(PartialOutput<K, A> out) {
        LongMinHeap<Pending<K, A>> heap = starts;
        while (!heap.isEmpty()) {
            Pending<K, A> pending = heap.peekValue();
            heap.pop();
            flush(pending, out);
        }
    }

    /**
     * Closes every window ending at or before {@code watermarkMs} without flushing (the floor a restored
     * keyed stage's watermark sets: its windows up to there are closed there). Never lowers the floor.
     *
     * @param watermarkMs the floor, epoch ms
     */
    public void closeUpTo(long watermarkMs) {
        if (watermarkMs > closedMs) {
            closedMs = watermarkMs;
        }
    }

    /**
     * @return the highest watermark flushed or floor set, epoch ms; {@link Long#MIN_VALUE} before any
     */
    public long closedMs() {
        return closedMs;
    }

    /**
     * @return the records folded into partials not yet flushed
     */
    public long heldRecords() {
        return heldRecords;
    }

    /**
     * @return the partials not yet flushed
     */
    public int heldPartials() {
        int n = 0;
        for (Pending<K, A> pending : byStart.values()) {
            n += pending.keys.size();
        }
        return n;
    }

    private void flush(Pending<K, A> pending, PartialOutput<K, A> out) {
        byStart.remove(pending.startMs);
        if (last == pending) {
            last = null;
        }
        ArrayList<K> keys = pending.keys;
        ArrayList<A> partials = pending.partials;
        int[] records = pending.records;
        for (int i = 0, n = keys.size(); i < n; i++) {
            heldRecords -= records[i];
            out.onPartial(keys.get(i), pending.startMs, partials.get(i), records[i]);
        }
        pending.clear();
        free.add(pending);
    }

    private Pending<K, A> pendingSlowPath(long start) {
        Pending<K, A> pending = byStart.get(start);
        if (pending == null) {
            pending = free.poll();
            if (pending == null) {
                pending = new Pending<>();
            }
            pending.startMs = start;
            byStart.put(start, pending);
            starts.push(start, pending);
        }
        return pending;
    }

    private A createAccumulator() {
        A accumulator = fn.createAccumulator();
        if (accumulator == null) {
            throw new NullPointerException("aggregate created a null accumulator");
        }
        return accumulator;
    }

    /** The largest {@code s <= timestampMs} with {@code s ≡ offset mod size}. */
    private long startOf(long timestampMs) {
        long remainder = (timestampMs - offsetMs) % sizeMs;
        return timestampMs - (remainder < 0 ? remainder + sizeMs : remainder);
    }

    /** One window's partials since its last flush, keys in arrival order; recycled after a flush. */
    private static final class Pending<K, A> {
        static final int MISSING = -1;
        long startMs;
        final Object2IntHashMap<K> indexByKey = new Object2IntHashMap<>(MISSING);
        final ArrayList<K> keys = new ArrayList<>();
        final ArrayList<A> partials = new ArrayList<>();
        int[] records = new int[16];

        int newPartial(K key, A accumulator) {
            int index = keys.size();
            indexByKey.put(key, index);
            keys.add(key);
            partials.add(accumulator);
            if (index == records.length) {
                records = Arrays.copyOf(records, index * 2);
            }
            records[index] = 0;
            return index;
        }

        void clear() {
            indexByKey.clear();
            keys.clear();
            partials.clear();
        }
    }
}
