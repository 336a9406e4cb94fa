package io.rivulet.operators.topn;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotImage;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Top-N per event-time window over the rows of a windowed aggregation ({@link WindowedValue}: key,
 * window, value): each row replaces its key's previous value in its window's ranking.
 *
 * <p><b>Emission.</b>
 * <ul>
 *   <li>{@code finalOnly} (append mode): a window's ranks 1..min(N, keys) are emitted once, when the
 *       watermark reaches the window's end ({@code end <= watermark}, the aggregation's own closing
 *       rule, so its last rows for the window arrived before that watermark), or at the end of input;
 *       then the window is dropped. Windows are emitted in order of end, then start.</li>
 *   <li>otherwise (update mode): the ranks of a window whose (key, value) changed, after each record
 *       ({@code emitPerRecord}) or once per epoch; a window is dropped without output when the
 *       watermark reaches its end.</li>
 * </ul>
 * <b>Late rows.</b> A row whose window ended at or before the watermark this operator last received
 * is late: counted in {@link StateMetrics#numRowsDroppedByWatermark()} and sent to the late output,
 * if any, not ranked.
 *
 * <p><b>Order</b> as {@link TopNOperator}: greatest value first, ties by {@code keyOrder} when given,
 * then the key that reached its value first.
 *
 * <p><b>Partitioning.</b> Every window's ranking lives in one instance: the stage runs in one partition
 * under a single internal key (it never rescales).
 *
 * <p><b>Snapshots</b> are incremental with an O(1) barrier, as {@link TopNOperator}'s: every entry
 * (window, key, value, sequence) is kept in a {@link SnapshotImage} under slot = the window's end, and
 * the operator records, once per epoch, each entry changed, each window's ranks last emitted when they
 * change (an immutable copy, O(N), made at the emission) and each window closed (a marker that
 * removes its slot: every window ending there closes at once, and rows for it are late from then on).
 * At the barrier that list is handed over (O(1)); entries are immutable, so the writer thread only
 * puts them into the image and writes the key groups that changed. The watermark and the late-row
 * count are operator state. The first barrier without a restore hands over every open window whole
 * (O(rows held), once: nothing is recorded before checkpoints start). A restore puts the entries back
 * (O(rows log rows)) and marks every ranking dirty, so the next emission compares with the restored
 * emitted ranks and emits only what differs. Snapshots of format 1 (every window in one block) are
 * still restored.
 *
 * <p><b>Queryable state</b> is the current ranking of every open window: a ranked key reads as the
 * list of its {@link RankedValue}s, one per open window in whose top N it ranks now, by window end
 * then start (absent if it ranks in none); a scan reads every open window's ranks 1..N, grouped by
 * key. O(windows x N).
 *
 * <p>Not thread-safe; owned by its partition worker.
 *
 * @param <K> ranked key type
 * @param <V> value type; non-null
 */
public final class WindowTopNOperator<K, V> implements KeyedOperator<Object, WindowedValue<K, V>, RankedValue<K, V>>,
    CheckpointedOperator, StatefulOperator, QueryableOperator<K, List<RankedValue<K, V>>> {
    /** Every open window in one key group's block: restored, no longer written. */
    private static final byte FORMAT_WHOLE_WINDOWS = 1;
    /** Operator state: the format, then the watermark and the late-row count. */
    private static final byte FORMAT = 2;
    /** An image record: one key's entry in one window. */
    private static final byte ENTRY = 2;
    /** An image record: a window's ranks last emitted. */
    private static final byte EMITTED = 3;
    private static final long ENTRY_BYTES_ESTIMATE = 140;
    private static final Comparator<Window> BY_END = Comparator.comparingLong(Window::endMs).thenComparingLong(Window::startMs);

    private final int n;
    private final Comparator<Ranking.Entry<K, V>> order;
    private final boolean finalOnly;
    private final boolean emitPerRecord;
    private final Output<? super WindowedValue<K, V>> lateOutput;
    /** Used on the owner thread; the image's records are written with {@link #writerCodec} on the writer thread. */
    private final StateCodec<Object> codec = StateCodecs.dynamic();
    private final StateCodec<Object> writerCodec = StateCodecs.dynamic();
    private final TreeMap<Window, Ranking<K, V>> windows = new TreeMap<>(BY_END);
    private final SnapshotImage<ImageKey, Object> image = new SnapshotImage<>(this::writeRecord);
    private final Ranking.Changes<K, V> changes = new Ranking.Changes<>() {
        @Override
        public void changed(Ranking.Entry<K, V> old, Ranking.Entry<K, V> entry) {
            recordChange(old, entry);
        }

        @Override
        public void emittedChanged(Ranking<K, V> ranking) {
            recordEmitted(ranking);
        }
    };
    /**
     * What changed in this epoch, handed over at the barrier: entries (one per window and key),
     * emitted ranks (one per window), closed windows. Recorded only once the image tracks (checkpoints).
     */
    private ArrayList<Object> changed = new ArrayList<>();
    private long watermarkMs = Long.MIN_VALUE;
    private boolean watermarkRestored;
    private long droppedRows;
    private long updatedSinceRead;
    private long removedSinceRead;

    /**
     * @param n how many ranks per window, at least 1
     * @param valueOrder orders values; the greatest ranks first
     * @param keyOrder breaks ties between equal values, or {@code null}: the first key to reach the value wins
     * @param finalOnly {@code true}: emit each window's top N once, when it closes (append mode);
     *     {@code false}: emit changed ranks (update mode)
     * @param emitPerRecord with {@code finalOnly} false: {@code true} emits after each record,
     *     {@code false} once per epoch (micro-batch)
     * @param lateOutput where late rows go, or {@code null} to drop them (counted either way)
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public WindowTopNOperator(int n, Comparator<? super V> valueOrder, Comparator<? super K> keyOrder, boolean finalOnly,
                              boolean emitPerRecord, Output<? super WindowedValue<K, V>> lateOutput) {
        this.n = TopNOperator.checkN(n);
        this.order = Ranking.order(valueOrder, keyOrder);
        this.finalOnly = finalOnly;
        this.emitPerRecord = emitPerRecord;
        this.lateOutput = lateOutput;
    }

    /**
     * @param key the stage's internal key (the same for every row)
     * @param row a key's value in a window; the value must not be {@code null}
     * @param out where changed ranks go (update mode, per record)
     */
    @Override
    public void process(Object key, WindowedValue<K, V> row, Output<RankedValue<K, V>> out) {
        Window window = row.window();
        if (window.endMs() <= watermarkMs) {
            droppedRows++;
            if (lateOutput != null) {
                lateOutput.emit(row);
            }
            return;
        }
        if (row.value() == null) {
            throw new NullPointerException("top-N value of key " + row.key() + " in window " + window + " is null");
        }
        Ranking<K, V> ranking = windows.get(window);
        if (ranking == null) {
            ranking = new Ranking<>(n, order, window, changes);
            windows.put(window, ranking);
        }
        ranking.update(row.key(), row.value());
        updatedSinceRead++;
        if (!finalOnly && emitPerRecord) {
            ranking.emitChanged(window, out);
        }
    }

    @Override
    public void onWatermark(long watermarkMs, Output<RankedValue<K, V>> out) {
        if (watermarkMs <= this.watermarkMs) {
            return;
        }
        this.watermarkMs = watermarkMs;
        while (!windows.isEmpty() && windows.firstKey().endMs() <= watermarkMs) {
            Map.Entry<Window, Ranking<K, V>> closed = windows.pollFirstEntry();
            close(closed.getKey(), closed.getValue(), out);
        }
    }

    @Override
    public void onEpoch(long epochId, Output<RankedValue<K, V>> out) {
        if (!finalOnly) {
            for (Map.Entry<Window, Ranking<K, V>> e : windows.entrySet()) {
                e.getValue().emitChanged(e.getKey(), out);
            }
        }
    }

    @Override
    public void onEnd(Output<RankedValue<K, V>> out) {
        while (!windows.isEmpty()) {
            Map.Entry<Window, Ranking<K, V>> closed = windows.pollFirstEntry();
            close(closed.getKey(), closed.getValue(), out);
        }
    }

    private void close(Window window, Ranking<K, V> ranking, Output<RankedValue<K, V>> out) {
        if (finalOnly) {
            ranking.emitAll(window, out);
        } else {
            ranking.emitChanged(window, out);
        }
        removedSinceRead += ranking.size();
        if (image.isTracking()) {
            changed.add(new Closed(window.endMs()));
        }
    }

    /**
     * @param window a window
     * @return its current top N, best first, empty if the window is not held (owner thread; tests)
     */
    public List<RankedValue<K, V>> top(Window window) {
        Ranking<K, V> ranking = windows.get(window);
        return ranking == null ? List.of() : ranking.top(window);
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}.
     *
     * @param key a ranked key
     * @return its ranks in the open windows, by window end then start; {@code null} if it ranks in none
     */
    @Override
    public List<RankedValue<K, V>> queryValue(K key) {
        Objects.requireNonNull(key, "key");
        List<RankedValue<K, V>> ranks = null;
        for (Map.Entry<Window, Ranking<K, V>> e : windows.entrySet()) {
            RankedValue<K, V> rank = e.getValue().rankOf(key, e.getKey());
            if (rank != null) {
                if (ranks == null) {
                    ranks = new ArrayList<>();
                }
                ranks.add(rank);
            }
        }
        return ranks == null ? null : List.copyOf(ranks);
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: every key ranking within N in an
     * open window, with what {@link #queryValue} reads for it.
     *
     * @param keys which ranked keys to read
     * @param into receives each ranked key and its ranks
     */
    @Override
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super List<RankedValue<K, V>>> into) {
        LinkedHashMap<K, List<RankedValue<K, V>>> byKey = new LinkedHashMap<>();
        for (Map.Entry<Window, Ranking<K, V>> e : windows.entrySet()) {
            for (RankedValue<K, V> row : e.getValue().top(e.getKey())) {
                if (keys.test(row.key())) {
                    byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
                }
            }
        }
        byKey.forEach((key, ranks) -> into.accept(key, List.copyOf(ranks)));
    }

    /** Rows held (key per open window); changed and dropped since the previous read; late rows, cumulative. */
    @Override
    public void stateMetrics(StateMetrics into) {
        long rows = 0;
        for (Ranking<K, V> ranking : windows.values()) {
            rows += ranking.size();
        }
        into.set(rows, updatedSinceRead, removedSinceRead, droppedRows, rows * ENTRY_BYTES_ESTIMATE);
        updatedSinceRead = 0;
        removedSinceRead = 0;
    }

    /** A window's entry changed: recorded once per epoch (a key changed again replaces its own slot). */
    private void recordChange(Ranking.Entry<K, V> old, Ranking.Entry<K, V> entry) {
        if (!image.isTracking()) {
            return;
        }
        long seq = image.seq();
        if (old != null && old.changedSeq == seq) {
            entry.changedIndex = old.changedIndex;
            changed.set(old.changedIndex, entry);
        } else {
            entry.changedIndex = changed.size();
            changed.add(entry);
        }
        entry.changedSeq = seq;
    }

    /** A window's emitted ranks changed: an immutable copy (O(N)), recorded once per epoch. */
    private void recordEmitted(Ranking<K, V> ranking) {
        if (!image.isTracking()) {
            return;
        }
        long seq = image.seq();
        Emitted<K, V> emitted = new Emitted<>(ranking.window(), ranking.emittedRanks());
        if (ranking.emittedRecord instanceof Emitted<?, ?> old && old.changedSeq == seq) {
            emitted.changedIndex = old.changedIndex;
            changed.set(old.changedIndex, emitted);
        } else {
            emitted.changedIndex = changed.size();
            changed.add(emitted);
        }
        emitted.changedSeq = seq;
        ranking.emittedRecord = emitted;
    }

    /**
     * Hands what changed since the previous barrier to the image, O(1) (the first barrier without a
     * restore: every open window, O(rows held)); the watermark and late-row count go as operator state.
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        if (!image.isTracking()) {
            changed.clear();
            for (Ranking<K, V> ranking : windows.values()) {
                ranking.forEachEntry(changed::add);
                Ranking.Entry<K, V>[] ranks = ranking.emittedRanks();
                if (ranks.length > 0) {
                    Emitted<K, V> emitted = new Emitted<>(ranking.window(), ranks);
                    ranking.emittedRecord = emitted;
                    changed.add(emitted);
                }
            }
        }
        SnapshotImage.Delta<ImageKey, Object> delta = image.delta(epochId);
        changed = delta.handOver(changed, FREEZER);
        long watermark = watermarkMs;
        long dropped = droppedRows;
        return delta.snapshot(writer -> writer.operatorState().writeByte(FORMAT).writeLong(watermark).writeLong(dropped));
    }

    /** Writer thread: one record of the image. */
    @SuppressWarnings("unchecked")
    private void writeRecord(long slot, ImageKey key, Object record, SnapshotOutput out) {
        if (record instanceof Ranking.Entry<?, ?> entry) {
            out.writeByte(ENTRY).writeLong(entry.window.startMs()).writeLong(entry.window.endMs());
            Ranking.writeEntry((Ranking.Entry<Object, Object>) entry, out, writerCodec);
        } else {
            Emitted<Object, Object> emitted = (Emitted<Object, Object>) record;
            out.writeByte(EMITTED).writeLong(emitted.window.startMs()).writeLong(emitted.window.endMs());
            out.writeVarInt(emitted.ranks.length);
            for (Ranking.Entry<Object, Object> rank : emitted.ranks) {
                Ranking.writeEntry(rank, out, writerCodec);
            }
        }
    }

    /** Puts back the records of one key group into the rankings and the image. */
    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        while (in.hasRemaining()) {
            byte tag = in.readByte();
            if (tag == FORMAT_WHOLE_WINDOWS) {
                restoreWholeWindows(keyGroup, in);
                continue;
            }
            if (tag != ENTRY && tag != EMITTED) {
                throw new StateFormatException("window top-N state of key group " + keyGroup + ": unknown record " + tag);
            }
            Window window = new Window(in.readLong(), in.readLong());
            Ranking<K, V> ranking = restoringRanking(window);
            if (tag == ENTRY) {
                Ranking.Entry<K, V> entry = Ranking.readEntry(in, codec, window);
                ranking.restoreEntry(entry);
                image.put(window.endMs(), new ImageKey(window, entry.key), entry);
            } else {
                Ranking.Entry<K, V>[] ranks = readRanks(in, window);
                ranking.restoreEmittedRanks(ranks);
                Emitted<K, V> emitted = new Emitted<>(window, ranks);
                ranking.emittedRecord = emitted;
                image.put(window.endMs(), new ImageKey(window, null), emitted);
            }
        }
    }

    /** The ranking of a restored window, created dirty: whether its ranks changed since they were emitted is not saved. */
    private Ranking<K, V> restoringRanking(Window window) {
        Ranking<K, V> ranking = windows.get(window);
        if (ranking == null) {
            ranking = new Ranking<>(n, order, window, changes);
            ranking.markDirty();
            windows.put(window, ranking);
        }
        return ranking;
    }

    @SuppressWarnings("unchecked")
    private Ranking.Entry<K, V>[] readRanks(SnapshotInput in, Window window) {
        int count = in.readVarInt();
        Ranking.Entry<K, V>[] ranks = new Ranking.Entry[count];
        for (int i = 0; i < count; i++) {
            ranks[i] = Ranking.readEntry(in, codec, window);
        }
        return ranks;
    }

    /** Format 1: every open window in one block (written by earlier versions); put into the image too. */
    private void restoreWholeWindows(int keyGroup, SnapshotInput in) {
        int count = in.readVarInt();
        for (int i = 0; i < count; i++) {
            Window window = new Window(in.readLong(), in.readLong());
            if (windows.containsKey(window)) {
                throw new StateFormatException("window top-N state: window " + window + " restored twice");
            }
            Ranking<K, V> ranking = restoringRanking(window);
            ranking.readFrom(in, codec);
            ranking.forEachEntry(entry -> image.put(window.endMs(), new ImageKey(window, entry.key), entry));
            Ranking.Entry<K, V>[] ranks = ranking.emittedRanks();
            if (ranks.length > 0) {
                Emitted<K, V> emitted = new Emitted<>(window, ranks);
                ranking.emittedRecord = emitted;
                image.put(window.endMs(), new ImageKey(window, null), emitted);
            }
        }
        image.restoredOtherRecords(keyGroup); // the block's bytes are not the image's: write the key group anew
    }

    /** Merges a previous partition's watermark (the smallest wins) and late-row count (summed). */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        byte format = in.readByte();
        if (format != FORMAT && format != FORMAT_WHOLE_WINDOWS) {
            throw new StateFormatException("window top-N operator state: unknown format " + format);
        }
        long restored = in.readLong();
        watermarkMs = watermarkRestored ? Math.min(watermarkMs, restored) : restored;
        watermarkRestored = true;
        droppedRows += in.readLong();
    }

    /**
     * An image key: a ranked key in a window, or ({@code key == null}) the window's emitted ranks. Its
     * hash is stable across JVMs (the key's {@link KeyGroups#stableHash}), so a restored record falls
     * into the key group it was written to.
     */
    static final class ImageKey {
        final Window window;
        final Object key;

        ImageKey(Window window, Object key) {
            this.window = window;
            this.key = key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ImageKey other && other.window.equals(window) && Objects.equals(other.key, key);
        }

        @Override
        public int hashCode() {
            int h = 31 * Long.hashCode(window.startMs()) + Long.hashCode(window.endMs());
            return 31 * h + (key == null ? 0x2f6b3c1d : KeyGroups.stableHash(key));
        }
    }

    /** A window's ranks last emitted, as of a change; immutable but for the owner's bookkeeping. */
    static final class Emitted<K, V> {
        final Window window;
        final Ranking.Entry<K, V>[] ranks;
        long changedSeq;
        int changedIndex;

        Emitted(Window window, Ranking.Entry<K, V>[] ranks) {
            this.window = window;
            this.ranks = ranks;
        }
    }

    /** A window closed: removes the image's slot of its end. */
    record Closed(long endMs) {
    }

    /** Reads a handed-over record on the writer thread: every record is immutable, so it is the image's value. */
    private static final SnapshotImage.Freezer<Object, ImageKey, Object> FREEZER = new SnapshotImage.Freezer<>() {
        @Override
        public long slot(Object record) {
            if (record instanceof Ranking.Entry<?, ?> entry) {
                return entry.window.endMs();
            }
            return record instanceof Emitted<?, ?> emitted ? emitted.window.endMs() : ((Closed) record).endMs();
        }

        @Override
        public ImageKey key(Object record) {
            if (record instanceof Ranking.Entry<?, ?> entry) {
                return new ImageKey(entry.window, entry.key);
            }
            return new ImageKey(((Emitted<?, ?>) record).window, null);
        }

        @Override
        public Object freeze(Object record, long seq) {
            return record;
        }

        @Override
        public boolean removesSlot(Object record) {
            return record instanceof Closed;
        }
    };
}
