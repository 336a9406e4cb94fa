package io.rivulet.operators.state;

import io.rivulet.operators.StateMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedStateBackendTest {
    private static final int MAX = 16;
    private static final StateDescriptor<ValueState<Long>> COUNT = StateDescriptor.value("count", StateCodecs.longs());
    private static final StateDescriptor<ListState<String>> SEEN = StateDescriptor.list("seen", StateCodecs.strings());
    private static final StateDescriptor<MapState<String, Long>> BY_NAME =
        StateDescriptor.map("byName", StateCodecs.strings(), StateCodecs.longs());
    private static final StateDescriptor<ValueState<long[]>> ACC = StateDescriptor.value("acc", StateCodecs.dynamic());
    private static final StateDescriptor<LongValueState> TOTAL = StateDescriptor.longValue("total", 0);

    private static KeyedStateBackend<String> backend() {
        return new KeyedStateBackend<>(StateCodecs.strings(), MAX, new KeyGroupRange(0, MAX));
    }

    private static KeyGroupBuffers write(OperatorSnapshot snapshot) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
        snapshot.writeTo(buffers);
        snapshot.release();
        return buffers;
    }

    private static <K> void restore(KeyGroupBuffers buffers, KeyedStateBackend<K> into) {
        for (int g = into.range().start(); g < into.range().end(); g++) {
            byte[] bytes = buffers.keyGroupBytes(g);
            if (bytes != null) {
                into.restoreKeyGroup(g, new SnapshotInput(bytes));
            }
        }
    }

    private static Map<String, Long> counts(KeyedStateBackend<String> backend) {
        TreeMap<String, Long> all = new TreeMap<>();
        backend.forEachValue(COUNT, all::put);
        return all;
    }

    private static void increment(KeyedStateBackend<String> backend, ValueState<Long> count, String key) {
        backend.setCurrentKey(key);
        Long c = count.value();
        count.update(c == null ? 1 : c + 1);
    }

    @Test
    void shouldKeepEachKeysValueApart() {
        KeyedStateBackend<String> backend = backend();
        ValueState<Long> count = backend.state(COUNT);
        increment(backend, count, "a");
        increment(backend, count, "b");
        increment(backend, count, "a");
        backend.setCurrentKey("a");
        assertThat(count.value()).isEqualTo(2L);
        assertThat(count.exists()).isTrue();
        backend.setCurrentKey("c");
        assertThat(count.value()).isNull();
        assertThat(count.exists()).isFalse();
        backend.setCurrentKey("b");
        count.clear();
        assertThat(count.exists()).isFalse();
        assertThat(counts(backend)).containsExactly(Map.entry("a", 2L));
    }

    @Test
    void shouldReturnTheSameHandleForTheSameDescriptorAndRejectAnotherKindUnderItsName() {
        KeyedStateBackend<String> backend = backend();
        assertThat(backend.state(COUNT)).isSameAs(backend.state(StateDescriptor.value("count", StateCodecs.longs())));
        assertThatThrownBy(() -> backend.state(StateDescriptor.list("count", StateCodecs.longs())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'count'");
        assertThatThrownBy(() -> backend.state(StateDescriptor.value("count", StateCodecs.strings())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'count'");
        assertThatThrownBy(() -> backend.state(COUNT.withTtl(StateTtl.ofMs(5))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'count'");
    }

    @Test
    void shouldKeepListsAndMapsPerKey() {
        KeyedStateBackend<String> backend = backend();
        ListState<String> seen = backend.state(SEEN);
        MapState<String, Long> byName = backend.state(BY_NAME);
        backend.setCurrentKey("k1");
        seen.add("x");
        seen.addAll(List.of("y", "z"));
        byName.put("p", 1L);
        byName.put("q", 2L);
        backend.setCurrentKey("k2");
        assertThat(seen.get()).isEmpty();
        assertThat(byName.isEmpty()).isTrue();
        seen.update(List.of("only"));
        backend.setCurrentKey("k1");
        assertThat(seen.get()).containsExactly("x", "y", "z");
        assertThat(byName.get("q")).isEqualTo(2L);
        assertThat(byName.contains("p")).isTrue();
        byName.remove("p");
        assertThat(byName.keys()).containsExactly("q");
        assertThat(byName.values()).containsExactly(2L);
        assertThat(byName.entries()).containsExactly(Map.entry("q", 2L));
        byName.remove("q");
        assertThat(byName.isEmpty()).isTrue();
        backend.setCurrentKey("k2");
        assertThat(seen.get()).containsExactly("only");
        seen.clear();
        assertThat(seen.get()).isEmpty();
    }

    @Test
    void shouldExpireValuesAfterTheirTtlInProcessingTime() {
        KeyedStateBackend<String> backend = backend();
        ValueState<Long> written = backend.state(StateDescriptor.value("w", StateCodecs.longs()).withTtl(StateTtl.ofMs(100)));
        ValueState<Long> read = backend.state(
            StateDescriptor.value("r", StateCodecs.longs()).withTtl(StateTtl.ofMs(100).refreshedOnRead()));
        backend.setProcessingTimeMs(1_000);
        backend.setCurrentKey("k");
        written.update(1L);
        read.update(1L);
        backend.setProcessingTimeMs(1_090);
        assertThat(written.value()).isEqualTo(1L);
        assertThat(read.value()).as("read refreshes to 1190").isEqualTo(1L);
        backend.setProcessingTimeMs(1_100);
        assertThat(written.value()).as("expired at create + ttl").isNull();
        assertThat(written.exists()).isFalse();
        assertThat(read.value()).isEqualTo(1L);
        backend.setProcessingTimeMs(1_250);
        assertThat(read.value()).isNull();
        written.update(7L);
        backend.setProcessingTimeMs(1_349);
        assertThat(written.value()).as("a write restarts the ttl").isEqualTo(7L);
    }

    @Test
    void shouldLeaveExpiredEntriesOutOfSnapshots() {
        KeyedStateBackend<String> backend = backend();
        ValueState<Long> v = backend.state(COUNT.withTtl(StateTtl.ofMs(10)));
        backend.setCurrentKey("old");
        v.update(1L);
        backend.setProcessingTimeMs(5);
        backend.setCurrentKey("young");
        v.update(2L);
        backend.setProcessingTimeMs(12);
        KeyGroupBuffers buffers = write(backend.snapshotState(1));
        KeyedStateBackend<String> restored = backend();
        ValueState<Long> r = restored.state(COUNT.withTtl(StateTtl.ofMs(10)));
        restore(buffers, restored);
        restored.setProcessingTimeMs(12);
        restored.setCurrentKey("old");
        assertThat(r.exists()).isFalse();
        restored.setCurrentKey("young");
        assertThat(r.value()).isEqualTo(2L);
        StateMetrics metrics = new StateMetrics();
        restored.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(1);
    }

    @Test
    void shouldRestoreEveryKindOfStateIntoAFreshBackend() {
        KeyedStateBackend<String> backend = backend();
        fill(backend, 50);
        KeyGroupBuffers buffers = write(backend.snapshotState(1));
        KeyedStateBackend<String> restored = backend();
        register(restored);
        restore(buffers, restored);
        assertThat(dump(restored, 50)).isEqualTo(dump(backend, 50));
    }

    @Test
    void shouldWriteTheStateOfTheSnapshotMomentWhateverHappensAfterIt() {
        KeyedStateBackend<String> backend = backend();
        fill(backend, 200);
        String before = dump(backend, 200);
        OperatorSnapshot snapshot = backend.snapshotState(1);
        // Every kind of change after the snapshot: updates, in-place mutation of a value read back,
        // list and map edits, removals and new keys.
        ValueState<Long> count = backend.state(COUNT);
        ValueState<long[]> acc = backend.state(ACC);
        ListState<String> seen = backend.state(SEEN);
        MapState<String, Long> byName = backend.state(BY_NAME);
        LongValueState total = backend.state(TOTAL);
        for (int k = 0; k < 260; k++) {
            backend.setCurrentKey("key" + k);
            count.update(-1L);
            long[] a = acc.value();
            if (a != null) {
                a[0] = -99;
            } else {
                acc.update(new long[] {5, 5});
            }
            seen.add("later");
            List<String> live = seen.get();
            live.set(0, "overwritten");
            byName.put("m0", -5L);
            byName.remove("m1");
            if (k % 3 == 0) {
                count.clear();
                seen.clear();
            }
        }
        for (long k = 0; k < 260; k++) {
            backend.setCurrentKey(k * 7919);
            total.update(-3);
        }
        String after = dump(backend, 260);
        KeyGroupBuffers buffers = write(snapshot);

        KeyedStateBackend<String> restored = backend();
        register(restored);
        restore(buffers, restored);
        assertThat(dump(restored, 200)).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void shouldRestoreTwoPartitionsIntoOneAndIntoThree() {
        KeyedStateBackend<String>[] two = partitions(2);
        for (int k = 0; k < 300; k++) {
            String key = "key" + k;
            KeyedStateBackend<String> owner = ownerOf(two, key);
            ValueState<Long> count = owner.state(COUNT);
            for (int n = 0; n <= k % 4; n++) {
                increment(owner, count, key);
            }
        }
        KeyGroupBuffers buffers = KeyGroupBuffers.all(MAX);
        for (KeyedStateBackend<String> p : two) {
            p.snapshotState(1).writeTo(buffers);
        }
        TreeMap<String, Long> expected = new TreeMap<>();
        for (KeyedStateBackend<String> p : two) {
            expected.putAll(counts(p));
        }
        for (int parallelism : new int[] {1, 3}) {
            KeyedStateBackend<String>[] next = partitions(parallelism);
            TreeMap<String, Long> actual = new TreeMap<>();
            for (KeyedStateBackend<String> p : next) {
                p.state(COUNT);
                restore(buffers, p);
                actual.putAll(counts(p));
            }
            assertThat(actual).as("into %d partitions", parallelism).isEqualTo(expected).hasSize(300);
            for (int k = 0; k < 300; k++) {
                String key = "key" + k;
                KeyedStateBackend<String> owner = ownerOf(next, key);
                owner.setCurrentKey(key);
                assertThat(owner.state(COUNT).value()).isEqualTo(k % 4 + 1L);
            }
        }
    }

    @Test
    void shouldKeepStateOfAnUnregisteredNameAcrossSnapshotsUntilItIsRegistered() {
        KeyedStateBackend<String> backend = backend();
        fill(backend, 20);
        KeyGroupBuffers first = write(backend.snapshotState(1));
        KeyedStateBackend<String> onlyCount = backend();
        onlyCount.state(COUNT);
        restore(first, onlyCount);
        KeyGroupBuffers second = write(onlyCount.snapshotState(2));
        KeyedStateBackend<String> all = backend();
        restore(second, all);
        register(all);
        assertThat(dump(all, 20)).isEqualTo(dump(backend, 20));
    }

    @Test
    void shouldRejectAKeyOutsideThePartitionsRange() {
        KeyedStateBackend<String> backend = new KeyedStateBackend<>(StateCodecs.strings(), MAX, new KeyGroupRange(0, 1));
        String foreign = "k0";
        for (int k = 0; KeyGroups.keyGroupOf(foreign, MAX) == 0; k++) {
            foreign = "k" + k;
        }
        String key = foreign;
        assertThatThrownBy(() -> backend.setCurrentKey(key)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("outside this partition's range");
    }

    @Test
    void shouldCountRowsUpdatesAndRemovals() {
        KeyedStateBackend<String> backend = backend();
        ValueState<Long> count = backend.state(COUNT);
        increment(backend, count, "a");
        increment(backend, count, "a");
        increment(backend, count, "b");
        backend.setCurrentKey("b");
        count.clear();
        StateMetrics metrics = new StateMetrics();
        backend.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(1);
        assertThat(metrics.numRowsUpdated()).isEqualTo(3);
        assertThat(metrics.numRowsRemoved()).isEqualTo(1);
        assertThat(metrics.memoryUsedBytes()).isPositive();
        backend.stateMetrics(metrics);
        assertThat(metrics.numRowsUpdated()).isZero();
    }

    @Test
    void shouldComputeTheSameKeyGroupAsKeyGroupsForEveryMaxParallelism() {
        for (int max : new int[] {1, 2, 7, 100, 128, 1 << 15}) {
            KeyedStateBackend<String> b = new KeyedStateBackend<>(StateCodecs.strings(), max, new KeyGroupRange(0, max));
            for (int k = -5000; k < 5000; k++) {
                int hash = k * 0x9E3779B9;
                assertThat(b.keyGroupOfHash(hash)).isEqualTo(KeyGroups.keyGroupOfHash(hash, max));
            }
            assertThat(b.keyGroupOfHash(Integer.MIN_VALUE)).isEqualTo(KeyGroups.keyGroupOfHash(Integer.MIN_VALUE, max));
        }
    }

    // ---- long keys ----

    @Test
    void shouldKeepPrimitiveLongStatePerLongKey() {
        KeyedStateBackend<Long> backend = new KeyedStateBackend<>(StateCodecs.longs(), MAX, new KeyGroupRange(0, MAX));
        LongValueState total = backend.state(StateDescriptor.longValue("total", 10));
        backend.setCurrentKey(1L);
        assertThat(total.exists()).isFalse();
        assertThat(total.value()).as("default").isEqualTo(10);
        assertThat(total.addAndGet(5)).isEqualTo(15);
        backend.setCurrentKey(2L);
        total.update(Long.MIN_VALUE);
        assertThat(total.exists()).isTrue();
        assertThat(total.value()).isEqualTo(Long.MIN_VALUE);
        assertThat(total.addAndGet(1)).isEqualTo(Long.MIN_VALUE + 1);
        backend.setCurrentKey(Long.valueOf(1));
        assertThat(total.value()).as("a boxed Long key is the same key").isEqualTo(15);
        total.clear();
        assertThat(total.exists()).isFalse();
        backend.setCurrentKey(3L);
        total.update(Long.MIN_VALUE);
        StateMetrics metrics = new StateMetrics();
        backend.stateMetrics(metrics);
        assertThat(metrics.numRowsTotal()).isEqualTo(2);

        OperatorSnapshot snapshot = backend.snapshotState(1);
        backend.setCurrentKey(2L);
        total.update(99);
        backend.setCurrentKey(3L);
        total.update(98);
        KeyGroupBuffers buffers = write(snapshot);
        KeyedStateBackend<Long> restored = new KeyedStateBackend<>(StateCodecs.longs(), MAX, new KeyGroupRange(0, MAX));
        LongValueState r = restored.state(StateDescriptor.longValue("total", 10));
        restore(buffers, restored);
        restored.setCurrentKey(1L);
        assertThat(r.exists()).isFalse();
        restored.setCurrentKey(2L);
        assertThat(r.value()).isEqualTo(Long.MIN_VALUE + 1);
        restored.setCurrentKey(3L);
        assertThat(r.value()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldRefuseALongValueStateForANonLongKey() {
        KeyedStateBackend<String> backend = backend();
        LongValueState total = backend.state(TOTAL);
        backend.setCurrentKey("a");
        assertThatThrownBy(total::value).isInstanceOf(IllegalStateException.class).hasMessageContaining("long key");
    }

    // ---- helpers ----

    private static void register(KeyedStateBackend<String> backend) {
        backend.state(COUNT);
        backend.state(ACC);
        backend.state(SEEN);
        backend.state(BY_NAME);
        backend.state(TOTAL);
    }

    private static void fill(KeyedStateBackend<String> backend, int keys) {
        ValueState<Long> count = backend.state(COUNT);
        ValueState<long[]> acc = backend.state(ACC);
        ListState<String> seen = backend.state(SEEN);
        MapState<String, Long> byName = backend.state(BY_NAME);
        LongValueState total = backend.state(TOTAL);
        for (int k = 0; k < keys; k++) {
            backend.setCurrentKey("key" + k);
            count.update((long) k);
            acc.update(new long[] {k, 2L * k});
            seen.add("s" + k);
            seen.add("t" + k);
            byName.put("m0", (long) k);
            byName.put("m1", k + 1L);
        }
        for (long k = 0; k < keys; k++) {
            backend.setCurrentKey(k * 7919);
            total.update(k);
        }
    }

    private static String dump(KeyedStateBackend<String> backend, int keys) {
        ValueState<Long> count = backend.state(COUNT);
        ValueState<long[]> acc = backend.state(ACC);
        ListState<String> seen = backend.state(SEEN);
        MapState<String, Long> byName = backend.state(BY_NAME);
        LongValueState total = backend.state(TOTAL);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < keys; k++) {
            backend.setCurrentKey("key" + k);
            long[] a = acc.value();
            sb.append(k).append(':').append(count.value()).append(',')
                .append(a == null ? "-" : a[0] + "/" + a[1]).append(',')
                .append(new ArrayList<>(seen.get())).append(',')
                .append(new TreeMap<>(toMap(byName))).append('\n');
        }
        for (long k = 0; k < keys; k++) {
            backend.setCurrentKey(k * 7919);
            sb.append(total.exists() ? total.value() : "-").append(' ');
        }
        return sb.toString();
    }

    private static Map<String, Long> toMap(MapState<String, Long> state) {
        HashMap<String, Long> map = new HashMap<>();
        for (Map.Entry<String, Long> e : state.entries()) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static KeyedStateBackend<String>[] partitions(int parallelism) {
        KeyedStateBackend<String>[] backends = new KeyedStateBackend[parallelism];
        for (int p = 0; p < parallelism; p++) {
            backends[p] = new KeyedStateBackend<>(StateCodecs.strings(), MAX, KeyGroups.rangeOf(p, MAX, parallelism));
        }
        return backends;
    }

    private static KeyedStateBackend<String> ownerOf(KeyedStateBackend<String>[] backends, String key) {
        return backends[KeyGroups.partitionOf(KeyGroups.keyGroupOf(key, MAX), MAX, backends.length)];
    }
}
