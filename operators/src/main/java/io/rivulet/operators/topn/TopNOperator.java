package io.rivulet.operators.topn;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.QueryableOperator;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.StatefulOperator;
import io.rivulet.operators.state.CheckpointedOperator;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.SnapshotImage;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;
import io.rivulet.operators.state.StateFormatException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

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
 * single internal key (it never rescales: a global stage has one partition).
 *
 * <p><b>Snapshots.</b> Each key's entry (key, value, sequence number) is kept in a
 * {@link SnapshotImage} under the key group of the <em>ranked</em> key: the operator records each
 * entry changed in the epoch (once per key) and hands that list over at the barrier, O(1) on the
 * owner thread (entries are immutable, so nothing is copied later either); the writer thread puts
 * them into the image and writes only the key groups that changed. The N ranks last emitted and the
 * next sequence number are operator state (O(N) at the barrier). A restore puts the entries back into
 * the ranking (O(keys log keys)). Format 1 (the whole ranking in one block) is refused.
 *
 * <p><b>Queryable state</b> is the current ranking (as of the last record, which in micro-batch mode
 * may be ahead of the ranks last emitted): a ranked key reads as its {@link RankedValue} while it
 * holds one of the ranks 1..N, and as absent otherwise; a scan reads the N ranks. Values are returned
 * as held (ranked values are immutable by contract).
 *
 * <p>Not thread-safe; owned by its partition worker.
 *
 * @param <K> the ranked key type; {@code equals}/{@code hashCode}, and a type the dynamic codec writes
 * @param <V> the value type; non-null, a type the dynamic codec writes
 */
public final class TopNOperator<K, V> implements KeyedOperator<Object, KeyValue<K, V>, RankedValue<K, V>>,
    CheckpointedOperator, StatefulOperator, QueryableOperator<K, RankedValue<K, V>> {
    /** The whole ranking in one key group's block: no longer restored. */
    private static final byte FORMAT_WHOLE_RANKING = 1;
    /** Written before each entry of the image, and at the start of the operator state. */
    private static final byte FORMAT = 2;
    private static final long ENTRY_BYTES_ESTIMATE = 120;

    private final boolean emitPerRecord;
    /** Used on the owner thread; the image's entries are written with {@link #writerCodec} on the writer thread. */
    private final StateCodec<Object> codec = StateCodecs.dynamic();
    private final StateCodec<Object> writerCodec = StateCodecs.dynamic();
    private final Ranking<K, V> ranking;
    private final SnapshotImage<K, Ranking.Entry<K, V>> image = new SnapshotImage<>(this::writeEntry);
    private final SnapshotImage.Freezer<Ranking.Entry<K, V>, K, Ranking.Entry<K, V>> freezer = new SnapshotImage.Freezer<>() {
        @Override
        public long slot(Ranking.Entry<K, V> entry) {
            return 0;
        }

        @Override
        public K key(Ranking.Entry<K, V> entry) {
            return entry.key;
        }

        @Override
        public Ranking.Entry<K, V> freeze(Ranking.Entry<K, V> entry, long seq) {
            return entry;
        }
    };
    /** The entries changed in this epoch, one per key (a key changed again replaces its own slot), handed over at the barrier. */
    private ArrayList<Ranking.Entry<K, V>> changed = new ArrayList<>();
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
        this.ranking = new Ranking<>(checkN(n), Ranking.order(valueOrder, keyOrder), null, this::recordChange);
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

    /**
     * Owner thread, between records; see {@link QueryableOperator}. O(N).
     *
     * @param key a ranked key
     * @return its current rank and value, or {@code null} if it ranks below N or was never seen
     */
    @Override
    public RankedValue<K, V> queryValue(K key) {
        return ranking.rankOf(Objects.requireNonNull(key, "key"), null);
    }

    /**
     * Owner thread, between records; see {@link QueryableOperator}: the current ranks 1..N. O(N).
     *
     * @param keys which ranked keys to read
     * @param into receives each ranked key and its rank
     */
    @Override
    public void scanValues(Predicate<? super K> keys, BiConsumer<? super K, ? super RankedValue<K, V>> into) {
        for (RankedValue<K, V> row : ranking.top(null)) {
            if (keys.test(row.key())) {
                into.accept(row.key(), row);
            }
        }
    }

    /** Keys ranked; keys changed since the previous read; nothing is removed or late. */
    @Override
    public void stateMetrics(StateMetrics into) {
        into.set(ranking.size(), updatedSinceRead, 0, 0, ranking.size() * ENTRY_BYTES_ESTIMATE);
        updatedSinceRead = 0;
    }

    private void recordChange(Ranking.Entry<K, V> old, Ranking.Entry<K, V> entry) {
        long seq = image.seq();
        int index;
        if (old != null && old.changedSeq == seq) {
            index = old.changedIndex;
            changed.set(index, entry);
        } else {
            index = changed.size();
            changed.add(entry);
        }
        entry.changedSeq = seq;
        entry.changedIndex = index;
    }

    /**
     * Hands the entries changed since the previous barrier to the image (O(1)) and serialises the N
     * ranks last emitted (O(N)); the snapshot is then immutable.
     */
    @Override
    public OperatorSnapshot snapshotState(long epochId) {
        SnapshotImage.Delta<K, Ranking.Entry<K, V>> delta = image.delta(epochId);
        changed = delta.handOver(changed, freezer);
        SnapshotOutput ranks = new SnapshotOutput(64);
        ranks.writeByte(FORMAT);
        ranking.writeRanksTo(ranks, codec);
        byte[] operatorBytes = ranks.toByteArray();
        return delta.snapshot(writer -> writer.operatorState().writeRaw(operatorBytes, 0, operatorBytes.length));
    }

    /** Writer thread: one entry of the image. */
    private void writeEntry(long slot, K key, Ranking.Entry<K, V> entry, SnapshotOutput out) {
        out.writeByte(FORMAT);
        Ranking.writeEntry(entry, out, writerCodec);
    }

    /** Puts back the entries of one key group (into the ranking and the image). */
    @Override
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        while (in.hasRemaining()) {
            byte format = in.readByte();
            if (format == FORMAT_WHOLE_RANKING) {
                throw new StateFormatException("top-N state of key group " + keyGroup + " is in format 1 (the whole"
                    + " ranking in one block), which this version does not restore: start the query without that checkpoint");
            }
            if (format != FORMAT) {
                throw new StateFormatException("top-N state of key group " + keyGroup + ": unknown format " + format);
            }
            Ranking.Entry<K, V> entry = Ranking.readEntry(in, codec);
            ranking.restoreEntry(entry);
            image.put(0, entry.key, entry);
        }
    }

    /** Reads the ranks last emitted and the next sequence number. */
    @Override
    public void restoreOperatorState(SnapshotInput in) {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new StateFormatException("top-N operator state: unknown format " + format);
        }
        ranking.readRanksFrom(in, codec);
    }
}
