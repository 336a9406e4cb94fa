package io.rivulet.operators.state;

import org.agrona.collections.Object2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A value, list or map state: per key group an Agrona {@code Object2ObjectHashMap} from key to
 * {@link Entry}.
 *
 * <p>Copy-on-write happens at two levels. A key group's map is copied (one array clone, O(entries of
 * that key group)) on the first write to it after a snapshot froze it. Its entries are copied lazily,
 * one at a time: an entry carries the backend's snapshot version it was created in, and the first
 * access after a later snapshot (read or write, since a value handed out may be mutated in place)
 * replaces it by a new entry holding {@link StateCodec#copy} of the value. We copy entries lazily
 * rather than deep-copying the whole key group with the map because most values are immutable (the
 * copy is the value itself) and because a key group's first write then costs an array clone, not a
 * codec copy of every value in it: the stall after a snapshot stays proportional to the keys touched.
 * Not thread-safe; owned by the partition worker.
 */
final class ObjectStateTable extends StateTable {
    /** One key's entry. Mutated in place only while {@code version} is the backend's current one. */
    static final class Entry {
        Object value;
        long expiresAtMs;
        final int version;

        Entry(Object value, long expiresAtMs, int version) {
            this.value = value;
            this.expiresAtMs = expiresAtMs;
            this.version = version;
        }
    }

    private final StateDescriptor.Kind kind;
    @SuppressWarnings("rawtypes")
    private final StateCodec valueCodec;
    @SuppressWarnings("rawtypes")
    private final StateCodec userKeyCodec;
    @SuppressWarnings("rawtypes")
    private final StateCodec keyCodec;
    private final long ttlMs;
    private final boolean refreshOnRead;
    private Object2ObjectHashMap<Object, Entry>[] live;

    @SuppressWarnings("unchecked")
    ObjectStateTable(StateDescriptor<?> descriptor, KeyedStateBackend<?> backend) {
        super(descriptor, backend);
        this.kind = descriptor.kind();
        this.valueCodec = descriptor.valueCodec();
        this.userKeyCodec = descriptor.userKeyCodec();
        this.keyCodec = backend.keyCodec();
        this.ttlMs = descriptor.ttl() == null ? 0 : descriptor.ttl().ttlMs();
        this.refreshOnRead = descriptor.ttl() != null && descriptor.ttl().update() == StateTtl.Update.ON_READ_AND_WRITE;
        this.live = new Object2ObjectHashMap[backend.groupCount()];
    }

    Object handle() {
        return switch (kind) {
            case VALUE -> new Value<>(this);
            case LIST -> new ListHandle<>(this);
            case MAP -> new MapHandle<>(this);
            default -> throw new IllegalStateException("not an object state: " + descriptor);
        };
    }

    // ---- data thread ----

    private Object2ObjectHashMap<Object, Entry> writable(int i) {
        Object2ObjectHashMap<Object, Entry> map = live[i];
        if (map == null || shared[i]) {
            map = copyKeyGroup(i, map);
        }
        return map;
    }

    private Object2ObjectHashMap<Object, Entry> copyKeyGroup(int i, Object2ObjectHashMap<Object, Entry> frozen) {
        Object2ObjectHashMap<Object, Entry> map = frozen == null
            ? new Object2ObjectHashMap<>(8, 0.65f, false) : new Object2ObjectHashMap<>(frozen);
        live[i] = map;
        shared[i] = false;
        return map;
    }

    long expiry() {
        return ttlMs == 0 ? Long.MAX_VALUE : saturatedAdd(backend.processingTimeMs(), ttlMs);
    }

    /**
     * @return the current key's entry, safe to mutate, or {@code null}; an expired entry is removed
     */
    Entry find(boolean read) {
        int i = backend.currentGroup();
        Object2ObjectHashMap<Object, Entry> map = live[i];
        if (map == null) {
            return null;
        }
        Object key = backend.currentKeyObject();
        Entry e = map.get(key);
        if (e == null) {
            return null;
        }
        if (e.expiresAtMs <= backend.processingTimeMs()) {
            writable(i).remove(key);
            rows--;
            removed++;
            return null;
        }
        if (e.version != backend.version()) {
            e = own(i, key, e);
        }
        if (read && refreshOnRead) {
            e.expiresAtMs = expiry();
        }
        return e;
    }

    @SuppressWarnings("unchecked")
    private Entry own(int i, Object key, Entry shared) {
        Entry copy = new Entry(copyValue(shared.value), shared.expiresAtMs, backend.version());
        writable(i).put(key, copy);
        return copy;
    }

    /** Sets the current key's value (an object state's whole payload), creating the entry if needed. */
    Entry put(Object value) {
        int i = backend.currentGroup();
        Object key = backend.currentKeyObject();
        Object2ObjectHashMap<Object, Entry> map = writable(i);
        Entry e = map.get(key);
        updated++;
        if (e != null && e.version == backend.version()) {
            // Reference stores into old entries cost a GC write barrier: skip them when nothing changes
            // (an accumulator updated in place).
            if (e.value != value) {
                e.value = value;
            }
            if (ttlMs != 0) {
                e.expiresAtMs = expiry();
            }
            return e;
        }
        if (e == null) {
            rows++;
        }
        // An entry of an older version is shared with a snapshot: replace it, never mutate it.
        Entry fresh = new Entry(value, expiry(), backend.version());
        map.put(key, fresh);
        return fresh;
    }

    /** @return the current key's entry for a write (list or map payload), created empty if absent */
    Entry findForWrite() {
        Entry e = find(false);
        if (e == null) {
            e = put(kind == StateDescriptor.Kind.LIST ? new ArrayList<>() : new HashMap<>());
        } else {
            e.expiresAtMs = expiry();
            updated++;
        }
        return e;
    }

    void remove() {
        int i = backend.currentGroup();
        Object2ObjectHashMap<Object, Entry> map = live[i];
        if (map == null) {
            return;
        }
        Object key = backend.currentKeyObject();
        if (map.containsKey(key)) {
            writable(i).remove(key);
            rows--;
            removed++;
        }
    }

    @SuppressWarnings("unchecked")
    <K, V> void forEachLive(BiConsumer<? super K, ? super V> action) {
        long now = backend.processingTimeMs();
        for (Object2ObjectHashMap<Object, Entry> map : live) {
            if (map != null && !map.isEmpty()) {
                map.forEach((k, e) -> {
                    if (e.expiresAtMs > now) {
                        action.accept((K) k, (V) e.value);
                    }
                });
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    Object query(int i, Object key) {
        Object2ObjectHashMap<Object, Entry> map = live[i];
        Entry e = map == null ? null : map.get(key);
        if (e == null || e.expiresAtMs <= backend.processingTimeMs()) {
            return null;
        }
        Object copy = copyValue(e.value);
        return switch (kind) {
            case LIST -> Collections.unmodifiableList((List<Object>) copy);
            case MAP -> Collections.unmodifiableMap((Map<Object, Object>) copy);
            default -> copy;
        };
    }

    @Override
    void forEachKey(Consumer<Object> action) {
        long now = backend.processingTimeMs();
        for (Object2ObjectHashMap<Object, Entry> map : live) {
            if (map != null && !map.isEmpty()) {
                map.forEach((k, e) -> {
                    if (e.expiresAtMs > now) {
                        action.accept(k);
                    }
                });
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Object copyValue(Object value) {
        switch (kind) {
            case VALUE:
                return valueCodec.copy(value);
            case LIST: {
                List<Object> list = (List<Object>) value;
                ArrayList<Object> copy = new ArrayList<>(list.size());
                for (int j = 0, n = list.size(); j < n; j++) {
                    copy.add(valueCodec.copy(list.get(j)));
                }
                return copy;
            }
            default: {
                Map<Object, Object> map = (Map<Object, Object>) value;
                HashMap<Object, Object> copy = new HashMap<>(Math.max(4, map.size() * 2));
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    copy.put(e.getKey(), valueCodec.copy(e.getValue()));
                }
                return copy;
            }
        }
    }

    // ---- snapshot ----

    @Override
    Object[] freeze() {
        Object[] frozen = live.clone();
        Arrays.fill(shared, true);
        return frozen;
    }

    @Override
    boolean isEmpty(Object frozen) {
        return frozen == null || ((Object2ObjectHashMap<?, ?>) frozen).isEmpty();
    }

    @Override
    @SuppressWarnings("unchecked")
    int write(Object frozen, long nowMs, SnapshotOutput body) {
        int[] count = new int[1];
        ((Object2ObjectHashMap<Object, Entry>) frozen).forEach((key, e) -> {
            if (e.expiresAtMs <= nowMs) {
                return;
            }
            keyCodec.write(key, body);
            body.writeLong(e.expiresAtMs);
            writeValue(e.value, body);
            count[0]++;
        });
        return count[0];
    }

    @SuppressWarnings("unchecked")
    private void writeValue(Object value, SnapshotOutput out) {
        switch (kind) {
            case VALUE -> valueCodec.write(value, out);
            case LIST -> {
                List<Object> list = (List<Object>) value;
                out.writeVarInt(list.size());
                for (int j = 0, n = list.size(); j < n; j++) {
                    valueCodec.write(list.get(j), out);
                }
            }
            default -> {
                Map<Object, Object> map = (Map<Object, Object>) value;
                out.writeVarInt(map.size());
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    userKeyCodec.write(e.getKey(), out);
                    valueCodec.write(e.getValue(), out);
                }
            }
        }
    }

    private Object readValue(SnapshotInput in) {
        switch (kind) {
            case VALUE:
                return valueCodec.read(in);
            case LIST: {
                int n = in.readVarInt();
                ArrayList<Object> list = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    list.add(valueCodec.read(in));
                }
                return list;
            }
            default: {
                int n = in.readVarInt();
                HashMap<Object, Object> map = new HashMap<>(Math.max(4, n * 2));
                for (int j = 0; j < n; j++) {
                    Object userKey = userKeyCodec.read(in);
                    map.put(userKey, valueCodec.read(in));
                }
                return map;
            }
        }
    }

    @Override
    void restore(int i, int count, SnapshotInput in) {
        Object2ObjectHashMap<Object, Entry> map = writable(i);
        int group = backend.groupOfIndex(i);
        for (int j = 0; j < count; j++) {
            Object key = keyCodec.read(in);
            KeyGroups.checkRestoredKey(key, group, backend.maxParallelism());
            long expiresAtMs = in.readLong();
            Object value = readValue(in);
            if (map.put(key, new Entry(value, expiresAtMs, backend.version())) == null) {
                rows++;
            }
        }
    }

    @Override
    long memoryEstimate() {
        return rows * 96;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    // ---- handles ----

    /** {@link ValueState} over this table. */
    static final class Value<V> implements ValueState<V> {
        private final ObjectStateTable table;

        Value(ObjectStateTable table) {
            this.table = table;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V value() {
            Entry e = table.find(true);
            return e == null ? null : (V) e.value;
        }

        @Override
        public void update(V value) {
            if (value == null) {
                clear();
                return;
            }
            table.put(value);
        }

        @Override
        public void clear() {
            table.remove();
        }

        @Override
        public boolean exists() {
            return table.find(false) != null;
        }
    }

    /** {@link ListState} over this table. */
    static final class ListHandle<V> implements ListState<V> {
        private final ObjectStateTable table;

        ListHandle(ObjectStateTable table) {
            this.table = table;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<V> get() {
            Entry e = table.find(true);
            return e == null ? Collections.emptyList() : (List<V>) e.value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void add(V value) {
            if (value == null) {
                throw new NullPointerException("list state '" + table.descriptor.name() + "': value is null");
            }
            ((List<V>) table.findForWrite().value).add(value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void addAll(List<? extends V> values) {
            if (values.isEmpty()) {
                return;
            }
            for (V v : values) {
                if (v == null) {
                    throw new NullPointerException("list state '" + table.descriptor.name() + "': an element is null");
                }
            }
            ((List<V>) table.findForWrite().value).addAll(values);
        }

        @Override
        public void update(List<? extends V> values) {
            if (values.isEmpty()) {
                clear();
                return;
            }
            ArrayList<V> copy = new ArrayList<>(values);
            if (copy.contains(null)) {
                throw new NullPointerException("list state '" + table.descriptor.name() + "': an element is null");
            }
            table.put(copy);
        }

        @Override
        public void clear() {
            table.remove();
        }
    }

    /** {@link MapState} over this table. */
    static final class MapHandle<UK, UV> implements MapState<UK, UV> {
        private final ObjectStateTable table;

        MapHandle(ObjectStateTable table) {
            this.table = table;
        }

        @SuppressWarnings("unchecked")
        private Map<UK, UV> read() {
            Entry e = table.find(true);
            return e == null ? Collections.emptyMap() : (Map<UK, UV>) e.value;
        }

        @Override
        public UV get(UK userKey) {
            return read().get(userKey);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void put(UK userKey, UV value) {
            if (userKey == null || value == null) {
                throw new NullPointerException("map state '" + table.descriptor.name() + "': "
                    + (userKey == null ? "userKey" : "value") + " is null");
            }
            ((Map<UK, UV>) table.findForWrite().value).put(userKey, value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void remove(UK userKey) {
            Entry e = table.find(false);
            if (e == null) {
                return;
            }
            Map<UK, UV> map = (Map<UK, UV>) e.value;
            if (map.remove(userKey) != null) {
                table.updated++;
                if (map.isEmpty()) {
                    table.remove();
                } else {
                    e.expiresAtMs = table.expiry();
                }
            }
        }

        @Override
        public boolean contains(UK userKey) {
            return read().containsKey(userKey);
        }

        @Override
        public Iterable<Map.Entry<UK, UV>> entries() {
            return read().entrySet();
        }

        @Override
        public Iterable<UK> keys() {
            return read().keySet();
        }

        @Override
        public Iterable<UV> values() {
            return read().values();
        }

        @Override
        public boolean isEmpty() {
            return read().isEmpty();
        }

        @Override
        public void clear() {
            table.remove();
        }
    }
}
