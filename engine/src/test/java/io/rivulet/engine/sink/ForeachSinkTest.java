package io.rivulet.engine.sink;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

import static io.rivulet.engine.Conditions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class ForeachSinkTest {
    /** A writer that logs its calls; single-threaded like a real one, read by the test afterwards. */
    static final class RecordingWriter<T> implements ForeachWriter<T> {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> closedWith = Collections.synchronizedList(new ArrayList<>());
        private final LongPredicate acceptEpoch;
        private final RuntimeException failOnOpen;
        private final T failOn;
        private final RuntimeException failure;

        RecordingWriter() {
            this(e -> true, null, null, null);
        }

        RecordingWriter(LongPredicate acceptEpoch, RuntimeException failOnOpen, T failOn, RuntimeException failure) {
            this.acceptEpoch = acceptEpoch;
            this.failOnOpen = failOnOpen;
            this.failOn = failOn;
            this.failure = failure;
        }

        @Override
        public boolean open(long partitionId, long epochId) {
            calls.add("open(" + partitionId + "," + epochId + ")");
            if (failOnOpen != null) {
                throw failOnOpen;
            }
            return acceptEpoch.test(epochId);
        }

        @Override
        public void process(T value) {
            calls.add("process(" + value + ")");
            if (value.equals(failOn)) {
                throw failure;
            }
        }

        @Override
        public void close(Throwable errorOrNull) {
            calls.add("close(" + (errorOrNull == null ? "null" : errorOrNull.getMessage()) + ")");
            closedWith.add(errorOrNull);
        }
    }

    @Test
    void shouldOpenProcessAndCloseOncePerEpochThatHasRows() throws Exception {
        RecordingWriter<String> user = new RecordingWriter<>();
        SinkWriter<String> writer = Sinks.<String>foreach(() -> user).createWriter(3);

        writer.write("a");
        writer.write("b");
        writer.endEpoch(0);
        writer.endEpoch(1);
        writer.write("c");
        writer.endEpoch(2);
        writer.close();

        assertThat(user.calls).containsExactly(
            "open(3,0)", "process(a)", "process(b)", "close(null)",
            "open(3,2)", "process(c)", "close(null)");
    }

    @Test
    void shouldSkipTheEpochsRowsButStillCloseWhenOpenReturnsFalse() throws Exception {
        RecordingWriter<String> user = new RecordingWriter<>(epoch -> epoch != 0, null, null, null);
        SinkWriter<String> writer = Sinks.<String>foreach(() -> user).createWriter(0);

        writer.write("skipped");
        writer.write("skipped too");
        writer.endEpoch(0);
        writer.write("kept");
        writer.endEpoch(1);

        assertThat(user.calls).containsExactly("open(0,0)", "close(null)", "open(0,1)", "process(kept)", "close(null)");
    }

    @Test
    void shouldCloseWithTheErrorThatProcessThrewAndRethrowIt() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        RecordingWriter<String> user = new RecordingWriter<>(e -> true, null, "bad", boom);
        SinkWriter<String> writer = Sinks.<String>foreach(() -> user).createWriter(0);

        assertThatThrownBy(() -> {
            writer.write("good");
            writer.write("bad");
        }).isSameAs(boom);

        assertThat(user.calls).containsExactly("open(0,0)", "process(good)", "process(bad)", "close(boom)");
        assertThat(user.closedWith).containsExactly(boom);
    }

    @Test
    void shouldNotCloseWhenOpenThrowsLikeSpark() throws Exception {
        IllegalStateException refused = new IllegalStateException("refused");
        RecordingWriter<String> user = new RecordingWriter<>(e -> true, refused, null, null);
        SinkWriter<String> writer = Sinks.<String>foreach(() -> user).createWriter(0);

        assertThatThrownBy(() -> writer.write("a")).isSameAs(refused);
        writer.close();

        assertThat(user.calls).containsExactly("open(0,0)");
    }

    @Test
    void shouldCloseWithAnAbortErrorWhenTheTaskEndsInTheMiddleOfAnEpoch() throws Exception {
        RecordingWriter<String> user = new RecordingWriter<>();
        SinkWriter<String> writer = Sinks.<String>foreach(() -> user).createWriter(0);

        writer.write("a");
        writer.close();

        assertThat(user.calls).containsExactly("open(0,0)", "process(a)", "close(query aborted before epoch 0 ended)");
        assertThat(user.closedWith.get(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCallEachPartitionsWriterInEpochOrderWithEveryRowOnce() throws Exception {
        List<RecordingWriter<Long>> writers = new CopyOnWriteArrayList<>();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(50_000, i -> i).numPartitions(2))
                .writeStream(Sinks.<Long>foreach(() -> {
                    RecordingWriter<Long> writer = new RecordingWriter<>();
                    writers.add(writer);
                    return writer;
                }))
                .trigger(Trigger.continuous(5))
                .start();

            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
        }

        assertThat(writers).hasSize(2);
        Map<Long, List<Long>> processedByPartition = new TreeMap<>();
        for (RecordingWriter<Long> writer : writers) {
            List<String> calls = new ArrayList<>(writer.calls);
            long partition = -1;
            long lastEpoch = -1;
            boolean open = false;
            for (String call : calls) {
                if (call.startsWith("open(")) {
                    assertThat(open).as("open while open in %s", calls).isFalse();
                    String[] ids = call.substring(5, call.length() - 1).split(",");
                    long epoch = Long.parseLong(ids[1]);
                    if (partition < 0) {
                        partition = Long.parseLong(ids[0]);
                    }
                    assertThat(Long.parseLong(ids[0])).isEqualTo(partition);
                    assertThat(epoch).isGreaterThan(lastEpoch);
                    lastEpoch = epoch;
                    open = true;
                } else if (call.startsWith("process(")) {
                    assertThat(open).isTrue();
                    processedByPartition.computeIfAbsent(partition, p -> new ArrayList<>())
                        .add(Long.parseLong(call.substring(8, call.length() - 1)));
                } else {
                    assertThat(call).isEqualTo("close(null)");
                    assertThat(open).isTrue();
                    open = false;
                }
            }
            assertThat(open).as("last epoch closed").isFalse();
        }
        assertThat(processedByPartition.keySet()).containsExactly(0L, 1L);
        assertThat(processedByPartition.get(0L)).containsExactlyElementsOf(LongStream.range(0, 25_000).map(i -> 2 * i).boxed().toList());
        assertThat(processedByPartition.get(1L)).containsExactlyElementsOf(LongStream.range(0, 25_000).map(i -> 2 * i + 1).boxed().toList());
    }

    @Test
    void shouldFailTheQueryWithTheProcessErrorAsCauseAfterClosingWithIt() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("boom at 3");
        RecordingWriter<Integer> user = new RecordingWriter<>(e -> true, null, 3, boom);
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.of(1, 2, 3, 4)).writeStream(Sinks.<Integer>foreach(() -> user)).start();

            assertThatThrownBy(() -> query.awaitTermination(TIMEOUT.toMillis()))
                .isInstanceOf(StreamingQueryException.class)
                .hasCause(boom);
            assertThat(query.exception()).get().extracting(Throwable::getCause).isSameAs(boom);
        }

        assertThat(user.calls).containsExactly("open(0,0)", "process(1)", "process(2)", "process(3)", "close(boom at 3)");
        assertThat(user.closedWith).containsExactly(boom);
    }
}
