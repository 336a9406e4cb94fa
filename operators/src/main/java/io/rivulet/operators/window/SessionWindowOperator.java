package io.rivulet.operators.window;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupWriter;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotImage;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2ObjectHashMap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
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
 * Incremental, as {@link WindowAggregateOperator}'s ({@link SnapshotImage}), and O(1) at the barrier
 * on the owner thread, removals included: a key that lost its last session is on the changed list
 * (its eviction changed it) and the writer, finding it without sessions at the barrier, removes it
 * from the image ({@link SnapshotImage.Freezer#freeze} returns {@code null}); only the keys removed
 * whole at the end of input (APPEND mode, sessions kept intact) cost one removal each at the next
 * barrier. Each key remembers
 * the sequence of the last epoch it changed in; its first change in an epoch (one compare per record)
 * puts it on the epoch's changed list, kept from the start so the first snapshot is O(1) too. At a
 * barrier {@link #snapshotState} hands that list over as it is ({@link SnapshotImage.Delta#handOver}).
 * The writer thread, applying the delta, copies each listed key's sessions (bounds, heap entry, deep
 * copies of the accumulators) into the image, per key group, then writes the image. The owner
 * cannot swap a key's sessions for a copy (the heap holds them), so the two exclude each other per
 * key with a claim: the writer takes the owner's <em>version</em> of the key for that barrier if
 * there is one, or else claims the key and copies its live sessions; the owner, at a key's first
 * change while the delta holding it is not consumed yet ({@link SnapshotImage#consumedSeq()}), claims
 * the key (waiting for at most one key's copy), pushes a frozen copy as that barrier's version, and
 * then changes the sessions freely. A key that loses its last session after the barrier is copied
 * before it does; one removed at the end of input keeps its sessions intact. Each key is saved with
 * its arrival sequence (the order in which keys first got a session), and mid-epoch in
 * UPDATE mode the changed list is saved beside it. Operator state is the watermark and the late-row
 * counter (restored as the smallest watermark and the summed counters of the old partitions).
 * Restore rebuilds each key's sorted sessions, the heap (same order: ties broken by push sequence)
 * and the key order, so a restored operator emits exactly what the original would have.
 *
 * <h2>Queryable state</h2>
 * As a {@link QueryableOperator}, a key's value is an immutable list of its sessions still held (not
 * evicted), ordered by start, each a {@link WindowedValue} with the session's bounds and the
 * {@link AggregateFunction#result} of a copy of its accumulator ({@link StateCodec#copy}); a key with
 * no session reads as {@code null}. A read only reads the sessions (a snapshot's writer may be
 * copying them at the same time; neither changes them).
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input record type
 * @param <A> accumulator type
 * @param <R> result type
 */
public final class SessionWindowOperator<K, T, A, R>
    implements KeyedOperator<K, T, WindowedValue<K, R>>, StatefulOperator, CheckpointedOperator,
    QueryableOperator<K, List<WindowedValue<K, R>>> {
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
    /** The arrival sequence of the next key: keys keep their order through snapshots. */
    private long nextKeySeq;
    /** The state as of the newest snapshot written, kept on the writer's side from each barrier's changes. */
    private final SnapshotImage<K, FrozenKey> image;
    /** Reads a handed-over key's sessions as of a barrier, on the writer thread. */
    private final SnapshotImage.Freezer<KeySessions<K, A>, K, FrozenKey> freezer;
    /**
     * Keys whose sessions changed (or were created, or lost their last session) in this epoch, each
     * once; kept from the start, so the first snapshot hands over the whole state.
     */
    private ArrayList<KeySessions<K, A>> dirtyKeys = new ArrayList<>();
    /** Keys removed whole at the end of input (APPEND mode), their sessions kept intact: removed from the image at the next barrier. */
    private final ArrayList<K> removedKeys = new ArrayList<>();
    /** Keys that lost their last session since the changed list was last trimmed (before the first snapshot only). */
    private int removedSinceTrim;

    /**
     * Creates the operator with a static gap; keys and accumulators are snapshotted with
     * {@link StateCodecs#dynamic()}.
     *
     * @param gapMs session gap in ms; &gt; 0
     * @param eventTimeMs reads a record's event time, epoch ms; {@link Window#NO_EVENT_TIME} drops the record
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
     * @param eventTimeMs reads a record's event time, epoch ms; {@link Window#NO_EVENT_TIME} drops the record
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
     * @param eventTimeMs reads a record's event time, epoch ms; {@link Window#NO_EVENT_TIME} drops the record
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
     * @param eventTimeMs reads a record's event time, epoch ms; {@link Window#NO_EVENT_TIME} drops the record
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
        StateCodec<K> keys = this.keyCodec;
        StateCodec<A> accumulators = this.accumulatorCodec;
        this.image = new SnapshotImage<>((slot, key, frozen, out) -> {
            out.writeByte(SessionSnapshot.KEY).writeLong(frozen.keySeq()).writeVarInt(frozen.accumulators().length);
            keys.write(key, out);
            long[] bounds = frozen.bounds();
            Object[] accs = frozen.accumulators();
            for (int i = 0; i < accs.length; i++) {
                out.writeLong(bounds[4 * i]).writeLong(bounds[4 * i + 1]).writeLong(bounds[4 * i + 2])
                    .writeLong(bounds[4 * i + 3]);
                @SuppressWarnings("unchecked")
                A accumulator = (A) accs[i];
                accumulators.write(accumulator, out);
            }
        });
        this.freezer = new SnapshotImage.Freezer<>() {
            @Override
            public long slot(KeySessions<K, A> sessions) {
                return 0;
            }

            @Override
            public K key(KeySessions<K, A> sessions) {
                K saved = sessions.savedKey;
                if (saved == null) {
                    saved = keys.copy(sessions.key);
                    sessions.savedKey = saved;
                }
                return saved;
            }

            /** A key with no session at the barrier (it lost its last one in that epoch) freezes to its removal. */
            @Override
            public FrozenKey freeze(KeySessions<K, A> sessions, long seq) {
                FrozenKey frozen = sessions.frozenAt(seq, accumulators);
                return frozen.bounds().length == 0 ? null : frozen;
            }
        };
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
        if (start == Window.NO_EVENT_TIME) {
            return;
        }
        long end = start + gap;
        if (end <= watermarkMs) {
            onLate(key, record, start, end);
            return;
        }
        KeySessions<K, A> sessions = byKey.get(key);
        if (sessions == null) {
            sessions = newKey(key);
        } else if (sessions.changedSeq != image.seq()) {
            markChanged(sessions);
        }
        Session<K, A> session = sessions.mergeInto(this, key, start, end);
        A updated = UserAggregates.add(fn, session.accumulator, record);
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
            if (session.owner.changedSeq != image.seq()) {
                markChanged(session.owner);
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
                // The sessions themselves stay intact: a writer behind may still copy them.
                for (KeySessions<K, A> sessions = firstKey; sessions != null; sessions = sessions.next) {
                    sessions.removed = true;
                    removedKeys.add(sessions.key);
                }
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
     * Hands the keys whose sessions changed in the epoch to the snapshot image as they are, in O(1)
     * plus the keys that lost their last session, on the owner thread: the writer thread copies each
     * key's sessions as of this barrier when it applies the delta; until then the operator copies a
     * key's sessions before changing them again (see the class comment). The snapshot then writes the
     * whole image per key group on the writer's thread. Mid-epoch in UPDATE mode (not at a runtime
     * barrier, which follows {@code onEpoch}) the changed list is copied too.
     *
     * @param epochId the epoch that just ended
     * @return the snapshot
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        finishRestore();
        SnapshotImage.Delta<K, FrozenKey> delta = image.delta(epochId);
        // A key that lost its last session in the epoch is on the list (its eviction marked it changed)
        // and freezes to its removal; a key that got a session again after that has a new entry later in
        // the list, which wins. So the barrier costs O(1), removals included.
        removedSinceTrim = 0;
        dirtyKeys = delta.handOver(dirtyKeys, freezer);
        // Keys removed whole at the end of input kept their sessions: removed here, after the hand-over.
        for (int i = 0, n = removedKeys.size(); i < n; i++) {
            K key = removedKeys.get(i);
            if (!byKey.containsKey(key)) {
                delta.remove(0, key);
            }
        }
        removedKeys.clear();
        ChangedCopy<K, A> changedCopy = changed.isEmpty() ? null : copyChanged();
        long savedWatermarkMs = watermarkMs;
        long dropped = counters.dropped;
        return delta.snapshot(writer -> {
            if (changedCopy != null) {
                changedCopy.writeTo(writer, keyCodec, accumulatorCodec);
            }
            writer.operatorState().writeByte(SessionSnapshot.OPERATOR_STATE).writeLong(savedWatermarkMs)
                .writeLong(dropped);
        });
    }

    /** UPDATE mode, mid-epoch: the changed list, copied (sessions evicted but not yet emitted with their value). */
    private ChangedCopy<K, A> copyChanged() {
        ChangedCopy<K, A> copy = new ChangedCopy<>();
        for (int i = 0, n = changed.size(); i < n; i++) {
            Session<K, A> session = changed.get(i);
            if (session.state == MERGED) {
                continue;
            }
            boolean held = session.state == LIVE;
            copy.add(i, held, session.startMs, session.endMs, keyCodec.copy(session.key),
                held ? null : accumulatorCodec.copy(session.accumulator));
        }
        return copy;
    }

    /**
     * Loads one key group's sessions (and puts them into the snapshot image, so the next snapshot is
     * incremental).
     *
     * @param keyGroup the key group
     * @param in its bytes, as {@link #snapshotState}'s snapshot wrote them
     * @throws StateFormatException if the bytes are not this operator's sessions
     */
    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        while (in.hasRemaining()) {
            byte tag = in.readByte();
            if (tag == SessionSnapshot.KEY) {
                restoreKey(keyGroup, in);
            } else if (tag == SessionSnapshot.CHANGED) {
                image.restoredOtherRecords(keyGroup);
                int changedPosition = in.readVarInt();
                boolean held = in.readBoolean();
                long start = in.readLong();
                long end = in.readLong();
                K key = keyCodec.read(in);
                Session<K, A> session;
                if (held) {
                    KeySessions<K, A> sessions = byKey.get(key);
                    session = sessions == null ? null : sessions.find(start, end);
                    if (session == null) {
                        throw new StateFormatException("key group " + keyGroup + ": changed session [" + start + ", "
                            + end + ") of key " + key + " is not held");
                    }
                } else {
                    session = new Session<>(key, null, start, end, accumulatorCodec.read(in),
                        counters.newRowGeneration());
                    session.state = EVICTED;
                }
                session.changed = true;
                restoredChanged.add(new RestoredChange<>(session, changedPosition));
            } else {
                throw new StateFormatException("key group " + keyGroup + ": expected a session key (tag "
                    + SessionSnapshot.KEY + " or " + SessionSnapshot.CHANGED + "), found tag " + tag
                    + (tag == 1 ? " (a checkpoint of an earlier, non-incremental format)" : ""));
            }
        }
    }

    private void restoreKey(int keyGroup, SnapshotInput in) {
        long keySeq = in.readLong();
        int n = in.readVarInt();
        K key = keyCodec.read(in);
        if (n <= 0) {
            throw new StateFormatException("key group " + keyGroup + ": key " + key + " restored with " + n + " sessions");
        }
        KeySessions<K, A> sessions = new KeySessions<>(key, keySeq, 0);
        sessions.savedKey = key;
        if (byKey.put(key, sessions) != null) {
            // One probe per key; the restore fails, so the displaced key's state need not be put back.
            throw new StateFormatException("key group " + keyGroup + ": key " + key + " restored twice");
        }
        restoredKeys.add(sessions);
        nextKeySeq = Math.max(nextKeySeq, keySeq + 1);
        long[] bounds = new long[4 * n];
        Object[] copies = new Object[n];
        for (int i = 0; i < n; i++) {
            long start = in.readLong();
            long end = in.readLong();
            long heapEndMs = in.readLong();
            long heapSeq = in.readLong();
            A accumulator = accumulatorCodec.read(in);
            if (end <= start) {
                throw new StateFormatException("key group " + keyGroup + ": session [" + start + ", " + end + ") of key "
                    + key + " is empty");
            }
            Session<K, A> session = new Session<>(key, sessions, start, end, accumulator, counters.newRowGeneration());
            sessions.insertRestored(session);
            counters.added();
            session.heapEndMs = heapEndMs;
            session.heapSeq = heapSeq;
            if (evicts) {
                sessionsByEnd.push(heapEndMs, heapSeq, session);
                nextHeapSeq = Math.max(nextHeapSeq, heapSeq + 1);
            }
            bounds[4 * i] = start;
            bounds[4 * i + 1] = end;
            bounds[4 * i + 2] = heapEndMs;
            bounds[4 * i + 3] = heapSeq;
            copies[i] = accumulatorCodec.copy(accumulator);
        }
        image.put(0, key, new FrozenKey(keySeq, bounds, copies));
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
        restoredKeys.sort(Comparator.comparingLong(k -> k.seq));
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

    /**
     * A key's first change in the epoch, before it changes: copy-on-write if the writer has not
     * copied it for the delta that holds it yet (the slow path: at most once per key and epoch).
     */
    private void markChanged(KeySessions<K, A> sessions) {
        long last = sessions.changedSeq;
        sessions.changedSeq = image.seq();
        long consumedSeq = image.consumedSeq();
        if (last > consumedSeq) {
            sessions.keepVersion(last, consumedSeq, sessions.frozenCopy(accumulatorCodec));
        }
        dirtyKeys.add(sessions);
    }

    /**
     * A key lost its last session (evicted by the watermark, after {@link #markChanged}, so it is on the
     * changed list: its empty sessions freeze to its removal). Before the first snapshot (nothing is
     * tracked), trims the list once removed keys outnumber held ones.
     */
    private void keyRemoved(KeySessions<K, A> sessions) {
        sessions.removed = true;
        if (!image.isTracking() && ++removedSinceTrim > byKey.size() + 1024) {
            dirtyKeys.removeIf(k -> k.removed);
            removedSinceTrim = 0;
        }
    }

    private Session<K, A> newSession(KeySessions<K, A> owner, K key, long start, long end) {
        A accumulator = fn.createAccumulator();
        if (accumulator == null) {
            throw new NullPointerException("aggregate created a null accumulator for key " + key);
        }
        Session<K, A> session = new Session<>(key, owner, start, end, accumulator, counters.newRowGeneration());
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
        KeySessions<K, A> sessions = new KeySessions<>(key, nextKeySeq++, image.seq());
        byKey.put(key, sessions);
        link(sessions);
        dirtyKeys.add(sessions);
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

    private void onLate(K key, T record, long start, long end) {
        if (lateGroups.firstInEpoch(key, start, end)) {
            counters.dropped++;
        }
        if (lateOutput != null) {
            lateOutput.emit(record);
        }
    }

    private void evict(Session<K, A> session, Output<WindowedValue<K, R>> out) {
        KeySessions<K, A> sessions = session.owner;
        sessions.remove(session);
        if (sessions.size == 0) {
            byKey.remove(session.key);
            unlink(sessions);
            keyRemoved(sessions);
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

    /**
     * Owner thread; see {@link QueryableOperator} and the class comment ("Queryable state").
     *
     * @param key the key; never {@code null}
     * @return the key's sessions held, by start, with their current results; {@code null} if none
     */
    @Override
    public List<WindowedValue<K, R>> queryValue(K key) {
        return sessionsOf(byKey.get(Objects.requireNonNull(key, "key")));
    }

    /**
     * Owner thread; see {@link QueryableOperator}: each key holding a session and passing {@code keys}.
     *
     * @param keys which keys to read
     * @param into receives each key and its sessions
     */
    @Override
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super List<WindowedValue<K, R>>> into) {
        for (KeySessions<K, A> sessions : byKey.values()) {
            if (sessions.size > 0 && keys.test(sessions.key)) {
                into.accept(sessions.key, sessionsOf(sessions));
            }
        }
    }

    private List<WindowedValue<K, R>> sessionsOf(KeySessions<K, A> sessions) {
        if (sessions == null || sessions.size == 0) {
            return null;
        }
        ArrayList<WindowedValue<K, R>> rows = new ArrayList<>(sessions.size);
        for (int i = 0; i < sessions.size; i++) {
            Session<K, A> session = sessions.items[i];
            rows.add(new WindowedValue<>(session.key, new Window(session.startMs, session.endMs),
                fn.result(accumulatorCodec.copy(session.accumulator))));
        }
        return List.copyOf(rows);
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

    /**
     * One key's sessions, sorted by start; disjoint and not touching, so sorted by end too.
     *
     * <p>Snapshot protocol (see the class comment): {@link #changedSeq} and the sessions are the
     * owner's; the writer reads the sessions only under the claim, and the owner changes them only
     * after its copy-on-write check. Versions are frozen copies, pushed with a release store under
     * the claim; versions older than the newest delta consumed are unlinked at the next push.
     */
    private static final class KeySessions<K, A> {
        private static final VarHandle CLAIM;
        private static final VarHandle VERSIONS;
        private static final int FREE = 0;
        private static final int OWNER = 1;
        private static final int WRITER = 2;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CLAIM = lookup.findVarHandle(KeySessions.class, "claim", int.class);
                VERSIONS = lookup.findVarHandle(KeySessions.class, "versions", KeyVersion.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final K key;
        /** The key's arrival sequence: keys are emitted and restored in this order. */
        final long seq;
        @SuppressWarnings("unchecked")
        Session<K, A>[] items = new Session[2];
        int size;
        KeySessions<K, A> previous;
        KeySessions<K, A> next;
        /** The sequence of the last epoch the key changed in ({@link SnapshotImage#seq()}); 0 if restored and unchanged. */
        long changedSeq;
        /** Lost its last session (taken out of the state). */
        boolean removed;
        /** The key as snapshots hold it ({@link StateCodec#copy}), taken once, on the writer thread (or by restore). */
        K savedKey;
        /** Who is reading (writer) or about to change (owner) the sessions: FREE, OWNER or WRITER. */
        @SuppressWarnings("unused")
        private int claim;
        /** Frozen copies as of barriers the writer has not consumed yet, newest first. */
        private KeyVersion versions;

        KeySessions(K key, long seq, long changedSeq) {
            this.key = key;
            this.seq = seq;
            this.changedSeq = changedSeq;
        }

        /** The sessions as they are now: bounds, heap entry, copies of the accumulators. Owner, or writer under the claim. */
        FrozenKey frozenCopy(StateCodec<A> accumulatorCodec) {
            int n = size;
            long[] bounds = new long[4 * n];
            Object[] accumulators = new Object[n];
            for (int i = 0; i < n; i++) {
                Session<K, A> session = items[i];
                bounds[4 * i] = session.startMs;
                bounds[4 * i + 1] = session.endMs;
                bounds[4 * i + 2] = session.heapEndMs;
                bounds[4 * i + 3] = session.heapSeq;
                accumulators[i] = accumulatorCodec.copy(session.accumulator);
            }
            return new FrozenKey(seq, bounds, accumulators);
        }

        /**
         * Owner: keeps {@code frozen}, the sessions as of the barrier of {@code versionSeq}, for the
         * writer, before the first change after it. Waits while the writer copies this key.
         */
        void keepVersion(long versionSeq, long consumedSeq, FrozenKey frozen) {
            while (!CLAIM.compareAndSet(this, FREE, OWNER)) {
                Thread.onSpinWait();
            }
            KeyVersion head = versions;
            if (head != null) {
                if (head.seq <= consumedSeq) {
                    head = null;
                } else {
                    for (KeyVersion v = head; v.older != null; v = v.older) {
                        if (v.older.seq <= consumedSeq) {
                            v.older = null; // a writer walking past here never needs what follows
                            break;
                        }
                    }
                }
            }
            VERSIONS.setRelease(this, new KeyVersion(versionSeq, frozen, head));
            CLAIM.setRelease(this, FREE);
        }

        /**
         * Writer: the sessions as of the barrier of {@code deltaSeq} (a delta that holds this key and
         * is being applied): the owner's version of it, or a copy taken under the claim if the owner
         * has not changed the key since that barrier.
         */
        FrozenKey frozenAt(long deltaSeq, StateCodec<A> accumulatorCodec) {
            FrozenKey kept = versionAt(deltaSeq);
            if (kept != null) {
                return kept;
            }
            while (!CLAIM.compareAndSet(this, FREE, WRITER)) {
                Thread.onSpinWait();
            }
            try {
                kept = versionAt(deltaSeq);
                return kept != null ? kept : frozenCopy(accumulatorCodec);
            } finally {
                CLAIM.setRelease(this, FREE);
            }
        }

        private FrozenKey versionAt(long deltaSeq) {
            for (KeyVersion v = (KeyVersion) VERSIONS.getAcquire(this); v != null; v = v.older) {
                if (v.seq == deltaSeq) {
                    return v.frozen;
                }
                if (v.seq < deltaSeq) {
                    break;
                }
            }
            return null;
        }

        /** The held session with exactly these bounds, or {@code null}. */
        Session<K, A> find(long startMs, long endMs) {
            for (int i = 0; i < size; i++) {
                if (items[i].startMs == startMs && items[i].endMs == endMs) {
                    return items[i];
                }
            }
            return null;
        }

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
                Session<K, A> created = op.newSession(this, key, start, end);
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
        /** The key's sessions this one belongs to; {@code null} for a restored evicted one. */
        final KeySessions<K, A> owner;
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

        Session(K key, KeySessions<K, A> owner, long startMs, long endMs, A accumulator, long generation) {
            this.key = key;
            this.owner = owner;
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

    /** A key's sessions as the snapshot image holds them: per session start, end, heap end, heap sequence; copies of the accumulators. */
    private record FrozenKey(long keySeq, long[] bounds, Object[] accumulators) {
    }

    /** A key's sessions as of the barrier of {@code seq}, kept by the owner for a writer that has not copied them yet. */
    private static final class KeyVersion {
        final long seq;
        final FrozenKey frozen;
        /** Older versions (lower sequences); unlinked by the owner once the writer is past them. */
        KeyVersion older;

        KeyVersion(long seq, FrozenKey frozen, KeyVersion older) {
            this.seq = seq;
            this.frozen = frozen;
            this.older = older;
        }
    }

    /** The changed list copied at a barrier (UPDATE mode, mid-epoch), written after the image. */
    private static final class ChangedCopy<K, A> {
        private final LongArrayList bounds = new LongArrayList();
        private final IntArrayList positions = new IntArrayList();
        private final ArrayList<K> keys = new ArrayList<>();
        /** The accumulator of a session evicted but not yet emitted; {@code null} for one still held. */
        private final ArrayList<A> accumulators = new ArrayList<>();

        void add(int position, boolean held, long startMs, long endMs, K key, A accumulator) {
            positions.addInt(position);
            bounds.addLong(startMs);
            bounds.addLong(endMs);
            keys.add(key);
            accumulators.add(held ? null : accumulator);
        }

        void writeTo(KeyGroupWriter writer, StateCodec<K> keyCodec, StateCodec<A> accumulatorCodec) {
            for (int i = 0, n = keys.size(); i < n; i++) {
                K key = keys.get(i);
                A accumulator = accumulators.get(i);
                SnapshotOutput out = writer.forKey(key);
                out.writeByte(SessionSnapshot.CHANGED).writeVarInt(positions.getInt(i)).writeBoolean(accumulator == null)
                    .writeLong(bounds.getLong(2 * i)).writeLong(bounds.getLong(2 * i + 1));
                keyCodec.write(key, out);
                if (accumulator != null) {
                    accumulatorCodec.write(accumulator, out);
                }
            }
        }
    }

    /** Tags of the snapshot format. */
    private static final class SessionSnapshot {
        /** A key's sessions: key sequence, count, key, then per session start, end, heap end, heap sequence, accumulator. */
        static final byte KEY = 3;
        /** A row of the changed list: position, held, start, end, key, and the accumulator if not held. */
        static final byte CHANGED = 4;
        /** Operator state: watermark, late-row counter. */
        static final byte OPERATOR_STATE = 2;

        private SessionSnapshot() {
        }
    }
}
