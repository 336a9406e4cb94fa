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
import io.rivulet.operators.state.SnapshotCell;
import io.rivulet.operators.state.SnapshotImage;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Aggregates each key's records per event-time window (tumbling or sliding), with Spark's
 * semantics for late records, eviction and output modes.
 *
 * <h2>Semantics (Spark's {@code groupBy(window(ts, ...), key).agg(...)})</h2>
 * <ul>
 *   <li>{@link #process}: the record goes into every window containing its event time. For
 *       {@link OutputMode#APPEND} and {@link OutputMode#UPDATE}, a (record, window) pair whose window
 *       end is {@code <=} the current watermark is late: skipped for that window only (a sliding
 *       record can be late for one window and counted in the next). A record late for all its
 *       windows goes, once, to the late output if there is one. {@link OutputMode#COMPLETE} never
 *       drops late records.</li>
 *   <li>{@link #onWatermark}: APPEND emits every window whose end is {@code <=} the watermark and
 *       drops its state; UPDATE drops that state without emitting (rows changed in the epoch and not
 *       yet emitted are still emitted at {@link #onEpoch}, as Spark emits a batch's updated rows
 *       before it evicts); COMPLETE keeps everything.</li>
 *   <li>{@link #onEpoch}: UPDATE emits each (key, window) changed in the epoch once, with its
 *       current value, in the order they first changed; COMPLETE emits every (key, window) held,
 *       windows by start; APPEND emits nothing.</li>
 *   <li>{@link #onEnd}: APPEND flushes every window still held (end of a bounded input); UPDATE emits
 *       what changed; COMPLETE emits everything.</li>
 * </ul>
 * Driven like Spark's micro-batch engine (records of batch N, then {@code onWatermark(W_N)}, then
 * {@code onEpoch(N)}), late records are judged against the previous batch's watermark and eviction
 * uses the current one, exactly as Spark does.
 *
 * <p>{@link StateMetrics#numRowsDroppedByWatermark()} counts late (key, window) groups per epoch:
 * two late records of one key and window in one epoch count once, because Spark checks lateness
 * after pre-aggregating a batch's rows per group.
 *
 * <h2>State layout</h2>
 * Time first: a primitive map from slice start to the slice's state, which maps key to entry (the
 * accumulator, and the epoch it last changed in) and lists its entries in arrival order; a min-heap of slice
 * starts finds the slices due at a watermark without scanning. The last slice used is cached, so a
 * record usually costs one key lookup. With a mutable accumulator (one that {@code add} returns
 * itself), a record whose key already has an entry in its slice allocates nothing.
 * <ul>
 *   <li>Tumbling windows, and sliding windows in UPDATE and COMPLETE mode: a slice is a window; a
 *       sliding record updates each of its {@code ceil(size / slide)} windows.</li>
 *   <li>Sliding windows in APPEND mode: a slice is a <em>pane</em> of {@code gcd(size, slide)} ms;
 *       a record updates only its pane, and a window's row is the merge
 *       ({@link AggregateFunction#merge}) of its panes' accumulators, built when the watermark
 *       closes the window. Lateness is still judged per window: a window the watermark has passed
 *       was emitted already and never reads a pane again. Here
 *       {@link StateMetrics#numRowsTotal()} counts (key, pane) entries, not Spark's
 *       (key, window) rows.</li>
 * </ul>
 *
 * <h2>Snapshots</h2>
 * Incremental, through a {@link SnapshotImage}, and O(1) at the barrier on the owner thread. Each
 * entry is a {@link SnapshotCell}: it remembers the sequence of the last epoch it changed in, and its
 * first change in an epoch (one compare per record) puts it on the epoch's changed list; dropped
 * slices go on another. At a barrier {@link #snapshotState} hands both lists over as they are (the
 * delta takes the list; the operator goes on with an empty, recycled one) and bumps the sequence.
 * The writer thread, applying the delta, copies each entry's accumulator as of the barrier
 * ({@link StateCodec#copy}) into the image, then the dropped slices' removals, and publishes that it
 * consumed the delta. Until it has, an entry the owner changes again is copied first
 * (copy-on-write, {@link SnapshotCell#markChanged}): the barrier's accumulator object is kept for the
 * writer and the owner mutates the copy. So the barrier costs O(1) (plus the dropped slices), the
 * writer O(entries changed), and the data path one accumulator copy only for an entry changed again
 * before the writer got to it. The changed list is kept from the start (one list slot per new
 * entry), so the first snapshot is O(1) too; until that first barrier a dropped slice's entries
 * leave it as the slice is dropped (O(1) each). In a query without a checkpoint location
 * ({@link #withoutSnapshots}) no changed list is kept at all. A
 * restored operator puts what it restores into the image, so its next snapshot is incremental too.
 *
 * <p>Each key group holds {@code (slice start, arrival sequence, key, accumulator)} entries written
 * with the key and accumulator codecs, then, mid-epoch in UPDATE mode, the rows of the changed list
 * (with the accumulator of those already evicted); operator state holds the slice layout, the
 * watermark and the late-row counter. Restore rebuilds every slice with its entries in their
 * original order (by arrival sequence, put in order at the next watermark, epoch or end), so a
 * restored operator emits exactly what the original would have. After rescaling, the watermark is
 * the smallest of the old partitions' and the counters are summed. A snapshot may be taken between
 * any two calls (a barrier is the contract); only the per-epoch de-duplication of the late-group
 * metric is not saved.
 *
 * <h2>Queryable state</h2>
 * As a {@link QueryableOperator}, a key's value is an immutable list of its windows still held (not
 * yet evicted; in APPEND mode with panes, the windows the watermark has not closed yet that hold data
 * of the key), ordered by window start, each a {@link WindowedValue} with the window's current result
 * ({@link AggregateFunction#result} of a copy of its accumulator, {@link StateCodec#copy}; with panes,
 * of a fresh accumulator its panes are merged into). A key holding no window reads as {@code null}.
 * A read costs one key lookup per slice held (a scan: one pass over the entries, then one read per
 * key passing the filter); it changes nothing the data path or a snapshot sees.
 *
 * <p>Not thread-safe; owned by the partition worker.
 *
 * @param <K> key type
 * @param <T> input record type
 * @param <A> accumulator type
 * @param <R> result type
 */
public final class WindowAggregateOperator<K, T, A, R>
    implements KeyedOperator<K, T, WindowedValue<K, R>>, StatefulOperator, CheckpointedOperator,
    QueryableOperator<K, List<WindowedValue<K, R>>> {
    /** Rough bytes per entry: entry object, map slots, list slot and a small accumulator. */
    private static final long ENTRY_BYTES = 112;
    /** Rough bytes per slice: slice state, its map and list, the window, heap and map slots. */
    private static final long SLICE_BYTES = 256;
    /** Load factor of the per-slice maps (Agrona's default). */
    private static final float MAP_LOAD_FACTOR = 0.65f;

    private final WindowAssigner assigner;
    private final ToLongFunction<? super T> eventTimeMs;
    private final AggregateFunction<? super T, A, R> fn;
    private final OutputMode outputMode;
    private final Output<? super T> lateOutput;
    private final boolean dropsLate;
    private final boolean tracksChanges;
    /** Whether a snapshot may be taken: {@code false} after {@link #withoutSnapshots}, and then no changed list is kept. */
    private boolean snapshots = true;
    private final long sizeMs;
    private final long slideMs;
    private final long offsetMs;
    private final boolean panes;
    private final long sliceMs;
    private final long[] starts;

    private final Long2ObjectHashMap<Slice<K, A>> slices = new Long2ObjectHashMap<>();
    private final LongMinHeap<Slice<K, A>> slicesByStart = new LongMinHeap<>();
    private final ArrayList<Entry<K, A>> changed = new ArrayList<>();
    private final LateGroups lateGroups = new LateGroups();
    private final Object2ObjectHashMap<K, A> windowScratch;
    private final ArrayList<K> windowScratchKeys;
    private Slice<K, A> lastSlice;
    private long[] sortScratch = new long[16];
    private long watermarkMs = Long.MIN_VALUE;

    private final StateCounters counters = new StateCounters();

    private final StateCodec<K> keyCodec;
    private final StateCodec<A> accumulatorCodec;
    /** Entries restored but not yet put in their slice's order (restored key groups arrive in any order). */
    private final ArrayList<Slice<K, A>> restoredSlices = new ArrayList<>();
    private final ArrayList<Restored<K, A>> restoredChanged = new ArrayList<>();
    private boolean operatorStateRestored;
    /** The state as of the newest snapshot written, kept on the writer's side from each barrier's changes. */
    private final SnapshotImage<K, Frozen<A>> image;
    /** Reads a handed-over entry as of its barrier, on the writer thread. */
    private final SnapshotImage.Freezer<Entry<K, A>, K, Frozen<A>> freezer;
    /**
     * Entries changed (or created) in the epoch: handed to the barrier's delta as is. Until the image
     * tracks, each entry is on it once, at its {@link Entry#dirtyIndex}.
     */
    private ArrayList<Entry<K, A>> dirtyEntries = new ArrayList<>();
    /** Slices dropped in the epoch. */
    private final LongArrayList removedSlices = new LongArrayList();

    /**
     * Creates the operator, with explicit codecs for its snapshots.
     *
     * @param assigner which windows a record belongs to
     * @param eventTimeMs reads a record's event time, epoch ms; {@link Window#NO_EVENT_TIME} drops the record
     * @param fn the aggregate computed per key and window
     * @param outputMode when rows are emitted and whether state is evicted
     * @param lateOutput receives each record that was late for all its windows, once; {@code null}
     *     drops them
     * @param keyCodec writes keys into snapshots
     * @param accumulatorCodec writes accumulators into snapshots; its {@code copy} must return an
     *     independent copy of a mutable accumulator
     */
    public WindowAggregateOperator(WindowAssigner assigner, ToLongFunction<? super T> eventTimeMs,
                                   AggregateFunction<? super T, A, R> fn, OutputMode outputMode,
                                   Output<? super T> lateOutput, StateCodec<K> keyCodec,
                                   StateCodec<A> accumulatorCodec) {
        this.assigner = Objects.requireNonNull(assigner, "assigner");
        this.eventTimeMs = Objects.requireNonNull(eventTimeMs, "eventTimeMs");
        this.fn = Objects.requireNonNull(fn, "fn");
        this.outputMode = Objects.requireNonNull(outputMode, "outputMode");
        this.lateOutput = lateOutput;
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.accumulatorCodec = Objects.requireNonNull(accumulatorCodec, "accumulatorCodec");
        this.dropsLate = outputMode != OutputMode.COMPLETE;
        this.tracksChanges = outputMode == OutputMode.UPDATE;
        this.sizeMs = assigner.sizeMs();
        this.slideMs = assigner.slideMs();
        this.offsetMs = assigner.offsetMs();
        this.panes = !assigner.isTumbling() && outputMode == OutputMode.APPEND;
        this.sliceMs = panes ? gcd(sizeMs, slideMs) : sizeMs;
        this.starts = new long[assigner.maxWindowsPerRecord()];
        this.windowScratch = panes ? new Object2ObjectHashMap<>() : null;
        this.windowScratchKeys = panes ? new ArrayList<>() : null;
        StateCodec<K> keys = this.keyCodec;
        StateCodec<A> accumulators = this.accumulatorCodec;
        this.image = new SnapshotImage<>((start, key, frozen, out) -> {
            out.writeByte(WindowSnapshot.ENTRY).writeLong(start).writeVarInt(frozen.seq());
            keys.write(key, out);
            accumulators.write(frozen.accumulator(), out);
        });
        this.freezer = new SnapshotImage.Freezer<>() {
            @Override
            public long slot(Entry<K, A> entry) {
                return entry.slice.startMs;
            }

            @Override
            public K key(Entry<K, A> entry) {
                K saved = entry.savedKey;
                if (saved == null) {
                    saved = keys.copy(entry.key);
                    entry.savedKey = saved;
                }
                return saved;
            }

            @Override
            public Frozen<A> freeze(Entry<K, A> entry, long seq) {
                return new Frozen<>(entry.seq, accumulators.copy(entry.valueAt(seq)));
            }
        };
    }

    /**
     * Creates the operator; keys and accumulators are snapshotted with {@link StateCodecs#dynamic()}.
     *
     * @param assigner which windows a record belongs to
     * @param eventTimeMs reads a record's event time, epoch ms; {@link Window#NO_EVENT_TIME} drops the record
     * @param fn the aggregate computed per key and window
     * @param outputMode when rows are emitted and whether state is evicted
     * @param lateOutput receives each record that was late for all its windows, once; {@code null}
     *     drops them
     */
    public WindowAggregateOperator(WindowAssigner assigner, ToLongFunction<? super T> eventTimeMs,
                                   AggregateFunction<? super T, A, R> fn, OutputMode outputMode,
                                   Output<? super T> lateOutput) {
        this(assigner, eventTimeMs, fn, outputMode, lateOutput, StateCodecs.dynamic(), StateCodecs.dynamic());
    }

    /**
     * Creates the operator; late records are dropped (and counted); keys and accumulators are
     * snapshotted with {@link StateCodecs#dynamic()}.
     *
     * @param assigner which windows a record belongs to
     * @param eventTimeMs reads a record's event time, epoch ms; {@link Window#NO_EVENT_TIME} drops the record
     * @param fn the aggregate computed per key and window
     * @param outputMode when rows are emitted and whether state is evicted
     */
    public WindowAggregateOperator(WindowAssigner assigner, ToLongFunction<? super T> eventTimeMs,
                                   AggregateFunction<? super T, A, R> fn, OutputMode outputMode) {
        this(assigner, eventTimeMs, fn, outputMode, null);
    }

    @Override
    public void process(K key, T record, Output<WindowedValue<K, R>> out) {
        long timestampMs = eventTimeMs.applyAsLong(record);
        if (timestampMs == Window.NO_EVENT_TIME) {
            return;
        }
        if (panes) {
            if (firstWindowStartContaining(timestampMs) + sizeMs > watermarkMs) {
                add(slice(alignDown(timestampMs, sliceMs)), key, record);
            } else {
                processPartlyLate(key, record, timestampMs);
            }
            return;
        }
        int count = assigner.assignWindows(timestampMs, starts);
        int accepted = 0;
        for (int i = 0; i < count; i++) {
            long start = starts[i];
            if (dropsLate && start + sizeMs <= watermarkMs) {
                onLate(key, start);
            } else {
                add(slice(start), key, record);
                accepted++;
            }
        }
        if (accepted == 0 && lateOutput != null) {
            lateOutput.emit(record);
        }
    }

    /**
     * Merges a partial accumulator built on the producer's side of the exchange ({@link WindowPreAggregator})
     * into the (key, window) row: the row is created as for a record ({@link AggregateFunction#createAccumulator})
     * and the partial merged into it ({@link AggregateFunction#merge}), so the row ends as if the partial's
     * records had arrived one by one. A partial whose window the watermark has closed is late: counted as a
     * late group once per epoch, as its records would have been (a producer that keeps the pre-aggregation
     * rules never sends one). Tumbling windows only; the partial is not kept.
     *
     * @param key the key
     * @param windowStartMs the start of the partial's window, epoch ms
     * @param partial the partial accumulator; left unchanged
     * @param out where rows go (nothing is emitted here)
     * @throws IllegalStateException if the windows are not tumbling
     */
    public void processPartial(K key, long windowStartMs, A partial, Output<WindowedValue<K, R>> out) {
        if (sliceMs != sizeMs || slideMs != sizeMs) {
            throw new IllegalStateException("partials are merged only into tumbling windows, this operator's are "
                + assigner);
        }
        if (dropsLate && windowStartMs + sizeMs <= watermarkMs) {
            onLate(key, windowStartMs);
            return;
        }
        Slice<K, A> slice = slice(windowStartMs);
        Entry<K, A> entry = slice.byKey.get(key);
        if (entry == null) {
            entry = newEntry(slice, key);
        } else if (!entry.isChangedIn(image.seq())) {
            markDirty(entry);
        }
        A current = entry.value();
        A updated = fn.merge(current, partial);
        if (updated == null) {
            throw new NullPointerException("aggregate merge returned a null accumulator for key " + key + " in window "
                + slice.window);
        }
        if (updated != current) {
            entry.value(updated);
        }
        entry.generation = counters.touch(entry.generation);
        if (tracksChanges && !entry.changed) {
            entry.changed = true;
            changed.add(entry);
        }
    }

    /**
     * Reads the watermark from one partition's operator state, as {@link #snapshotState} wrote it: what a
     * restored operator judges late records by (the smallest over the old partitions').
     *
     * @param operatorState the operator state's bytes
     * @return the watermark, epoch ms; {@link Long#MIN_VALUE} if none had arrived
     * @throws StateFormatException if the bytes are not this operator's
     */
    public static long watermarkMsOf(SnapshotInput operatorState) {
        byte tag = operatorState.readByte();
        if (tag != WindowSnapshot.OPERATOR_STATE) {
            throw new StateFormatException("expected window operator state (tag " + WindowSnapshot.OPERATOR_STATE
                + "), found tag " + tag);
        }
        operatorState.readLong();
        operatorState.readBoolean();
        return operatorState.readLong();
    }

    /** Panes: some of the record's windows are late; it goes into its pane if any is not. */
    private void processPartlyLate(K key, T record, long timestampMs) {
        int count = assigner.assignWindows(timestampMs, starts);
        int accepted = 0;
        for (int i = 0; i < count; i++) {
            long start = starts[i];
            if (start + sizeMs <= watermarkMs) {
                onLate(key, start);
            } else {
                accepted++;
            }
        }
        if (accepted > 0) {
            add(slice(alignDown(timestampMs, sliceMs)), key, record);
        } else if (lateOutput != null) {
            lateOutput.emit(record);
        }
    }

    @Override
    public void onWatermark(long watermarkMs, Output<WindowedValue<K, R>> out) {
        if (watermarkMs <= this.watermarkMs) {
            return;
        }
        finishRestore();
        long previousMs = this.watermarkMs;
        this.watermarkMs = watermarkMs;
        if (outputMode == OutputMode.COMPLETE) {
            return;
        }
        if (panes) {
            emitPaneWindows(previousMs, watermarkMs, out);
        } else {
            while (!slicesByStart.isEmpty() && slicesByStart.peekKey() + sizeMs <= watermarkMs) {
                Slice<K, A> window = slicesByStart.peekValue();
                slicesByStart.pop();
                evict(window, out);
            }
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
                if (panes) {
                    emitPaneWindows(watermarkMs, Long.MAX_VALUE, out);
                    return;
                }
                while (!slicesByStart.isEmpty()) {
                    Slice<K, A> window = slicesByStart.peekValue();
                    slicesByStart.pop();
                    evict(window, out);
                }
            }
            case UPDATE -> emitChanged(out);
            case COMPLETE -> emitAll(out);
            default -> throw new IllegalStateException("unknown output mode " + outputMode);
        }
    }

    /**
     * Keeps no changed list from now on: a query without a checkpoint location never snapshots, and its
     * window closes then do not take each dropped entry off that list. Called before the first record;
     * {@link #snapshotState} fails afterwards.
     */
    @Override
    public void withoutSnapshots() {
        snapshots = false;
        dirtyEntries.clear();
    }

    /**
     * Hands the changes since the previous snapshot to the snapshot image as they are, in O(1) on
     * the owner thread: the list of entries changed or created in the epoch (not their values) and
     * the starts of the slices dropped. The writer thread copies each entry's accumulator as of this
     * barrier when it applies the delta; until then the operator copies an accumulator before
     * changing it again (see the class comment). The snapshot then writes the whole image per key
     * group on the writer's thread, unaffected by further records. Mid-epoch in UPDATE mode (not at a
     * runtime barrier, which follows {@code onEpoch}) the changed list is copied too.
     *
     * @param epochId the epoch that just ended
     * @return the snapshot
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        if (!snapshots) {
            throw new IllegalStateException("window aggregate: no snapshot can be taken after withoutSnapshots(): it keeps"
                + " no changed list (a query without a checkpoint location takes no snapshot)");
        }
        finishRestore();
        SnapshotImage.Delta<K, Frozen<A>> delta = image.delta(epochId);
        dirtyEntries = delta.handOver(dirtyEntries, freezer);
        // Applied after the hand-over: an entry of a slice dropped in this epoch is put, then removed.
        for (int i = 0, n = removedSlices.size(); i < n; i++) {
            delta.removeSlot(removedSlices.getLong(i));
        }
        removedSlices.clear();
        ChangedCopy<K, A> changedCopy = changed.isEmpty() ? null : copyChanged();
        long savedWatermarkMs = watermarkMs;
        long dropped = counters.dropped;
        return delta.snapshot(writer -> {
            if (changedCopy != null) {
                changedCopy.writeTo(writer, keyCodec, accumulatorCodec);
            }
            writer.operatorState().writeByte(WindowSnapshot.OPERATOR_STATE).writeLong(sliceMs).writeBoolean(panes)
                .writeLong(savedWatermarkMs).writeLong(dropped);
        });
    }

    /** UPDATE mode, mid-epoch: the changed list, copied (rows evicted but not yet emitted with their value). */
    private ChangedCopy<K, A> copyChanged() {
        int n = changed.size();
        ChangedCopy<K, A> copy = new ChangedCopy<>(n);
        for (int i = 0; i < n; i++) {
            Entry<K, A> entry = changed.get(i);
            boolean held = !entry.slice.removed;
            copy.starts[i] = entry.slice.startMs;
            copy.held[i] = held;
            copy.keys.add(keyCodec.copy(entry.key));
            copy.accumulators.add(held ? null : accumulatorCodec.copy(entry.value()));
        }
        return copy;
    }

    /**
     * Loads one key group's entries into their slices (and into the snapshot image, so the next
     * snapshot is incremental).
     *
     * @param keyGroup the key group
     * @param in its bytes, as {@link #snapshotState}'s snapshot wrote them
     * @throws StateFormatException if the bytes are not this operator's entries
     */
    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        Slice<K, A> slice = null;
        while (in.hasRemaining()) {
            byte tag = in.readByte();
            if (tag == WindowSnapshot.ENTRY) {
                long start = in.readLong();
                int seq = in.readVarInt();
                if (seq < 0 || seq == Integer.MAX_VALUE) {
                    throw new StateFormatException("key group " + keyGroup + ": arrival sequence " + seq
                        + " out of range in slice at " + start);
                }
                K key = keyCodec.read(in);
                A accumulator = accumulatorCodec.read(in);
                if (slice == null || slice.startMs != start) {
                    slice = restoredSlice(start);
                }
                // Not in byKey yet: the slice's map is built once, at its final size, when first needed.
                Entry<K, A> entry = new Entry<>(key, slice, accumulator, counters.newRowGeneration(), seq, 0);
                entry.savedKey = key;
                slice.entries.add(entry);
                slice.unmapped++;
                if (seq >= slice.nextSeq) {
                    slice.nextSeq = seq + 1;
                }
                counters.added();
                image.put(start, key, new Frozen<>(seq, accumulatorCodec.copy(accumulator)));
            } else if (tag == WindowSnapshot.CHANGED) {
                image.restoredOtherRecords(keyGroup);
                long start = in.readLong();
                int changedPosition = in.readVarInt();
                boolean held = in.readBoolean();
                K key = keyCodec.read(in);
                Entry<K, A> entry;
                if (held) {
                    Slice<K, A> holder = slices.get(start);
                    entry = holder == null ? null : mapRestored(holder).byKey.get(key);
                    if (entry == null) {
                        throw new StateFormatException("key group " + keyGroup + ": changed row of key " + key
                            + " in slice at " + start + " has no entry");
                    }
                } else {
                    Slice<K, A> evicted = new Slice<>(new Window(start, start + sliceMs));
                    evicted.removed = true;
                    entry = new Entry<>(key, evicted, accumulatorCodec.read(in), counters.newRowGeneration(), 0, 0);
                }
                entry.changed = true;
                restoredChanged.add(new Restored<>(entry, changedPosition));
            } else {
                throw new StateFormatException("key group " + keyGroup + ": expected a window entry (tag "
                    + WindowSnapshot.ENTRY + " or " + WindowSnapshot.CHANGED + "), found tag " + tag
                    + (tag == 1 ? " (a checkpoint of an earlier, non-incremental format)" : ""));
            }
        }
    }

    /**
     * Merges one old partition's watermark (the smallest wins) and late-row counter (summed).
     *
     * @param in the bytes
     * @throws StateFormatException if they are not this operator's, or were written by a differently
     *     configured one (another window size or output mode)
     */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        byte tag = in.readByte();
        if (tag != WindowSnapshot.OPERATOR_STATE) {
            throw new StateFormatException("expected window operator state (tag " + WindowSnapshot.OPERATOR_STATE
                + "), found tag " + tag + (tag == 1 ? " (a checkpoint of an earlier, non-incremental format)" : ""));
        }
        long savedSliceMs = in.readLong();
        boolean savedPanes = in.readBoolean();
        if (savedSliceMs != sliceMs || savedPanes != panes) {
            throw new StateFormatException("the snapshot holds " + (savedPanes ? "panes" : "windows") + " of "
                + savedSliceMs + " ms, this operator " + (panes ? "panes" : "windows") + " of " + sliceMs
                + " ms: the window or the output mode changed");
        }
        long savedWatermarkMs = in.readLong();
        watermarkMs = operatorStateRestored ? Math.min(watermarkMs, savedWatermarkMs) : savedWatermarkMs;
        operatorStateRestored = true;
        counters.dropped += in.readLong();
    }

    /** Puts restored entries in their original order (by arrival sequence), ahead of any added since the restore. */
    private void finishRestore() {
        if (restoredSlices.isEmpty() && restoredChanged.isEmpty()) {
            return;
        }
        for (int i = 0, n = restoredSlices.size(); i < n; i++) {
            Slice<K, A> slice = mapRestored(restoredSlices.get(i));
            sortBySeq(slice.entries, slice.nextSeq);
            slice.restored = false;
        }
        restoredSlices.clear();
        restoredChanged.sort(Comparator.comparingInt(r -> r.position));
        ArrayList<Entry<K, A>> later = new ArrayList<>(changed);
        changed.clear();
        for (Restored<K, A> r : restoredChanged) {
            changed.add(r.entry);
        }
        changed.addAll(later);
        restoredChanged.clear();
    }

    @Override
    public void stateMetrics(StateMetrics into) {
        counters.report(into, counters.total * ENTRY_BYTES + slices.size() * SLICE_BYTES);
    }

    /**
     * @return the current watermark, epoch ms; {@link Long#MIN_VALUE} before the first one
     */
    public long watermarkMs() {
        return watermarkMs;
    }

    /**
     * @return the number of slices holding state: windows, or panes for sliding windows in APPEND
     *     mode
     */
    public int sliceCount() {
        return slices.size();
    }

    /**
     * @return the output mode
     */
    public OutputMode outputMode() {
        return outputMode;
    }

    /**
     * Owner thread; see {@link QueryableOperator} and the class comment ("Queryable state").
     *
     * @param key the key; never {@code null}
     * @return the key's windows still held, by start, with their current results; {@code null} if none
     */
    @Override
    public List<WindowedValue<K, R>> queryValue(K key) {
        Objects.requireNonNull(key, "key");
        int n = slicesByStart.size();
        long[] sorted = Arrays.copyOf(slicesByStart.copyKeys(new long[Math.max(n, 1)]), n);
        Arrays.sort(sorted);
        ArrayList<WindowedValue<K, R>> windows = new ArrayList<>();
        if (panes) {
            queryPaneWindows(key, sorted, windows);
        } else {
            for (long start : sorted) {
                Entry<K, A> entry = mapRestored(slices.get(start)).byKey.get(key);
                if (entry != null) {
                    windows.add(new WindowedValue<>(entry.key, entry.slice.window,
                        fn.result(accumulatorCodec.copy(entry.value()))));
                }
            }
        }
        return windows.isEmpty() ? null : List.copyOf(windows);
    }

    /**
     * Owner thread; see {@link QueryableOperator}: each key holding a window and passing {@code keys},
     * with the value {@link #queryValue} reads.
     *
     * @param keys which keys to read
     * @param into receives each key and its windows
     */
    @Override
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super List<WindowedValue<K, R>>> into) {
        LinkedHashSet<K> held = new LinkedHashSet<>();
        for (Slice<K, A> slice : slices.values()) {
            ArrayList<Entry<K, A>> entries = slice.entries;
            for (int i = 0, n = entries.size(); i < n; i++) {
                K key = entries.get(i).key;
                if (!held.contains(key) && keys.test(key)) {
                    held.add(key);
                }
            }
        }
        for (K key : held) {
            List<WindowedValue<K, R>> windows = queryValue(key);
            if (windows != null) {
                into.accept(key, windows);
            }
        }
    }

    /**
     * Panes: the key's windows the watermark has not closed, by start, each the merge of copies of the
     * key's panes in it into a fresh accumulator (the held accumulators are never handed to {@code merge}).
     */
    private void queryPaneWindows(K key, long[] paneStarts, ArrayList<WindowedValue<K, R>> into) {
        LongArrayList held = new LongArrayList();
        for (long start : paneStarts) {
            if (mapRestored(slices.get(start)).byKey.containsKey(key)) {
                held.addLong(start);
            }
        }
        if (held.isEmpty()) {
            return;
        }
        long start = firstWindowStartContaining(held.getLong(0));
        long last = alignDown(held.getLong(held.size() - 1), slideMs);
        if (watermarkMs != Long.MIN_VALUE) {
            start = Math.max(start, firstWindowStartContaining(watermarkMs));
        }
        for (; start <= last; start += slideMs) {
            A merged = null;
            for (int i = 0, n = held.size(); i < n; i++) {
                long pane = held.getLong(i);
                if (pane >= start && pane < start + sizeMs) {
                    A accumulator = merged == null ? fn.createAccumulator() : merged;
                    merged = fn.merge(accumulator, accumulatorCodec.copy(slices.get(pane).byKey.get(key).value()));
                    if (merged == null) {
                        throw new NullPointerException("aggregate merge returned a null accumulator for key " + key);
                    }
                }
            }
            if (merged != null) {
                into.add(new WindowedValue<>(key, new Window(start, start + sizeMs), fn.result(merged)));
            }
        }
    }

    private Slice<K, A> slice(long start) {
        Slice<K, A> slice = lastSlice;
        if (slice == null || slice.startMs != start) {
            slice = sliceSlowPath(start);
            lastSlice = slice;
        }
        return slice;
    }

    private Slice<K, A> sliceSlowPath(long start) {
        Slice<K, A> slice = slices.get(start);
        if (slice == null) {
            slice = new Slice<>(new Window(start, start + sliceMs));
            slices.put(start, slice);
            slicesByStart.push(start, slice);
        } else if (slice.unmapped > 0) {
            mapRestored(slice);
        }
        return slice;
    }

    /** Restore: the slice at {@code start}, created if new; its restored entries are not mapped by key yet. */
    private Slice<K, A> restoredSlice(long start) {
        Slice<K, A> slice = slices.get(start);
        if (slice == null) {
            slice = new Slice<>(new Window(start, start + sliceMs));
            slices.put(start, slice);
            slicesByStart.push(start, slice);
        }
        if (!slice.restored) {
            slice.restored = true;
            restoredSlices.add(slice);
        }
        return slice;
    }

    /**
     * Puts a slice's restored entries (the last {@code unmapped} of its list) into its map by key: at
     * once, into a map sized for them, rather than one rehash at a time while key groups arrive, and
     * with one probe per entry (a key restored twice is found by {@code put} returning the first).
     */
    private Slice<K, A> mapRestored(Slice<K, A> slice) {
        int unmapped = slice.unmapped;
        if (unmapped == 0) {
            return slice;
        }
        ArrayList<Entry<K, A>> entries = slice.entries;
        int n = entries.size();
        if (slice.byKey.isEmpty()) {
            slice.byKey = new Object2ObjectHashMap<>((int) Math.min(Integer.MAX_VALUE - 8, (long) (n / MAP_LOAD_FACTOR) + 1),
                MAP_LOAD_FACTOR);
        }
        Object2ObjectHashMap<K, Entry<K, A>> byKey = slice.byKey;
        for (int i = n - unmapped; i < n; i++) {
            Entry<K, A> entry = entries.get(i);
            if (byKey.put(entry.key, entry) != null) {
                throw new StateFormatException("key " + entry.key + " restored twice in slice " + slice.window
                    + ": the checkpoint holds it in two key groups, or twice in one");
            }
        }
        slice.unmapped = 0;
        return slice;
    }

    private void add(Slice<K, A> slice, K key, T record) {
        Entry<K, A> entry = slice.byKey.get(key);
        if (entry == null) {
            entry = newEntry(slice, key);
        } else if (!entry.isChangedIn(image.seq())) {
            markDirty(entry);
        }
        A current = entry.value();
        A updated = UserAggregates.add(fn, current, record);
        if (updated == null) {
            throw new NullPointerException("aggregate returned a null accumulator for key " + key + " in window " + slice.window);
        }
        if (updated != current) {
            entry.value(updated); // a release store: only when the accumulator is a new object
        }
        entry.generation = counters.touch(entry.generation);
        if (tracksChanges && !entry.changed) {
            entry.changed = true;
            changed.add(entry);
        }
    }

    /** The entry's first change in the epoch: copy-on-write if the writer has not copied it yet. */
    private void markDirty(Entry<K, A> entry) {
        entry.markChanged(image.seq(), image.consumedSeq(), accumulatorCodec);
        addDirty(entry);
    }

    private void addDirty(Entry<K, A> entry) {
        if (snapshots) {
            entry.dirtyIndex = dirtyEntries.size();
            dirtyEntries.add(entry);
        }
    }

    private Entry<K, A> newEntry(Slice<K, A> slice, K key) {
        A accumulator = fn.createAccumulator();
        if (accumulator == null) {
            throw new NullPointerException("aggregate created a null accumulator for key " + key);
        }
        Entry<K, A> entry = new Entry<>(key, slice, accumulator, counters.newRowGeneration(), slice.nextSeq++,
            image.seq());
        slice.byKey.put(key, entry);
        slice.entries.add(entry);
        counters.added();
        addDirty(entry);
        return entry;
    }

    private void onLate(K key, long start) {
        if (lateGroups.firstInEpoch(key, start, start + sizeMs)) {
            counters.dropped++;
        }
    }

    private void evict(Slice<K, A> slice, Output<WindowedValue<K, R>> out) {
        drop(slice);
        ArrayList<Entry<K, A>> entries = slice.entries;
        int n = entries.size();
        if (outputMode == OutputMode.APPEND) {
            for (int i = 0; i < n; i++) {
                emit(entries.get(i), out);
            }
        }
        counters.removed(n);
    }

    /**
     * Orders a restored slice's entries by arrival sequence: a counting sort, O(entries + sequences),
     * as sequences are dense (several old partitions restored into one may repeat a sequence; their
     * relative order is then unspecified, as it was between partitions).
     */
    private static <K, A> void sortBySeq(ArrayList<Entry<K, A>> entries, int sequences) {
        int n = entries.size();
        int[] seqs = new int[n];
        int[] starts = new int[sequences + 1];
        boolean ordered = true;
        int previous = -1;
        for (int i = 0; i < n; i++) {
            int seq = entries.get(i).seq;
            seqs[i] = seq;
            starts[seq + 1]++;
            ordered &= seq >= previous;
            previous = seq;
        }
        if (ordered) {
            return;
        }
        for (int q = 0; q < sequences; q++) {
            starts[q + 1] += starts[q];
        }
        @SuppressWarnings("unchecked")
        Entry<K, A>[] sorted = new Entry[n];
        for (int i = 0; i < n; i++) {
            sorted[starts[seqs[i]]++] = entries.get(i);
        }
        for (int i = 0; i < n; i++) {
            entries.set(i, sorted[i]);
        }
    }

    /** Takes a slice out of the state (it stays readable for rows still to be emitted). */
    private void drop(Slice<K, A> slice) {
        slices.remove(slice.startMs);
        slice.removed = true;
        if (lastSlice == slice) {
            lastSlice = null;
        }
        if (image.isTracking()) {
            removedSlices.addLong(slice.startMs);
        } else if (snapshots) {
            forgetUntracked(slice.entries);
        }
    }

    /**
     * Before the first barrier (and with nothing restored) the image is empty, so a dropped slice's
     * entries and start need not reach it; without checkpoints no barrier ever comes to empty the
     * changed list. So each entry of the dropped slice leaves the list here, in O(1): the list's last
     * entry takes its place (the order of that first, whole-state list does not matter, as each entry
     * is on it once). Done with every eviction, this code is as warm as the eviction's; an O(list)
     * pass now and then would be compiled late, at some window's close, while the query runs.
     */
    private void forgetUntracked(ArrayList<Entry<K, A>> entries) {
        ArrayList<Entry<K, A>> list = dirtyEntries;
        for (int i = 0, n = entries.size(); i < n; i++) {
            Entry<K, A> entry = entries.get(i);
            Entry<K, A> last = list.remove(list.size() - 1);
            if (last != entry) {
                int at = entry.dirtyIndex;
                list.set(at, last);
                last.dirtyIndex = at;
            }
        }
    }

    /** @return entries on the changed list (for tests) */
    int changedListSize() {
        return dirtyEntries.size();
    }

    private void emitChanged(Output<WindowedValue<K, R>> out) {
        ArrayList<Entry<K, A>> list = changed;
        for (int i = 0, n = list.size(); i < n; i++) {
            Entry<K, A> entry = list.get(i);
            entry.changed = false;
            emit(entry, out);
        }
        list.clear();
    }

    /**
     * Panes: emits, by start, every window that ends after {@code previousMs} (the earlier ones
     * were closed by an earlier watermark) and at or before {@code watermarkMs} and holds data,
     * then drops the panes no open window needs.
     */
    private void emitPaneWindows(long previousMs, long watermarkMs, Output<WindowedValue<K, R>> out) {
        long start = previousMs == Long.MIN_VALUE ? Long.MIN_VALUE : firstWindowStartContaining(previousMs);
        LongMinHeap<Slice<K, A>> heap = slicesByStart;
        while (!heap.isEmpty()) {
            start = Math.max(start, firstWindowStartContaining(heap.peekKey()));
            if (start + sizeMs > watermarkMs) {
                break;
            }
            emitPaneWindow(start, out);
            start += slideMs;
            while (!heap.isEmpty() && heap.peekKey() < start) {
                Slice<K, A> pane = heap.peekValue();
                heap.pop();
                drop(pane);
                int n = pane.entries.size();
                counters.removed(n);
            }
        }
    }

    private void emitPaneWindow(long start, Output<WindowedValue<K, R>> out) {
        Object2ObjectHashMap<K, A> merged = windowScratch;
        ArrayList<K> keys = windowScratchKeys;
        for (long pane = start, end = start + sizeMs; pane < end; pane += sliceMs) {
            Slice<K, A> slice = slices.get(pane);
            if (slice == null) {
                continue;
            }
            ArrayList<Entry<K, A>> entries = slice.entries;
            for (int i = 0, n = entries.size(); i < n; i++) {
                Entry<K, A> entry = entries.get(i);
                A before = merged.get(entry.key);
                boolean fresh = before == null;
                if (fresh) {
                    before = fn.createAccumulator();
                    keys.add(entry.key);
                }
                A accumulator = fn.merge(before, entry.value());
                if (accumulator == null) {
                    throw new NullPointerException("aggregate merge returned a null accumulator for key " + entry.key);
                }
                if (fresh || accumulator != before) {
                    // A new key, or an immutable accumulator; a mutable one merged in place is already held.
                    merged.put(entry.key, accumulator);
                }
            }
        }
        if (!keys.isEmpty()) {
            Window window = new Window(start, start + sizeMs);
            for (int i = 0, n = keys.size(); i < n; i++) {
                K key = keys.get(i);
                out.emit(new WindowedValue<>(key, window, fn.result(merged.get(key))));
            }
            keys.clear();
            merged.clear();
        }
    }

    /** The smallest window start {@code s} ({@code s ≡ offset mod slide}) with {@code s + size > timestampMs}. */
    private long firstWindowStartContaining(long timestampMs) {
        long from = timestampMs - sizeMs + 1;
        long remainder = (offsetMs - from) % slideMs;
        return from + (remainder < 0 ? remainder + slideMs : remainder);
    }

    /** The largest {@code s <= timestampMs} with {@code s ≡ offset mod unitMs}. */
    private long alignDown(long timestampMs, long unitMs) {
        long remainder = (timestampMs - offsetMs) % unitMs;
        return timestampMs - (remainder < 0 ? remainder + unitMs : remainder);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private void emitAll(Output<WindowedValue<K, R>> out) {
        int n = slicesByStart.size();
        long[] sorted = slicesByStart.copyKeys(sortScratch);
        sortScratch = sorted;
        Arrays.sort(sorted, 0, n);
        for (int w = 0; w < n; w++) {
            ArrayList<Entry<K, A>> entries = slices.get(sorted[w]).entries;
            for (int i = 0, size = entries.size(); i < size; i++) {
                emit(entries.get(i), out);
            }
        }
    }

    private void emit(Entry<K, A> entry, Output<WindowedValue<K, R>> out) {
        out.emit(new WindowedValue<>(entry.key, entry.slice.window, fn.result(entry.value())));
    }

    /** The state of one window, or of one pane: per key, an entry. */
    private static final class Slice<K, A> {
        final long startMs;
        final Window window;
        Object2ObjectHashMap<K, Entry<K, A>> byKey = new Object2ObjectHashMap<>();
        final ArrayList<Entry<K, A>> entries = new ArrayList<>();
        /** Restored entries not in {@link #byKey} yet: the last ones of {@link #entries}. */
        int unmapped;
        /** The arrival sequence of the next entry: entries keep their order through snapshots. */
        int nextSeq;
        /** Taken out of the state (evicted or dropped). */
        boolean removed;
        /** Holds restored entries not yet put in order. */
        boolean restored;

        Slice(Window window) {
            this.startMs = window.startMs();
            this.window = window;
        }
    }

    /** A (key, slice) entry; its accumulator is the cell's value. */
    private static final class Entry<K, A> extends SnapshotCell<A> {
        final K key;
        final Slice<K, A> slice;
        final int seq;
        long generation;
        boolean changed;
        /** Its place on the changed list until the image tracks ({@code forgetUntracked}). */
        int dirtyIndex;
        /** The key as snapshots hold it ({@link StateCodec#copy}), taken once; the writer thread's after a restore. */
        K savedKey;

        Entry(K key, Slice<K, A> slice, A accumulator, long generation, int seq, long changedSeq) {
            super(accumulator, changedSeq);
            this.key = key;
            this.slice = slice;
            this.generation = generation;
            this.seq = seq;
        }
    }

    /** An entry as the snapshot image holds it: its arrival sequence and a copy of its accumulator. */
    private record Frozen<A>(int seq, A accumulator) {
    }

    /** A restored row of the changed list and its position there, until put in order. */
    private record Restored<K, A>(Entry<K, A> entry, int position) {
    }

    /** The changed list copied at a barrier (UPDATE mode, mid-epoch), written after the image. */
    private static final class ChangedCopy<K, A> {
        final long[] starts;
        final boolean[] held;
        final ArrayList<K> keys;
        final ArrayList<A> accumulators;

        ChangedCopy(int n) {
            starts = new long[n];
            held = new boolean[n];
            keys = new ArrayList<>(n);
            accumulators = new ArrayList<>(n);
        }

        void writeTo(KeyGroupWriter writer, StateCodec<K> keyCodec, StateCodec<A> accumulatorCodec) {
            for (int i = 0, n = starts.length; i < n; i++) {
                K key = keys.get(i);
                SnapshotOutput out = writer.forKey(key);
                out.writeByte(WindowSnapshot.CHANGED).writeLong(starts[i]).writeVarInt(i).writeBoolean(held[i]);
                keyCodec.write(key, out);
                if (!held[i]) {
                    accumulatorCodec.write(accumulators.get(i), out);
                }
            }
        }
    }

    /** Tags of the snapshot format. */
    private static final class WindowSnapshot {
        /** An entry of the image: slice start, arrival sequence, key, accumulator. */
        static final byte ENTRY = 3;
        /** A row of the changed list: slice start, position, held, key, and the accumulator if not held. */
        static final byte CHANGED = 4;
        /** Operator state: slice length, panes, watermark, late-row counter. */
        static final byte OPERATOR_STATE = 2;

        private WindowSnapshot() {
        }
    }
}
