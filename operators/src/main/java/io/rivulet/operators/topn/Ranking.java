package io.rivulet.operators.topn;

import io.rivulet.operators.Output;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateFormatException;
import io.rivulet.operators.window.Window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The ranking of one group (the running ranking, or one window): each key's latest value, sorted,
 * and the ranks last emitted. An update replaces the key's entry in the sorted set (O(log keys));
 * the first N entries are walked only when the update can have changed them.
 *
 * <p>Order: greatest value first by the value comparator; equal values by the key comparator, if
 * any; then the key that reached its current value first (a sequence number per change). The
 * sequence makes every entry distinct, so the order is total and deterministic for one input order.
 *
 * <p>Not thread-safe; owned by its operator.
 */
final class Ranking<K, V> {
    /** One key's value; immutable, replaced on every change so the sorted set never sees a mutation. */
    static final class Entry<K, V> {
        /** The window ranked, or {@code null} for a running ranking. */
        final Window window;
        final K key;
        final V value;
        final long seq;
        /** Owner-only bookkeeping of an operator that tracks changes: the epoch sequence and list index it was recorded at. */
        long changedSeq;
        int changedIndex;

        Entry(Window window, K key, V value, long seq) {
            this.window = window;
            this.key = key;
            this.value = value;
            this.seq = seq;
        }
    }

    /** Told of every changed entry, on the owner thread. */
    interface Changes<K, V> {
        /**
         * @param old the key's previous entry, or {@code null} for a new key
         * @param entry its new entry
         */
        void changed(Entry<K, V> old, Entry<K, V> entry);

        /**
         * The ranks last emitted changed (an emission, or a rank's entry replaced by an equal one).
         *
         * @param ranking the ranking; read {@link Ranking#emittedRanks()}
         */
        default void emittedChanged(Ranking<K, V> ranking) {
        }
    }

    /** Builds the total order of entries from the user's comparators. */
    static <K, V> Comparator<Entry<K, V>> order(Comparator<? super V> valueOrder, Comparator<? super K> keyOrder) {
        Objects.requireNonNull(valueOrder, "valueOrder");
        return (a, b) -> {
            int c = valueOrder.compare(b.value, a.value);
            if (c == 0 && keyOrder != null) {
                c = keyOrder.compare(a.key, b.key);
            }
            return c != 0 ? c : Long.compare(a.seq, b.seq);
        };
    }

    private final int n;
    private final Window window;
    private final Comparator<Entry<K, V>> order;
    private final HashMap<K, Entry<K, V>> byKey = new HashMap<>();
    private final TreeSet<Entry<K, V>> sorted;
    /** The entries last emitted at ranks 1..emittedCount. */
    private final ArrayList<Entry<K, V>> emitted = new ArrayList<>();
    private final Changes<K, V> changes;
    private long nextSeq;
    private boolean dirty;
    /** Bookkeeping of the owning operator (the last record of the emitted ranks it handed over); opaque here. */
    Object emittedRecord;

    Ranking(int n, Comparator<Entry<K, V>> order) {
        this(n, order, null, null);
    }

    /**
     * @param window the window ranked, or {@code null} for a running ranking
     * @param changes told of every changed entry, or {@code null}
     */
    Ranking(int n, Comparator<Entry<K, V>> order, Window window, Changes<K, V> changes) {
        this.n = n;
        this.window = window;
        this.order = order;
        this.sorted = new TreeSet<>(order);
        this.changes = changes;
    }

    /**
     * Sets a key's value.
     *
     * @return whether the key is new
     */
    boolean update(K key, V value) {
        Entry<K, V> old = byKey.get(key);
        if (old != null && Objects.equals(old.value, value)) {
            return false;
        }
        Entry<K, V> entry = new Entry<>(window, key, value, nextSeq++);
        byKey.put(key, entry);
        if (old != null) {
            sorted.remove(old);
        }
        sorted.add(entry);
        if (changes != null) {
            changes.changed(old, entry);
        }
        if (!dirty) {
            dirty = !outsideTop(old, entry);
        }
        return old == null;
    }

