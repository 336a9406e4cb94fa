package io.rivulet.operators.window;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Sneaky;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Aggregates each key's records per session window, with Spark's {@code session_window} semantics.
 *
 * <h2>Semantics (Spark's {@code groupBy(session_window(ts, gap), key).agg(...)})</h2>
 * <ul>
 *   <li>A record with event time {@code ts} and gap {@code g} opens the session {@code [ts, ts + g)}.
 *       Records whose gap is {@code <= 0} are dropped without a trace (Spark filters them out of a
 *       dynamic-gap session window; a static gap must be positive).</li>
 *   <li>Sessions of one key merge when they overlap <em>or touch</em>: Spark's
 *       {@code MergingSessionsIterator} sweeps the sessions sorted by start and extends the current
 *       one while {@code next.start <= current.end}. A record can therefore bridge two sessions into
 *       one; their accumulators are combined with {@link AggregateFunction#merge}.</li>
 *   <li>A record is late when its own session end {@code ts + g} is {@code <=} the watermark, in
 *       every output mode, {@link OutputMode#COMPLETE} included (unlike time windows). Late records
 *       are dropped before merging, so they never bridge sessions; each goes to the late output if
 *       there is one. {@link StateMetrics#numRowsDroppedByWatermark()} counts distinct late
 *       (key, ts, ts + g) per epoch: Spark's {@code SessionWindowStateStoreRestoreExec} filters
 *       late rows after a partial aggregation grouped by key and per-row session, so identical late
 *       rows of a batch count once (per input partition, in Spark).</li>
 *   <li>{@link OutputMode#APPEND}: {@link #onWatermark} emits each session whose end is {@code <=}
 *       the watermark and drops it. {@link #onEnd} flushes the rest.</li>
 *   <li>{@link OutputMode#UPDATE} (a Rivulet extension: Spark rejects update mode for session
 *       windows): {@link #onEpoch} emits each session changed in the epoch once, with its current
 *       bounds and value; the watermark drops sessions without output. When a session that was
 *       already emitted later grows or merges with another, the merged session is emitted again,
 *       possibly with a different start: the rows emitted earlier for the sessions it absorbed are
 *       not retracted, so a consumer keyed by (key, window) keeps them as stale rows. Update
 *       output is a changelog of sessions, not an upsert table.</li>
 *   <li>{@link OutputMode#COMPLETE}: {@link #onEpoch} emits every session held; nothing is evicted.</li>
 * </ul>
 *
 * <h2>State layout</h2>
 * Per key, an array of its sessions sorted by start (disjoint and not touching, hence also sorted by
 * end; usually one or two), found by binary search. A min-heap orders sessions by end so the
 * watermark finds the due ones without scanning keys; a session that grew keeps its old heap entry
 * and is pushed again with its new end when that entry comes due (one entry per session), and
 * entries of merged-away sessions are skipped. With a mutable accumulator, a record that extends
 * an existing session allocates nothing.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input record type
 * @param <A> accumulator type
 * @param <R> result type
 */
public final class SessionWindowOperator<K, T, A, R>
    implements KeyedOperator<K, T, WindowedValue<K, R>>, StatefulOperator {
    /** Rough bytes per session: session object, its slot in the key's array and in the heap, accumulator. */
    private static final long SESSION_BYTES = 120;
    /** Rough bytes per key: the key's session array and its map slots. */
    private static final long KEY_BYTES = 64;

    private static final int LIVE = 0;
    private static final int MERGED = 1;
    private static final int EVICTED = 2;

    private final ToLongFunction<? super T> eventTimeMs;
    private final ToLongFunction<? super T> gapMs;
    private final AggregateFunction<? super T, A, R> fn;
    private final OutputMode outputMode;
    private final Output<? super T> lateOutput;
    private final boolean tracksChanges;
    private final boolean evicts;

    private final Object2ObjectHashMap<K, KeySessions<K, A>> byKey = new Object2ObjectHashMap<>();
    private final LongMinHeap<Session<K, A>> sessionsByEnd = new LongMinHeap<>();
    private final ArrayList<Session<K, A>> changed = new ArrayList<>();
    private final LateGroups lateGroups = new LateGroups();
    private long watermarkMs = Long.MIN_VALUE;

    private final StateCounters counters = new StateCounters();

    /**
     * Creates the operator with a static gap.
     *
     * @param gapMs session gap in ms; &gt; 0
     * @param eventTimeMs reads a record's event time, epoch ms
     * @param fn the aggregate computed per session
     * @param outputMode when rows are emitted and whether state is evicted
     * @param lateOutput receives each late record; {@code null} drops them
     * @throws IllegalArgumentException if {@code gapMs <= 0}
     */
    public SessionWindowOperator(long gapMs, ToLongFunction<? super T> eventTimeMs,
                                 AggregateFunction<? super T, A, R> fn, OutputMode outputMode,
                                 Output<? super T> lateOutput) {
        this(staticGap(gapMs), eventTimeMs, fn, outputMode, lateOutput);
    }

    /**
     * Creates the operator with a gap per record (Spark's dynamic gap: {@code session_window(ts,
     * gapExpression)}); records whose gap is {@code <= 0} are dropped.
     *
     * @param gapMs reads a record's session gap in ms
     * @param eventTimeMs reads a record's event time, epoch ms
     * @param fn the aggregate computed per session
     * @param outputMode when rows are emitted and whether state is evicted
     * @param lateOutput receives each late record; {@code null} drops them
     */
    public SessionWindowOperator(ToLongFunction<? super T> gapMs, ToLongFunction<? super T> eventTimeMs,
                                 AggregateFunction<? super T, A, R> fn, OutputMode outputMode,
                                 Output<? super T> lateOutput) {
        this.gapMs = Objects.requireNonNull(gapMs, "gapMs");
        this.eventTimeMs = Objects.requireNonNull(eventTimeMs, "eventTimeMs");
        this.fn = Objects.requireNonNull(fn, "fn");
        this.outputMode = Objects.requireNonNull(outputMode, "outputMode");
        this.lateOutput = lateOutput;
        this.tracksChanges = outputMode == OutputMode.UPDATE;
        this.evicts = outputMode != OutputMode.COMPLETE;
    }

    private static <T> ToLongFunction<T> staticGap(long gapMs) {
        if (gapMs <= 0) {
            throw new IllegalArgumentException("gapMs (" + gapMs + ") must be greater than 0");
        }
        return record -> gapMs;
    }

    @Override
    public void process(K key, T record, Output<WindowedValue<K, R>> out) {
        long gap = gapMs.applyAsLong(record);
        if (gap <= 0) {
            return;
        }
        long start = eventTimeMs.applyAsLong(record);
        long end = start + gap;
        if (end <= watermarkMs) {
            onLate(key, record, start, end);
            return;
        }
        KeySessions<K, A> sessions = byKey.get(key);
        if (sessions == null) {
            sessions = new KeySessions<>();
            byKey.put(key, sessions);
        }
        Session<K, A> session = sessions.mergeInto(this, key, start, end);
        A updated = addChecked(session.accumulator, record);
        if (updated == null) {
            throw new NullPointerException("aggregate returned a null accumulator for key " + key);
        }
        session.accumulator = updated;
        touched(session);
    }

    @Override
    public void onWatermark(long watermarkMs, Output<WindowedValue<K, R>> out) {
        if (watermarkMs <= this.watermarkMs) {
            return;
        }
        this.watermarkMs = watermarkMs;
        if (!evicts) {
            return;
        }
        LongMinHeap<Session<K, A>> heap = sessionsByEnd;
        while (!heap.isEmpty() && heap.peekKey() <= watermarkMs) {
            Session<K, A> session = heap.peekValue();
            heap.pop();
            if (session.state != LIVE) {
                continue;
            }
            if (session.endMs > watermarkMs) {
                heap.push(session.endMs, session);
                continue;
            }
            evict(session, out);
        }
    }

    @Override
    public void onEpoch(long epochId, Output<WindowedValue<K, R>> out) {
        if (outputMode == OutputMode.UPDATE) {
            emitChanged(out);
        } else if (outputMode == OutputMode.COMPLETE) {
            emitAll(out);
        }
        lateGroups.clear();
    }

    @Override
    public void onEnd(Output<WindowedValue<K, R>> out) {
        switch (outputMode) {
            case APPEND -> {
                emitAll(out);
                counters.removed(counters.total);
                byKey.clear();
                sessionsByEnd.clear();
            }
            case UPDATE -> emitChanged(out);
            case COMPLETE -> emitAll(out);
            default -> throw new IllegalStateException("unknown output mode " + outputMode);
        }
    }

    @Override
    public void stateMetrics(StateMetrics into) {
        counters.report(into, counters.total * SESSION_BYTES + byKey.size() * KEY_BYTES);
    }

    /**
     * @return the current watermark, epoch ms; {@link Long#MIN_VALUE} before the first one
     */
    public long watermarkMs() {
        return watermarkMs;
    }

    /**
     * @return the number of sessions held
     */
    public long sessionCount() {
        return counters.total;
    }

    /**
     * @return the output mode
     */
    public OutputMode outputMode() {
        return outputMode;
    }

    private void touched(Session<K, A> session) {
        session.generation = counters.touch(session.generation);
        if (tracksChanges && !session.changed) {
            session.changed = true;
            changed.add(session);
        }
    }

    private Session<K, A> newSession(K key, long start, long end) {
        A accumulator = fn.createAccumulator();
        if (accumulator == null) {
            throw new NullPointerException("aggregate created a null accumulator for key " + key);
        }
        Session<K, A> session = new Session<>(key, start, end, accumulator, counters.newRowGeneration());
        if (evicts) {
            sessionsByEnd.push(end, session);
        }
        counters.added();
        return session;
    }

    private void mergedAway(Session<K, A> session) {
        session.state = MERGED;
        counters.removed(1);
    }

    private A mergeAccumulators(K key, A into, A from) {
        A merged = fn.merge(into, from);
        if (merged == null) {
            throw new NullPointerException("aggregate merge returned a null accumulator for key " + key);
        }
        return merged;
    }

    private A addChecked(A accumulator, T record) {
        try {
            return fn.add(accumulator, record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
    }

    private void onLate(K key, T record, long start, long end) {
        if (lateGroups.firstInEpoch(key, start, end)) {
            counters.dropped++;
        }
        if (lateOutput != null) {
            lateOutput.emit(record);
        }
    }

    private void evict(Session<K, A> session, Output<WindowedValue<K, R>> out) {
        KeySessions<K, A> sessions = byKey.get(session.key);
        sessions.remove(session);
        if (sessions.size == 0) {
            byKey.remove(session.key);
        }
        session.state = EVICTED;
        counters.removed(1);
        if (outputMode == OutputMode.APPEND) {
            emit(session, out);
        }
    }

    private void emitChanged(Output<WindowedValue<K, R>> out) {
        ArrayList<Session<K, A>> list = changed;
        for (int i = 0, n = list.size(); i < n; i++) {
            Session<K, A> session = list.get(i);
            session.changed = false;
            if (session.state != MERGED) {
                emit(session, out);
            }
        }
        list.clear();
    }

    private void emitAll(Output<WindowedValue<K, R>> out) {
        for (KeySessions<K, A> sessions : byKey.values()) {
            for (int i = 0; i < sessions.size; i++) {
                emit(sessions.items[i], out);
            }
        }
    }

    private void emit(Session<K, A> session, Output<WindowedValue<K, R>> out) {
        out.emit(new WindowedValue<>(session.key, session.window(), fn.result(session.accumulator)));
    }

    /** One key's sessions, sorted by start; disjoint and not touching, so sorted by end too. */
    private static final class KeySessions<K, A> {
        @SuppressWarnings("unchecked")
        Session<K, A>[] items = new Session[2];
        int size;

        /**
         * Returns the session that {@code [start, end)} joins, after merging every session it
         * overlaps or touches into the first of them; a new session if it joins none.
         */
        Session<K, A> mergeInto(SessionWindowOperator<K, ?, A, ?> op, K key, long start, long end) {
            int first = firstEndingAtOrAfter(start);
            int last = first;
            while (last < size && items[last].startMs <= end) {
                last++;
            }
            if (first == last) {
                Session<K, A> created = op.newSession(key, start, end);
                insert(first, created);
                return created;
            }
            Session<K, A> target = items[first];
            for (int i = first + 1; i < last; i++) {
                Session<K, A> absorbed = items[i];
                target.accumulator = op.mergeAccumulators(key, target.accumulator, absorbed.accumulator);
                op.mergedAway(absorbed);
            }
            target.resize(Math.min(target.startMs, start), Math.max(items[last - 1].endMs, end));
            int removed = last - first - 1;
            if (removed > 0) {
                System.arraycopy(items, last, items, first + 1, size - last);
                Arrays.fill(items, size - removed, size, null);
                size -= removed;
            }
            return target;
        }

        /** Index of the first session whose end is {@code >= timestampMs}; {@code size} if none. */
        private int firstEndingAtOrAfter(long timestampMs) {
            int low = 0;
            int high = size;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (items[mid].endMs < timestampMs) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        private void insert(int index, Session<K, A> session) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            System.arraycopy(items, index, items, index + 1, size - index);
            items[index] = session;
            size++;
        }

        void remove(Session<K, A> session) {
            for (int i = 0; i < size; i++) {
                if (items[i] == session) {
                    System.arraycopy(items, i + 1, items, i, size - i - 1);
                    items[--size] = null;
                    return;
                }
            }
            throw new IllegalStateException("session not held by its key: " + session.key);
        }
    }

    private static final class Session<K, A> {
        final K key;
        long startMs;
        long endMs;
        A accumulator;
        long generation;
        boolean changed;
        int state = LIVE;
        private Window window;

        Session(K key, long startMs, long endMs, A accumulator, long generation) {
            this.key = key;
            this.startMs = startMs;
            this.endMs = endMs;
            this.accumulator = accumulator;
            this.generation = generation;
        }

        void resize(long newStartMs, long newEndMs) {
            if (newStartMs != startMs || newEndMs != endMs) {
                startMs = newStartMs;
                endMs = newEndMs;
                window = null;
            }
        }

        Window window() {
            Window w = window;
            if (w == null) {
                w = new Window(startMs, endMs);
                window = w;
            }
            return w;
        }
    }
}
