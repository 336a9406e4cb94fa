package io.rivulet.operators.state;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A {@link LongValueState}: per key group an Agrona {@code Long2LongHashMap}, copied whole (two array
 * clones) on the first write to the key group after a snapshot froze it. Values are primitives, so
 * there is nothing to copy per entry.
 *
 * <p>{@code Long.MIN_VALUE} is the maps' missing-value marker and cannot be stored in them; keys whose
 * value is {@code Long.MIN_VALUE} are kept in a side set per key group (a slow path no counter ever
 * takes). Not thread-safe; owned by the partition worker.
 */
final class LongStateTable extends StateTable implements LongValueState {
    private static final long MISSING = Long.MIN_VALUE;

    private final long defaultValue;
    private Long2LongHashMap[] live;
    private LongHashSet[] minKeys;

    LongStateTable(StateDescriptor<?> descriptor, KeyedStateBackend<?> backend) {
        super(descriptor, backend);
        this.defaultValue = descriptor.defaultLong();
        this.live = new Long2LongHashMap[backend.groupCount()];
        this.minKeys = new LongHashSet[backend.groupCount()];
    }

    private Long2LongHashMap writable(int i) {
        Long2LongHashMap map = live[i];
        if (map == null || shared[i]) {
            map = copyKeyGroup(i, map);
        }
        return map;
    }

    private Long2LongHashMap copyKeyGroup(int i, Long2LongHashMap frozen) {
        Long2LongHashMap map = frozen == null ? new Long2LongHashMap(16, 0.65f, MISSING, false) : new Long2LongHashMap(frozen);
        LongHashSet min = minKeys[i];
        if (min != null && shared[i]) {
            LongHashSet copy = new LongHashSet();
            copy.addAll(min);
            minKeys[i] = copy;
        }
        live[i] = map;
        shared[i] = false;
        return map;
    }

    @Override
    public long value() {
        long key = backend.currentLongKey();
        int i = backend.currentGroup();
        Long2LongHashMap map = live[i];
        if (map == null) {
            return defaultValue;
        }
        long v = map.get(key);
        return v != MISSING ? v : missingOrMin(i, key);
    }

    private long missingOrMin(int i, long key) {
        LongHashSet min = minKeys[i];
        return min != null && min.contains(key) ? Long.MIN_VALUE : defaultValue;
    }

    @Override
    public void update(long value) {
        int i = backend.currentGroup();
        long key = backend.currentLongKey();
        Long2LongHashMap map = writable(i);
        updated++;
        if (value == MISSING) {
            putMin(i, key, map);
        } else if (map.put(key, value) == MISSING) {
            addedOrMovedFromMin(i, key);
        }
    }

    @Override
    public long addAndGet(long delta) {
        int i = backend.currentGroup();
        long key = backend.currentLongKey();
        Long2LongHashMap map = writable(i);
        long old = map.get(key);
        long value = (old != MISSING ? old : missingOrMin(i, key)) + delta;
        updated++;
        if (value == MISSING) {
            putMin(i, key, map);
        } else if (map.put(key, value) == MISSING) {
            addedOrMovedFromMin(i, key);
        }
        return value;
    }

    private void addedOrMovedFromMin(int i, long key) {
        LongHashSet min = minKeys[i];
        if (min == null || !min.remove(key)) {
            rows++;
        }
    }

    private void putMin(int i, long key, Long2LongHashMap map) {
        LongHashSet min = minKeys[i];
        if (min == null) {
            min = new LongHashSet();
            minKeys[i] = min;
        }
        boolean wasInMap = map.remove(key) != MISSING;
        if (min.add(key) && !wasInMap) {
            rows++;
        }
    }

    @Override
    public void clear() {
        int i = backend.currentGroup();
        long key = backend.currentLongKey();
        if (exists()) {
            Long2LongHashMap map = writable(i);
            if (map.remove(key) == MISSING) {
                minKeys[i].remove(key);
            }
            rows--;
            removed++;
        }
    }

