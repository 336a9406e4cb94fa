package io.rivulet.engine;

import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.window.WindowedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-JVM recovery time with a large state: a windowed count over {@code rivulet.perf.keys} keys
 * (default 1 M, all in one window, so the state is one entry per key) fails once, after a few
 * checkpoints, in a user function; the {@link RestartStrategy} restarts it from the last checkpoint
 * (no backoff). Prints the time from the failure to the first epoch the restarted run commits: stop
 * of the failed run, opening and verifying the checkpoint, restoring every key, replaying the
 * source from its checkpointed position, and one epoch. The final counts are checked.
 *
 * <p>Off by default; run with
 * {@code mvn -B -o -q -pl engine test -Dtest=RecoveryTimeCheck -Drivulet.perf=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "rivulet.perf", matches = "true")
class RecoveryTimeCheck {
    private static final int KEYS = Integer.getInteger("rivulet.perf.keys", 1_000_000);

    @TempDir
    Path checkpoints;

    @Test
    void shouldReportTheTimeFromAFailureToTheFirstCommittedEpochOfTheRestartedRun() throws Exception {
        long total = 4L * KEYS;
        long failAt = 3L * KEYS;
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicLong failedAtNs = new AtomicLong();
        ConcurrentLinkedQueue<long[]> progressNs = new ConcurrentLinkedQueue<>();
        AtomicReference<UUID> firstRun = new AtomicReference<>();
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.streams().addListener(new StreamingQueryListener() {
                @Override
                public void onQueryProgress(StreamingQuery query, QueryProgress progress) {
                    firstRun.compareAndSet(null, progress.runId());
                    progressNs.add(new long[] {System.nanoTime(), progress.runId().equals(firstRun.get()) ? 0 : 1});
                }

                @Override
                public void onQueryTerminated(StreamingQuery query, Optional<StreamingQueryException> failure) {
                }
            });
            MemorySink<WindowedValue<Long, Long>> sink = Sinks.memory("recovered");
            StreamingQuery query = rivulet.readStream(Sources.generator(total, i -> i))
                .map(i -> {
                    if (i == failAt && armed.getAndSet(false)) {
                        failedAtNs.set(System.nanoTime());
                        throw new IllegalStateException("injected failure at record " + i);
                    }
                    return i;
                })
                .withWatermark(i -> 0L, Duration.ZERO)
                .keyBy(i -> i % KEYS)
                .window(Windows.tumbling(Duration.ofHours(1)), i -> 0L)
                .count()
                .writeStream(sink)
                .queryName("recovery")
                .checkpointLocation(checkpoints)
                .restartStrategy(RestartStrategy.fixedDelay(1, Duration.ZERO))
                .start();
            query.awaitTermination();
            assertThat(armed).as("the failure was injected").isFalse();
            long recoveredNs = progressNs.stream().filter(p -> p[1] == 1).findFirst().orElseThrow()[0];
            assertThat(sink.rows()).hasSize(KEYS).allSatisfy(row -> assertThat(row.value()).isEqualTo(4L));
            System.out.printf("recovery with %d keys of window state: failure to first committed epoch of the restarted"
                + " run %.0f ms%n", KEYS, (recoveredNs - failedAtNs.get()) / 1e6);
        }
    }
}