    /** Whether both the key's old entry and its new one rank after the last emitted N-th, which then still holds. */
    private boolean outsideTop(Entry<K, V> old, Entry<K, V> entry) {
        if (emitted.size() < n) {
            return false;
        }
        Entry<K, V> last = emitted.get(n - 1);
        return (old == null || order.compare(old, last) > 0) && order.compare(entry, last) > 0;
    }

    /** Emits the ranks whose (key, value) changed since the last call (nothing if nothing did). */
    void emitChanged(Window window, Output<? super RankedValue<K, V>> out) {
        if (!dirty) {
            return;
        }
        dirty = false;
        boolean changed = false;
        Iterator<Entry<K, V>> it = sorted.iterator();
        for (int rank = 0; rank < n && it.hasNext(); rank++) {
            Entry<K, V> entry = it.next();
            if (rank == emitted.size()) {
                emitted.add(entry);
                changed = true;
            } else {
                Entry<K, V> was = emitted.get(rank);
                if (was == entry) {
                    continue;
                }
                changed = true;
                emitted.set(rank, entry);
                if (was.key.equals(entry.key) && Objects.equals(was.value, entry.value)) {
                    continue;
                }
            }
            out.emit(new RankedValue<>(window, rank + 1, entry.key, entry.value));
        }
        if (changed && changes != null) {
            changes.emittedChanged(this);
        }
    }

    /** @return the window ranked, or {@code null} for a running ranking */
    Window window() {
        return window;
    }

    /** @return a copy of the ranks last emitted, rank 1 first (O(N)) */
    @SuppressWarnings("unchecked")
    Entry<K, V>[] emittedRanks() {
        return emitted.toArray(new Entry[0]);
    }

    /**
     * Puts back restored emitted ranks (with {@link #markDirty}, the next emission compares the ranks
     * with them and emits only those that differ, as it would have).
     *
     * @throws StateFormatException if emitted ranks were restored already
     */
    void restoreEmittedRanks(Entry<K, V>[] ranks) {
        if (!emitted.isEmpty()) {
            throw new StateFormatException("top-N state: emitted ranks of " + window + " restored twice");
        }
        for (Entry<K, V> entry : ranks) {
            emitted.add(entry);
        }
    }

    /**
     * Marks the ranks possibly changed since the last emission (a restored ranking): the next
     * {@link #emitChanged} compares and emits only the ranks that differ from those emitted.
     */
    void markDirty() {
        dirty = true;
    }

    /** Passes every entry held (the current value of each key) to {@code action}. */
    void forEachEntry(Consumer<Entry<K, V>> action) {
        for (Entry<K, V> entry : sorted) {
            action.accept(entry);
        }
    }

    /** Emits ranks 1..min(N, keys), whatever was emitted before. */
    void emitAll(Window window, Output<? super RankedValue<K, V>> out) {
        Iterator<Entry<K, V>> it = sorted.iterator();
        for (int rank = 1; rank <= n && it.hasNext(); rank++) {
            Entry<K, V> entry = it.next();
            out.emit(new RankedValue<>(window, rank, entry.key, entry.value));
        }
    }

    int size() {
        return byKey.size();
    }

    /** The current top N, best first (tests, queries). */
    List<RankedValue<K, V>> top(Window window) {
        List<RankedValue<K, V>> rows = new ArrayList<>();
        emitAll(window, rows::add);
        return rows;
    }

    /**
     * The key's row if it ranks within the top N now (queryable state): O(N).
     *
     * @param key a ranked key
     * @param window the window ranked, or {@code null}
     * @return its rank and value, or {@code null} if it ranks below N or is not held
     */
    RankedValue<K, V> rankOf(K key, Window window) {
        Entry<K, V> held = byKey.get(key);
        if (held == null) {
            return null;
        }
        Iterator<Entry<K, V>> it = sorted.iterator();
        for (int rank = 1; rank <= n && it.hasNext(); rank++) {
            if (it.next() == held) {
                return new RankedValue<>(window, rank, key, held.value);
            }
        }
        return null;
    }