    @Override
    public boolean exists() {
        long key = backend.currentLongKey();
        int i = backend.currentGroup();
        Long2LongHashMap map = live[i];
        if (map == null) {
            return false;
        }
        return map.containsKey(key) || (minKeys[i] != null && minKeys[i].contains(key));
    }

    // ---- queryable state ----

    @Override
    Object query(int i, Object key) {
        if (!(key instanceof Long boxed)) {
            return null;
        }
        Long2LongHashMap map = live[i];
        if (map == null) {
            return null;
        }
        long v = map.get(boxed);
        if (v != MISSING) {
            return v;
        }
        LongHashSet min = minKeys[i];
        return min != null && min.contains(boxed) ? Long.MIN_VALUE : null;
    }

    @Override
    void forEachKey(Consumer<Object> action) {
        for (int i = 0; i < live.length; i++) {
            Long2LongHashMap map = live[i];
            if (map != null) {
                map.forEachLong((k, v) -> action.accept(k));
            }
            LongHashSet min = minKeys[i];
            if (min != null) {
                for (LongHashSet.LongIterator it = min.iterator(); it.hasNext(); ) {
                    action.accept(it.nextValue());
                }
            }
        }
    }

    // ---- snapshot ----

    @Override
    Object[] freeze() {
        Object[] frozen = new Object[live.length];
        for (int i = 0; i < live.length; i++) {
            LongHashSet min = minKeys[i];
            // The rare MIN_VALUE keys are copied out now, so the writer never iterates a set the data thread owns.
            frozen[i] = min == null || min.isEmpty() ? live[i] : new Object[] {live[i], toLongs(min)};
        }
        Arrays.fill(shared, true);
        return frozen;
    }

    @Override
    boolean isEmpty(Object frozen) {
        if (frozen instanceof Object[]) {
            return false;
        }
        return frozen == null || ((Long2LongHashMap) frozen).isEmpty();
    }

    @Override
    int write(Object frozen, long nowMs, SnapshotOutput body) {
        Long2LongHashMap map;
        long[] min = null;
        if (frozen instanceof Object[] both) {
            map = (Long2LongHashMap) both[0];
            min = (long[]) both[1];
        } else {
            map = (Long2LongHashMap) frozen;
        }
        int[] count = new int[1];
        if (map != null) {
            map.forEachLong((k, v) -> {
                body.writeLong(k).writeLong(v);
                count[0]++;
            });
        }
        if (min != null) {
            for (long k : min) {
                body.writeLong(k).writeLong(Long.MIN_VALUE);
                count[0]++;
            }
        }
        return count[0];
    }

    private static long[] toLongs(LongHashSet set) {
        long[] keys = new long[set.size()];
        int j = 0;
        for (LongHashSet.LongIterator it = set.iterator(); it.hasNext(); ) {
            keys[j++] = it.nextValue();
        }
        return keys;
    }

    @Override
    void restore(int i, int count, SnapshotInput in) {
        Long2LongHashMap map = writable(i);
        int group = backend.groupOfIndex(i);
        int maxParallelism = backend.maxParallelism();
        for (int j = 0; j < count; j++) {
            long key = in.readLong();
            long value = in.readLong();
            if (KeyGroups.keyGroupOf(key, maxParallelism) != group) {
                throw new IllegalStateException("long key " + key + " of state '" + descriptor.name()
                    + "' was saved in key group " + group + " but hashes to key group "
                    + KeyGroups.keyGroupOf(key, maxParallelism) + ": the snapshot is corrupt or of another maxParallelism");
            }
            if (value == MISSING) {
                putMin(i, key, map);
            } else if (map.put(key, value) == MISSING) {
                addedOrMovedFromMin(i, key);
            }
        }
    }

    @Override
    long memoryEstimate() {
        return rows * 32;
    }
}
