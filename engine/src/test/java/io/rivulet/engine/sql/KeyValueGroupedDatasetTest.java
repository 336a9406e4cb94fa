package io.rivulet.engine.sql;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.GroupState;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rest of Spark's {@code KeyValueGroupedDataset} on a stream: {@code keys}, {@code count}, {@code mapValues},
 * {@code reduceGroups}, the {@code initialState} overloads, and the rejections ({@code mapGroups},
 * {@code flatMapGroups}, the aggregations in append mode) before start.
 */
@ExtendWith(NoLeakedThreads.class)
class KeyValueGroupedDatasetTest {
    private static final StructType TRADES = StructType.fromDDL("sym STRING, qty BIGINT");

    @TempDir
    Path checkpoints;

    private static Row trade(String sym, long qty) {
        return Row.of(TRADES, sym, qty);
    }

    private static KeyValueGroupedDataset<String, Row> bySymbol(Rivulet rivulet, MemoryStream<Row> input) {
        return rivulet.readStream().memoryStream(input, Encoders.row(TRADES))
            .groupByKey(r -> r.getString(0), Encoders.STRING());
    }

    private static StreamingQuery start(Dataset<?> out, String mode, String name) {
        return out.writeStream().outputMode(mode).format("memory").queryName(name)
            .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
    }

    private static List<String> table(Rivulet rivulet, String name) {
        return rivulet.table(name).stream().map(Object::toString).toList();
    }

