package io.rivulet.operators.topn;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.state.KeepingStore;
import io.rivulet.operators.state.KeyGroupRange;
import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.StateFormatException;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The top-N operators driven by hand against a direct computation (sort every key, take N). */
class TopNOperatorTest {
    private static final Object ALL = Boolean.TRUE;

    /** The direct computation: value descending, then key (if keyOrder), then when the key reached its value. */
    private static List<String> direct(Map<String, Long> values, Map<String, Long> since, int n, boolean keyOrder) {
        Comparator<String> order = Comparator.comparing((String k) -> values.get(k)).reversed();
        if (keyOrder) {
            order = order.thenComparing(Comparator.naturalOrder());
        }
        order = order.thenComparing(since::get);
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort(order);
        List<String> top = new ArrayList<>();
        for (int i = 0; i < Math.min(n, keys.size()); i++) {
            top.add(keys.get(i) + "=" + values.get(keys.get(i)));
        }
        return top;
    }

    /** The ranking a consumer of update rows holds: rank -> row, each row replacing its rank's previous one. */
    private static List<String> view(Map<Integer, RankedValue<String, Long>> ranks) {
        List<String> rows = new ArrayList<>();
        for (int r = 1; ranks.containsKey(r); r++) {
            rows.add(ranks.get(r).key() + "=" + ranks.get(r).value());
        }
        return rows;
    }

    @Test
    void shouldHoldTheDirectlyComputedTopNAfterEveryRecordWhenChangedRanksAreApplied() {
        for (boolean keyOrder : new boolean[] {false, true}) {
            for (long seed = 1; seed <= 20; seed++) {
                SplittableRandom random = new SplittableRandom(seed);
                int n = 1 + random.nextInt(6);
                TopNOperator<String, Long> op = new TopNOperator<>(n, Comparator.naturalOrder(),
                    keyOrder ? Comparator.naturalOrder() : null, true);
                Map<String, Long> values = new HashMap<>();
                Map<String, Long> since = new HashMap<>();
                Map<Integer, RankedValue<String, Long>> ranks = new TreeMap<>();
                for (long i = 0; i < 400; i++) {
                    String key = "k" + random.nextInt(15);
                    long value = random.nextInt(8);
                    if (!Long.valueOf(value).equals(values.put(key, value))) {
                        since.put(key, i);
                    }
                    List<RankedValue<String, Long>> emitted = new ArrayList<>();
                    op.process(ALL, new KeyValue<>(key, value), emitted::add);
                    for (RankedValue<String, Long> row : emitted) {
                        assertThat(row.window()).isNull();
                        assertThat(ranks.put(row.rank(), row)).as("a rank is emitted only when it changed").isNotEqualTo(row);
                    }
                    assertThat(view(ranks)).as("seed %d, n %d, record %d, key order %s", seed, n, i, keyOrder)
                        .isEqualTo(direct(values, since, n, keyOrder));
                }
                assertThat(op.top()).extracting(r -> r.key() + "=" + r.value()).isEqualTo(direct(values, since, n, keyOrder));
            }
        }
    }

    @Test
    void shouldEmitOnlyAtEpochEndsTheRanksThatChangedOverTheBatch() {
        SplittableRandom random = new SplittableRandom(7);
        TopNOperator<String, Long> op = new TopNOperator<>(3, Comparator.naturalOrder(), Comparator.naturalOrder(), false);
        Map<String, Long> values = new HashMap<>();
        Map<Integer, RankedValue<String, Long>> ranks = new TreeMap<>();
        for (long epoch = 0; epoch < 50; epoch++) {
            for (int i = 0; i < random.nextInt(10); i++) {
                String key = "k" + random.nextInt(10);
                long value = values.merge(key, (long) random.nextInt(5), Long::sum);
                op.process(ALL, new KeyValue<>(key, value), row -> {
                    throw new AssertionError("emitted within a batch: " + row);
                });
            }
            List<RankedValue<String, Long>> emitted = new ArrayList<>();
            op.onEpoch(epoch, emitted::add);
            assertThat(emitted).extracting(RankedValue::rank).doesNotHaveDuplicates();
            emitted.forEach(row -> ranks.put(row.rank(), row));
            // Ties are broken by key order, so the direct computation never needs the arrival order.
            assertThat(view(ranks)).as("epoch %d", epoch).isEqualTo(direct(values, Map.of(), 3, true));
        }
    }

