package io.rivulet.engine.sink;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.rivulet.engine.Conditions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class CollectingSinkTest {
    @Test
    void shouldShowRowsAsSoonAsTheyAreWrittenAndRecordCommits() throws Exception {
        CollectingSink<String> sink = Sinks.collecting();
        SinkWriter<String> writer = sink.createWriter(0);

        writer.write("a");
        assertThat(sink.received()).containsExactly("a");
        assertThat(sink.committedEpochs()).isEmpty();

        writer.endEpoch(0);
        sink.commit(0);
        sink.commit(1);
        sink.close();

        assertThat(sink.committedEpochs()).containsExactly(0L, 1L);
        assertThat(sink.isClosed()).isTrue();
    }

    @Test
    void shouldFailAwaitSayingHowManyRowsArrived() throws Exception {
        CollectingSink<String> sink = Sinks.collecting();
        sink.createWriter(0).write("only");

        assertThatThrownBy(() -> sink.awaitReceived(3, Duration.ofMillis(20)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("expected 3 rows within PT0.02S, got 1: [only]");
    }

    @Test
    void shouldWakeAWaiterWhenTheRowsArrive() throws Exception {
        CollectingSink<Integer> sink = Sinks.collecting();
        CompletableFuture<List<Integer>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return sink.awaitReceived(2, TIMEOUT);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        SinkWriter<Integer> writer = sink.createWriter(0);

        writer.write(1);
        writer.write(2);

        assertThat(waiting.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(1, 2);
    }

    @Test
    void shouldReceiveEveryRowCommitEpochsInOrderAndBeClosedWhenTheQueryEnds() throws Exception {
        CollectingSink<Integer> sink = Sinks.collecting();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.fromIterable(IntStream.range(0, 5_000).boxed().toList()))
                .writeStream(sink).start();

            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
        }

        assertThat(sink.received()).containsExactlyElementsOf(IntStream.range(0, 5_000).boxed().toList());
        List<Long> epochs = sink.committedEpochs();
        assertThat(epochs).isNotEmpty();
        assertThat(epochs).containsExactlyElementsOf(LongStream.range(0, epochs.size()).boxed().toList());
        assertThat(sink.isClosed()).isTrue();
    }
}
