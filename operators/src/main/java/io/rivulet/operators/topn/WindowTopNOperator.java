package io.rivulet.operators.topn;

import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
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
 * under a single internal key. Its state (the open windows) is written under that key's key group,
 * serialised at the barrier (O(rows held)); the watermark and the late-row count are operator state.
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
    private static final byte FORMAT = 1;
    private static final long ENTRY_BYTES_ESTIMATE = 140;
    private static final Comparator<Window> BY_END = Comparator.comparingLong(Window::endMs).thenComparingLong(Window::startMs);

    private final int n;
    private final Comparator<Ranking.Entry<K, V>> order;
    private final boolean finalOnly;
    private final boolean emitPerRecord;
    private final Output<? super WindowedValue<K, V>> lateOutput;
    private final StateCodec<Object> codec = StateCodecs.dynamic();
    private final TreeMap<Window, Ranking<K, V>> windows = new TreeMap<>(BY_END);
    private long watermarkMs = Long.MIN_VALUE;
    private boolean watermarkRestored;
    private long droppedRows;
    private long updatedSinceRead;
    private long removedSinceRead;
    private Object groupKey;
    private int keyGroup = -1;

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
        groupKey = key;
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
            ranking = new Ranking<>(n, order);
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

    /** Serialises the open windows now (O(rows held)); the snapshot is then immutable. */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        SnapshotOutput operatorState = new SnapshotOutput(16);
        operatorState.writeByte(FORMAT).writeLong(watermarkMs).writeLong(droppedRows);
        byte[] operatorBytes = operatorState.toByteArray();
        byte[] block = null;
        if (!windows.isEmpty()) {
            SnapshotOutput bytes = new SnapshotOutput();
            bytes.writeByte(FORMAT);
            bytes.writeVarInt(windows.size());
            for (Map.Entry<Window, Ranking<K, V>> e : windows.entrySet()) {
                bytes.writeLong(e.getKey().startMs()).writeLong(e.getKey().endMs());
                e.getValue().writeTo(bytes, codec);
            }
            block = bytes.toByteArray();
        }
        byte[] keyed = block;
        Object key = groupKey;
        int group = keyGroup;
        return writer -> {
            writer.operatorState().writeRaw(operatorBytes, 0, operatorBytes.length);
            if (keyed != null) {
                writer.forKeyGroup(group >= 0 ? group : KeyGroups.keyGroupOf(key, writer.maxParallelism()))
                    .writeRaw(keyed, 0, keyed.length);
            }
        };
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        if (!in.hasRemaining()) {
            return;
        }
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new StateFormatException("window top-N state of key group " + keyGroup + ": unknown format " + format);
        }
        int count = in.readVarInt();
        for (int i = 0; i < count; i++) {
            Window window = new Window(in.readLong(), in.readLong());
            Ranking<K, V> ranking = new Ranking<>(n, order);
            ranking.readFrom(in, codec);
            if (windows.put(window, ranking) != null) {
                throw new StateFormatException("window top-N state: window " + window + " restored twice");
            }
        }
        this.keyGroup = keyGroup;
    }

    /** Merges a previous partition's watermark (the smallest wins) and late-row count (summed). */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new StateFormatException("window top-N operator state: unknown format " + format);
        }
        long restored = in.readLong();
        watermarkMs = watermarkRestored ? Math.min(watermarkMs, restored) : restored;
        watermarkRestored = true;
        droppedRows += in.readLong();
    }
}