    @Test
    void shouldCountRowsPerKeyAsKeyAndCountColumnsInUpdateMode() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> counts = bySymbol(rivulet, input).count();
            assertThat(counts.schema().fieldNames()).containsExactly("key", "count(1)");
            StreamingQuery query = start(counts, "update", "counts");
            input.addData(trade("a", 1), trade("a", 2), trade("b", 3));
            query.processAllAvailable();
            input.addData(trade("a", 4));
            query.processAllAvailable();
            query.stop();
            assertThat(table(rivulet, "counts")).containsExactlyInAnyOrder("[a,2]", "[b,1]", "[a,3]");
        }
    }

    private StreamingQuery checkpointedCounts(Rivulet rivulet, MemoryStream<Row> input) {
        return bySymbol(rivulet, input).count().writeStream().outputMode("update").format("memory")
            .queryName("counts").option("checkpointLocation", checkpoints.toString())
            .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
    }

    @Test
    void shouldRestoreTheCountsAfterARestartFromTheCheckpoint() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointedCounts(rivulet, input);
            input.addData(trade("a", 1), trade("a", 2));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointedCounts(rivulet, input);
            input.addData(trade("a", 3));
            query.processAllAvailable();
            query.stop();
            assertThat(table(rivulet, "counts")).containsExactly("[a,3]");
        }
    }

    @Test
    void shouldEmitEveryKeyInCompleteModeWithKeys() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<String> keys = bySymbol(rivulet, input).keys();
            StreamingQuery query = start(keys, "complete", "keys");
            input.addData(trade("a", 1), trade("a", 2), trade("b", 3));
            query.processAllAvailable();
            query.stop();
            assertThat(table(rivulet, "keys")).containsExactlyInAnyOrder("[a]", "[b]");
        }
    }

    @Test
    void shouldReduceEachKeysValuesAfterMapValues() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> sums = bySymbol(rivulet, input).mapValues(r -> r.getLong(1), Encoders.LONG())
                .reduceGroups(Long::sum);
            assertThat(sums.schema().fieldNames()).containsExactly("key", "value");
            StreamingQuery query = start(sums, "update", "sums");
            input.addData(trade("a", 1), trade("a", 2), trade("b", 3));
            query.processAllAvailable();
            input.addData(trade("a", 10));
            query.processAllAvailable();
            query.stop();
            assertThat(table(rivulet, "sums")).containsExactlyInAnyOrder("[a,3]", "[b,3]", "[a,13]");
        }
    }

    private StreamingQuery checkpointedSums(Rivulet rivulet, MemoryStream<Row> input) {
        return bySymbol(rivulet, input).reduceGroups((a, b) -> Row.of(TRADES, a.getString(0), a.getLong(1) + b.getLong(1)))
            .writeStream().outputMode("update").format("memory").queryName("sums")
            .option("checkpointLocation", checkpoints.resolve("sums").toString())
            .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
    }

    @Test
    void shouldRestoreTheReducedRowsThroughTheValueEncoderAfterARestart() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointedSums(rivulet, input);
            input.addData(trade("a", 1), trade("a", 2));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = checkpointedSums(rivulet, input);
            input.addData(trade("a", 10));
            query.processAllAvailable();
            query.stop();
            assertThat(table(rivulet, "sums")).containsExactly("[a,a,13]");
        }
    }

    @Test
    void shouldPassMappedValuesToMapGroupsWithStateStartingFromTheInitialState() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<String> totals = bySymbol(rivulet, input).mapValues(r -> r.getLong(1), Encoders.LONG())
                .mapGroupsWithState((String sym, Iterator<Long> qtys, GroupState<Long> state) -> {
                    long total = state.getOption().orElse(0L);
                    while (qtys.hasNext()) {
                        total += qtys.next();
                    }
                    state.update(total);
                    return sym + "=" + total;
                }, Encoders.LONG(), Encoders.STRING(), GroupStateTimeout.NO_TIMEOUT, Map.of("a", 100L));
            StreamingQuery query = start(totals, "update", "totals");
            input.addData(trade("a", 1), trade("b", 2));
            query.processAllAvailable();
            query.stop();
            assertThat(table(rivulet, "totals")).containsExactlyInAnyOrder("[a=101]", "[b=2]");
        }
    }

    @Test
    void shouldStartFlatMapGroupsWithStateFromTheInitialState() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("trades");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<String> seen = bySymbol(rivulet, input)
                .flatMapGroupsWithState((String sym, Iterator<Row> rows, GroupState<Long> state) -> {
                    long n = state.getOption().orElse(0L);
                    while (rows.hasNext()) {
                        rows.next();
                        n++;
                    }
                    state.update(n);
                    return List.of(sym + "#" + n).iterator();
                }, OutputMode.APPEND, Encoders.LONG(), Encoders.STRING(), GroupStateTimeout.NO_TIMEOUT,
                    Map.of("b", 5L));
            StreamingQuery query = start(seen, "append", "seen");
            input.addData(trade("a", 1), trade("b", 2));
            query.processAllAvailable();
            query.stop();
            assertThat(table(rivulet, "seen")).containsExactlyInAnyOrder("[a#1]", "[b#6]");
        }
    }

    @Test
    void shouldRejectMapGroupsAndFlatMapGroupsOnAStreamWithSparksMessage() {
        try (Rivulet rivulet = Rivulet.create()) {
            KeyValueGroupedDataset<String, Row> grouped = bySymbol(rivulet, Sources.memoryStream("trades"));
            assertThatThrownBy(() -> grouped.mapGroups((k, rows) -> k, Encoders.STRING()))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining("mapGroups is not supported on streaming DataFrames/Datasets");
            assertThatThrownBy(() -> grouped.flatMapGroups((k, rows) -> List.of(k).iterator(), Encoders.STRING()))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining("flatMapGroups is not supported on streaming DataFrames/Datasets");
        }
    }

    @Test
    void shouldRejectCountKeysAndReduceGroupsInAppendModeBeforeStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            KeyValueGroupedDataset<String, Row> grouped = bySymbol(rivulet, Sources.memoryStream("trades"));
            List<Dataset<?>> aggregations = List.of(grouped.count(), grouped.keys(),
                grouped.mapValues(r -> r.getLong(1), Encoders.LONG()).reduceGroups(Long::sum));
            for (Dataset<?> aggregation : aggregations) {
                assertThatThrownBy(() -> start(aggregation, "append", "out"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid streaming output mode: append. This output mode is not supported"
                        + " for streaming aggregations without watermark");
            }
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    @Test
    void shouldRejectReduceGroupsWhenAValueColumnHasTheKeysName() {
        StructType keyed = StructType.fromDDL("key STRING, qty BIGINT");
        try (Rivulet rivulet = Rivulet.create()) {
            KeyValueGroupedDataset<String, Row> grouped = bySymbol(rivulet, Sources.memoryStream("trades"))
                .mapValues(r -> Row.of(keyed, r.getString(0), r.getLong(1)), Encoders.row(keyed));
            assertThatThrownBy(() -> grouped.reduceGroups((a, b) -> b))
                .isInstanceOf(AnalysisException.class)
                .hasMessageContaining("value column 'key' has the name of a key column");
        }
    }
}
