package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.ReduceFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A user function that throws fails its query with that exception as the cause, never silently. */
@ExtendWith(NoLeakedThreads.class)
class FailureTest {
    static final class Boom extends RuntimeException {
        Boom(String message) {
            super(message);
        }
    }

    @Test
    void shouldFailQueryWhenMapFunctionThrowsInSourceThread() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(Long.MAX_VALUE, i -> i))
                .map(i -> {
                    if (i == 1000) {
                        throw new Boom("bad record " + i);
                    }
                    return i;
                })
                .writeStream(Sinks.collecting())
                .start();
            assertThatThrownBy(query::awaitTermination)
                .isInstanceOf(StreamingQueryException.class)
                .hasCauseInstanceOf(Boom.class)
                .hasMessageContaining("bad record 1000");
            assertThat(query.isActive()).isFalse();
            assertThat(query.exception()).get().extracting(Throwable::getCause).isInstanceOf(Boom.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"source thread", "keyed worker", "micro-batch driver"})
    void shouldFailQueryWithTheErrorWhenAUserFunctionThrowsAnError(String where) throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Long> input = rivulet.readStream(Sources.generator(Long.MAX_VALUE, i -> i));
            Stream<Long> failing = !where.equals("keyed worker")
                ? input.map(i -> {
                    if (i == 1000) {
                        throw new AssertionError("assertion failed on " + i);
                    }
                    return i;
                })
                : input.keyBy(i -> i % 3, 2).reduce((a, b) -> {
                    if (b == 1000) {
                        throw new AssertionError("assertion failed on " + b);
                    }
                    return a + b;
                });
            DataStreamWriter<Long> writer = failing.writeStream(Sinks.collecting()).outputMode(OutputMode.UPDATE);
            if (where.equals("micro-batch driver")) {
                writer.trigger(Trigger.processingTime(Duration.ofMillis(10)));
            }
            StreamingQuery query = writer.start();
            assertThatThrownBy(() -> query.awaitTermination(30_000)).as("the query ended with the error")
                .isInstanceOf(StreamingQueryException.class).hasCauseInstanceOf(AssertionError.class)
                .hasMessageContaining("assertion failed on 1000");
            assertThat(query.isActive()).isFalse();
        }
    }

    @Test
    void shouldFailQueryWhenKeyedFunctionThrowsInWorkerWhileSourceIsBlockedOnFullRing() throws Exception {
        AtomicReference<Optional<StreamingQueryException>> seenByListener = new AtomicReference<>();
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.streams().addListener(new StreamingQueryListener() {
                @Override
                public void onQueryTerminated(StreamingQuery query, Optional<StreamingQueryException> failure) {
                    seenByListener.set(failure);
                }
            });
            ReduceFunction<Long> failing = sumFailingAt(50_000);
            StreamingQuery query = rivulet.readStream(Sources.generator(Long.MAX_VALUE, i -> i))
                .keyBy(i -> i % 3, 2)
                .reduce(failing)
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .ringCapacity(64)
                .start();
            assertThatThrownBy(query::awaitTermination).hasCauseInstanceOf(Boom.class);
        }
        assertThat(seenByListener.get()).get().extracting(Throwable::getCause).isInstanceOf(Boom.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fused", "co-located"})
    void shouldFailQueryWhenAKeyedStageOnAProducersThreadThrows(String placement) throws Exception {
        ReduceFunction<Long> failing = sumFailingAt(50_000);
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Long> input = rivulet.readStream(Sources.generator(Long.MAX_VALUE, i -> i));
            if (placement.equals("co-located")) {
                // The second source never ends by itself: the failure must stop it too.
                input = input.union(rivulet.readStream(Sources.generator(Long.MAX_VALUE, i -> -i - 1)));
            }
            StreamingQuery query = input
                .keyBy(i -> i % 3, 1)
                .reduce(failing)
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .ringCapacity(64)
                .start();
            assertThatThrownBy(query::awaitTermination).hasCauseInstanceOf(Boom.class)
                .hasMessageContaining("reduce failed at 50000");
            assertThat(query.isActive()).isFalse();
        }
    }

    @Test
    void shouldFailQueryWhenSinkThrows() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(10_000, i -> i))
                .writeStream(Sinks.<Long>foreachBatch((rows, epoch) -> {
                    throw new Boom("sink rejected epoch " + epoch);
                }))
                .start();
            assertThatThrownBy(query::awaitTermination).hasCauseInstanceOf(Boom.class);
        }
    }

    @Test
    void shouldFailQueryNamingTheSinkAndEpochAndWriteNoCheckpointOfItWhenTheSinkFailsToPrepareTheEpoch(@TempDir Path dir)
        throws Exception {
        AtomicLong failedEpoch = new AtomicLong(-1);
        AtomicBoolean committed = new AtomicBoolean();
        Sink<Long> sink = new Sink<>() {
            @Override
            public String description() {
                return "staging-sink";
            }

            @Override
            public SinkWriter<Long> createWriter(int writerIndex) {
                return record -> { };
            }

            @Override
            public void prepareCommit(long epochId) throws IOException {
                failedEpoch.compareAndSet(-1, epochId);
                throw new IOException("cannot force the staged files");
            }

            @Override
            public void commit(long epochId) {
                committed.set(true);
            }
        };
        Path checkpoint = dir.resolve("checkpoint");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(Long.MAX_VALUE, i -> i))
                .writeStream(sink).checkpointLocation(checkpoint).trigger(Trigger.continuous(Duration.ofMillis(10)))
                .start();
            assertThatThrownBy(() -> query.awaitTermination(30_000)).isInstanceOf(StreamingQueryException.class)
                .hasMessageContaining("sink staging-sink failed to prepare epoch " + failedEpoch.get() + " for its commit")
                .hasMessageContaining("cannot force the staged files");
        }
        assertThat(failedEpoch).as("the first epoch's prepare failed").hasValue(0);
        assertThat(committed).as("no epoch committed").isFalse();
        try (var manifests = Files.list(checkpoint.resolve("offsets"))) {
            assertThat(manifests.toList()).as("no checkpoint written").isEmpty();
        }
    }

    @Test
    void shouldFailQueryWhenKeyFunctionReturnsNull() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Long> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.of("a", "b"))
                .keyBy(s -> s.equals("b") ? null : s)
                .reduce((a, b) -> a)
                .map(s -> 1L)
                .writeStream(sink)
                .outputMode(OutputMode.UPDATE)
                .start();
            assertThatThrownBy(query::awaitTermination)
                .hasCauseInstanceOf(NullPointerException.class)
                .hasMessageContaining("keyBy function returned null");
        }
    }

    /** A sum that throws {@link Boom} when it meets {@code bad}. */
    private static ReduceFunction<Long> sumFailingAt(long bad) {
        return (a, b) -> {
            if (b == bad) {
                throw new Boom("reduce failed at " + b);
            }
            return a + b;
        };
    }
}
