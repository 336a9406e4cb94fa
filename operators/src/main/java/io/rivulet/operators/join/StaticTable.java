package io.rivulet.operators.join;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The static side of a stream-static join: an immutable lookup from key to the rows with that key,
 * built once (by the runtime, from a collection, a file or a {@code Supplier}) and never changed.
 *
 * <p>Immutable and thread-safe: built on any thread and published to the operator's thread through a
 * volatile reference ({@link StreamStaticJoinOperator}'s {@code AtomicReference}); every read after
 * that sees the whole table. Refreshing the static side means building a new table and swapping the
 * reference, never mutating a table.
 *
 * @param <K> key type; {@code equals} and {@code hashCode}
 * @param <R> static row type
 */
public final class StaticTable<K, R> {
    private static final StaticTable<?, ?> EMPTY = new StaticTable<>(Map.of(), 0);

    private final Map<K, List<R>> rowsByKey;
    private final long rowCount;

    private StaticTable(Map<K, List<R>> rowsByKey, long rowCount) {
        this.rowsByKey = rowsByKey;
        this.rowCount = rowCount;
    }

    /**
     * @param <K> key type
     * @param <R> row type
     * @return the table with no rows
     */
    @SuppressWarnings("unchecked")
    public static <K, R> StaticTable<K, R> empty() {
        return (StaticTable<K, R>) EMPTY;
    }

    /**
     * A table of {@code rows}, each under the key {@code keyOf} gives it; rows of one key keep their
     * order. Rows whose key is {@code null} are left out (a {@code null} key matches nothing, as in SQL).
     *
     * @param rows the static rows; no {@code null} element
     * @param keyOf a row's key
     * @param <K> key type
     * @param <R> row type
     * @return the table
     * @throws NullPointerException if a row is {@code null}
     */
    public static <K, R> StaticTable<K, R> of(Collection<? extends R> rows, Function<? super R, ? extends K> keyOf) {
        Objects.requireNonNull(keyOf, "keyOf");
        HashMap<K, List<R>> byKey = new HashMap<>();
        long count = 0;
        for (R row : rows) {
            Objects.requireNonNull(row, "a static row is null");
            K key = keyOf.apply(row);
            if (key == null) {
                continue;
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(row);
            count++;
        }
        return freeze(byKey, count);
    }

    /**
     * A table of the given key-to-rows map (copied).
     *
     * @param rowsByKey each key's rows; no {@code null} key, list or row
     * @param <K> key type
     * @param <R> row type
     * @return the table
     * @throws NullPointerException if a key, list or row is {@code null}
     */
    public static <K, R> StaticTable<K, R> ofMap(Map<? extends K, ? extends List<? extends R>> rowsByKey) {
        HashMap<K, List<R>> byKey = new HashMap<>();
        long count = 0;
        for (Map.Entry<? extends K, ? extends List<? extends R>> e : rowsByKey.entrySet()) {
            K key = Objects.requireNonNull(e.getKey(), "a static table key is null");
            ArrayList<R> list = new ArrayList<>(e.getValue());
            for (R row : list) {
                Objects.requireNonNull(row, "a static row of key " + key + " is null");
            }
            if (!list.isEmpty()) {
                byKey.put(key, list);
                count += list.size();
            }
        }
        return freeze(byKey, count);
    }

    private static <K, R> StaticTable<K, R> freeze(HashMap<K, List<R>> byKey, long count) {
        HashMap<K, List<R>> frozen = new HashMap<>(Math.max(4, byKey.size() * 2));
        for (Map.Entry<K, List<R>> e : byKey.entrySet()) {
            frozen.put(e.getKey(), List.copyOf(e.getValue()));
        }
        return new StaticTable<>(frozen, count);
    }

    /**
     * @param key a key; {@code null} matches nothing
     * @return the rows with that key, in order (an immutable list; empty if none); allocates nothing
     */
    public List<R> rows(Object key) {
        if (key == null) {
            return List.of();
        }
        List<R> rows = rowsByKey.get(key);
        return rows == null ? List.of() : rows;
    }

    /** @return the number of distinct keys */
    public int keyCount() {
        return rowsByKey.size();
    }

    /** @return the number of rows */
    public long rowCount() {
        return rowCount;
    }

    @Override
    public String toString() {
        return "StaticTable{keys=" + rowsByKey.size() + ", rows=" + rowCount + '}';
    }
}
