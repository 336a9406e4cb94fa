package io.rivulet.operators.state;

import io.rivulet.operators.StateMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The keyed state of one operator instance (one partition): every registered state and the timers,
 * organised per key group, snapshotted per key group without stalling the data thread.
 *
 * <p><b>Use.</b> The operator sets the current key ({@link #setCurrentKey(Object)} or, for primitive
 * keys, {@link #setCurrentKey(long)}) before user code runs; state handles from {@link #state} then
 * read and write that key's entries. Processing time for TTL and processing-time timers is passed in
 * ({@link #setProcessingTimeMs}); the backend never reads a clock.
 *
 * <p><b>Copy-on-write snapshots.</b> {@link #snapshotState} costs O(states x key groups), not O(keys):
 * it clones each state's array of per-key-group maps (reference copies) and marks every key group
 * shared. The data thread copies a shared key group's map before its first write to it after the
 * snapshot, and copies a shared entry's value ({@link StateCodec#copy}) on its first access, so the
 * maps and values a snapshot holds are never mutated again. The returned {@link OperatorSnapshot}
 * may then be written on another thread while the data thread goes on.
 *
 * <p><b>Memory model.</b> Everything a snapshot refers to was last written by the data thread before
 * {@code snapshotState} returned. The runtime hands the snapshot to the writer thread through a
 * synchronising hand-off (a queue, a ring with release/acquire sequences, an executor submit), which
 * gives the happens-before edge from those writes to the writer's reads. After that point the data
 * thread only reads the frozen structures (lookups until it copies), never writes them, and the writer
 * only reads them, without Agrona's cached iterators ({@code forEach}), so no further synchronisation
 * is needed.
 *
 * <p><b>Snapshot format</b> per key group: a format byte; the number of state sections; per section
 * the state's name, kind, entry count and entries as a length-prefixed block; then the timers.
 * Sections of states not (yet) registered at restore are kept as bytes, decoded when the state is
 * registered and written again as they are by later snapshots.
 *
 * <p>Not thread-safe; owned by the partition worker. Only {@link OperatorSnapshot#writeTo} of a
 * returned snapshot runs on another thread.
 *
 * @param <K> key type
 */
public final class KeyedStateBackend<K> implements KeyedStateStore {
    private static final byte FORMAT = 1;

    private final StateCodec<K> keyCodec;
    private final int maxParallelism;
    private final KeyGroupRange range;
    private final int rangeStart;
    private final int groupCount;
    /** {@code maxParallelism - 1} if it is a power of two (the default, 128), else -1. */
    private final int groupMask;
    private final ArrayList<StateTable> tables = new ArrayList<>();
    private final HashMap<String, StateTable> byName = new HashMap<>();
    private final HashMap<String, Object> handles = new HashMap<>();
    /** Restored sections of states not registered yet: name to per-key-group section bytes. */
    private final HashMap<String, Section[]> pending = new HashMap<>();
    private final KeyedTimers<K> timers;

    private K currentKey;
    private long currentLongKey;
    private boolean longKey;
    private int currentGroup = -1;
    private int version;
    private long processingTimeMs;

    /**
     * @param keyCodec writes the keys ({@link StateCodecs#longs()} for {@code long} keys)
     * @param maxParallelism the number of key groups
     * @param range the key groups this partition owns
     * @throws IllegalArgumentException if the range exceeds {@code maxParallelism}
     */
    public KeyedStateBackend(StateCodec<K> keyCodec, int maxParallelism, KeyGroupRange range) {
        this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
        this.maxParallelism = KeyGroups.checkMaxParallelism(maxParallelism);
        if (range.end() > maxParallelism) {
            throw new IllegalArgumentException("key group range " + range + " exceeds maxParallelism " + maxParallelism);
        }
        this.range = range;
        this.rangeStart = range.start();
        this.groupCount = range.size();
        this.groupMask = Integer.bitCount(maxParallelism) == 1 ? maxParallelism - 1 : -1;
        this.timers = new KeyedTimers<>(this);
    }

    /**
     * A backend owning every key group of {@link KeyGroups#DEFAULT_MAX_PARALLELISM}: what an operator
     * uses when the runtime did not tell it its range.
     *
     * @param keyCodec writes the keys
     * @param <K> key type
     * @return the backend
     */
    public static <K> KeyedStateBackend<K> allKeyGroups(StateCodec<K> keyCodec) {
        int max = KeyGroups.DEFAULT_MAX_PARALLELISM;
        return new KeyedStateBackend<>(keyCodec, max, new KeyGroupRange(0, max));
    }

    // ---- current key and time ----

    /**
     * Makes {@code key} the current key: computes its key group once.
     *
     * @param key the key; never {@code null}
     * @throws IllegalStateException if the key's group is outside this partition's range
     */
    public void setCurrentKey(K key) {
        currentKey = key;
        if (key instanceof Long l) {
            currentLongKey = l;
            longKey = true;
        } else {
            longKey = false;
        }
        currentGroup = groupIndex(keyGroupOfHash(KeyGroups.stableHash(key)));
    }

    /**
     * Makes the primitive {@code key} the current key without boxing. Object-valued states box it when
     * they need it; {@link LongValueState} never does.
     *
     * @param key the key
     * @throws IllegalStateException if the key's group is outside this partition's range
     */
    public void setCurrentKey(long key) {
        currentKey = null;
        currentLongKey = key;
        longKey = true;
        currentGroup = groupIndex(keyGroupOfHash(KeyGroups.stableHash(key)));
    }

    /**
     * @return the current key (boxed if it was set as a {@code long})
     * @throws IllegalStateException if no key is set
     */
    @SuppressWarnings("unchecked")
    public K currentKey() {
        K key = currentKey;
        if (key == null) {
            if (!longKey) {
                throw new IllegalStateException("no current key: state is accessed outside processElement/onTimer");
            }
            key = (K) Long.valueOf(currentLongKey);
            currentKey = key;
        }
        return key;
    }

    /**
     * Sets the processing time that TTLs are measured against.
     *
     * @param nowMs processing time in epoch milliseconds, as passed to the operator
     */
    public void setProcessingTimeMs(long nowMs) {
        processingTimeMs = nowMs;
    }

    /**
     * @return the processing time last set, 0 before any
     */
    public long processingTimeMs() {
        return processingTimeMs;
    }

    /**
     * @return this backend's timers
     */
    public KeyedTimers<K> timers() {
        return timers;
    }

    /**
     * @return the number of key groups
     */
    public int maxParallelism() {
        return maxParallelism;
    }

    /**
     * @return the key groups this backend owns
     */
    public KeyGroupRange range() {
        return range;
    }

    // ---- states ----

    @Override
    @SuppressWarnings("unchecked")
    public <S> S state(StateDescriptor<S> descriptor) {
        StateTable table = byName.get(descriptor.name());
        if (table != null) {
            if (!table.descriptor.compatibleWith(descriptor)) {
                throw new IllegalArgumentException("state '" + descriptor.name() + "' is already registered as "
                    + table.descriptor.describe() + ", asked again as " + descriptor.describe()
                    + ": state names are unique per operator");
            }
            return (S) handles.get(descriptor.name());
        }
        Object handle;
        if (descriptor.kind() == StateDescriptor.Kind.LONG_VALUE) {
            LongStateTable longTable = new LongStateTable(descriptor, this);
            table = longTable;
            handle = longTable;
        } else {
            ObjectStateTable objectTable = new ObjectStateTable(descriptor, this);
            table = objectTable;
            handle = objectTable.handle();
        }
        tables.add(table);
        byName.put(descriptor.name(), table);
        handles.put(descriptor.name(), handle);
        Section[] restored = pending.remove(descriptor.name());
        if (restored != null) {
            for (int i = 0; i < restored.length; i++) {
                if (restored[i] != null) {
                    restoreSection(table, i, restored[i]);
                }
            }
        }
        return (S) handle;
    }

    /**
     * Calls {@code action} for every key's value of a value state, key group by key group, skipping
     * expired entries. {@code action} must not change state nor mutate the value.
     *
     * @param descriptor a registered value state
     * @param action receives key and value
     * @param <V> value type
     */
    public <V> void forEachValue(StateDescriptor<ValueState<V>> descriptor, BiConsumer<? super K, ? super V> action) {
        StateTable table = byName.get(descriptor.name());
        if (table == null) {
            return;
        }
        ((ObjectStateTable) table).forEachLive(action);
    }

    // ---- queryable state ----

    /**
     * Reads every registered state of one key (queryable state): state name to a copy of the key's
     * value, in registration order. A value state reads as a {@link StateCodec#copy} of its value, a
     * list state as an unmodifiable copy of its list, a map state as an unmodifiable copy of its map,
     * a {@link LongValueState} as a {@code Long}. States the key holds nothing in (or whose entry
     * expired by its TTL) are left out. Nothing changes: no TTL is refreshed, the current key is
     * kept. Owner thread, between records.
     *
     * @param key the key; never {@code null}
     * @return an unmodifiable map of the key's states, or {@code null} if it holds none (or its key
     *     group is not this partition's)
     */
    public Map<String, Object> query(K key) {
        int keyGroup = keyGroupOfHash(KeyGroups.stableHash(Objects.requireNonNull(key, "key")));
        if (!range.contains(keyGroup)) {
            return null;
        }
        int i = keyGroup - rangeStart;
        LinkedHashMap<String, Object> values = null;
        for (int t = 0, n = tables.size(); t < n; t++) {
            StateTable table = tables.get(t);
            Object value = table.query(i, key);
            if (value != null) {
                if (values == null) {
                    values = new LinkedHashMap<>();
                }
                values.put(table.descriptor.name(), value);
            }
        }
        return values == null ? null : Collections.unmodifiableMap(values);
    }

    /**
     * Reads {@link #query} of every key that holds state in any registered state and passes
     * {@code keys}, in an unspecified order. Owner thread, between records; O(entries).
     *
     * @param keys which keys to read
     * @param into receives each key and its states
     */
    @SuppressWarnings("unchecked")
    public void scan(Predicate<? super K> keys, BiConsumer<? super K, ? super Map<String, Object>> into) {
        HashSet<Object> seen = new HashSet<>();
        for (int t = 0, n = tables.size(); t < n; t++) {
            tables.get(t).forEachKey(seen::add);
        }
        for (Object key : seen) {
            K k = (K) key;
            if (keys.test(k)) {
                Map<String, Object> values = query(k);
                if (values != null) {
                    into.accept(k, values);
                }
            }
        }
    }

    // ---- snapshot and restore ----

    /**
     * Freezes the state for a snapshot: O(states x key groups), independent of the number of keys.
     *
     * @param epochId the epoch that just ended
     * @return the snapshot; write it (on any thread) with {@link OperatorSnapshot#writeTo}
     */
    public OperatorSnapshot snapshotState(long epochId) {
        version++;
        int n = tables.size();
        StateTable[] frozenTables = tables.toArray(new StateTable[n]);
        Object[][] frozen = new Object[n][];
        for (int t = 0; t < n; t++) {
            frozen[t] = frozenTables[t].freeze();
        }
        Object[] frozenTimers = timers.freeze();
        Map<String, Section[]> pendingNow = pending.isEmpty() ? Map.of() : new HashMap<>(pending);
        return new Snapshot<>(this, frozenTables, frozen, frozenTimers, pendingNow, processingTimeMs);
    }

    /**
     * {@link #snapshotState(long)}, plus the operator's own state: {@code operatorState} written, in
     * order, to {@link KeyGroupWriter#operatorState()} after the key groups (the values are taken now,
     * at the barrier). For operators whose non-keyed state is a few numbers (a watermark, a batch
     * index).
     *
     * @param epochId the epoch that just ended
     * @param operatorState the operator's values as of the barrier
     * @return the snapshot
     */
    public OperatorSnapshot snapshotState(long epochId, long... operatorState) {
        OperatorSnapshot keyed = snapshotState(epochId);
        long[] values = operatorState.clone();
        return new OperatorSnapshot() {
            @Override
            public void writeTo(KeyGroupWriter writer) {
                keyed.writeTo(writer);
                SnapshotOutput out = writer.operatorState();
                for (long value : values) {
                    out.writeLong(value);
                }
            }

            @Override
            public void release() {
                keyed.release();
            }
        };
    }

    /**
     * Loads one key group written by a snapshot of this backend's kind.
     *
     * @param keyGroup a key group of this backend's range
     * @param in its bytes
     * @throws StateFormatException if the bytes are not a keyed state snapshot
     * @throws IllegalStateException if a restored key does not hash to {@code keyGroup}
     */
    public void restoreKeyGroup(int keyGroup, SnapshotInput in) {
        int i = groupIndex(keyGroup);
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new StateFormatException("key group " + keyGroup + ": unknown keyed state format " + format
                + ", expected " + FORMAT);
        }
        int sections = in.readVarInt();
        for (int s = 0; s < sections; s++) {
            String name = in.readString();
            byte kind = in.readByte();
            int count = in.readVarInt();
            byte[] body = in.readBytes();
            if (kind < 0 || kind >= StateDescriptor.Kind.values().length) {
                throw new StateFormatException("state '" + name + "' in key group " + keyGroup + ": unknown kind " + kind);
            }
            Section section = new Section(StateDescriptor.Kind.values()[kind], count, body);
            StateTable table = byName.get(name);
            if (table != null) {
                restoreSection(table, i, section);
            } else {
                pending.computeIfAbsent(name, x -> new Section[groupCount])[i] = section;
            }
        }
        timers.restore(i, in);
    }

    private void restoreSection(StateTable table, int i, Section section) {
        if (table.descriptor.kind() != section.kind) {
            throw new StateFormatException("state '" + table.descriptor.name() + "' was saved as " + section.kind
                + " and is now registered as " + table.descriptor.kind());
        }
        SnapshotInput in = new SnapshotInput(section.body);
        table.restore(i, section.count, in);
        if (in.hasRemaining()) {
            throw new StateFormatException("state '" + table.descriptor.name() + "': " + in.remaining()
                + " bytes left after its entries: the codec read less than it wrote");
        }
    }

    /**
     * Fills the state figures: rows held, written and removed since the previous call, memory estimate.
     * Timers are not counted as rows.
     *
     * @param into the holder; {@code numRowsDroppedByWatermark} is set to 0
     */
    public void stateMetrics(StateMetrics into) {
        long rows = 0;
        long updated = 0;
        long removed = 0;
        long memory = 0;
        for (int t = 0, n = tables.size(); t < n; t++) {
            StateTable table = tables.get(t);
            rows += table.rows;
            updated += table.updated;
            removed += table.removed;
            memory += table.memoryEstimate();
            table.updated = 0;
            table.removed = 0;
        }
        into.set(rows, updated, removed, 0, memory + timers.size() * 64L);
    }

    // ---- for tables and timers ----

    StateCodec<K> keyCodec() {
        return keyCodec;
    }

    int groupCount() {
        return groupCount;
    }

    int groupOfIndex(int i) {
        return rangeStart + i;
    }

    int currentGroup() {
        if (currentGroup < 0) {
            throw new IllegalStateException("no current key: state is accessed outside processElement/onTimer");
        }
        return currentGroup;
    }

    Object currentKeyObject() {
        return currentKey();
    }

    long currentLongKey() {
        if (!longKey) {
            throw new IllegalStateException(currentGroup < 0 ? "no current key"
                : "a LongValueState needs a long key; the current key is a " + currentKey.getClass().getName());
        }
        return currentLongKey;
    }

    int version() {
        return version;
    }

    /**
     * {@link KeyGroups#keyGroupOfHash}, without an integer division when {@code maxParallelism} is a
     * power of two: modulo a power of two up to 2^30 keeps the low bits, so reducing by the constant
     * 2^30 (which the JIT turns into a mask) and then masking gives the same key group.
     */
    int keyGroupOfHash(int hash) {
        return groupMask >= 0 ? KeyGroups.keyGroupOfHash(hash, 1 << 30) & groupMask
            : KeyGroups.keyGroupOfHash(hash, maxParallelism);
    }

    private int groupIndex(int keyGroup) {
        int i = keyGroup - rangeStart;
        if (i < 0 || i >= groupCount) {
            throw new IllegalStateException("key group " + keyGroup + " is outside this partition's range " + range
                + ": a key reached a partition that does not own it");
        }
        return i;
    }

    /** A restored state section kept as bytes. */
    record Section(StateDescriptor.Kind kind, int count, byte[] body) {
    }

    /** The frozen state; written once, on any thread. */
    private static final class Snapshot<K> implements OperatorSnapshot {
        private final KeyedStateBackend<K> backend;
        private StateTable[] tables;
        private Object[][] frozen;
        private Object[] frozenTimers;
        private Map<String, Section[]> pending;
        private final long nowMs;

        Snapshot(KeyedStateBackend<K> backend, StateTable[] tables, Object[][] frozen, Object[] frozenTimers,
                 Map<String, Section[]> pending, long nowMs) {
            this.backend = backend;
            this.tables = tables;
            this.frozen = frozen;
            this.frozenTimers = frozenTimers;
            this.pending = pending;
            this.nowMs = nowMs;
        }

        @Override
        public void writeTo(KeyGroupWriter writer) {
            if (tables == null) {
                throw new IllegalStateException("keyed state snapshot written after release()");
            }
            SnapshotOutput body = new SnapshotOutput(1024);
            for (int i = 0; i < backend.groupCount; i++) {
                int sections = 0;
                for (int t = 0; t < tables.length; t++) {
                    if (!tables[t].isEmpty(frozen[t][i])) {
                        sections++;
                    }
                }
                for (Section[] p : pending.values()) {
                    if (p[i] != null) {
                        sections++;
                    }
                }
                if (sections == 0 && KeyedTimers.isEmpty(frozenTimers[i])) {
                    continue;
                }
                SnapshotOutput out = writer.forKeyGroup(backend.groupOfIndex(i));
                out.writeByte(FORMAT);
                out.writeVarInt(sections);
                for (int t = 0; t < tables.length; t++) {
                    if (!tables[t].isEmpty(frozen[t][i])) {
                        body.reset();
                        int count = tables[t].write(frozen[t][i], nowMs, body);
                        writeSection(out, tables[t].descriptor.name(), tables[t].descriptor.kind(), count, body);
                    }
                }
                for (Map.Entry<String, Section[]> p : pending.entrySet()) {
                    Section s = p.getValue()[i];
                    if (s != null) {
                        out.writeString(p.getKey()).writeByte(s.kind.ordinal()).writeVarInt(s.count).writeBytes(s.body);
                    }
                }
                backend.timers.write(frozenTimers[i], out);
            }
        }

        private static void writeSection(SnapshotOutput out, String name, StateDescriptor.Kind kind, int count,
                                         SnapshotOutput body) {
            out.writeString(name).writeByte(kind.ordinal()).writeVarInt(count);
            out.writeVarInt(body.length()).writeRaw(body.buffer(), 0, body.length());
        }

        @Override
        public void release() {
            tables = null;
            frozen = null;
            frozenTimers = null;
            pending = null;
        }

        @Override
        public String toString() {
            return "KeyedStateSnapshot" + Arrays.toString(Arrays.stream(tables == null ? new StateTable[0] : tables)
                .map(t -> t.descriptor.name()).toArray());
        }
    }
}
