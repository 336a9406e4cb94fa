package io.rivulet.engine.source;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.Sinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class MemoryStreamTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void shouldReadDataAddedBeforeTheQueryStarts() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("numbers");
        stream.addData(1, 2, 3);
        stream.addData(List.of(4, 5));
        stream.end();
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Integer> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(stream).writeStream(sink).start();

            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
            assertThat(sink.received()).containsExactly(1, 2, 3, 4, 5);
            assertThat(stream.addedCount()).isEqualTo(5);
        }
    }

    @Test
    void shouldFinishTheQueryWithEverythingReadOnceEnded() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("numbers", 64);
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Integer> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(stream).writeStream(sink).start();
            List<Integer> input = IntStream.range(0, 2_000).boxed().toList();

            stream.addData(input);
            stream.end();

            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
            assertThat(query.exception()).isEmpty();
            assertThat(sink.received()).containsExactlyElementsOf(input);
            assertThat(sink.isClosed()).isTrue();
        }
    }

    @Test
    void shouldRejectASecondConcurrentQueryAndKeepTheFirstRunning() throws Exception {
        MemoryStream<String> stream = Sources.memoryStream("shared");
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<String> first = Sinks.collecting();
            StreamingQuery running = rivulet.readStream(stream).writeStream(first).queryName("first").start();

            assertThatThrownBy(() -> rivulet.readStream(stream).writeStream(Sinks.collecting()).queryName("second").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("memory stream 'shared' is already read by query 'first'");

            stream.addData("a", "b");
            stream.end();
            assertThat(running.awaitTermination(TIMEOUT.toMillis())).isTrue();
            assertThat(first.received()).containsExactly("a", "b");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    @Test
    void shouldLetANewQueryReadWhatIsLeftAfterThePreviousOneStopped() throws Exception {
        MemoryStream<String> stream = Sources.memoryStream("handover");
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<String> first = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(stream).writeStream(first).start();
            stream.addData("a", "b");
            first.awaitReceived(2, TIMEOUT);
            query.stop();

            stream.addData("c");
            stream.end();
            CollectingSink<String> second = Sinks.collecting();
            StreamingQuery next = rivulet.readStream(stream).writeStream(second).start();

            assertThat(next.awaitTermination(TIMEOUT.toMillis())).isTrue();
            assertThat(first.received()).containsExactly("a", "b");
            assertThat(second.received()).containsExactly("c");
        }
    }

    @Test
    void shouldRefuseOfferOnceTheQueueIsFull() {
        MemoryStream<Integer> stream = Sources.memoryStream("small", 4);

        assertThat(IntStream.range(0, 4).mapToObj(stream::offer).toList()).containsOnly(true);
        assertThat(stream.offer(99)).isFalse();
        assertThat(stream.addedCount()).isEqualTo(4);
        assertThat(stream.capacity()).isEqualTo(4);
    }

    @Test
    void shouldHoldExactlyTheCapacityAskedForEvenIfNotAPowerOfTwo() {
        MemoryStream<Integer> stream = Sources.memoryStream("odd", 5);

        assertThat(stream.capacity()).isEqualTo(5);
        assertThat(IntStream.range(0, 5).mapToObj(stream::offer).toList()).containsOnly(true);
        assertThat(stream.offer(5)).isFalse();
    }

    @Test
    void shouldRejectCapacityBelowTwo() {
        assertThatThrownBy(() -> Sources.memoryStream("tiny", 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("memory stream capacity must be >= 2, got 1");
    }

    @Test
    void shouldMakeAddDataWaitWhileFullAndCompleteOnceAQueryDrainsIt() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("backpressure", 4);
        stream.addData(0, 1, 2, 3);
        Thread[] producer = new Thread[1];
        CompletableFuture<Void> adding = CompletableFuture.runAsync(() -> {
            producer[0] = Thread.currentThread();
            stream.addData(4, 5, 6, 7, 8, 9);
        });
        Conditions.await("memory stream condition", TIMEOUT, () -> producer[0] != null && producer[0].getState() == Thread.State.WAITING);

        assertThat(adding).isNotDone();
        assertThat(stream.addedCount()).isEqualTo(4);

        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Integer> sink = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(stream).writeStream(sink).start();
            adding.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            stream.end();

            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
            assertThat(sink.received()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void shouldRejectDataAfterEnd() {
        MemoryStream<String> stream = Sources.memoryStream("closed");
        stream.end();

        assertThatThrownBy(() -> stream.addData("x"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("memory stream 'closed' has ended");
        assertThatThrownBy(() -> stream.offer("x")).isInstanceOf(IllegalStateException.class);
        assertThat(stream.addedCount()).isZero();
    }

    @Test
    void shouldAddRecordsBeforeANullAndNothingAfterIt() throws Exception {
        MemoryStream<String> stream = Sources.memoryStream("nulls");

        assertThatThrownBy(() -> stream.addData("a", null, "c")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stream.offer(null)).isInstanceOf(NullPointerException.class);
        stream.end();

        RecordingOutput<String> out = new RecordingOutput<>();
        assertThat(out.drain(stream.open(ManualSourceContext.single()), 16)).isEqualTo(SourceReader.END_OF_INPUT);
        assertThat(out.records).containsExactly("a");
    }

    @Test
    void shouldEndInputOnlyAfterEndAndOnceTheQueueIsDrained() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("reader");
        SourceReader<Integer> reader = stream.open(ManualSourceContext.single());
        RecordingOutput<Integer> out = new RecordingOutput<>();

        assertThat(reader.poll(out, 16)).isZero();
        stream.addData(1, 2, 3);
        stream.end();

        assertThat(reader.poll(out, 2)).isEqualTo(2);
        assertThat(reader.poll(out, 2)).isEqualTo(1);
        assertThat(reader.poll(out, 2)).isEqualTo(SourceReader.END_OF_INPUT);
        assertThat(out.records).containsExactly(1, 2, 3);
    }

    @Test
    void shouldAllowOneReaderAtATimeAndReleaseItOnClose() throws Exception {
        MemoryStream<Integer> stream = Sources.memoryStream("single");
        SourceReader<Integer> reader = stream.open(ManualSourceContext.single());

        assertThatThrownBy(() -> stream.open(ManualSourceContext.single()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("memory stream 'single' is already read by query 'manual'");

        reader.close();
        SourceReader<Integer> next = stream.open(ManualSourceContext.single());
        stream.addData(7);
        RecordingOutput<Integer> out = new RecordingOutput<>();
        assertThat(next.poll(out, 16)).isEqualTo(1);
        assertThat(out.records).containsExactly(7);
    }

    @Test
    void shouldReadEveryRecordAddedWhileEndRacesWithAdders() throws Exception {
        for (int round = 0; round < 300; round++) {
            MemoryStream<Long> stream = Sources.memoryStream("race", 1 << 12);
            SourceReader<Long> reader = stream.open(ManualSourceContext.single());
            AtomicLong accepted = new AtomicLong();
            CountDownLatch started = new CountDownLatch(2);
            Runnable adding = () -> {
                started.countDown();
                for (long i = 0; ; i++) {
                    try {
                        stream.addData(i);
                    } catch (IllegalStateException ended) {
                        return;
                    }
                    accepted.incrementAndGet();
                }
            };
            Thread first = new Thread(adding);
            Thread second = new Thread(adding);
            first.start();
            second.start();
            started.await();
            long endAfter = round % 50;

            // The reader keeps the queue near empty, so the end of input is decided while adders are mid-add.
            RecordingOutput<Long> out = new RecordingOutput<>();
            int polled;
            do {
                polled = reader.poll(out, 64);
                if (out.records.size() >= endAfter) {
                    stream.end();
                }
            } while (polled != SourceReader.END_OF_INPUT);
            first.join();
            second.join();

            assertThat(out.records).as("round %d", round).hasSize((int) accepted.get());
        }
    }
}
