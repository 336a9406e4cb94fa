package io.rivulet.operators.topn;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
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

import java.util.Comparator;
import java.util.List;

/**
 * Running top-N over a changing per-key value: each input {@code (key, value)} replaces the key's
 * previous value (typically the rows of a running aggregation in update mode), and the operator
 * emits the ranks 1..N whose (key, value) changed, as {@link RankedValue} rows with no window.
 *
 * <p><b>Emission.</b> Per record (continuous mode: a record that changes the top N emits the changed
 * ranks at once) or once per epoch (micro-batch mode: the ranks changed over the batch, compared
 * with those emitted at the previous batch). A rank is never withdrawn: the number of keys never
 * shrinks, so once N keys were seen every rank 1..N stays held.
 *
 * <p><b>Order.</b> Greatest value first by {@code valueOrder}; ties by {@code keyOrder} when given
 * (e.g. {@code Comparator.naturalOrder()} for ascending keys), otherwise (or when it too ties) the key
 * that reached its current value first ranks higher.
 *
 * <p><b>Cost.</b> One entry per key seen (a {@code HashMap} and a {@code TreeSet} node): an update is
 * O(log keys), and the N ranks are walked (O(N)) only when the update can have changed them. It
 * allocates an entry per changed value; it is meant for moderate key counts and small N.
 *
 * <p><b>Partitioning.</b> One instance ranks every key, so the stage runs in one partition under a
 * single internal key; its state is written under that key's key group (all of it in one block,
 * serialised at the barrier: O(keys) per checkpoint).
 *
 * <p>Not thread-safe; owned by its partition worker.
 *
 * @param <K> the ranked key type; {@code equals}/{@code hashCode}, and a type the dynamic codec writes
 * @param <V> the value type; non-null, a type the dynamic codec writes
 */
public final class TopNOperator<K, V> implements KeyedOperator<Object, KeyValue<K, V>, RankedValue<K, V>>,
    CheckpointedOperator, StatefulOperator {
    private static final byte FORMAT = 1;
    private static final long ENTRY_BYTES_ESTIMATE = 120;

    private final boolean emitPerRecord;
    private final StateCodec<Object> codec = StateCodecs.dynamic();
    private final Ranking<K, V> ranking;
    /** The internal key all rows arrive under, or {@code null} before the first (its key group is then {@link #keyGroup}). */
    private Object groupKey;
    private int keyGroup = -1;
    private long updatedSinceRead;

    /**
     * @param n how many ranks, at least 1
     * @param valueOrder orders values; the greatest ranks first
     * @param keyOrder breaks ties between equal values, or {@code null}: the first key to reach the value wins
     * @param emitPerRecord {@code true}: emit changed ranks after each record (continuous);
     *     {@code false}: once per epoch (micro-batch)
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws NullPointerException if {@code valueOrder} is {@code null}
     */
    public TopNOperator(int n, Comparator<? super V> valueOrder, Comparator<? super K> keyOrder, boolean emitPerRecord) {
        this.ranking = new Ranking<>(checkN(n), Ranking.order(valueOrder, keyOrder));
        this.emitPerRecord = emitPerRecord;
    }

    static int checkN(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n (ranks kept) must be >= 1, got " + n);
        }
        return n;
    }

    /**
     * @param key the stage's internal key (the same for every row)
     * @param row a key's new value; the value must not be {@code null}
     * @param out where changed ranks go (per record mode)
     * @throws NullPointerException if the row's value is {@code null}
     */
    @Override
    public void process(Object key, KeyValue<K, V> row, Output<RankedValue<K, V>> out) {
        groupKey = key;
        if (row.value() == null) {
            throw new NullPointerException("top-N value of key " + row.key() + " is null: values must be non-null");
        }
        ranking.update(row.key(), row.value());
        updatedSinceRead++;
        if (emitPerRecord) {
            ranking.emitChanged(null, out);
        }
    }

    @Override
    public void onEpoch(long epochId, Output<RankedValue<K, V>> out) {
        ranking.emitChanged(null, out);
    }

    @Override
    public void onEnd(Output<RankedValue<K, V>> out) {
        ranking.emitChanged(null, out);
    }

    /**
     * @return the current top N, best first (owner thread; for tests and inspection)
     */
    public List<RankedValue<K, V>> top() {
        return ranking.top(null);
    }

    /** Keys ranked; keys changed since the previous read; nothing is removed or late. */
    @Override
    public void stateMetrics(StateMetrics into) {
        into.set(ranking.size(), updatedSinceRead, 0, 0, ranking.size() * ENTRY_BYTES_ESTIMATE);
        updatedSinceRead = 0;
    }

    /** Serialises the ranking now (O(keys)); the snapshot is then immutable. */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        if (groupKey == null && keyGroup < 0) {
            return OperatorSnapshot.EMPTY;
        }
        SnapshotOutput bytes = new SnapshotOutput();
        bytes.writeByte(FORMAT);
        ranking.writeTo(bytes, codec);
        byte[] block = bytes.toByteArray();
        Object key = groupKey;
        int group = keyGroup;
        return writer -> writer.forKeyGroup(group >= 0 ? group : KeyGroups.keyGroupOf(key, writer.maxParallelism()))
            .writeRaw(block, 0, block.length);
    }

    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        if (!in.hasRemaining()) {
            return;
        }
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new StateFormatException("top-N state of key group " + keyGroup + ": unknown format " + format);
        }
        ranking.readFrom(in, codec);
        this.keyGroup = keyGroup;
    }
}