    /**
     * Puts back one restored entry (any order; its sequence number keeps its place among equal values).
     *
     * @throws StateFormatException if the key is already held
     */
    void restoreEntry(Entry<K, V> entry) {
        if (byKey.putIfAbsent(entry.key, entry) != null) {
            throw new StateFormatException("top-N state: key " + entry.key + " restored twice");
        }
        sorted.add(entry);
        nextSeq = Math.max(nextSeq, entry.seq + 1);
    }

    /** Writes what lies beside the entries: the next sequence number, whether ranks changed, the ranks last emitted (O(N)). */
    void writeRanksTo(SnapshotOutput out, StateCodec<Object> codec) {
        out.writeLong(nextSeq);
        out.writeBoolean(dirty);
        out.writeVarInt(emitted.size());
        for (Entry<K, V> entry : emitted) {
            writeEntry(entry, out, codec);
        }
    }

    /**
     * Reads what {@link #writeRanksTo} wrote, merged with what was restored before: the greatest next
     * sequence number; ranks changed if they changed in any; the emitted ranks of the one that held any.
     *
     * @throws StateFormatException if two restored parts both emitted ranks
     */
    void readRanksFrom(SnapshotInput in, StateCodec<Object> codec) {
        nextSeq = Math.max(nextSeq, in.readLong());
        dirty |= in.readBoolean();
        int ranks = in.readVarInt();
        if (ranks > 0 && !emitted.isEmpty()) {
            throw new StateFormatException("top-N state: emitted ranks restored twice (a ranking spans one partition)");
        }
        for (int i = 0; i < ranks; i++) {
            emitted.add(readEntry(in, codec));
        }
    }

    void writeTo(SnapshotOutput out, StateCodec<Object> codec) {
        out.writeLong(nextSeq);
        out.writeBoolean(dirty);
        out.writeVarInt(byKey.size());
        for (Entry<K, V> entry : sorted) {
            writeEntry(entry, out, codec);
        }
        out.writeVarInt(emitted.size());
        for (Entry<K, V> entry : emitted) {
            writeEntry(entry, out, codec);
        }
    }

    void readFrom(SnapshotInput in, StateCodec<Object> codec) {
        if (!byKey.isEmpty()) {
            throw new StateFormatException("a ranking is restored twice: it already holds " + byKey.size() + " keys");
        }
        nextSeq = in.readLong();
        dirty = in.readBoolean();
        int keys = in.readVarInt();
        for (int i = 0; i < keys; i++) {
            Entry<K, V> entry = readEntry(in, codec, window);
            byKey.put(entry.key, entry);
            sorted.add(entry);
        }
        int ranks = in.readVarInt();
        for (int i = 0; i < ranks; i++) {
            emitted.add(readEntry(in, codec, window));
        }
    }

    static <K, V> void writeEntry(Entry<K, V> entry, SnapshotOutput out, StateCodec<Object> codec) {
        codec.write(entry.key, out);
        codec.write(entry.value, out);
        out.writeLong(entry.seq);
    }

    /** Reads an entry of a running ranking. */
    static <K, V> Entry<K, V> readEntry(SnapshotInput in, StateCodec<Object> codec) {
        return readEntry(in, codec, null);
    }

    /** Reads an entry of {@code window}'s ranking ({@code null}: running). */
    @SuppressWarnings("unchecked")
    static <K, V> Entry<K, V> readEntry(SnapshotInput in, StateCodec<Object> codec, Window window) {
        K key = (K) codec.read(in);
        V value = (V) codec.read(in);
        return new Entry<>(window, key, value, in.readLong());
    }
}
