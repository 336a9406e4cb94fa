package io.rivulet.engine.sink;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.StreamingQueryException;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.OutputMode;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static io.rivulet.engine.Conditions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class ForeachBatchSinkTest {
    record Delivery<T>(long epochId, List<T> rows) {
    }

    @Test
    void shouldCallTheFunctionOncePerCommittedEpochWithItsIdAndRowsWriterByWriter() throws Exception {
        List<Delivery<String>> deliveries = new ArrayList<>();
        ForeachBatchSink<String> sink = Sinks.foreachBatch((List<String> rows, long epochId) ->
            deliveries.add(new Delivery<>(epochId, List.copyOf(rows))));
        sink.open("query", 2);
        SinkWriter<String> first = sink.createWriter(0);
        SinkWriter<String> second = sink.createWriter(1);

        second.write("b");
        first.write("a");
        first.endEpoch(0);
        second.endEpoch(0);
        sink.commit(0);
        first.endEpoch(1);
        second.endEpoch(1);
        sink.commit(1);
        second.write("c");
        first.endEpoch(2);
        second.endEpoch(2);
        sink.commit(2);

        assertThat(deliveries).containsExactly(new Delivery<>(0, List.of("a", "b")), new Delivery<>(2, List.of("c")));
    }

    @Test
    void shouldPassAnEpochWithoutRowsInMicroBatchModeOnly() throws Exception {
        for (boolean microBatch : new boolean[] {true, false}) {
            List<Delivery<String>> deliveries = new ArrayList<>();
            ForeachBatchSink<String> sink = Sinks.foreachBatch((List<String> rows, long epochId) ->
                deliveries.add(new Delivery<>(epochId, List.copyOf(rows))));
            sink.open("query", 1, OutputMode.APPEND, microBatch);
            SinkWriter<String> writer = sink.createWriter(0);
            writer.write("a");
            writer.endEpoch(0);
            sink.commit(0);
            writer.endEpoch(1);
            sink.commit(1);
            sink.close();
            if (microBatch) {
                assertThat(deliveries).as("every micro-batch, as Spark's foreachBatch")
                    .containsExactly(new Delivery<>(0, List.of("a")), new Delivery<>(1, List.of()));
            } else {
                assertThat(deliveries).as("continuous epochs with rows only").containsExactly(new Delivery<>(0, List.of("a")));
            }
        }
    }

    @Test
    void shouldServeOneQueryAtATime() throws Exception {
        ForeachBatchSink<String> sink = Sinks.foreachBatch((rows, epochId) -> { });
        sink.open("first", 1);

        assertThatThrownBy(() -> sink.open("second", 1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("sink foreachBatch is already used by query 'first'");
        sink.close();
        sink.open("second", 1);
    }

    @Test
    void shouldHandTheFunctionReadOnlyRows() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        ForeachBatchSink<String> sink = Sinks.foreachBatch((List<String> rows, long epochId) -> {
            try {
                rows.add("sneaky");
            } catch (UnsupportedOperationException expected) {
                errors.add(expected);
            }
        });
        sink.open("query", 1);
        SinkWriter<String> writer = sink.createWriter(0);
        writer.write("a");
        writer.endEpoch(0);

        sink.commit(0);

        assertThat(errors).hasSize(1);
    }

    @Test
    void shouldDeliverEveryRowOnceInIncreasingEpochsInARealQuery() throws Exception {
        List<Delivery<Integer>> deliveries = new CopyOnWriteArrayList<>();
        MemoryStream<Integer> input = Sources.memoryStream("batches");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .writeStream(Sinks.<Integer>foreachBatch((rows, epochId) -> deliveries.add(new Delivery<>(epochId, List.copyOf(rows)))))
                .trigger(Trigger.continuous(5))
                .start();

            for (int chunk = 0; chunk < 4; chunk++) {
                input.addData(IntStream.range(chunk * 100, chunk * 100 + 100).boxed().toList());
                int expected = chunk * 100 + 100;
                Conditions.await("chunk delivered", () -> deliveries.stream().mapToInt(d -> d.rows().size()).sum() == expected);
            }
            input.end();
            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
        }

        assertThat(deliveries.size()).isGreaterThanOrEqualTo(4);
        assertThat(deliveries).extracting(Delivery::epochId).isSorted().doesNotHaveDuplicates();
        assertThat(deliveries).allSatisfy(d -> assertThat(d.rows()).isNotEmpty());
        assertThat(deliveries.stream().flatMap(d -> d.rows().stream()).toList())
            .containsExactlyElementsOf(IntStream.range(0, 400).boxed().toList());
    }

    @Test
    void shouldFailTheQueryWithWhatTheFunctionThrew() throws Exception {
        IllegalStateException rejected = new IllegalStateException("batch rejected");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.of("a", "b"))
                .writeStream(Sinks.<String>foreachBatch((rows, epochId) -> {
                    throw rejected;
                }))
                .start();

            assertThatThrownBy(() -> query.awaitTermination(TIMEOUT.toMillis()))
                .isInstanceOf(StreamingQueryException.class)
                .hasCause(rejected);
            assertThat(query.isActive()).isFalse();
        }
    }

    @Test
    void shouldCallTheFunctionWithTheSameEpochIdAndRowsWhenRecoveringAnUncommittedEpoch() throws Exception {
        List<String> calls = new ArrayList<>();
        ForeachBatchSink<String> sink = Sinks.foreachBatch((rows, epochId) -> calls.add(epochId + ":" + rows));
        sink.open("q", 1);
        SinkWriter<String> writer = sink.createWriter(0);
        writer.write("a");
        writer.endEpoch(3);
        writer.write("b");
        writer.endEpoch(4);
        sink.close();
        sink.open("q", 1);
        sink.recover(3, 2);
        Assertions.assertThat(calls).containsExactly("3:[a]");
        sink.close();
    }
}
