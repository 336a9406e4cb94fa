package io.rivulet.engine;

import io.rivulet.engine.sink.CollectingSink;
import io.rivulet.engine.sink.MemorySink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deduplication through the engine: continuous mode, late data, rejections, checkpoint and rescale. */
@ExtendWith(NoLeakedThreads.class)
class DeduplicationTest {
    record Event(long id, long seq, long tsMs) {
    }

    private static long droppedByWatermark(StreamingQuery query) {
        return query.recentProgress().stream().flatMap(p -> p.stateOperators().stream())
            .mapToLong(QueryProgress.StateOperatorProgress::numRowsDroppedByWatermark).sum();
    }

    @Test
    void shouldKeepTheFirstRowOfEachIdInInputOrderAndSendLateRowsToTheLateDataSinkInContinuousMode() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Event> out = Sinks.collecting();
            CollectingSink<Event> late = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.of(
                    new Event(1, 0, 1_000), new Event(1, 1, 1_500), new Event(2, 2, 2_000),
                    new Event(3, 3, 30_000), // the watermark moves to 20 s
                    new Event(1, 4, 21_000), // id 1 was first kept at 1 s: forgotten at 11 s, passes again
                    new Event(2, 5, 19_000), // late: behind the watermark
                    new Event(3, 6, 30_500)))
                .withWatermark(Event::tsMs, Duration.ofSeconds(10))
                .keyBy("id", Event::id, 1)
                .lateData(late)
                .dropDuplicatesWithinWatermark()
                .writeStream(out)
                .start();
            query.awaitTermination();
            assertThat(out.received()).extracting(Event::seq).containsExactly(0L, 2L, 3L, 4L);
            assertThat(late.received()).extracting(Event::seq).containsExactly(5L);
            assertThat(droppedByWatermark(query)).isEqualTo(1);
        }
    }

    @Test
    void shouldEvictAnEventTimeKeyOnceTheWatermarkPassesIt() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            CollectingSink<Event> out = Sinks.collecting();
            StreamingQuery query = rivulet.readStream(Sources.of(
                    new Event(1, 0, 1_000), new Event(1, 1, 1_000), new Event(1, 2, 2_000), new Event(9, 3, 50_000),
                    new Event(1, 4, 1_000)))
                .withWatermark(Event::tsMs, Duration.ofSeconds(10))
                .dropDuplicates("id", Event::id, Event::tsMs)
                .writeStream(out)
                .start();
            query.awaitTermination();
            assertThat(out.received()).extracting(Event::seq).containsExactly(0L, 2L, 3L);
            assertThat(droppedByWatermark(query)).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectWithinWatermarkAtStartWhenTheEventTimeIsLostByAMap() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Event> mapped = rivulet.readStream(Sources.of(new Event(1, 0, 0)))
                .withWatermark(Event::tsMs, Duration.ofSeconds(1))
                .map(e -> e)
                .dropDuplicatesWithinWatermark("id", Event::id);
            assertThatThrownBy(() -> mapped.writeStream(Sinks.collecting()).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not know the event time")
                .hasMessageContaining("dropDuplicatesWithinWatermark(eventTimeMs, delay)");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    private static List<Event> events(int from, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            events.add(new Event(i % 17, i, i * 100L));
        }
        return events;
    }

    private static StreamingQuery dedup(Rivulet rivulet, MemoryStream<Event> input, MemorySink<Event> sink, Path checkpoints,
                                        int partitions) {
        return rivulet.readStream(input)
            .withWatermark(Event::tsMs, Duration.ofSeconds(1))
            .keyBy("id", Event::id, partitions)
            .dropDuplicates()
            .writeStream(sink)
            .queryName("dedup")
            .trigger(Trigger.continuous(Duration.ofMillis(10)))
            .checkpointLocation(checkpoints)
            .start();
    }

    @ParameterizedTest(name = "{0} partition(s) after a stop with 2")
    @ValueSource(ints = {1, 3})
    void shouldRememberIdsAcrossARestartInAnyPartitionCount(int partitionsAfter, @TempDir Path checkpoints) throws Exception {
        MemoryStream<Event> input = Sources.memoryStream("events");
        MemorySink<Event> sink = Sinks.memory("firsts");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = dedup(rivulet, input, sink, checkpoints, 2);
            input.addData(events(0, 10));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = dedup(rivulet, input, sink, checkpoints, partitionsAfter);
            input.addData(events(10, 30));
            query.processAllAvailable();
            query.stop();
        }
        assertThat(sink.rows()).extracting(Event::seq).containsExactlyInAnyOrderElementsOf(
            events(0, 17).stream().map(Event::seq).toList());
    }
}
