package io.rivulet.operators.topn;

import io.rivulet.operators.KeyValue;
import io.rivulet.operators.Output;
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

/** Queryable state of the top-N operators: the current ranks, as a direct sort of every key gives them. */
class TopNQueryTest {
    private static final Object ALL = Boolean.TRUE;
    private static final Output<RankedValue<String, Long>> IGNORED = row -> { };

    /** The direct ranking: value descending, then key ascending. */
    private static List<RankedValue<String, Long>> direct(Window window, Map<String, Long> values, int n) {
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort(Comparator.comparing((String k) -> values.get(k)).reversed().thenComparing(Comparator.naturalOrder()));
        List<RankedValue<String, Long>> ranks = new ArrayList<>();
        for (int i = 0; i < Math.min(n, keys.size()); i++) {
            ranks.add(new RankedValue<>(window, i + 1, keys.get(i), values.get(keys.get(i))));
        }
        return ranks;
    }

    @Test
    void shouldReadAKeysCurrentRankWhileItRanksWithinNAndScanTheNRanks() {
        for (boolean emitPerRecord : new boolean[] {true, false}) {
            TopNOperator<String, Long> op = new TopNOperator<>(3, Comparator.naturalOrder(), Comparator.naturalOrder(),
                emitPerRecord);
            SplittableRandom random = new SplittableRandom(5);
            Map<String, Long> values = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                String key = "k" + random.nextInt(8);
                long value = random.nextInt(100);
                op.process(ALL, new KeyValue<>(key, value), IGNORED);
                values.put(key, value);
                List<RankedValue<String, Long>> expected = direct(null, values, 3);
                TreeMap<String, RankedValue<String, Long>> scanned = new TreeMap<>();
                op.scanValues(k -> true, scanned::put);
                assertThat(scanned.values()).containsExactlyInAnyOrderElementsOf(expected);
                for (int k = 0; k < 8; k++) {
                    String key2 = "k" + k;
                    RankedValue<String, Long> rank = expected.stream().filter(r -> r.key().equals(key2)).findFirst().orElse(null);
                    assertThat(op.queryValue(key2)).as("rank of %s after record %d", key2, i).isEqualTo(rank);
                }
                if (i % 10 == 9) {
                    op.onEpoch(i, IGNORED);
                }
            }
        }
    }

    @Test
    void shouldReadAKeysRanksInEveryOpenWindowAndForgetClosedWindows() {
        WindowTopNOperator<String, Long> op = new WindowTopNOperator<>(2, Comparator.naturalOrder(),
            Comparator.naturalOrder(), false, true, null);
        SplittableRandom random = new SplittableRandom(9);
        TreeMap<Window, Map<String, Long>> windows = new TreeMap<>(Comparator.comparingLong(Window::endMs));
        for (int i = 0; i < 200; i++) {
            long start = random.nextInt(4) * 10L;
            Window window = new Window(start, start + 10);
            String key = "k" + random.nextInt(5);
            long value = random.nextInt(50);
            op.process(ALL, new WindowedValue<>(key, window, value), IGNORED);
            windows.computeIfAbsent(window, w -> new HashMap<>()).put(key, value);
        }
        assertRanks(op, windows);
        op.onWatermark(20, IGNORED); // closes the windows ending at 10 and 20
        windows.headMap(new Window(20, 30)).clear();
        assertRanks(op, windows);
        op.onWatermark(40, IGNORED);
        assertThat(op.queryValue("k0")).isNull();
        List<String> scanned = new ArrayList<>();
        op.scanValues(k -> true, (k, v) -> scanned.add(k));
        assertThat(scanned).isEmpty();
    }

    private static void assertRanks(WindowTopNOperator<String, Long> op, TreeMap<Window, Map<String, Long>> windows) {
        TreeMap<String, List<RankedValue<String, Long>>> expected = new TreeMap<>();
        windows.forEach((window, values) -> direct(window, values, 2)
            .forEach(rank -> expected.computeIfAbsent(rank.key(), k -> new ArrayList<>()).add(rank)));
        TreeMap<String, List<RankedValue<String, Long>>> scanned = new TreeMap<>();
        op.scanValues(k -> true, scanned::put);
        assertThat(scanned).isEqualTo(expected);
        for (int k = 0; k < 5; k++) {
            assertThat(op.queryValue("k" + k)).isEqualTo(expected.get("k" + k));
        }
    }
}
