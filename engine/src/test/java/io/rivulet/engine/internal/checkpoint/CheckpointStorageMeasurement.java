package io.rivulet.engine.internal.checkpoint;

import io.rivulet.operators.state.KeyGroupBuffers;
import io.rivulet.operators.state.SnapshotOutput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Times checkpoint writes and loads on the local disk (not a benchmark: a figure for the docs).
 * Runs only in the soak profile:
 * {@code mvn -B -o -q -Psoak -pl engine test -Dtest=CheckpointStorageMeasurement -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("soak")
class CheckpointStorageMeasurement {
    private static final int KEY_GROUPS = 128;
    private static final String OPERATOR = "agg";

    @TempDir
    Path location;

    @Test
    void measure128KeyGroupsOf8Kb() {
        byte[][] groups = new byte[KEY_GROUPS][];
        for (int g = 0; g < KEY_GROUPS; g++) {
            groups[g] = CheckpointStorageTest.block(g, 8 * 1024);
        }
        run("128 key groups x 8 KB", groups, 40);
    }

    @Test
    void measureOneMillionKeys() {
        KeyGroupBuffers buffers = KeyGroupBuffers.all(KEY_GROUPS);
        for (long key = 0; key < 1_000_000; key++) {
            SnapshotOutput out = buffers.forKey(key);
            out.writeLong(key).writeString("value-" + (key * 2_654_435_761L)).writeLong(key * 31);
        }
        byte[][] groups = new byte[KEY_GROUPS][];
        for (int g = 0; g < KEY_GROUPS; g++) {
            groups[g] = buffers.keyGroupBytes(g);
        }
        run("1M keys", groups, 8);
    }

    private void run(String name, byte[][] groups, int rounds) {
        long totalBytes = Arrays.stream(groups).mapToLong(b -> b.length).sum();
        long[] full = new long[rounds];
        long[] incremental = new long[rounds];
        long[] retain = new long[rounds];
        long epoch = 0;
        try (CheckpointStorage storage = CheckpointStorage.open(location, KEY_GROUPS, "plan")) {
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                CheckpointBuilder builder = storage.begin(epoch++);
                for (int g = 0; g < KEY_GROUPS; g++) {
                    builder.putKeyGroup(OPERATOR, g, groups[g], 0, groups[g].length);
                }
                builder.putSourcePosition("source", 0, new byte[8]);
                builder.complete();
                full[r] = System.nanoTime() - start;

                start = System.nanoTime();
                builder = storage.begin(epoch++);
                for (int g = 0; g < KEY_GROUPS; g++) {
                    if (g % 16 == r % 16) {
                        builder.putKeyGroup(OPERATOR, g, groups[g], 0, groups[g].length);
                    } else {
                        builder.reuseKeyGroup(OPERATOR, g);
                    }
                }
                builder.putSourcePosition("source", 0, new byte[8]);
                builder.complete();
                incremental[r] = System.nanoTime() - start;

                start = System.nanoTime();
                storage.retain(CheckpointStorage.DEFAULT_MIN_BATCHES_TO_RETAIN);
                retain[r] = System.nanoTime() - start;
            }
        }
        long[] load = new long[5];
        for (int r = 0; r < load.length; r++) {
            long start = System.nanoTime();
            long read = 0;
            try (CheckpointStorage storage = CheckpointStorage.open(location, KEY_GROUPS, "plan")) {
                Checkpoint checkpoint = storage.latestComplete().orElseThrow();
                for (int g : checkpoint.keyGroups(OPERATOR)) {
                    read += checkpoint.readKeyGroup(OPERATOR, g).length;
                }
            }
            load[r] = System.nanoTime() - start;
            assertThat(read).isEqualTo(totalBytes);
        }
        System.out.printf("%s (%.1f MB): full checkpoint median %.2f ms (max %.2f), 1/16 changed median %.2f ms"
                + " (max %.2f), retain median %.2f ms, open+verify+read all median %.2f ms (max %.2f, warm page cache)%n",
            name, totalBytes / 1e6, median(full), max(full), median(incremental), max(incremental), median(retain),
            median(load), max(load));
    }

    private static double median(long[] ns) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double max(long[] ns) {
        return Arrays.stream(ns).max().getAsLong() / 1e6;
    }
}
