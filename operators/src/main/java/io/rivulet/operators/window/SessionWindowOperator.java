package io.rivulet.operators.window;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Sneaky;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
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
 * end; usually one or two), found by binary search. A min-heap orders sessions by end, ties by push
 * order, so the watermark finds the due ones without scanning keys; a session that grew keeps its
 * old heap entry and is pushed again with its new end when that entry comes due (one entry per
 * session), and entries of merged-away sessions are skipped. Keys are also linked in the order they
 * first got a session, the order in which {@link OutputMode#COMPLETE} (and the end of input in
 * {@link OutputMode#APPEND}) emits them. With a mutable accumulator, a record that extends an
 * existing session allocates nothing.
 *
 * <h2>Snapshots</h2>
 * As {@link WindowAggregateOperator}: {@link #snapshotState} copies each session (key, bounds, a deep
 * copy of the accumulator, its heap entry's end and push sequence, its key's rank in the key order,
 * and in UPDATE mode its place in the epoch's changed list) on the owner thread, and the snapshot
 * writes them per key group later. Operator state is the watermark and the late-row counter
 * (restored as the smallest watermark and the summed counters of the old partitions). Restore
 * rebuilds each key's sorted sessions, the heap (same order: ties broken by push sequence) and the
 * key order, so a restored operator emits exactly what the original would have.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input record type
 * @param <A> accumulator type
 * @param <R> result type
 */
public final class SessionWindowOperator<K, T, A, R>
    implements KeyedOperator<K, T, WindowedValue<K, R>>, StatefulOperator, CheckpointedOperator {
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
    /** Tie-break of the next heap entry: equal ends come out in push order. */
    private long nextHeapSeq;
    /** Keys in the order they first got a session (emit order of {@link #emitAll}). */
    private KeySessions<K, A> firstKey;
    private KeySessions<K, A> lastKey;

    private final StateCounters counters = new StateCounters();

    private final StateCodec<K> keyCodec;
    private final StateCodec<A> accumulatorCodec;
    /** Keys restored but not yet linked in their order (restored key groups arrive in any order). */
    private final ArrayList<KeySessions<K, A>> restoredKeys = new ArrayList<>();
    private final ArrayList<RestoredChange<K, A>> restoredChanged = new ArrayList<>();
    private boolean operatorStateRestored;

    /**
     * Creates the operator with a static gap; keys and accumulators are snapshotted with
     * {@link StateCodecs#dynamic()}.
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
     * Creates the operator with a static gap and explicit codecs for its snapshots.
     *
     * @param gapMs session gap in ms; &gt; 0
     * @param eventTimeMs reads a record's event time, epoch ms
     * @param fn the aggregate computed per session
     * @param outputMode when rows are emitted and whether state is evicted
     * @param lateOutput receives each late record; {@code null} drops them
     * @param keyCodec writes keys into snapshots
     * @param accumulatorCodec writes accumulators into snapshots; its {@code copy} must return an
     *     independent copy of a mutable accumulator
     * @throws IllegalArgumentException if {@code gapMs <= 0}
     */
    public SessionWindowOperator(long gapMs, ToLongFunction<? super T> eventTimeMs,
                                 AggregateFunction<? super T, A, R> fn, OutputMode outputMode,
                                 Output<? super T> lateOutput, StateCodec<K> keyCodec, StateCodec<A> accumulatorCodec) {
        this(staticGap(gapMs), eventTimeMs, fn, outputMode, lateOutput, keyCodec, accumulatorCodec);
    }

    /**
     * Creates the operator with a gap per record (Spark's dynamic gap: {@code session_window(ts,
     * gapExpression)}); records whose gap is {@code <= 0} are dropped. Keys and accumulators are
     * snapshotted with {@link StateCodecs#dynamic()}.
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
        this(gapMs, eventTimeMs, fn, outputMode, lateOutput, StateCodecs.dynamic(), StateCodecs.dynamic());
    }

    /**
     * Creates the operator with a gap per record and explicit codecs for its snapshots.
     *
     * @param gapMs reads a record's session gap in ms
     * @param eventTimeMs reads a record's event time, epoch ms
     * @param fn the aggregate computed per session
     * @param outputMode when rows are emitted and whether state is evicted
     * @param lateOutput receives each late record; {@code null} drops them
     * @param keyCodec writes keys into snapshots
     * @param accumulatorCodec writes accumulators into snapshots; its {@code copy} must return an
     *     independent copy of a mutable accumulator
     */
    public SessionWindowOperator(ToLongFunction<? super T> gapMs, ToLongFunction<? super T> eventTimeMs,
                                 AggregateFunction<? super T, A, R> fn, OutputMode outputMode,
                                 Output<? super T> lateOutput, StateCodec<K> keyCodec, StateCodec<A> accumulatorCodec) {
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.accumulatorCodec = Objects.requireNonNull(accumulatorCodec, "accumulatorCodec");
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
            sessions = newKey(key);
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
        finishRestore();
        LongMinHeap<Session<K, A>> heap = sessionsByEnd;
        while (!heap.isEmpty() && heap.peekKey() <= watermarkMs) {
            Session<K, A> session = heap.peekValue();
            heap.pop();
            if (session.state != LIVE) {
                continue;
            }
            if (session.endMs > watermarkMs) {
                pushToHeap(session);
                continue;
            }
            evict(session, out);
        }
    }

    @Override
    public void onEpoch(long epochId, Output<WindowedValue<K, R>> out) {
        finishRestore();
        if (outputMode == OutputMode.UPDATE) {
            emitChanged(out);
        } else if (outputMode == OutputMode.COMPLETE) {
            emitAll(out);
        }
        lateGroups.clear();
    }

    @Override
    public void onEnd(Output<WindowedValue<K, R>> out) {
        finishRestore();
        switch (outputMode) {
            case APPEND -> {
                emitAll(out);
                counters.removed(counters.total);
                byKey.clear();
                sessionsByEnd.clear();
                firstKey = null;
                lastKey = null;
            }
            case UPDATE -> emitChanged(out);
            case COMPLETE -> emitAll(out);
            default -> throw new IllegalStateException("unknown output mode " + outputMode);
        }
    }

    /**
     * Copies every session (key, bounds, deep copy of the accumulator, heap entry, key order, changed
     * position) on the owner thread; the snapshot writes them per key group later, on any thread,
     * unaffected by further records.
     *
     * @param epochId the epoch that just ended
     * @return the snapshot
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        finishRestore();
        SessionSnapshot<K, A> snapshot = new SessionSnapshot<>(keyCodec, accumulatorCodec, watermarkMs, counters.dropped,
            (int) Math.min(Integer.MAX_VALUE - 8, counters.total + changed.size()));
        IdentityHashMap<Session<K, A>, Integer> changedAt = null;
        if (!changed.isEmpty()) {
            changedAt = new IdentityHashMap<>();
            for (int i = 0, n = changed.size(); i < n; i++) {
                changedAt.put(changed.get(i), i);
            }
        }
        int rank = 0;
        for (KeySessions<K, A> sessions = firstKey; sessions != null; sessions = sessions.next, rank++) {
            for (int i = 0; i < sessions.size; i++) {
                Session<K, A> session = sessions.items[i];
                Integer at = changedAt == null ? null : changedAt.get(session);
                snapshot.add(session, rank, at == null ? -1 : at, true, keyCodec.copy(session.key),
                    accumulatorCodec.copy(session.accumulator));
            }
        }
        for (int i = 0, n = changed.size(); i < n; i++) {
            Session<K, A> session = changed.get(i);
            if (session.state == EVICTED) {
                // Evicted by the watermark in this epoch, still to be emitted at its end.
                snapshot.add(session, -1, i, false, keyCodec.copy(session.key), accumulatorCodec.copy(session.accumulator));
            }
        }
        return snapshot;
    }

    /**
     * Loads one key group's sessions.
     *
     * @param keyGroup the key group
     * @param in its bytes, as {@link #snapshotState}'s snapshot wrote them
     * @throws StateFormatException if the bytes are not this operator's sessions
     */
    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        while (in.hasRemaining()) {
            byte tag = in.readByte();
            if (tag != SessionSnapshot.SESSION) {
                throw new StateFormatException("key group " + keyGroup + ": expected a session (tag "
                    + SessionSnapshot.SESSION + "), found tag " + tag);
            }
            long start = in.readLong();
            long end = in.readLong();
            long heapEndMs = in.readLong();
            long heapSeq = in.readLong();
            int rank = in.readVarInt() - 1;
            int changedPosition = in.readVarInt() - 1;
            K key = keyCodec.read(in);
            A accumulator = accumulatorCodec.read(in);
            if (end <= start) {
                throw new StateFormatException("key group " + keyGroup + ": session [" + start + ", " + end + ") of key "
                    + key + " is empty");
            }
            Session<K, A> session = new Session<>(key, start, end, accumulator, counters.newRowGeneration());
            if (rank >= 0) {
                KeySessions<K, A> sessions = byKey.get(key);
                if (sessions == null) {
                    sessions = new KeySessions<>();
                    sessions.restoredRank = rank;
                    byKey.put(key, sessions);
                    restoredKeys.add(sessions);
                }
                sessions.insertRestored(session);
                counters.added();
                if (evicts) {
                    session.heapEndMs = heapEndMs;
                    session.heapSeq = heapSeq;
                    sessionsByEnd.push(heapEndMs, heapSeq, session);
                    nextHeapSeq = Math.max(nextHeapSeq, heapSeq + 1);
                }
            } else {
                session.state = EVICTED;
            }
            if (changedPosition >= 0) {
                session.changed = true;
                restoredChanged.add(new RestoredChange<>(session, changedPosition));
            }
        }
    }

    /**
     * Merges one old partition's watermark (the smallest wins) and late-row counter (summed).
     *
     * @param in the bytes
     * @throws StateFormatException if they are not this operator's
     */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        byte tag = in.readByte();
        if (tag != SessionSnapshot.OPERATOR_STATE) {
            throw new StateFormatException("expected session operator state (tag " + SessionSnapshot.OPERATOR_STATE
                + "), found tag " + tag);
        }
        long savedWatermarkMs = in.readLong();
        watermarkMs = operatorStateRestored ? Math.min(watermarkMs, savedWatermarkMs) : savedWatermarkMs;
        operatorStateRestored = true;
        counters.dropped += in.readLong();
    }

    /** Links restored keys in their original order, ahead of keys added since; orders the changed list. */
    private void finishRestore() {
        if (restoredKeys.isEmpty() && restoredChanged.isEmpty()) {
            return;
        }
        restoredKeys.sort(Comparator.comparingInt(k -> k.restoredRank));
        KeySessions<K, A> laterFirst = firstKey;
        KeySessions<K, A> laterLast = lastKey;
        firstKey = null;
        lastKey = null;
        for (KeySessions<K, A> sessions : restoredKeys) {
            link(sessions);
        }
        if (laterFirst != null) {
            if (lastKey == null) {
                firstKey = laterFirst;
            } else {
                lastKey.next = laterFirst;
                laterFirst.previous = lastKey;
            }
            lastKey = laterLast;
        }
        restoredKeys.clear();
        restoredChanged.sort(Comparator.comparingInt(RestoredChange::position));
        ArrayList<Session<K, A>> later = new ArrayList<>(changed);
        changed.clear();
        for (RestoredChange<K, A> change : restoredChanged) {
            changed.add(change.session());
        }
        changed.addAll(later);
        restoredChanged.clear();
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
            pushToHeap(session);
        }
        counters.added();
        return session;
    }

    private void pushToHeap(Session<K, A> session) {
        long seq = nextHeapSeq++;
        session.heapEndMs = session.endMs;
        session.heapSeq = seq;
        sessionsByEnd.push(session.endMs, seq, session);
    }

    private KeySessions<K, A> newKey(K key) {
        KeySessions<K, A> sessions = new KeySessions<>();
        byKey.put(key, sessions);
        link(sessions);
        return sessions;
    }

    private void link(KeySessions<K, A> sessions) {
        sessions.previous = lastKey;
        sessions.next = null;
        if (lastKey == null) {
            firstKey = sessions;
        } else {
            lastKey.next = sessions;
        }
        lastKey = sessions;
    }

    private void unlink(KeySessions<K, A> sessions) {
        if (sessions.previous == null) {
            firstKey = sessions.next;
        } else {
            sessions.previous.next = sessions.next;
        }
        if (sessions.next == null) {
            lastKey = sessions.previous;
        } else {
            sessions.next.previous = sessions.previous;
        }
        sessions.previous = null;
        sessions.next = null;
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
            unlink(sessions);
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
        for (KeySessions<K, A> sessions = firstKey; sessions != null; sessions = sessions.next) {
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
        KeySessions<K, A> previous;
        KeySessions<K, A> next;
        /** The key's place in the key order of the snapshot it was restored from, until linked. */
        int restoredRank;

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

        /** Adds a restored session in its place; it must not touch another. */
        void insertRestored(Session<K, A> session) {
            int index = firstEndingAtOrAfter(session.startMs);
            if (index < size && items[index].startMs <= session.endMs) {
                throw new StateFormatException("restored session [" + session.startMs + ", " + session.endMs
                    + ") of key " + session.key + " overlaps or touches [" + items[index].startMs + ", "
                    + items[index].endMs + ")");
            }
            insert(index, session);
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
        /** The end and push sequence of this session's heap entry. */
        long heapEndMs;
        long heapSeq;
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

    /** A restored session and its place in the changed list, until put in order. */
    private record RestoredChange<K, A>(Session<K, A> session, int position) {
    }

    /**
     * The sessions copied at a barrier, serialised per key group by {@link #writeTo}. Written once,
     * by any thread; holds no reference to live state.
     */
    private static final class SessionSnapshot<K, A> implements OperatorSnapshot {
        static final byte SESSION = 1;
        static final byte OPERATOR_STATE = 2;

        private final StateCodec<K> keyCodec;
        private final StateCodec<A> accumulatorCodec;
        private final long watermarkMs;
        private final long dropped;
        /** Per session: start, end, heap end, heap sequence. */
        private long[] longs;
        /** Per session: key rank (-1: evicted, only still to be emitted), changed position (-1: none). */
        private int[] ints;
        private Object[] keys;
        private Object[] accumulators;
        private int size;

        SessionSnapshot(StateCodec<K> keyCodec, StateCodec<A> accumulatorCodec, long watermarkMs, long dropped,
                        int capacity) {
            this.keyCodec = keyCodec;
            this.accumulatorCodec = accumulatorCodec;
            this.watermarkMs = watermarkMs;
            this.dropped = dropped;
            int initial = Math.max(16, capacity);
            longs = new long[4 * initial];
            ints = new int[2 * initial];
            keys = new Object[initial];
            accumulators = new Object[initial];
        }

        void add(Session<?, ?> session, int rank, int changedPosition, boolean held, Object key, Object accumulator) {
            if (size == keys.length) {
                int grown = size * 2;
                longs = Arrays.copyOf(longs, 4 * grown);
                ints = Arrays.copyOf(ints, 2 * grown);
                keys = Arrays.copyOf(keys, grown);
                accumulators = Arrays.copyOf(accumulators, grown);
            }
            longs[4 * size] = session.startMs;
            longs[4 * size + 1] = session.endMs;
            longs[4 * size + 2] = session.heapEndMs;
            longs[4 * size + 3] = session.heapSeq;
            ints[2 * size] = held ? rank : -1;
            ints[2 * size + 1] = changedPosition;
            keys[size] = key;
            accumulators[size] = accumulator;
            size++;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void writeTo(KeyGroupWriter writer) {
            for (int i = 0; i < size; i++) {
                K key = (K) keys[i];
                SnapshotOutput out = writer.forKey(key);
                out.writeByte(SESSION).writeLong(longs[4 * i]).writeLong(longs[4 * i + 1]).writeLong(longs[4 * i + 2])
                    .writeLong(longs[4 * i + 3]).writeVarInt(ints[2 * i] + 1).writeVarInt(ints[2 * i + 1] + 1);
                keyCodec.write(key, out);
                accumulatorCodec.write((A) accumulators[i], out);
            }
            writer.operatorState().writeByte(OPERATOR_STATE).writeLong(watermarkMs).writeLong(dropped);
        }

        @Override
        public void release() {
            keys = null;
            accumulators = null;
            size = 0;
        }
    }
}
