package io.rivulet.operators.join;

import io.rivulet.operators.LongKeyLookahead;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.TwoInputLongKeyedOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateFormatException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The stream-stream join of {@link StreamStreamJoinOperator} on a primitive {@code long} key, with the
 * same semantics (inner, left, right and full outer, left semi; the time range and Spark's state
 * watermarks, each side evicted and judged late only as {@link JoinSettings#evictsLeft()},
 * {@link JoinSettings#judgesLeftLate()} and their right-side twins decide; micro-batch and continuous modes; late rows per side; the state
 * budget; per-side figures; queryable state; nothing flushed at the end of input) and none of its
 * per-record allocation: both inputs' keys arrive unboxed ({@link #processLong},
 * {@link #processRightLong}) and no boxed key exists anywhere on the record or eviction path.
 *
 * <p><b>State</b> (docs/joins.md, <i>Performance: the long-key join path</i>). One {@code LongJoinTable}
 * (key → each side's first and last row and row counts, four {@code long}s per key) over one
 * {@code JoinSlab} per side (times, arrival sequences with the matched flag, keys, the key's rows doubly
 * linked in arrival order, and the payload). With a {@link JoinRowLayout} for a side
 * ({@link JoinSettings#withRowLayouts}), its rows are {@code long} columns: the join keeps no reference
 * to the input record, and a buffered row is read into one reused instance per side when it matches or
 * comes out unmatched (valid during the {@link LongJoinFunction} call only). Without one, the side keeps
 * each row by reference (its {@link JoinSettings#leftCodec()} or {@link JoinSettings#rightCodec()}
 * writes it in checkpoints). With a time range each side's rows are also listed by (time, arrival) in a
 * {@code RowTimeIndex}, which the state watermark pops earliest first: one table probe per evicted row.
 * A side with unique keys ({@link JoinSettings#withUniqueKeys}) and a row layout is <i>inline</i>: its one
 * row per key lives in the key's table slot, not in its slab, so a row of the other side finds the row it
 * matches in the line it probed (W5: a trade and its order), one cache miss fewer per probe.
 * Once the slabs, the table, the index and the change log have grown, a record allocates nothing.
 *
 * <p><b>Snapshots</b>: per key group blocks (each key, then each side's rows: time, sequence and matched
 * flag, columns or the codec's bytes), the operator state of the boxed operator (watermarks, restored as
 * the minimum over the old partitions; the next sequence, the maximum; late counts, summed); restore
 * into any partition count, each key checked to hash to its block's key group
 * ({@link KeyGroups#keyGroupOf(long, int)}), the time indexes rebuilt in (time, arrival) order. The
 * barrier is O(1) on the owner thread: the rows' changes since the previous barrier (rows buffered,
 * first matches, rows evicted: a few {@code long}s each) are appended to a change log, handed over as is
 * at the barrier to a {@code LongJoinSnapshotImage}, whose writer thread replays it onto its own copy of
 * the rows and writes only the key groups changed since its base. The log starts at the first barrier
 * (the first snapshot copies every row, O(rows), once; a restore seeds the copy instead), and when it
 * grows past a few times the state it holds (a state much shorter-lived than the checkpoint interval)
 * it is dropped and the next barrier copies the rows instead, which is then the cheaper. The state
 * format differs from the boxed operator's.
 *
 * <p><b>Figures</b>: as the boxed operator's ({@link #stateMetrics(StateMetrics, StateMetrics)}); the
 * memory estimate is the slabs' bytes per row and the table's per key, doubled once snapshots are taken
 * (the image's copy).
 *
 * <p>Not thread-safe; owned by the partition worker. Only a returned snapshot's {@code writeTo} runs on
 * another thread.
 *
 * @param <L> left row type
 * @param <R> right row type
 * @param <O> output type
 */
public final class StreamStreamLongJoinOperator<L, R, O>
    implements TwoInputLongKeyedOperator<L, R, O>, CheckpointedOperator, StatefulOperator,
    QueryableOperator<Long, JoinBuffers<L, R>>, LongKeyLookahead {
    /** Bytes per buffered row besides its payload: time, sequence, key (longs), two links (ints). */
    static final long ROW_BYTES = 5 * Long.BYTES;
    /** Bytes per object row's payload: the reference slot and a small row. */
    static final long OBJECT_ROW_BYTES = 48;
    /** Bytes per key: its table slot at the table's load. */
    static final long KEY_BYTES = 52;
    /** The change log is dropped (the next barrier copies the rows) past this many {@code long}s ... */
    static final int LOG_MIN_LONGS = 1 << 16;
    /** ... and past this many times the state's own {@code long}s. */
    static final int LOG_STATE_FACTOR = 4;
    private static final int INITIAL_ROWS = 256;
    /**
     * Eviction touches the state of the row this many places behind the one it removes (its key's slot; for
     * a slab row, first its line, twice as far ahead), so the misses of a burst of evictions overlap instead
     * of coming one after another.
     */
    private static final int EVICT_AHEAD = 8;

    private final LongJoinFunction<L, R, O> function;
    private final JoinType type;
    private final boolean semi;
    private final JoinTimeRange range;
    private final JoinSettings<Long, L, R> settings;
    /** Decided once from the settings ({@link JoinSettings#evictsSide}): whether each side is ever evicted. */
    private final boolean evictLeft;
    private final boolean evictRight;
    /** Whether each side's rows are judged late (event times and a watermark on that input). */
    private final boolean lateCheckLeft;
    private final boolean lateCheckRight;
    /** Declared unique keys per side ({@link JoinSettings#withUniqueKeys}). */
    private final boolean uniqueLeft;
    private final boolean uniqueRight;
    /** Whether each side keeps its one row per key in the table's slot (unique keys and a row layout). */
    private final boolean inlineLeft;
    private final boolean inlineRight;
    private final ToLongFunction<? super L> leftTimeMs;
    private final ToLongFunction<? super R> rightTimeMs;
    private final boolean microBatch;
    private final long maxStateRows;
    private final StateCodec<L> leftCodec;
    private final StateCodec<R> rightCodec;
    private final JoinRowLayout<L> leftLayout;
    private final JoinRowLayout<R> rightLayout;
    private final int leftWidth;
    private final int rightWidth;
    private final int maxParallelism;
    private final KeyGroupRange keyGroups;
    private final JoinSlab leftRows;
    private final JoinSlab rightRows;
    private final LongJoinTable table;
    private final RowTimeIndex leftIndex = new RowTimeIndex();
    private final RowTimeIndex rightIndex = new RowTimeIndex();
    private final LongJoinSnapshotImage<L, R> image;
    private final JoinSideFigures<L> left;
    private final JoinSideFigures<R> right;
    private final StateMetrics scratchLeft = new StateMetrics();
    private final StateMetrics scratchRight = new StateMetrics();
    /** The changes since the previous barrier, while {@link #logging}. */
    private JoinChangeLog log;
    /** Whether changes are logged: from the first barrier (or a restore) until the log is dropped. */
    private boolean logging;
    private boolean snapshotted;
    private L leftReuse;
    private R rightReuse;
    private long watermarkMs = Long.MIN_VALUE;
    /** Micro-batch mode: the watermark held at the previous {@code onEpoch}, which judges late rows. */
    private long lateWatermarkMs = Long.MIN_VALUE;
    private boolean watermarkRestored;
    private long nextSeq;
    private boolean reindex;
    /** The sum of look-ahead reads at eviction, kept so the reads are not optimised away. */
    private long touched;

    private StreamStreamLongJoinOperator(LongJoinFunction<L, R, O> function, JoinSettings<Long, L, R> settings) {
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
        this.leftLayout = settings.leftLayout();
        this.rightLayout = settings.rightLayout();
        this.leftWidth = width(leftLayout, "leftLayout");
        this.rightWidth = width(rightLayout, "rightLayout");
        this.maxParallelism = settings.maxParallelism();
        this.keyGroups = settings.keyGroups();
        this.inlineLeft = uniqueLeft && leftLayout != null;
        this.inlineRight = uniqueRight && rightLayout != null;
        this.leftRows = new JoinSlab(leftWidth, leftLayout == null, inlineLeft ? 1 : INITIAL_ROWS);
        this.rightRows = new JoinSlab(rightWidth, rightLayout == null, inlineRight ? 1 : INITIAL_ROWS);
        this.table = new LongJoinTable(leftRows, rightRows, inlineLeft, inlineRight, INITIAL_ROWS);
        this.image = new LongJoinSnapshotImage<>(leftWidth, rightWidth, leftCodec, rightCodec);
    }

    private static int width(JoinRowLayout<?> layout, String name) {
        if (layout == null) {
            return 0;
        }
        int width = layout.width();
        if (width < 1) {
            throw new IllegalArgumentException(name + ".width() " + width + ": a row layout has at least 1 column");
        }
        return width;
    }

    /**
     * Builds a long-key join operator.
     *
     * @param function builds each output row
     * @param settings join type, range, event times, mode, row layouts...; the key codec is not used
     * @param <L> left row type
     * @param <R> right row type
     * @param <O> output type
     * @return the operator
     * @throws IllegalArgumentException if the settings break a rule of {@link JoinSettings#validate()}, or a
     *     row layout has no column
     */
    public static <L, R, O> StreamStreamLongJoinOperator<L, R, O> of(LongJoinFunction<L, R, O> function,
                                                                     JoinSettings<Long, L, R> settings) {
        return new StreamStreamLongJoinOperator<>(function, Objects.requireNonNull(settings, "settings"));
    }

    /** @return the watermark last received, {@code Long.MIN_VALUE} before any */
    public long watermarkMs() {
        return watermarkMs;
    }

    /** @return the keys holding a row on either side. Owner thread */
    public int keyCount() {
        return table.size();
    }

    // ---- data ----

    /** A left row: late check, match against the right rows of its key, buffer. */
    /** {@inheritDoc} The key's home slot in the join table. */
    @Override
    public long touchKey(long key) {
        return table.touch(key);
    }

    /** {@inheritDoc} The other side's first row for {@code key}, if the key is held. */
    @Override
    public int rowToTouch(long key, boolean rightInput) {
        // A right record probes the left rows, a left one the right rows; an inline row is in the key's line.
        if (rightInput ? inlineLeft : inlineRight) {
            return JoinSlab.NONE;
        }
        int slot = table.find(key);
        return slot == LongJoinTable.ABSENT ? JoinSlab.NONE : table.firstRow(slot, rightInput);
    }

    /** {@inheritDoc} The row's lines, and the record's event time. */
    @Override
    @SuppressWarnings("unchecked")
    public long touchRow(int row, Object record, boolean rightInput) {
        long sum = row == JoinSlab.NONE ? 0 : (rightInput ? leftRows : rightRows).touch(row);
        if (rightInput ? rightTimeMs != null : leftTimeMs != null) {
            sum += rightInput ? rightTimeMs.applyAsLong((R) record) : leftTimeMs.applyAsLong((L) record);
        }
        return sum;
    }

    @Override
    public void processLong(long key, L row, Output<O> out) {
        if (reindex) {
            reindex();
        }
        long t = 0;
        if (leftTimeMs != null) {
            t = leftTimeMs.applyAsLong(row);
            if (lateCheckLeft && t <= lateThresholdMs()) {
                left.onLate(row);
                return;
            }
        }
        boolean matched = false;
        int slot = table.find(key);
        if (uniqueLeft && slot != LongJoinTable.ABSENT && table.rowCount(slot, true) != 0) {
            throw JoinSettings.duplicateKey(true, key);
        }
        boolean rightHeld = slot != LongJoinTable.ABSENT && table.rowCount(slot, false) != 0;
        if (rightHeld) {
            matched = inlineRight ? matchLeftInline(key, row, t, slot, out)
                : matchLeft(key, row, t, table.firstRow(slot, false), out);
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
        if (slot == LongJoinTable.ABSENT || table.rowCount(slot, true) == 0) {
            left.keys++;
        }
        long seq = nextSeq++;
        if (inlineLeft) {
            int s = table.addInline(true, key, t, seq, matched);
            int at = table.inlineColumnsAt(s, true);
            leftLayout.write(row, table.slots(), at);
            stored(true, leftRows, leftIndex, left, key, key, table.slots(), at, t, seq, matched);
            return;
        }
        int r = table.addRow(true, key, t, seq, matched);
        if (leftLayout != null) {
            leftLayout.write(row, leftRows.columns(), leftRows.columnsAt(r));
        } else {
            leftRows.value(r, row);
        }
        stored(true, leftRows, leftIndex, left, key, r, leftRows.columns(), leftRows.columnsAt(r), t, seq, matched);
    }

    /** A left row against the key's one inline right row (in {@code slot}). */
    private boolean matchLeftInline(long key, L row, long t, int slot, Output<O> out) {
        if (range != null && !range.matches(t, table.inlineTimeMs(slot, false))) {
            return false;
        }
        if (semi) {
            emit(function.join(key, row, null), out);
            return true;
        }
        markInlineMatched(false, key, slot);
        emit(function.join(key, row, readRightInline(slot)), out);
        return true;
    }

    private boolean matchLeft(long key, L row, long t, int first, Output<O> out) {
        JoinSlab others = rightRows;
        boolean matched = false;
        for (int r = first; r != JoinSlab.NONE; r = others.next(r)) {
            if (range != null && !range.matches(t, others.timeMs(r))) {
                continue;
            }
            if (semi) {
                emit(function.join(key, row, null), out);
                return true;
            }
            matched = true;
            markMatched(false, others, key, r);
            emit(function.join(key, row, readRight(r)), out);
        }
        return matched;
    }

    /** A right row: late check, match against the left rows of its key, buffer. */
    @Override
    public void processRightLong(long key, R row, Output<O> out) {
        if (reindex) {
            reindex();
        }
        long t = 0;
        if (rightTimeMs != null) {
            t = rightTimeMs.applyAsLong(row);
            if (lateCheckRight && t <= lateThresholdMs()) {
                right.onLate(row);
                return;
            }
        }
        boolean matched = false;
        int slot = table.find(key);
        if (uniqueRight && slot != LongJoinTable.ABSENT && table.rowCount(slot, false) != 0) {
            throw JoinSettings.duplicateKey(false, key);
        }
        boolean leftHeld = slot != LongJoinTable.ABSENT && table.rowCount(slot, true) != 0;
        if (leftHeld) {
            matched = inlineLeft ? matchRightInline(key, row, t, slot, out)
                : matchRight(key, row, t, table.firstRow(slot, true), out);
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
        if (slot == LongJoinTable.ABSENT || table.rowCount(slot, false) == 0) {
            right.keys++;
        }
        long seq = nextSeq++;
        if (inlineRight) {
            int s = table.addInline(false, key, t, seq, matched);
            int at = table.inlineColumnsAt(s, false);
            rightLayout.write(row, table.slots(), at);
            stored(false, rightRows, rightIndex, right, key, key, table.slots(), at, t, seq, matched);
            return;
        }
        int r = table.addRow(false, key, t, seq, matched);
        if (rightLayout != null) {
            rightLayout.write(row, rightRows.columns(), rightRows.columnsAt(r));
        } else {
            rightRows.value(r, row);
        }
        stored(false, rightRows, rightIndex, right, key, r, rightRows.columns(), rightRows.columnsAt(r), t, seq,
            matched);
    }

    /** A right row against the key's one inline left row (in {@code slot}). */
    private boolean matchRightInline(long key, R row, long t, int slot, Output<O> out) {
        if (range != null && !range.matches(table.inlineTimeMs(slot, true), t)) {
            return false;
        }
        if (semi) {
            if (!table.inlineMatched(slot, true)) {
                markInlineMatched(true, key, slot);
                emit(function.join(key, readLeftInline(slot), null), out);
            }
        } else {
            markInlineMatched(true, key, slot);
            emit(function.join(key, readLeftInline(slot), row), out);
        }
        return true;
    }

    private boolean matchRight(long key, R row, long t, int first, Output<O> out) {
        JoinSlab others = leftRows;
        boolean matched = false;
        for (int r = first; r != JoinSlab.NONE; r = others.next(r)) {
            if (range != null && !range.matches(others.timeMs(r), t)) {
                continue;
            }
            matched = true;
            if (semi) {
                if (!others.matched(r)) {
                    markMatched(true, others, key, r);
                    emit(function.join(key, readLeft(r), null), out);
                }
            } else {
                markMatched(true, others, key, r);
                emit(function.join(key, readLeft(r), row), out);
            }
        }
        return matched;
    }

    private void markMatched(boolean isLeft, JoinSlab slab, long key, int r) {
        if (!slab.matched(r)) {
            slab.markMatched(r);
            if (logging) {
                log.change(JoinChangeLog.MATCH, isLeft, key, slab.seq(r));
            }
        }
    }

    private void markInlineMatched(boolean isLeft, long key, int slot) {
        if (!table.inlineMatched(slot, isLeft)) {
            table.markInlineMatched(slot, isLeft);
            if (logging) {
                log.change(JoinChangeLog.MATCH, isLeft, key, table.inlineSeq(slot, isLeft));
            }
        }
    }

    /**
     * After a row's payload is written: index, log, count, budget.
     *
     * @param id the row's name in the time index: its slab index, or its key if the side is inline
     * @param columns the array holding its columns (unused for object rows)
     * @param at the index of its first column there
     */
    private void stored(boolean isLeft, JoinSlab slab, RowTimeIndex index, JoinSideFigures<?> side, long key, long id,
                        long[] columns, int at, long t, long seq, boolean matched) {
        if (isLeft ? evictLeft : evictRight) {
            index.add(id, t, seq);
        }
        if (logging) {
            logAdd(isLeft, slab, key, (int) id, columns, at, t, seq << 1 | (matched ? 1 : 0));
            if (log.size() > LOG_MIN_LONGS) {
                dropLogIfLarge();
            }
        }
        side.rows++;
        side.added++;
        if (maxStateRows != 0 && left.rows + right.rows > maxStateRows) {
            throw JoinSideFigures.overBudget(left, right, maxStateRows);
        }
    }

    private void logAdd(boolean isLeft, JoinSlab slab, long key, int r, long[] columns, int at, long t,
                        long seqAndMatched) {
        int width = slab.width();
        if (width == 0) {
            log.addObject(isLeft, key, t, seqAndMatched, slab.value(r));
        } else {
            log.add(isLeft, key, t, seqAndMatched, columns, at, width);
        }
    }

    /** A log much larger than the state: drop it; the next barrier copies the rows (cheaper than the log). */
    private void dropLogIfLarge() {
        long stateLongs = (left.rows + right.rows) * (4L + Math.max(leftWidth, rightWidth));
        if (log.size() > LOG_STATE_FACTOR * stateLongs) {
            log.clear();
            logging = false;
        }
    }

    @SuppressWarnings("unchecked")
    private L readLeft(int r) {
        if (leftLayout == null) {
            return (L) leftRows.value(r);
        }
        L row = leftLayout.read(leftRows.columns(), leftRows.columnsAt(r), leftReuse);
        leftReuse = row;
        return row;
    }

    private L readLeftInline(int slot) {
        L row = leftLayout.read(table.slots(), table.inlineColumnsAt(slot, true), leftReuse);
        leftReuse = row;
        return row;
    }

    private R readRightInline(int slot) {
        R row = rightLayout.read(table.slots(), table.inlineColumnsAt(slot, false), rightReuse);
        rightReuse = row;
        return row;
    }

    @SuppressWarnings("unchecked")
    private R readRight(int r) {
        if (rightLayout == null) {
            return (R) rightRows.value(r);
        }
        R row = rightLayout.read(rightRows.columns(), rightRows.columnsAt(r), rightReuse);
        rightReuse = row;
        return row;
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
        if (reindex) {
            reindex();
        }
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
        if (reindex) {
            reindex();
        }
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
            evictLeft(settings.leftStateWatermarkMs(watermarkMs), out);
        }
        if (evictRight) {
            evictRight(settings.rightStateWatermarkMs(watermarkMs), out);
        }
    }

    private void evictLeft(long thresholdMs, Output<O> out) {
        boolean outer = type.emitsUnmatchedLeft();
        RowTimeIndex index = leftIndex;
        JoinSlab slab = leftRows;
        long touched = this.touched;
        while (index.earliestMs() <= thresholdMs) {
            if (inlineLeft) {
                touched += table.touch(index.ringAhead(EVICT_AHEAD));
                long key = index.poll();
                int s = table.find(key);
                L row = outer && !table.inlineMatched(s, true) ? readLeftInline(s) : null;
                removeInline(true, left, key, s);
                if (row != null) {
                    emit(function.join(key, row, null), out);
                }
                continue;
            }
            touched += slab.touch((int) index.ringAhead(2 * EVICT_AHEAD))
                + table.touch(slab.key((int) index.ringAhead(EVICT_AHEAD)));
            int r = (int) index.poll();
            long key = slab.key(r);
            L row = outer && !slab.matched(r) ? readLeft(r) : null;
            remove(true, slab, left, key, r);
            if (row != null) {
                emit(function.join(key, row, null), out);
            }
        }
        this.touched = touched;
    }

    private void evictRight(long thresholdMs, Output<O> out) {
        boolean outer = type.emitsUnmatchedRight();
        RowTimeIndex index = rightIndex;
        JoinSlab slab = rightRows;
        long touched = this.touched;
        while (index.earliestMs() <= thresholdMs) {
            if (inlineRight) {
                touched += table.touch(index.ringAhead(EVICT_AHEAD));
                long key = index.poll();
                int s = table.find(key);
                R row = outer && !table.inlineMatched(s, false) ? readRightInline(s) : null;
                removeInline(false, right, key, s);
                if (row != null) {
                    emit(function.join(key, null, row), out);
                }
                continue;
            }
            touched += slab.touch((int) index.ringAhead(2 * EVICT_AHEAD))
                + table.touch(slab.key((int) index.ringAhead(EVICT_AHEAD)));
            int r = (int) index.poll();
            long key = slab.key(r);
            R row = outer && !slab.matched(r) ? readRight(r) : null;
            remove(false, slab, right, key, r);
            if (row != null) {
                emit(function.join(key, null, row), out);
            }
        }
        this.touched = touched;
    }

    private void removeInline(boolean isLeft, JoinSideFigures<?> side, long key, int slot) {
        if (logging) {
            log.change(JoinChangeLog.REMOVE, isLeft, key, table.inlineSeq(slot, isLeft));
        }
        table.removeInline(slot, isLeft);
        side.keys--;
        side.rows--;
        side.removed++;
    }

    private void remove(boolean isLeft, JoinSlab slab, JoinSideFigures<?> side, long key, int r) {
        if (logging) {
            log.change(JoinChangeLog.REMOVE, isLeft, key, slab.seq(r));
        }
        if (table.removeRow(isLeft, r) == 0) {
            side.keys--;
        }
        side.rows--;
        side.removed++;
    }

    // ---- snapshot and restore ----

    /**
     * Hands the changes since the previous barrier over to the snapshot image, O(1); the first barrier
     * (and the first after the log was dropped) copies every row instead. Owner thread.
     *
     * @param epochId the epoch that just ended
     * @return the snapshot: the state as of now, written later (on the runtime's writer thread)
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        if (reindex) {
            reindex();
        }
        snapshotted = true;
        long[] operatorState = {watermarkMs, lateWatermarkMs, nextSeq, left.dropped, right.dropped};
        boolean full = !logging;
        JoinChangeLog handed = log != null ? log : image.spareLog();
        if (full) {
            handed.clear();
            copyAll(handed);
        }
        OperatorSnapshot snapshot = image.snapshot(epochId, handed, full, operatorState);
        log = image.spareLog();
        logging = true;
        return snapshot;
    }

    /** Every row, as {@link JoinChangeLog#ADD}s, each key's in arrival order. */
    private void copyAll(JoinChangeLog into) {
        for (int slot = 0, n = table.capacity(); slot < n; slot++) {
            if (table.used(slot)) {
                long key = table.key(slot);
                copySide(into, true, leftRows, key, slot);
                copySide(into, false, rightRows, key, slot);
            }
        }
    }

    private void copySide(JoinChangeLog into, boolean isLeft, JoinSlab slab, long key, int slot) {
        if (!table.inline(isLeft)) {
            copyRows(into, isLeft, slab, key, table.firstRow(slot, isLeft));
        } else if (table.rowCount(slot, isLeft) != 0) {
            long seqAndMatched = table.inlineSeq(slot, isLeft) << 1 | (table.inlineMatched(slot, isLeft) ? 1 : 0);
            into.add(isLeft, key, table.inlineTimeMs(slot, isLeft), seqAndMatched, table.slots(),
                table.inlineColumnsAt(slot, isLeft), slab.width());
        }
    }

    private void copyRows(JoinChangeLog into, boolean isLeft, JoinSlab slab, long key, int first) {
        for (int r = first; r != JoinSlab.NONE; r = slab.next(r)) {
            long seqAndMatched = slab.seq(r) << 1 | (slab.matched(r) ? 1 : 0);
            if (slab.width() == 0) {
                into.addObject(isLeft, key, slab.timeMs(r), seqAndMatched, slab.value(r));
            } else {
                into.add(isLeft, key, slab.timeMs(r), seqAndMatched, slab.columns(), slab.columnsAt(r), slab.width());
            }
        }
    }

    /**
     * Loads one key group's rows (appended after the rows already held for each key, in the block's order).
     * Before the first record.
     *
     * @throws IllegalStateException if the key group is outside this partition's range, or a key hashes to
     *     another key group
     * @throws StateFormatException if the block is not this operator's, or a side's columns per row differ
     *     from its layout's
     */
    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        if (!keyGroups.contains(keyGroup)) {
            throw new IllegalStateException("key group " + keyGroup + " is outside this partition's range "
                + keyGroups + ": a key reached a partition that does not own it");
        }
        JoinChangeLog restoring = image.restoringLog();
        while (in.hasRemaining()) {
            int tag = in.readByte();
            if (tag != LongJoinSnapshotImage.ENTRY) {
                throw new StateFormatException("long-key join state: unknown entry tag " + tag + " in key group "
                    + keyGroup);
            }
            long key = in.readLong();
            int now = KeyGroups.keyGroupOf(key, maxParallelism);
            if (now != keyGroup) {
                throw new IllegalStateException("long key " + key + " was saved in key group " + keyGroup
                    + " but hashes to key group " + now + " with maxParallelism " + maxParallelism
                    + ": the checkpoint was written with another number of key groups");
            }
            restoreSide(in, true, key, keyGroup, restoring);
            restoreSide(in, false, key, keyGroup, restoring);
        }
        logging = true;
        reindex = true;
    }

    private void restoreSide(SnapshotInput in, boolean isLeft, long key, int keyGroup, JoinChangeLog restoring) {
        int rows = in.readInt();
        int width = in.readInt();
        JoinSlab slab = isLeft ? leftRows : rightRows;
        if (rows < 0 || width != slab.width()) {
            throw new StateFormatException("long-key join state: key " + key + " of key group " + keyGroup
                + " holds " + rows + " " + (isLeft ? "left" : "right") + " rows of " + width
                + " columns (0: objects) but this join stores " + slab.width()
                + ": the checkpoint was written with another row layout");
        }
        if (table.inline(isLeft) && rows > 1) {
            throw new StateFormatException("long-key join state: key " + key + " of key group " + keyGroup
                + " holds " + rows + " " + (isLeft ? "left" : "right") + " rows but this join declares that side's"
                + " keys unique (withUniqueKeys): the checkpoint was written without that declaration");
        }
        for (int i = 0; i < rows; i++) {
            long t = in.readLong();
            long seqAndMatched = in.readLong();
            if (table.inline(isLeft)) {
                int s = table.addInline(isLeft, key, t, seqAndMatched >>> 1, (seqAndMatched & 1) != 0);
                long[] columns = table.slots();
                int at = table.inlineColumnsAt(s, isLeft);
                for (int c = 0; c < width; c++) {
                    columns[at + c] = in.readLong();
                }
                restoring.add(isLeft, key, t, seqAndMatched, columns, at, width);
                continue;
            }
            int r = table.addRow(isLeft, key, t, seqAndMatched >>> 1, (seqAndMatched & 1) != 0);
            if (width == 0) {
                slab.value(r, isLeft ? leftCodec.read(in) : rightCodec.read(in));
                restoring.addObject(isLeft, key, t, seqAndMatched, slab.value(r));
            } else {
                long[] columns = slab.columns();
                int at = slab.columnsAt(r);
                for (int c = 0; c < width; c++) {
                    columns[at + c] = in.readLong();
                }
                restoring.add(isLeft, key, t, seqAndMatched, columns, at, width);
            }
        }
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
    private void reindex() {
        reindex = false;
        if (log == null) {
            log = image.spareLog();
        }
        left.rows = leftRows.size();
        right.rows = rightRows.size();
        left.keys = 0;
        right.keys = 0;
        for (int slot = 0, n = table.capacity(); slot < n; slot++) {
            if (table.used(slot)) {
                left.keys += table.rowCount(slot, true) != 0 ? 1 : 0;
                right.keys += table.rowCount(slot, false) != 0 ? 1 : 0;
            }
        }
        // An inline side's rows are its keys (one each), not in its slab.
        if (inlineLeft) {
            left.rows = left.keys;
        }
        if (inlineRight) {
            right.rows = right.keys;
        }
        rebuild(leftIndex, leftRows, true);
        rebuild(rightIndex, rightRows, false);
    }

    private void rebuild(RowTimeIndex index, JoinSlab slab, boolean isLeft) {
        index.clear();
        if (!(isLeft ? evictLeft : evictRight)) {
            return;
        }
        int rowCount = (int) (isLeft ? left.rows : right.rows);
        long[] ids = new long[rowCount];
        long[] times = new long[rowCount];
        long[] seqs = new long[rowCount];
        int n = 0;
        boolean inline = table.inline(isLeft);
        for (int slot = 0, capacity = table.capacity(); slot < capacity; slot++) {
            if (!table.used(slot)) {
                continue;
            }
            if (inline) {
                if (table.rowCount(slot, isLeft) != 0) {
                    ids[n] = table.key(slot);
                    times[n] = table.inlineTimeMs(slot, isLeft);
                    seqs[n++] = table.inlineSeq(slot, isLeft);
                }
            } else {
                for (int r = table.firstRow(slot, isLeft); r != JoinSlab.NONE; r = slab.next(r)) {
                    ids[n] = r;
                    times[n] = slab.timeMs(r);
                    seqs[n++] = slab.seq(r);
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> times[a] != times[b] ? Long.compare(times[a], times[b]) : Long.compare(seqs[a], seqs[b]));
        for (Integer i : order) {
            index.add(ids[i], times[i], seqs[i]);
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
     * One holder per side (rows, rows added and evicted since the previous read, late rows dropped, a
     * memory estimate). Resets both sides' since-read figures. Owner thread; allocates nothing.
     *
     * @param leftInto filled with the left side's figures
     * @param rightInto filled with the right side's figures
     */
    public void stateMetrics(StateMetrics leftInto, StateMetrics rightInto) {
        if (reindex) {
            reindex();
        }
        fill(left, leftWidth, leftInto);
        fill(right, rightWidth, rightInto);
    }

    private void fill(JoinSideFigures<?> side, int width, StateMetrics into) {
        long rowBytes = ROW_BYTES + (width == 0 ? OBJECT_ROW_BYTES : (long) width * Long.BYTES);
        long bytes = side.rows * rowBytes * (snapshotted ? 2 : 1) + side.keys * KEY_BYTES;
        into.set(side.rows, side.added, side.removed, side.dropped, bytes);
        side.added = 0;
        side.removed = 0;
    }

    /**
     * For tests: every key's rows as text, {@code key -> L[time/seq/matched ...] R[...]}, in arrival order,
     * keys sorted. Owner thread; allocates.
     *
     * @return the rows held
     */
    SortedMap<Long, String> describeRows() {
        TreeMap<Long, String> rows = new TreeMap<>();
        for (int slot = 0, n = table.capacity(); slot < n; slot++) {
            if (table.used(slot)) {
                StringBuilder text = new StringBuilder("L[");
                describeSide(true, leftRows, slot, text);
                text.append("] R[");
                describeSide(false, rightRows, slot, text);
                rows.put(table.key(slot), text.append(']').toString());
            }
        }
        return rows;
    }

    private void describeSide(boolean isLeft, JoinSlab slab, int slot, StringBuilder into) {
        if (!table.inline(isLeft)) {
            describe(slab, table.firstRow(slot, isLeft), into);
        } else if (table.rowCount(slot, isLeft) != 0) {
            into.append(table.inlineTimeMs(slot, isLeft)).append('/').append(table.inlineSeq(slot, isLeft))
                .append(table.inlineMatched(slot, isLeft) ? "/m" : "/u");
            for (int c = 0, at = table.inlineColumnsAt(slot, isLeft); c < slab.width(); c++) {
                into.append('/').append(table.slots()[at + c]);
            }
            into.append(' ');
        }
    }

    private static void describe(JoinSlab slab, int first, StringBuilder into) {
        for (int r = first; r != JoinSlab.NONE; r = slab.next(r)) {
            into.append(slab.timeMs(r)).append('/').append(slab.seq(r)).append(slab.matched(r) ? "/m" : "/u");
            if (slab.width() == 0) {
                into.append('/').append(slab.value(r));
            } else {
                for (int c = 0; c < slab.width(); c++) {
                    into.append('/').append(slab.columns()[slab.columnsAt(r) + c]);
                }
            }
            into.append(' ');
        }
    }

    // ---- queryable state ----

    /**
     * Owner thread, between records; see {@link QueryableOperator}.
     *
     * @param key the key; never {@code null}
     * @return copies of the key's buffered rows of both sides (column rows read into new instances, object
     *     rows copied with the side's codec), or {@code null} if it holds none
     */
    @Override
    public JoinBuffers<L, R> queryValue(Long key) {
        int slot = table.find(Objects.requireNonNull(key, "key"));
        return slot == LongJoinTable.ABSENT ? null : buffers(slot);
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: each key with buffered rows.
     *
     * @param keys which keys to read
     * @param into receives each key and copies of its buffered rows
     */
    @Override
    public void scanValues(Predicate<? super Long> keys, BiConsumer<? super Long, ? super JoinBuffers<L, R>> into) {
        for (int slot = 0, n = table.capacity(); slot < n; slot++) {
            if (table.used(slot)) {
                Long key = table.key(slot);
                if (keys.test(key)) {
                    into.accept(key, buffers(slot));
                }
            }
        }
    }

    private JoinBuffers<L, R> buffers(int slot) {
        return new JoinBuffers<>(copiesOf(true, leftRows, slot, leftLayout, leftCodec),
            copiesOf(false, rightRows, slot, rightLayout, rightCodec));
    }

    private <V> List<V> copiesOf(boolean isLeft, JoinSlab slab, int slot, JoinRowLayout<V> layout, StateCodec<V> codec) {
        if (!table.inline(isLeft)) {
            return copies(slab, table.firstRow(slot, isLeft), layout, codec);
        }
        ArrayList<V> list = new ArrayList<>();
        if (table.rowCount(slot, isLeft) != 0) {
            list.add(layout.read(table.slots(), table.inlineColumnsAt(slot, isLeft), null));
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    private static <V> List<V> copies(JoinSlab slab, int first, JoinRowLayout<V> layout, StateCodec<V> codec) {
        ArrayList<V> list = new ArrayList<>();
        for (int r = first; r != JoinSlab.NONE; r = slab.next(r)) {
            list.add(layout != null ? layout.read(slab.columns(), slab.columnsAt(r), null) : codec.copy((V) slab.value(r)));
        }
        return list;
    }
}
