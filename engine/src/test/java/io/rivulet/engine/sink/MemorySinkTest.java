package io.rivulet.engine.sink;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static io.rivulet.engine.Conditions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NoLeakedThreads.class)
class MemorySinkTest {
    @Test
    void shouldMakeRowsVisibleOnlyWhenTheirEpochCommits() throws Exception {
        MemorySink<String> sink = Sinks.memory("table");
        sink.open("query", 2);
        SinkWriter<String> first = sink.createWriter(0);
        SinkWriter<String> second = sink.createWriter(1);

        first.write("a");
        second.write("b");
        assertThat(sink.rows()).isEmpty();
        first.endEpoch(0);
        first.write("c");
        second.endEpoch(0);
        assertThat(sink.rows()).isEmpty();

        sink.commit(0);
        assertThat(sink.rows()).containsExactly("a", "b");

        second.endEpoch(1);
        first.endEpoch(1);
        sink.commit(1);
        assertThat(sink.rows()).containsExactly("a", "b", "c");
        assertThat(sink.size()).isEqualTo(3);
    }

    @Test
    void shouldKeepEachKeysLastValueOncePerEpochInUpdateModeWhileForeachBatchSeesEveryChange() throws Exception {
        MemorySink<Object> sink = Sinks.memory("updates");
        sink.open("query", 1, OutputMode.UPDATE, false);
        List<List<Object>> batches = new ArrayList<>();
        ForeachBatchSink<Object> everyChange = Sinks.foreachBatch((rows, epochId) -> batches.add(List.copyOf(rows)));
        everyChange.open("other", 1, OutputMode.UPDATE, false);
        List<Object> changes = List.of(new KeyValue<>("a", 1L), new KeyValue<>("a", 2L), "free-form", "free-form",
            new KeyValue<>("b", 1L), new KeyValue<>("a", 3L));
        for (Sink<Object> s : List.<Sink<Object>>of(sink, everyChange)) {
            SinkWriter<Object> writer = s.createWriter(0);
            changes.forEach(change -> {
                try {
                    writer.write(change);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            writer.endEpoch(0);
            s.commit(0);
        }

        assertThat(sink.rows()).containsExactly(new KeyValue<>("a", 3L), "free-form", "free-form", new KeyValue<>("b", 1L));
        assertThat(batches).containsExactly(changes);
    }

    @Test
    void shouldKeepASnapshotUnchangedByLaterCommits() throws Exception {
        MemorySink<Integer> sink = Sinks.memory("snapshots");
        sink.open("query", 1);
        SinkWriter<Integer> writer = sink.createWriter(0);
        writer.write(1);
        writer.endEpoch(0);
        sink.commit(0);
        List<Integer> snapshot = sink.rows();

        writer.write(2);
        writer.endEpoch(1);
        sink.commit(1);

        assertThat(snapshot).containsExactly(1);
        assertThatThrownBy(() -> snapshot.add(3)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldBeReadableWhileTheQueryRuns() throws Exception {
        MemoryStream<Integer> input = Sources.memoryStream("input");
        MemorySink<Integer> sink = Sinks.memory("live");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input).writeStream(sink).start();

            input.addData(1, 2, 3);
            Conditions.await("first three rows committed", () -> sink.size() == 3);
            assertThat(query.isActive()).isTrue();
            assertThat(sink.rows()).containsExactly(1, 2, 3);

            input.addData(4, 5);
            input.end();
            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
            assertThat(sink.rows()).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void shouldHoldEveryRowOfAllPartitionsOnceTheInputEnds() throws Exception {
        MemorySink<Long> sink = Sinks.memory("all");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.generator(20_000, i -> i).numPartitions(2))
                .writeStream(sink).start();

            assertThat(query.awaitTermination(TIMEOUT.toMillis())).isTrue();
        }

        assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 20_000).boxed().toList());
    }

    @Test
    void shouldRefuseASecondConcurrentQueryInsteadOfLosingTheFirstOnesRows() throws Exception {
        MemorySink<Integer> sink = Sinks.memory("shared");
        MemoryStream<Integer> first = Sources.memoryStream("first");
        MemoryStream<Integer> second = Sources.memoryStream("second");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery writing = rivulet.readStream(first).writeStream(sink).queryName("writer").start();

            assertThatThrownBy(() -> rivulet.readStream(second).writeStream(sink).queryName("intruder").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sink memory[shared] is already used by query 'writer'");

            first.addData(1, 2, 3);
            first.end();
            assertThat(writing.awaitTermination(TIMEOUT.toMillis())).isTrue();
            second.addData(10);
            second.end();
            StreamingQuery later = rivulet.readStream(second).writeStream(sink).start();
            assertThat(later.awaitTermination(TIMEOUT.toMillis())).isTrue();
        }

        assertThat(sink.rows()).containsExactly(1, 2, 3, 10);
    }

    @Test
    void shouldRejectABlankTableName() {
        assertThatThrownBy(() -> Sinks.memory(" "))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("memory sink table name must not be blank");
        assertThat(Sinks.memory("t").tableName()).isEqualTo("t");
        assertThat(Sinks.memory("t").description()).isEqualTo("memory[t]");
    }

    @Test
    void shouldPublishTheCheckpointedButUncommittedEpochOfAFailedRunWhenRecovering() throws Exception {
        MemorySink<String> sink = Sinks.memory("recovered");
        sink.open("q", 1, OutputMode.APPEND);
        SinkWriter<String> writer = sink.createWriter(0);
        writer.write("a");
        writer.endEpoch(0);
        sink.commit(0);
        writer.write("b");
        writer.endEpoch(1);
        writer.write("c");
        writer.endEpoch(2);
        sink.close();
        // The run failed after checkpoint 1, before committing it; epoch 2 will be produced again.
        sink.open("q", 1, OutputMode.APPEND);
        sink.recover(1, 0);
        Assertions.assertThat(sink.rows()).containsExactly("a", "b");
        sink.close();
    }
}
