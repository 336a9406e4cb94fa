package io.rivulet.operators.dstream;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.KeyedOperator;
import io.rivulet.operators.Output;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.state.StateCodecs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each DStream operator against a direct computation over the same batches, driven by hand: records,
 * then the batch's processing time, then the batch's end.
 */
class DStreamOperatorsTest {
    private static final long INTERVAL_MS = 1_000;
    private static final long START_MS = 1_700_000_000_500L;

    /** Random batches of (word, count) pairs over 6 words; some batches empty. */
    static List<List<KeyValue<String, Long>>> batches(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<KeyValue<String, Long>>> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            List<KeyValue<String, Long>> batch = new ArrayList<>();
            int size = random.nextInt(4) == 0 ? 0 : random.nextInt(8);
            for (int i = 0; i < size; i++) {
                batch.add(new KeyValue<>("w" + random.nextInt(6), 1L + random.nextInt(3)));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Runs the batches through {@code op}, batch {@code n} at {@code START + n * interval + a little}; output per batch. */
    static <O> List<List<O>> run(KeyedOperator<String, Long, O> op, List<List<KeyValue<String, Long>>> batches) {
        List<List<O>> out = new ArrayList<>();
        for (int n = 0; n < batches.size(); n++) {
            List<O> batchOut = new ArrayList<>();
            Output<O> sink = batchOut::add;
            for (KeyValue<String, Long> kv : batches.get(n)) {
                op.process(kv.key(), kv.value(), sink);
            }
            op.onProcessingTime(START_MS + n * INTERVAL_MS + (n * 37) % 300, sink);
            op.onEpoch(n, sink);
            out.add(batchOut);
        }
        return out;
    }

    static <V> Map<String, V> asMap(List<KeyValue<String, V>> pairs) {
        Map<String, V> map = new TreeMap<>();
        for (KeyValue<String, V> kv : pairs) {
            assertThat(map.put(kv.key(), kv.value())).as("one result per key per batch: %s", kv.key()).isNull();
        }
        return map;
    }

    /** Sums of each key over batches {@code from..to} (clamped at 0); keys with no value left out. */
    static Map<String, Long> sums(List<List<KeyValue<String, Long>>> batches, int from, int to) {
        Map<String, Long> sums = new TreeMap<>();
        for (int b = Math.max(0, from); b <= to; b++) {
            for (KeyValue<String, Long> kv : batches.get(b)) {
                sums.merge(kv.key(), kv.value(), Long::sum);
            }
        }
        return sums;
    }

    private static DStreamSettings<String, Long> settings() {
        return DStreamSettings.of(INTERVAL_MS);
    }

    @Test
    void shouldReduceByKeyWithinEachBatchNotRunning() {
        List<List<KeyValue<String, Long>>> batches = batches(1, 30);
        List<List<KeyValue<String, Long>>> out = run(BatchWindowOperator.reduce(Long::sum, settings(), INTERVAL_MS, INTERVAL_MS),
            batches);
        for (int n = 0; n < batches.size(); n++) {
            assertThat(asMap(out.get(n))).as("batch %d", n).isEqualTo(sums(batches, n, n));
        }
    }

    @Test
    void shouldReduceByKeyAndWindowOverTheLastBatchesAtEverySlide() {
        List<List<KeyValue<String, Long>>> batches = batches(2, 40);
        List<List<KeyValue<String, Long>>> out = run(BatchWindowOperator.reduce(Long::sum, settings(), 3 * INTERVAL_MS,
            2 * INTERVAL_MS), batches);
        for (int n = 0; n < batches.size(); n++) {
            if ((n + 1) % 2 == 0) {
                assertThat(asMap(out.get(n))).as("window ending at batch %d", n).isEqualTo(sums(batches, n - 2, n));
            } else {
                assertThat(out.get(n)).as("no window ends at batch %d", n).isEmpty();
            }
        }
    }

    @Test
    void shouldReduceByKeyAndWindowIncrementallyWithTheInverseKeepingZeroKeysUnlessFiltered() {
        List<List<KeyValue<String, Long>>> batches = batches(3, 40);
        List<List<KeyValue<String, Long>>> kept = run(BatchWindowOperator.reduceWithInverse(Long::sum, (a, b) -> a - b, null,
            settings(), 4 * INTERVAL_MS, 2 * INTERVAL_MS), batches);
        List<List<KeyValue<String, Long>>> filtered = run(BatchWindowOperator.reduceWithInverse(Long::sum, (a, b) -> a - b,
            kv -> kv.value() != 0L, settings(), 4 * INTERVAL_MS, 2 * INTERVAL_MS), batches);
        Set<String> seen = new HashSet<>();
        for (int n = 0; n < batches.size(); n++) {
            for (KeyValue<String, Long> kv : batches.get(n)) {
                seen.add(kv.key());
            }
            if ((n + 1) % 2 != 0) {
                assertThat(kept.get(n)).isEmpty();
                continue;
            }
            Map<String, Long> window = sums(batches, n - 3, n);
            assertThat(asMap(filtered.get(n))).as("filtered window ending at batch %d", n).isEqualTo(window);
            Map<String, Long> withZeros = asMap(kept.get(n));
            assertThat(withZeros.keySet()).as("every key seen stays without a filter").isEqualTo(new TreeMap<>(
                seen.stream().collect(Collectors.toMap(k -> k, k -> 0))).keySet());
            for (Map.Entry<String, Long> e : withZeros.entrySet()) {
                assertThat(e.getValue()).as("key %s at batch %d", e.getKey(), n).isEqualTo(window.getOrDefault(e.getKey(), 0L));
            }
        }
        assertThat(kept.stream().flatMap(List::stream).anyMatch(kv -> kv.value() == 0L)).as("some window emptied").isTrue();
    }

    @Test
    void shouldEmitEveryRecordOfTheWindowBatchByBatchInArrivalOrder() {
        List<List<KeyValue<String, Long>>> batches = batches(4, 20);
        BatchWindowOperator<String, KeyValue<String, Long>, KeyValue<String, Long>> op = BatchWindowOperator.collect(
            DStreamSettings.of(INTERVAL_MS), 3 * INTERVAL_MS, INTERVAL_MS);
        for (int n = 0; n < batches.size(); n++) {
            List<KeyValue<String, Long>> out = new ArrayList<>();
            for (KeyValue<String, Long> kv : batches.get(n)) {
                op.process("all", kv, out::add);
            }
            op.onProcessingTime(START_MS + n * INTERVAL_MS, out::add);
            op.onEpoch(n, out::add);
            List<KeyValue<String, Long>> expected = new ArrayList<>();
            for (int b = Math.max(0, n - 2); b <= n; b++) {
                expected.addAll(batches.get(b));
            }
            assertThat(out).as("window ending at batch %d", n).isEqualTo(expected);
        }
    }

    @Test
    void shouldCountTriggersWithoutABatchAsEmptyBatchesOfTheWindow() {
        BatchWindowOperator<String, Long, KeyValue<String, Long>> op = BatchWindowOperator.reduce(Long::sum, settings(),
            2 * INTERVAL_MS, INTERVAL_MS);
        List<KeyValue<String, Long>> out = new ArrayList<>();
        op.process("a", 1L, out::add);
        op.onProcessingTime(START_MS, out::add);
        op.onEpoch(0, out::add);
        op.process("a", 10L, out::add);
        op.onProcessingTime(START_MS + INTERVAL_MS + 20, out::add);
        op.onEpoch(1, out::add);
        assertThat(out).containsExactly(new KeyValue<>("a", 1L), new KeyValue<>("a", 11L));
        assertThat(op.nextProcessingTimeMs()).as("the key's window slides on: a batch is due half an interval on")
            .isEqualTo(START_MS + INTERVAL_MS + 20 + INTERVAL_MS / 2);
        out.clear();
        // Batches 2 and 3 never ran (the query was busy); batch 4 runs with a value of its own.
        op.process("a", 100L, out::add);
        op.onProcessingTime(START_MS + 4 * INTERVAL_MS + 5, out::add);
        op.onEpoch(2, out::add);
        assertThat(out).as("batch 1 left the window of batches 3..4").containsExactly(new KeyValue<>("a", 100L));
        out.clear();
        op.onProcessingTime(START_MS + 6 * INTERVAL_MS, out::add);
        op.onEpoch(3, out::add);
        assertThat(out).as("batch 6: nothing left in the window").isEmpty();
        assertThat(op.nextProcessingTimeMs()).as("no state: no batch needed").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRejectAWindowOrSlideThatIsNotAMultipleOfTheBatchInterval() {
        assertThatThrownBy(() -> BatchWindowOperator.reduce(Long::sum, settings(), 1_500, INTERVAL_MS))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("The window duration of windowed DStream (1500 ms) must be a multiple of the slide duration"
                + " of parent DStream (1000 ms)");
        assertThatThrownBy(() -> BatchWindowOperator.reduce(Long::sum, settings(), 2 * INTERVAL_MS, 500))
            .hasMessageContaining("The slide duration of windowed DStream (500 ms) must be a multiple");
        assertThatThrownBy(() -> DStreamSettings.of(0)).hasMessageContaining("batchIntervalMs must be >= 1");
    }

    @Test
    void shouldUpdateStateByKeyForEveryKeyWithValuesOrStateEachBatch() {
        List<List<KeyValue<String, Long>>> batches = batches(5, 30);
        Map<String, Integer> idleCalls = new HashMap<>();
        // Running sum; a key whose sum passes 12 is removed (empty), and counts the batches it was called without values.
        UpdateStateFunction<Long, Long> fn = (values, state) -> {
            long sum = state.orElse(0L);
            for (long v : values) {
                sum += v;
            }
            return sum > 12 ? Optional.empty() : Optional.of(sum);
        };
        UpdateStateByKeyOperator<String, Long, Long> op = new UpdateStateByKeyOperator<>((values, state) -> {
            if (values.isEmpty()) {
                idleCalls.merge("calls", 1, Integer::sum);
            }
            return fn.call(values, state);
        }, settings(), StateCodecs.longs());
        List<List<KeyValue<String, Long>>> out = run(op, batches);
        Map<String, Long> expected = new TreeMap<>();
        int expectedIdle = 0;
        for (int n = 0; n < batches.size(); n++) {
            Map<String, Long> batch = sums(batches, n, n);
            expectedIdle += (int) expected.keySet().stream().filter(k -> !batch.containsKey(k)).count();
            Set<String> keys = new HashSet<>(expected.keySet());
            keys.addAll(batch.keySet());
            for (String k : keys) {
                long sum = expected.getOrDefault(k, 0L) + batch.getOrDefault(k, 0L);
                if (sum > 12) {
                    expected.remove(k);
                } else {
                    expected.put(k, sum);
                }
            }
            assertThat(asMap(out.get(n))).as("state after batch %d", n).isEqualTo(expected);
        }
        assertThat(idleCalls.get("calls")).as("keys with state only are called every batch").isEqualTo(expectedIdle);
    }

    @Test
    void shouldMapWithStatePerRecordAndTimeOutIdleKeysOnce() {
        List<List<KeyValue<String, Long>>> batches = batches(6, 40);
        MapWithStateFunction<String, Long, Long, String> fn = (key, value, state) -> {
            if (state.isTimingOut()) {
                assertThat(value).isEmpty();
                assertThatThrownBy(() -> state.update(1L)).hasMessageContaining("Cannot update the state that is timing out");
                return key + " idle at " + state.get();
            }
            long sum = state.getOption().orElse(0L) + value.orElseThrow();
            state.update(sum);
            return key + "=" + sum;
        };
        long timeoutMs = 2 * INTERVAL_MS + 1;
        List<List<String>> mapped = run(MapWithStateOperator.mapped(fn, timeoutMs, settings(), StateCodecs.longs()), batches);
        List<List<KeyValue<String, Long>>> snapshots = run(MapWithStateOperator.snapshots(fn, timeoutMs, settings(),
            StateCodecs.longs()), batches);
        Map<String, Long> state = new TreeMap<>();
        Map<String, Integer> lastCall = new HashMap<>();
        boolean timedOut = false;
        for (int n = 0; n < batches.size(); n++) {
            List<String> expected = new ArrayList<>();
            for (KeyValue<String, Long> kv : batches.get(n)) {
                long sum = state.merge(kv.key(), kv.value(), Long::sum);
                lastCall.put(kv.key(), n);
                expected.add(kv.key() + "=" + sum);
            }
            List<String> idle = new ArrayList<>();
            for (String key : new ArrayList<>(state.keySet())) {
                if ((n - lastCall.get(key)) * INTERVAL_MS > timeoutMs) {
                    idle.add(key + " idle at " + state.remove(key));
                    timedOut = true;
                }
            }
            assertThat(mapped.get(n).subList(0, expected.size())).as("per record, in order, batch %d", n).isEqualTo(expected);
            assertThat(mapped.get(n).subList(expected.size(), mapped.get(n).size())).as("timeouts of batch %d", n)
                .containsExactlyInAnyOrderElementsOf(idle);
            assertThat(asMap(snapshots.get(n))).as("snapshot after batch %d", n).isEqualTo(state);
        }
        assertThat(timedOut).as("the script times keys out").isTrue();
    }

    @Test
    void shouldKeepUpdateStateByKeyStateAndTheBatchIndexThroughASnapshot() {
        UpdateStateByKeyOperator<String, Long, Long> op = new UpdateStateByKeyOperator<>(
            (values, state) -> Optional.of(state.orElse(0L) + values.size()), settings(), StateCodecs.longs());
        List<KeyValue<String, Long>> out = new ArrayList<>();
        op.process("a", 1L, out::add);
        op.process("a", 1L, out::add);
        op.onEpoch(0, out::add);
        KeyGroupBuffers buffers = new KeyGroupBuffers(KeyGroups.DEFAULT_MAX_PARALLELISM,
            KeyGroups.rangeOf(0, KeyGroups.DEFAULT_MAX_PARALLELISM, 1));
        OperatorSnapshot snapshot = op.snapshotState(0);
        snapshot.writeTo(buffers);
        snapshot.release();
        UpdateStateByKeyOperator<String, Long, Long> restored = new UpdateStateByKeyOperator<>(
            (values, state) -> Optional.of(state.orElse(0L) + values.size()), settings(), StateCodecs.longs());
        buffers.restoreInto(restored, KeyGroups.rangeOf(0, KeyGroups.DEFAULT_MAX_PARALLELISM, 1));
        assertThat(restored.nextProcessingTimeMs()).as("a restored key is due a batch at once").isEqualTo(Long.MIN_VALUE);
        out.clear();
        restored.process("a", 1L, out::add);
        restored.onProcessingTime(START_MS, out::add);
        restored.onEpoch(1, out::add);
        assertThat(out).containsExactly(new KeyValue<>("a", 3L));
    }
}
