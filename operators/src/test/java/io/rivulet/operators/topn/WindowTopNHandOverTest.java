package io.rivulet.operators.topn;

import io.rivulet.operators.StateMetrics;
import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.LaggingSnapshotWriter;
import io.rivulet.operators.state.OperatorSnapshot;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The windowed top-N's O(1) barrier: what changed is handed over by reference and the writer thread
 * puts it into the image later, so a snapshot written by a lagging writer, while the owner goes on
 * changing, closing and opening windows, must still hold the state as of its barrier.
 */
class WindowTopNHandOverTest {
    private static final int KEYS = 40;
    /** Large enough that every key of a window is ranked: a restored ranking shows the whole window. */
    private static final int N = KEYS;

    private static WindowTopNOperator<Integer, Long> operator() {
        return new WindowTopNOperator<>(N, Comparator.naturalOrder(), Comparator.naturalOrder(), false, false, null);
    }

    /** The model's rankings as "window#rank key=value" rows: value descending, then key ascending. */
    private static List<String> ranks(Map<Window, Map<Integer, Long>> model) {
        List<String> rows = new ArrayList<>();
        model.forEach((window, values) -> {
            List<Integer> keys = new ArrayList<>(values.keySet());
            keys.sort(Comparator.comparing((Integer k) -> values.get(k)).reversed().thenComparing(Comparator.naturalOrder()));
            for (int r = 0; r < keys.size(); r++) {
                rows.add(window.startMs() + "#" + (r + 1) + " " + keys.get(r) + "=" + values.get(keys.get(r)));
            }
        });
        rows.add("rows held " + model.values().stream().mapToInt(Map::size).sum());
        return rows;
    }

    /** Restores a written snapshot and reads every window's ranking; asserts the emitted ranks came back too. */
    private static List<String> readBack(OperatorSnapshot snapshot, Iterable<Window> windows) {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(128);
        snapshot.writeTo(buffers);
        snapshot.release();
        WindowTopNOperator<Integer, Long> fresh = operator();
        buffers.restoreInto(fresh, buffers.range());
        List<String> rows = new ArrayList<>();
        for (Window window : windows) {
            for (RankedValue<Integer, Long> rank : fresh.top(window)) {
                rows.add(window.startMs() + "#" + rank.rank() + " " + rank.key() + "=" + rank.value());
            }
        }
        StateMetrics metrics = new StateMetrics();
        fresh.stateMetrics(metrics);
        rows.add("rows held " + metrics.numRowsTotal()); // closed windows are gone from the image too
        List<RankedValue<Integer, Long>> reemitted = new ArrayList<>();
        fresh.onEpoch(0, reemitted::add);
        if (!reemitted.isEmpty()) {
            rows.add("re-emitted after restore: " + reemitted);
        }
        return rows;
    }

    @Test
    void shouldWriteEverySnapshotAsOfItsBarrierWhileTheOwnerKeepsRankingClosingAndOpeningWindows() throws Exception {
        LaggingSnapshotWriter<List<String>> writer = new LaggingSnapshotWriter<>();
        WindowTopNOperator<Integer, Long> op = operator();
        SplittableRandom random = new SplittableRandom(3);
        TreeMap<Window, Map<Integer, Long>> model = new TreeMap<>(Comparator.comparingLong(Window::endMs));
        long watermarkMs = Long.MIN_VALUE;
        for (int epoch = 0; epoch < 120; epoch++) {
            long baseMs = epoch * 5L;
            for (int i = 0; i < 300; i++) {
                long start = (baseMs + random.nextInt(30)) / 10 * 10;
                Window window = new Window(start, start + 10);
                int key = random.nextInt(KEYS);
                long value = random.nextInt(1_000);
                op.process(Boolean.TRUE, new WindowedValue<>(key, window, value), r -> { });
                if (window.endMs() > watermarkMs) {
                    model.computeIfAbsent(window, w -> new TreeMap<>()).put(key, value);
                }
            }
            watermarkMs = baseMs;
            op.onWatermark(watermarkMs, r -> { });
            long w = watermarkMs;
            model.keySet().removeIf(window -> window.endMs() <= w);
            op.onEpoch(epoch, r -> { });
            List<Window> open = new ArrayList<>(model.keySet());
            writer.barrier(op.snapshotState(epoch), ranks(model), snapshot -> readBack(snapshot, open), epoch % 3 != 1);
        }
        assertThat(writer.finish()).isEqualTo(80);
    }
}