    @Test
    void shouldRejectFewerThanOneRank() {
        assertThatThrownBy(() -> new TopNOperator<String, Long>(0, Comparator.naturalOrder(), null, true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n (ranks kept) must be >= 1, got 0");
    }

    @Test
    void shouldEmitEachWindowsTopNOnceWhenTheWatermarkClosesItAndCountLateRows() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Object> late = new ArrayList<>();
            WindowTopNOperator<String, Long> op = new WindowTopNOperator<>(4, Comparator.naturalOrder(),
                Comparator.naturalOrder(), true, true, late::add);
            Map<Window, Map<String, Long>> direct = new TreeMap<>(Comparator.comparingLong(Window::endMs));
            List<RankedValue<String, Long>> out = new ArrayList<>();
            long watermark = Long.MIN_VALUE;
            long expectedLate = 0;
            for (int i = 0; i < 300; i++) {
                long start = (i / 20 + random.nextInt(3) - 1) * 10L;
                Window window = new Window(start, start + 10);
                String key = "k" + random.nextInt(12);
                long value = random.nextInt(6);
                op.process(ALL, new WindowedValue<>(key, window, value), out::add);
                if (window.endMs() <= watermark) {
                    expectedLate++;
                } else {
                    direct.computeIfAbsent(window, w -> new HashMap<>()).put(key, value);
                }
                if (random.nextInt(10) == 0) {
                    watermark = Math.max(watermark, (i / 20) * 10L - 5);
                    op.onWatermark(watermark, out::add);
                }
            }
            op.onEnd(out::add);
            List<String> expected = new ArrayList<>();
            direct.forEach((w, values) -> direct(values, Map.of(), 4, true).forEach(row -> expected.add(w.startMs() + " " + row)));
            assertThat(out).extracting(r -> r.window().startMs() + " " + r.key() + "=" + r.value()).as("seed %d", seed)
                .isEqualTo(expected);
            assertThat(late).hasSize((int) expectedLate);
            StateMetrics metrics = new StateMetrics();
            op.stateMetrics(metrics);
            assertThat(metrics.numRowsDroppedByWatermark()).isEqualTo(expectedLate);
            assertThat(metrics.numRowsTotal()).as("every window emitted and dropped at the end").isZero();
        }
    }

    @Test
    void shouldWriteOnlyTheKeyGroupsOfKeysChangedSinceThePreviousBarrierAndRestoreTheRanking() {
        KeepingStore store = new KeepingStore(128, new KeyGroupRange(0, 128));
        TopNOperator<String, Long> op = new TopNOperator<>(3, Comparator.<Long>naturalOrder(), null, false);
        for (int k = 0; k < 500; k++) {
            op.process(ALL, new KeyValue<>("k" + k, (long) k % 97), r -> { });
        }
        op.onEpoch(1, r -> { });
        KeepingStore.Write first = store.begin();
        op.snapshotState(1).writeTo(first);
        first.complete();
        op.process(ALL, new KeyValue<>("k7", 1_000L), r -> { });
        op.process(ALL, new KeyValue<>("k7", 2_000L), r -> { });
        op.onEpoch(2, r -> { });
        KeepingStore.Write second = store.begin();
        op.snapshotState(2).writeTo(second);
        second.complete();
        assertThat(second.writtenGroups().cardinality()).as("key groups written").isEqualTo(1);
        assertThat(second.writtenGroups().get(KeyGroups.keyGroupOf("k7", 128))).isTrue();
        assertThat(second.keptGroups().cardinality()).isGreaterThan(100);

        TopNOperator<String, Long> restored = new TopNOperator<>(3, Comparator.<Long>naturalOrder(), null, false);
        store.restoreInto(restored, new KeyGroupRange(0, 128));
        assertThat(restored.top()).isEqualTo(op.top());
        List<RankedValue<String, Long>> changed = new ArrayList<>();
        restored.onEpoch(3, changed::add);
        assertThat(changed).as("nothing changed since the ranks emitted before the barrier").isEmpty();
        restored.process(ALL, new KeyValue<>("k8", 1_500L), r -> { });
        restored.onEpoch(4, changed::add);
        assertThat(changed).as("ranks 2 and 3 changed; rank 1 (k7) was emitted before the barrier")
            .extracting(r -> r.rank() + ":" + r.key()).containsExactly("2:k8", "3:k96");
    }

    @Test
    void shouldRefuseToRestoreTheWholeRankingFormatWithAClearMessage() {
        TopNOperator<String, Long> op = new TopNOperator<>(3, Comparator.<Long>naturalOrder(), null, false);
        assertThatThrownBy(() -> op.restoreKeyGroup(5, new SnapshotInput(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0})))
            .isInstanceOf(StateFormatException.class).hasMessageContaining("key group 5").hasMessageContaining("format 1");
    }
}
