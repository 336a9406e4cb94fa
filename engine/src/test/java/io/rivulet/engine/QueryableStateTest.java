package io.rivulet.engine;

import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.function.Aggregates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queryable state through a running query: reads equal a direct computation at a known point. */
@ExtendWith(NoLeakedThreads.class)
class QueryableStateTest {
    private static List<Long> values(int from, int count) {
        List<Long> values = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            values.add((long) (i * 7919 % 50));
        }
        return values;
    }

    private static TreeMap<Long, Long> countsOf(List<Long> values) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        for (long v : values) {
            counts.merge(v, 1L, Long::sum);
        }
        return counts;
    }

    private static StreamingQuery counting(Rivulet rivulet, MemoryStream<Long> input, String mode, int partitions,
                                           Path checkpoints) {
        DataStreamWriter<KeyValue<Long, Long>> writer = rivulet.readStream(input)
            .keyBy("value", (Long v) -> v, partitions)
            .count()
            .queryableAs("counts")
            .writeStream(Sinks.collecting())
            .outputMode(OutputMode.UPDATE)
            .queryName("queryable-" + mode + "-" + partitions);
        writer = mode.equals("continuous") ? writer.trigger(Trigger.continuous(Duration.ofMillis(5)))
            : writer.trigger(Trigger.processingTime(Duration.ofMillis(5)));
        if (checkpoints != null) {
            writer = writer.checkpointLocation(checkpoints);
        }
        return writer.start();
    }

    private static void assertStateEquals(QueryableState<Long, Long> counts, Map<Long, Long> expected) throws Exception {
        List<KeyValue<Long, Long>> scanned = counts.scan();
        assertThat(scanned).extracting(KeyValue::key).containsExactlyElementsOf(expected.keySet());
        for (KeyValue<Long, Long> row : scanned) {
            assertThat(row.value()).as("count of %s", row.key()).isEqualTo(expected.get(row.key()));
        }
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            assertThat(counts.get(e.getKey())).contains(e.getValue());
        }
        assertThat(counts.get(1_000L)).isEqualTo(Optional.empty());
        assertThat(counts.scan(10L, 20L)).extracting(KeyValue::key)
            .containsExactlyElementsOf(new TreeMap<>(expected).subMap(10L, 20L).keySet());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"continuous:1", "continuous:3", "microbatch:1", "microbatch:3"})
    void shouldReadEveryKeysCountAsOfTheRecordsProcessedWhileTheQueryRuns(String setting) throws Exception {
        String mode = setting.split(":")[0];
        int partitions = Integer.parseInt(setting.split(":")[1]);
        MemoryStream<Long> input = Sources.memoryStream("numbers");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, mode, partitions, null);
            QueryableState<Long, Long> counts = query.<Long, Long>state("counts").withTimeout(Duration.ofSeconds(30));
            assertThat(counts.scan()).isEmpty();
            input.addData(values(0, 500));
            query.processAllAvailable();
            assertStateEquals(counts, countsOf(values(0, 500)));
            input.addData(values(500, 700));
            query.processAllAvailable();
            assertStateEquals(counts, countsOf(values(0, 1_200)));
            query.stop();
        }
    }

    @Test
    void shouldReadStateOfAQueryWithACheckpointLocationAndAfterItsRestart(@TempDir Path checkpoints) throws Exception {
        MemoryStream<Long> input = Sources.memoryStream("numbers");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, "continuous", 2, checkpoints);
            input.addData(values(0, 300));
            query.processAllAvailable();
            assertStateEquals(query.state("counts"), countsOf(values(0, 300)));
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, "continuous", 3, checkpoints);
            input.addData(values(300, 100));
            query.processAllAvailable();
            assertStateEquals(query.state("counts"), countsOf(values(0, 400)));
            query.stop();
        }
    }

    @Test
    void shouldFailAReadOnceTheQueryHasStoppedNamingTheQuery() throws Exception {
        MemoryStream<Long> input = Sources.memoryStream("numbers");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, "continuous", 2, null);
            QueryableState<Long, Long> counts = query.state("counts");
            input.addData(values(0, 10));
            query.processAllAvailable();
            query.stop();
            assertThatThrownBy(() -> counts.get(1L))
                .isInstanceOf(QueryableStateException.class)
                .hasMessageContaining("'counts'")
                .hasMessageContaining("has ended");
            assertThat(counts.scanAsync()).isCompletedExceptionally();
        }
    }

    @Test
    void shouldRejectAnUnknownOperatorNameListingTheKnownOnes() throws Exception {
        MemoryStream<Long> input = Sources.memoryStream("numbers");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = counting(rivulet, input, "continuous", 1, null);
            assertThatThrownBy(() -> query.state("totals"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no queryable operator named 'totals'")
                .hasMessageContaining("[counts]");
            query.stop();
        }
    }

    @Test
    void shouldRefuseToStartWhenTheNamedOperatorIsNotQueryable() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            // A custom keyed operator that keeps no readable state: the one kind left that is not queryable.
            Stream<Long> passed = rivulet.readStream(Sources.of(1L, 2L)).keyBy("v", (Long v) -> v)
                .<Long>process("passThrough", () -> (key, value, out) -> out.emit(value))
                .queryableAs("ids");
            assertThatThrownBy(() -> passed.writeStream(Sinks.collecting()).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("named 'ids' for queryable state")
                .hasMessageContaining("does not implement QueryableOperator")
                .hasMessageContaining("window(...) and sessionWindow(...) aggregations")
                .hasMessageContaining("dropDuplicates and dropDuplicatesWithinWatermark, transformWithState, topN");
        }
    }

    @Test
    void shouldRejectQueryableAsOnAStatelessStream() {
        try (Rivulet rivulet = Rivulet.create()) {
            Stream<Long> mapped = rivulet.readStream(Sources.of(1L)).map(v -> v + 1);
            assertThatThrownBy(() -> mapped.queryableAs("x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names a keyed stateful operator");
        }
    }

    @Test
    void shouldReadAnAggregatesResultNotItsAccumulator() throws Exception {
        MemoryStream<Long> input = Sources.memoryStream("numbers");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(input)
                .keyBy("parity", (Long v) -> v % 2, 2)
                .aggregate(Aggregates.sumLong((Long v) -> v))
                .queryableAs("sums")
                .writeStream(Sinks.collecting())
                .outputMode(OutputMode.UPDATE)
                .trigger(Trigger.continuous(Duration.ofMillis(5)))
                .start();
            input.addData(List.of(1L, 2L, 3L, 4L, 5L));
            query.processAllAvailable();
            QueryableState<Long, Long> sums = query.state("sums");
            assertThat(sums.get(0L)).contains(6L);
            assertThat(sums.get(1L)).contains(9L);
            query.stop();
        }
    }
}
