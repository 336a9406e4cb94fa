package io.rivulet.operators.join;

import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.TwoInputKeyedOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyedStateBackend;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateDescriptor;
import io.rivulet.operators.state.TimeBuckets;
import io.rivulet.operators.state.ValueState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Spark's stream-stream join ({@code StreamingSymmetricHashJoinExec}) as a two-input keyed operator:
 * inner, left outer, right outer, full outer and left semi joins on the routing key, optionally with
 * an event-time range between the sides ({@link JoinTimeRange}).
 *
 * <p><b>Matching.</b> Each side buffers its rows per key. A row that arrives is matched against the
 * other side's buffered rows of its key (those whose times satisfy the range, every one without a
 * range): each match is emitted at once, through the {@link JoinFunction}, so a pair comes out when
 * its later row is processed, exactly once. Then the row is buffered, with a "matched" flag. A left
 * semi join emits a left row once, on its first match: a left row that matches on arrival is emitted
 * and never buffered; a buffered left row is emitted when the first right row matches it.
 *
 * <p><b>Eviction and outer rows.</b> With a time range and a watermark on both inputs, the watermark
 * {@code w} bounds the state: a left row is evicted once its time is {@code <=}
 * {@link JoinSettings#leftStateWatermarkMs(long)}, a right row once its time is {@code <=}
 * {@link JoinSettings#rightStateWatermarkMs(long)} (Spark's state watermarks). An evicted row of an
 * outer side that never matched is emitted with {@code null} for the other side (left rows before right
 * rows, each side in event-time order). Which side may be evicted is decided once, from the settings
 * ({@link JoinSettings#evictsSide}, Spark's rule): without a time range, or with a watermark on one input
 * only, nothing is evicted and no outer row comes out; the state grows forever (Spark's behaviour; the
 * runtime warns). Outer and semi joins need a range ({@link JoinSettings#validate()}).
 *
 * <p><b>Late rows.</b> With event times ({@link JoinSettings#withEventTimes}), a row of an input that
 * carries a watermark ({@link JoinSettings#withWatermarkedInputs}) whose time is {@code <=} the late-row
 * watermark never joins: it is counted per side ({@link StateMetrics#numRowsDroppedByWatermark()}) and
 * sent to that side's late output, if any. Rows of an input without a watermark are never late (Spark).
 *
 * <p><b>Two modes</b> ({@link JoinSettings#microBatch()}), as {@code GroupStateOperator} has them:
 * <ul>
 *   <li><b>Micro-batch</b> (Spark, batch by batch): late rows are judged against the watermark held at
 *       the previous {@link #onEpoch} (the previous batch's); {@link #onWatermark} only records the
 *       batch's watermark; at {@link #onEpoch}, after the batch's data, both sides are evicted with it
 *       and the outer rows emitted, so they come out in the no-data batch after the watermark passes
 *       the bound. Rows that are already evictable when they arrive are buffered until then, as Spark
 *       does. The runtime may pass the batch's watermark before or after its rows.</li>
 *   <li><b>Continuous</b>: late rows are judged against the current watermark; every watermark advance
 *       evicts and emits outer rows at once; a row already evictable when it arrives (possible with
 *       bounds that make one side wait for the other) is matched, then dropped or emitted as an outer
 *       row right away instead of buffered.</li>
 * </ul>
 * With no late rows under either rule, both modes emit the same rows.
 *
 * <p><b>State.</b> One value state of a {@link KeyedStateBackend}, {@code join}: per key one
 * {@code JoinEntry} holding each side's {@code JoinRows} (times, arrival sequence numbers, flags and
 * rows in parallel arrays), so a row's match and its buffering cost one state lookup. The backend gives copy-on-write snapshots per key group and restore into any
 * partition count, so this operator needs no table of its own; the cost is one backend entry per key
 * (allocated when a key gets its first row, dropped when its last row goes). Emptied entries and row
 * buffers are recycled (a few thousand kept), so a key that comes back costs only that entry. Each side also
 * keeps an index of its rows by event time ({@code TimeBuckets}), not snapshotted but rebuilt from the
 * restored rows, in (time, arrival) order, before the first call after a restore. Operator state: the
 * watermarks (the minimum over old partitions on restore), the next sequence number (maximum) and the
 * per-side late counts (summed). Rows are kept by reference: the runtime must hand in records it does
 * not reuse (or copy them first).
 *
 * <p><b>Figures.</b> {@link #stateMetrics(StateMetrics)} sums both sides;
 * {@link #stateMetrics(StateMetrics, StateMetrics)} fills one holder per side (rows, rows added and
 * evicted since the previous read, late rows dropped, a memory estimate); both reset the
 * since-the-previous-read figures, so call one per progress report.
 *
 * <p>Not thread-safe; owned by the partition worker. Only a returned snapshot's {@code writeTo} runs on
 * another thread.
 *
 * @param <K> key type; {@code equals} and {@code hashCode}
 * @param <L> left row type
 * @param <R> right row type
 * @param <O> output type
 */
public final class StreamStreamJoinOperator<K, L, R, O>
    implements TwoInputKeyedOperator<K, L, R, O>, CheckpointedOperator, StatefulOperator,
    QueryableOperator<K, JoinBuffers<L, R>> {
    /** The name Spark's progress gives this operator. */
    public static final String NAME = "symmetricHashJoin";
    /** Rough bytes per buffered row (arrays' slots and a small row); an estimate, not a measurement. */
    static final long ROW_BYTES_ESTIMATE = 64;
    /** Rough bytes per key and side (a share of the backend entry and map slot, the rows' array headers). */
    static final long KEY_BYTES_ESTIMATE = 160;
    private static final int MAX_SPARE_ROWS = 4096;
    private static final int MAX_SPARE_CAPACITY = 16;

    /** A row's place in the rebuilt index. */
    private record Indexed(long timeMs, long seq, Object key) {
    }

    private final JoinFunction<K, L, R, O> function;
    private final JoinType type;
    private final boolean semi;
    private final JoinTimeRange range;
    private final JoinSettings<K, L, R> settings;
    /** Decided once from the settings ({@link JoinSettings#evictsSide}): whether each side is ever evicted. */
    private final boolean evictLeft;
    private final boolean evictRight;
    /** Whether each side's rows are judged late (event times and a watermark on that input). */
    private final boolean lateCheckLeft;
    private final boolean lateCheckRight;
    /** Declared unique keys per side ({@link JoinSettings#withUniqueKeys}). */
    private final boolean uniqueLeft;
    private final boolean uniqueRight;
    private final ToLongFunction<? super L> leftTimeMs;
    private final ToLongFunction<? super R> rightTimeMs;
    private final boolean microBatch;
    private final long maxStateRows;
    private final StateCodec<L> leftCodec;
    private final StateCodec<R> rightCodec;
    private final KeyedStateBackend<K> backend;
    private final StateDescriptor<ValueState<JoinEntry<L, R>>> descriptor;
    private final ValueState<JoinEntry<L, R>> entries;
    private final TimeBuckets leftIndex = new TimeBuckets();
    private final TimeBuckets rightIndex = new TimeBuckets();
    private final JoinSideFigures<L> left;
    private final JoinSideFigures<R> right;
    private final StateMetrics scratchLeft = new StateMetrics();
    private final StateMetrics scratchRight = new StateMetrics();
    /** Emptied row buffers and entries no snapshot refers to, for keys that get their first row again. */
    private final ArrayDeque<JoinRows<?>> spareRows = new ArrayDeque<>();
    private final ArrayDeque<JoinEntry<?, ?>> spareEntries = new ArrayDeque<>();
    private long watermarkMs = Long.MIN_VALUE;
    /** Micro-batch mode: the watermark held at the previous {@code onEpoch}, which judges late rows. */
    private long lateWatermarkMs = Long.MIN_VALUE;
    private boolean watermarkRestored;
    private long nextSeq;
    private boolean reindex;

    private StreamStreamJoinOperator(JoinFunction<K, L, R, O> function, JoinSettings<K, L, R> settings) {
        this.function = Objects.requireNonNull(function, "function");
        settings.validate();
        this.type = settings.joinType();
        this.semi = type == JoinType.LEFT_SEMI;
        this.range = settings.timeRange();
        this.settings = settings;
        this.evictLeft = settings.evictsLeft();
        this.evictRight = settings.evictsRight();
        this.lateCheckLeft = settings.judgesLeftLate();
        this.lateCheckRight = settings.judgesRightLate();
        this.uniqueLeft = settings.uniqueLeft();
        this.uniqueRight = settings.uniqueRight();
        this.leftTimeMs = settings.leftTimeMs();
        this.rightTimeMs = settings.rightTimeMs();
        this.microBatch = settings.microBatch();
        this.left = new JoinSideFigures<>(settings.lateLeft());
        this.right = new JoinSideFigures<>(settings.lateRight());
        this.maxStateRows = settings.maxStateRows();
        this.leftCodec = settings.leftCodec();
        this.rightCodec = settings.rightCodec();
        this.backend = new KeyedStateBackend<>(settings.keyCodec(), settings.maxParallelism(), settings.keyGroups());
        this.descriptor = StateDescriptor.value("join", new JoinEntry.Codec<>(leftCodec, rightCodec));
        this.entries = backend.state(descriptor);
    }

    /**
     * Builds a join operator.
     *
     * @param function builds each output row
     * @param settings join type, range, event times, mode...
     * @param <K> key type
     * @param <L> left row type
     * @param <R> right row type
     * @param <O> output type
     * @return the operator
     * @throws IllegalArgumentException if the settings break a rule of {@link JoinSettings#validate()}
     */
    public static <K, L, R, O> StreamStreamJoinOperator<K, L, R, O> of(JoinFunction<K, L, R, O> function,
                                                                        JoinSettings<K, L, R> settings) {
        return new StreamStreamJoinOperator<>(function, Objects.requireNonNull(settings, "settings"));
    }

    /** @return the keyed state (for tests) */
    public KeyedStateBackend<K> backend() {
        return backend;
    }

    /** @return the watermark last received, {@code Long.MIN_VALUE} before any */
    public long watermarkMs() {
        return watermarkMs;
    }

    // ---- data ----

    /** A left row: late check, match against the right rows of its key, buffer. */
    @Override
    public void process(K key, L row, Output<O> out) {
        ensureIndexed();
        long t = 0;
        if (leftTimeMs != null) {
            t = leftTimeMs.applyAsLong(row);
            if (lateCheckLeft && t <= lateThresholdMs()) {
                left.onLate(row);
                return;
            }
        }
        backend.setCurrentKey(key);
        boolean matched = false;
        JoinEntry<L, R> entry = entries.value();
        if (uniqueLeft && entry != null && entry.left != null && entry.left.size != 0) {
            throw JoinSettings.duplicateKey(true, key);
        }
        boolean rightHeld = entry != null && entry.right != null && entry.right.size != 0;
        if (rightHeld) {
            matched = matchLeft(key, row, t, entry.right, out);
        }
        if (matched && semi) {
            return;
        }
        if (!JoinSettings.buffersRow(uniqueRight, rightHeld, matched, type.emitsUnmatchedLeft())) {
            return;
        }
        if (!microBatch && evictLeft && t <= settings.leftStateWatermarkMs(watermarkMs)) {
            if (!matched && type.emitsUnmatchedLeft()) {
                emit(function.join(key, row, null), out);
            }
            return;
        }
        if (entry == null) {
            entry = newEntry();
        }
        JoinRows<L> rows = entry.left;
        if (rows == null) {
            rows = spareRows();
            entry.left = rows;
            left.keys++;
        }
        store(rows, evictLeft ? leftIndex : null, left, key, t, row, matched);
    }

    private boolean matchLeft(K key, L row, long t, JoinRows<R> others, Output<O> out) {
        boolean matched = false;
        for (int i = 0; i < others.size; i++) {
            if (range != null && !range.matches(t, others.timesMs[i])) {
                continue;
            }
            if (semi) {
                emit(function.join(key, row, null), out);
                return true;
            }
            matched = true;
            others.matched[i] = true;
            emit(function.join(key, row, others.value(i)), out);
        }
        return matched;
    }

    /** A right row: late check, match against the left rows of its key, buffer. */
    @Override
    public void processRight(K key, R row, Output<O> out) {
        ensureIndexed();
        long t = 0;
        if (rightTimeMs != null) {
            t = rightTimeMs.applyAsLong(row);
            if (lateCheckRight && t <= lateThresholdMs()) {
                right.onLate(row);
                return;
            }
        }
        backend.setCurrentKey(key);
        boolean matched = false;
        JoinEntry<L, R> entry = entries.value();
        if (uniqueRight && entry != null && entry.right != null && entry.right.size != 0) {
            throw JoinSettings.duplicateKey(false, key);
        }
        boolean leftHeld = entry != null && entry.left != null && entry.left.size != 0;
        if (leftHeld) {
            matched = matchRight(key, row, t, entry.left, out);
        }
        if (!JoinSettings.buffersRow(uniqueLeft, leftHeld, matched, type.emitsUnmatchedRight())) {
            return;
        }
        if (!microBatch && evictRight && t <= settings.rightStateWatermarkMs(watermarkMs)) {
            if (!matched && type.emitsUnmatchedRight()) {
                emit(function.join(key, null, row), out);
            }
            return;
        }
        if (entry == null) {
            entry = newEntry();
        }
        JoinRows<R> rows = entry.right;
        if (rows == null) {
            rows = spareRows();
            entry.right = rows;
            right.keys++;
        }
        store(rows, evictRight ? rightIndex : null, right, key, t, row, matched);
    }

    private boolean matchRight(K key, R row, long t, JoinRows<L> others, Output<O> out) {
        boolean matched = false;
        for (int i = 0; i < others.size; i++) {
            if (range != null && !range.matches(others.timesMs[i], t)) {
                continue;
            }
            matched = true;
            if (semi) {
                if (!others.matched[i]) {
                    others.matched[i] = true;
                    emit(function.join(key, others.value(i), null), out);
                }
            } else {
                others.matched[i] = true;
                emit(function.join(key, others.value(i), row), out);
            }
        }
        return matched;
    }

    /** Buffers a row; {@code index} is {@code null} for a side that is never evicted (no index needed). */
    private <V> void store(JoinRows<V> rows, TimeBuckets index, JoinSideFigures<?> side, K key, long t, V row, boolean matched) {
        rows.add(t, nextSeq++, row, matched);
        if (index != null) {
            index.add(t, key);
        }
        side.rows++;
        side.added++;
        if (maxStateRows != 0 && left.rows + right.rows > maxStateRows) {
            throw JoinSideFigures.overBudget(left, right, maxStateRows);
        }
    }

    @SuppressWarnings("unchecked")
    private JoinEntry<L, R> newEntry() {
        JoinEntry<?, ?> spare = spareEntries.pollFirst();
        JoinEntry<L, R> entry = spare == null ? new JoinEntry<>() : (JoinEntry<L, R>) spare;
        entries.update(entry);
        return entry;
    }

    @SuppressWarnings("unchecked")
    private <V> JoinRows<V> spareRows() {
        JoinRows<?> spare = spareRows.pollFirst();
        return spare == null ? new JoinRows<>(2) : (JoinRows<V>) spare;
    }

    /**
     * Keeps an emptied buffer for reuse. Safe: {@code value()} returned it, so it belongs to the
     * backend's current version (an older one would have been copied on access), and no snapshot,
     * which only refers to buffers of older versions, can hold it.
     */
    private void recycle(JoinRows<?> rows) {
        rows.truncate(0);
        if (spareRows.size() < MAX_SPARE_ROWS && rows.timesMs.length <= MAX_SPARE_CAPACITY) {
            spareRows.addFirst(rows);
        }
    }

    private void recycle(JoinEntry<?, ?> entry) {
        if (spareEntries.size() < MAX_SPARE_ROWS) {
            spareEntries.addFirst(entry);
        }
    }

    private long lateThresholdMs() {
        return microBatch ? lateWatermarkMs : watermarkMs;
    }

    private void emit(O result, Output<O> out) {
        if (result != null) {
            out.emit(result);
        }
    }

    // ---- time ----

    /** Continuous mode: evicts and emits outer rows; micro-batch mode: records the batch's watermark. */
    @Override
    public void onWatermark(long watermarkMs, Output<O> out) {
        if (watermarkMs <= this.watermarkMs) {
            return;
        }
        ensureIndexed();
        this.watermarkMs = watermarkMs;
        if (!microBatch) {
            evict(out);
        }
    }

    /** Micro-batch mode: evicts with the batch's watermark, emits outer rows, then moves the late-row watermark. */
    @Override
    public void onEpoch(long epochId, Output<O> out) {
        if (!microBatch) {
            return;
        }
        ensureIndexed();
        evict(out);
        lateWatermarkMs = watermarkMs;
    }

    /** Nothing: as in Spark, rows the watermark has not released are not flushed when the input ends. */
    @Override
    public void onEnd(Output<O> out) {
    }

    private void evict(Output<O> out) {
        if (watermarkMs == Long.MIN_VALUE) {
            return;
        }
        if (evictLeft) {
            evictSide(leftIndex, settings.leftStateWatermarkMs(watermarkMs), type.emitsUnmatchedLeft(), true, left, out);
        }
        if (evictRight) {
            evictSide(rightIndex, settings.rightStateWatermarkMs(watermarkMs), type.emitsUnmatchedRight(), false, right,
                out);
        }
    }

    @SuppressWarnings("unchecked")
    private void evictSide(TimeBuckets index, long thresholdMs, boolean outer, boolean isLeft, JoinSideFigures<?> side,
                           Output<O> out) {
        while (index.earliestMs() <= thresholdMs) {
            TimeBuckets.Bucket bucket = index.pollEarliest();
            for (int j = 0, keys = bucket.size(); j < keys; j++) {
                K key = (K) bucket.key(j);
                backend.setCurrentKey(key);
                JoinEntry<L, R> entry = entries.value();
                JoinRows<?> rows = entry == null ? null : isLeft ? entry.left : entry.right;
                if (rows == null) {
                    continue;
                }
                int keep = 0;
                for (int i = 0, n = rows.size; i < n; i++) {
                    if (rows.timesMs[i] <= thresholdMs) {
                        if (outer && !rows.matched[i]) {
                            emit(isLeft ? function.join(key, (L) rows.value(i), null)
                                : function.join(key, null, (R) rows.value(i)), out);
                        }
                        side.rows--;
                        side.removed++;
                    } else {
                        rows.moveTo(keep++, i);
                    }
                }
                if (keep == 0) {
                    recycle(rows);
                    side.keys--;
                    if (isLeft) {
                        entry.left = null;
                    } else {
                        entry.right = null;
                    }
                    if (entry.left == null && entry.right == null) {
                        entries.clear();
                        recycle(entry);
                    }
                } else {
                    rows.truncate(keep);
                }
            }
            index.recycle(bucket);
        }
    }

    // ---- snapshot and restore ----

    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        ensureIndexed();
        return backend.snapshotState(epochId, watermarkMs, lateWatermarkMs, nextSeq, left.dropped, right.dropped);
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        backend.restoreKeyGroup(keyGroup, in);
        reindex = true;
    }

    /** Watermarks: the minimum over the old partitions; sequence: the maximum; late counts: summed. */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        long wm = in.readLong();
        long lateWm = in.readLong();
        long seq = in.readLong();
        long droppedLeft = in.readLong();
        long droppedRight = in.readLong();
        if (watermarkRestored) {
            watermarkMs = Math.min(watermarkMs, wm);
            lateWatermarkMs = Math.min(lateWatermarkMs, lateWm);
        } else {
            watermarkMs = wm;
            lateWatermarkMs = lateWm;
            watermarkRestored = true;
        }
        nextSeq = Math.max(nextSeq, seq);
        left.dropped += droppedLeft;
        right.dropped += droppedRight;
    }

    /** After a restore: counts the restored rows and rebuilds both time indexes in (time, arrival) order. */
    private void ensureIndexed() {
        if (!reindex) {
            return;
        }
        reindex = false;
        ArrayList<Indexed> lefts = new ArrayList<>();
        ArrayList<Indexed> rights = new ArrayList<>();
        for (JoinSideFigures<?> side : List.of(left, right)) {
            side.rows = 0;
            side.keys = 0;
        }
        backend.forEachValue(descriptor, (key, entry) -> {
            count(key, entry.left, left, lefts);
            count(key, entry.right, right, rights);
        });
        rebuild(leftIndex, lefts, evictLeft);
        rebuild(rightIndex, rights, evictRight);
    }

    private static void count(Object key, JoinRows<?> rows, JoinSideFigures<?> side, ArrayList<Indexed> into) {
        if (rows == null) {
            return;
        }
        side.keys++;
        side.rows += rows.size;
        for (int i = 0; i < rows.size; i++) {
            into.add(new Indexed(rows.timesMs[i], rows.seqs[i], key));
        }
    }

    private static void rebuild(TimeBuckets index, ArrayList<Indexed> rows, boolean evicted) {
        index.clear();
        if (!evicted) {
            return;
        }
        rows.sort((a, b) -> a.timeMs != b.timeMs ? Long.compare(a.timeMs, b.timeMs) : Long.compare(a.seq, b.seq));
        for (Indexed e : rows) {
            index.add(e.timeMs, e.key);
        }
    }

    // ---- figures ----

    /**
     * Both sides together: rows buffered, rows added and evicted since the previous read, late rows of
     * both sides since the start, a memory estimate. Resets both sides' since-read figures.
     *
     * @param into the holder to fill
     */
    @Override
    public void stateMetrics(StateMetrics into) {
        stateMetrics(scratchLeft, scratchRight);
        into.set(0, 0, 0, 0, 0).add(scratchLeft).add(scratchRight);
    }

    /**
     * One holder per side, for progress that reports each side's state (Spark reports them summed;
     * Rivulet shows both). Resets both sides' since-read figures. Owner thread; allocates nothing.
     *
     * @param leftInto filled with the left side's figures
     * @param rightInto filled with the right side's figures
     */
    public void stateMetrics(StateMetrics leftInto, StateMetrics rightInto) {
        ensureIndexed();
        fill(left, leftInto);
        fill(right, rightInto);
    }

    // ---- queryable state ----

    /**
     * Owner thread, between records; see {@link QueryableOperator}.
     *
     * @param key the key; never {@code null}
     * @return copies of the key's buffered rows of both sides, or {@code null} if it holds none
     */
    @Override
    public JoinBuffers<L, R> queryValue(K key) {
        backend.setCurrentKey(Objects.requireNonNull(key, "key"));
        JoinEntry<L, R> entry = entries.value();
        if (entry == null) {
            return null;
        }
        return new JoinBuffers<>(copyOf(entry.left, leftCodec), copyOf(entry.right, rightCodec));
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: each key with buffered rows.
     *
     * @param keys which keys to read
     * @param into receives each key and copies of its buffered rows
     */
    @Override
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super JoinBuffers<L, R>> into) {
        backend.forEachValue(descriptor, (key, entry) -> {
            if (keys.test(key)) {
                into.accept(key, new JoinBuffers<>(copyOf(entry.left, leftCodec), copyOf(entry.right, rightCodec)));
            }
        });
    }

    private static <V> List<V> copyOf(JoinRows<V> rows, StateCodec<V> codec) {
        if (rows == null) {
            return List.of();
        }
        ArrayList<V> list = new ArrayList<>(rows.size);
        for (int i = 0; i < rows.size; i++) {
            list.add(codec.copy(rows.value(i)));
        }
        return list;
    }

    /** A side's figures into {@code into} (memory estimated per row and key); resets its interval counts. */
    private static void fill(JoinSideFigures<?> side, StateMetrics into) {
        into.set(side.rows, side.added, side.removed, side.dropped,
            side.rows * ROW_BYTES_ESTIMATE + side.keys * KEY_BYTES_ESTIMATE);
        side.added = 0;
        side.removed = 0;
    }
}
