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
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.rivulet.engine.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code groupByKey(..).mapGroupsWithState/flatMapGroupsWithState} in the structured API: per-key state kept through
 * the state encoder (and restored from a checkpoint), processing-time timeouts on the engine's clock, rows behind the
 * watermark dropped before the function, and Spark's output-mode and timeout rules checked before start.
 * The event-time timeout case is the golden case h1 ({@code StructuredGoldenTest}).
 */
@ExtendWith(NoLeakedThreads.class)
class DatasetGroupStateTest {
    private static final StructType WORDS = StructType.fromDDL("word STRING, ts TIMESTAMP");
    private static final StructType COUNTS = StructType.fromDDL("word STRING, count BIGINT");

    @TempDir
    Path checkpoints;

    /** A state the state encoder ({@code Encoders.record}) keeps and checkpoints. */
    public record Seen(long count, String last) {
    }

    private static Row word(String word, long seconds) {
        return Row.of(WORDS, word, Instant.ofEpochSecond(seconds));
    }

    private static Dataset<Row> words(Rivulet rivulet, MemoryStream<Row> words) {
        return rivulet.readStream().memoryStream(words, Encoders.row(WORDS));
    }

    /** Counts a key's rows: the mapGroupsWithState of the tests. */
    private static Row count(String word, Iterator<Row> rows, GroupState<Long> state) {
        long n = state.getOption().orElse(0L);
        while (rows.hasNext()) {
            rows.next();
            n++;
        }
        state.update(n);
        return Row.of(COUNTS, word, n);
    }

    @Test
    void shouldKeepARunningCountPerKeyWithMapGroupsWithStateInUpdateMode() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("words");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> counts = words(rivulet, input).groupByKey(r -> r.getString(0), Encoders.STRING())
                .mapGroupsWithState(DatasetGroupStateTest::count, Encoders.LONG(), Encoders.row(COUNTS));
            assertThat(counts.schema()).isEqualTo(COUNTS);
            StreamingQuery query = counts.writeStream().outputMode("update").format("memory").queryName("counts")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            input.addData(word("a", 1), word("a", 2), word("b", 3));
            query.processAllAvailable();
            input.addData(word("a", 4));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("counts")).extracting(Row::toString)
                .containsExactlyInAnyOrder("[a,2]", "[b,1]", "[a,3]");
        }
    }

    private StreamingQuery lastWords(Rivulet rivulet, MemoryStream<Row> input) {
        return words(rivulet, input).groupByKey(r -> r.getString(0), Encoders.STRING())
            .flatMapGroupsWithState((String word, Iterator<Row> rows, GroupState<Seen> state) -> {
                Seen seen = state.getOption().orElse(new Seen(0, null));
                while (rows.hasNext()) {
                    seen = new Seen(seen.count() + 1, rows.next().getTimestamp(1).toString());
                }
                state.update(seen);
                return List.of(word + "=" + seen.count() + "@" + seen.last()).iterator();
            }, OutputMode.APPEND, Encoders.record(Seen.class), Encoders.STRING(), GroupStateTimeout.NO_TIMEOUT)
            .writeStream().outputMode("append").format("memory").queryName("seen")
            .option("checkpointLocation", checkpoints.toString())
            .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
    }

    @Test
    void shouldRestoreTheStateThroughItsEncoderAfterARestartFromTheCheckpoint() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("words");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = lastWords(rivulet, input);
            input.addData(word("a", 1), word("a", 2));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = lastWords(rivulet, input);
            input.addData(word("a", 3));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("seen")).extracting(Row::toString)
                .containsExactly("[a=3@1970-01-01T00:00:03Z]");
        }
    }

    @Test
    void shouldTimeOutAKeyInProcessingTimeOnTheEnginesClockAndCallItWithNoRows() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("words");
        AtomicLong nowMs = new AtomicLong(1_700_000_000_000L);
        try (Rivulet rivulet = Rivulet.builder().clocks(System::nanoTime, nowMs::get).build()) {
            StreamingQuery query = words(rivulet, input).groupByKey(r -> r.getString(0), Encoders.STRING())
                .flatMapGroupsWithState((String word, Iterator<Row> rows, GroupState<Long> state) -> {
                    if (state.hasTimedOut()) {
                        long n = state.get();
                        state.remove();
                        return List.of(Row.of(COUNTS, word, -n)).iterator();
                    }
                    Row counted = count(word, rows, state);
                    state.setTimeoutDuration("5 seconds");
                    return List.of(counted).iterator();
                }, OutputMode.UPDATE, Encoders.LONG(), Encoders.row(COUNTS), GroupStateTimeout.PROCESSING_TIME_TIMEOUT)
                .writeStream().outputMode("update").format("memory").queryName("timeouts")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            input.addData(word("a", 1), word("b", 1));
            query.processAllAvailable();
            nowMs.addAndGet(3_000);
            input.addData(word("b", 2));
            query.processAllAvailable();
            assertThat(rivulet.table("timeouts")).extracting(Row::toString).containsExactly("[a,1]", "[b,1]", "[b,2]");
            nowMs.addAndGet(2_001);
            query.processAllAvailable();
            assertThat(rivulet.table("timeouts")).extracting(Row::toString).as("a's timeout passed, b's not")
                .containsExactly("[a,1]", "[b,1]", "[b,2]", "[a,-1]");
            nowMs.addAndGet(3_000);
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("timeouts")).extracting(Row::toString)
                .containsExactly("[a,1]", "[b,1]", "[b,2]", "[a,-1]", "[b,-2]");
        }
    }

    @Test
    void shouldDropRowsBehindTheWatermarkBeforeTheFunctionAfterASelectThatKeepsTheEventTime() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("words");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = words(rivulet, input).withWatermark("ts", "5 seconds")
                .select(col("ts"), col("word"))
                .groupByKey(r -> r.getString(1), Encoders.STRING())
                .mapGroupsWithState((String word, Iterator<Row> rows, GroupState<Long> state) -> count(word, rows, state),
                    Encoders.LONG(), Encoders.row(COUNTS))
                .writeStream().outputMode("update").format("memory").queryName("counts")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            input.addData(word("a", 10));
            query.processAllAvailable();
            // Batch 1 runs with watermark 5 s; as in Spark, its rows are judged against the previous batch's (0).
            input.addData(word("a", 12));
            query.processAllAvailable();
            // Batch 2: the operator has the watermark of batch 1 (5 s): the row at 1 s is late, never counted.
            input.addData(word("a", 1));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("counts")).extracting(Row::toString).containsExactly("[a,1]", "[a,2]");
            assertThat(query.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark()).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectMapGroupsWithStateOutsideUpdateModeBeforeStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> counts = words(rivulet, Sources.memoryStream("words"))
                .groupByKey(r -> r.getString(0), Encoders.STRING())
                .mapGroupsWithState(DatasetGroupStateTest::count, Encoders.LONG(), Encoders.row(COUNTS));
            assertThatThrownBy(() -> counts.writeStream().outputMode("append").format("memory").queryName("c").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mapGroupsWithState is not supported with Append output mode on a streaming"
                    + " DataFrame/Dataset");
            assertThat(rivulet.streams().active()).isEmpty();
        }
    }

    @Test
    void shouldRejectMapGroupsWithStateWithAnAggregationInTheQueryBeforeStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> perCount = words(rivulet, Sources.memoryStream("words"))
                .groupByKey(r -> r.getString(0), Encoders.STRING())
                .mapGroupsWithState(DatasetGroupStateTest::count, Encoders.LONG(), Encoders.row(COUNTS))
                .groupBy("count").count();
            assertThatThrownBy(() -> perCount.writeStream().outputMode("update").format("memory").queryName("c").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mapGroupsWithState is not supported with aggregation on a streaming"
                    + " DataFrame/Dataset");
        }
    }

    @Test
    void shouldRejectFlatMapGroupsWithStateWhoseOutputModeIsNotTheQuerysBeforeStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<String> out = words(rivulet, Sources.memoryStream("words"))
                .groupByKey(r -> r.getString(0), Encoders.STRING())
                .flatMapGroupsWithState((String w, Iterator<Row> rows, GroupState<Long> s) -> List.of(w).iterator(),
                    OutputMode.APPEND, Encoders.LONG(), Encoders.STRING(), GroupStateTimeout.NO_TIMEOUT);
            assertThatThrownBy(() -> out.writeStream().outputMode("update").format("memory").queryName("c").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("flatMapGroupsWithState in append mode is not supported with Update output mode"
                    + " on a streaming DataFrame/Dataset");
        }
    }

    @Test
    void shouldRejectAnEventTimeTimeoutWithoutAWatermarkBeforeStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<String> out = words(rivulet, Sources.memoryStream("words"))
                .groupByKey(r -> r.getString(0), Encoders.STRING())
                .flatMapGroupsWithState((String w, Iterator<Row> rows, GroupState<Long> s) -> List.of(w).iterator(),
                    OutputMode.UPDATE, Encoders.LONG(), Encoders.STRING(), GroupStateTimeout.EVENT_TIME_TIMEOUT);
            assertThatThrownBy(() -> out.writeStream().outputMode("update").format("memory").queryName("c").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()'"
                    + " for using event-time timeout in a [map|flatMap]GroupsWithState.");
        }
    }

    @Test
    void shouldRejectCompleteModeForFlatMapGroupsWithStateWhenBuilt() {
        try (Rivulet rivulet = Rivulet.create()) {
            KeyValueGroupedDataset<String, Row> grouped = words(rivulet, Sources.memoryStream("words"))
                .groupByKey(r -> r.getString(0), Encoders.STRING());
            assertThatThrownBy(() -> grouped.flatMapGroupsWithState(
                (String w, Iterator<Row> rows, GroupState<Long> s) -> List.of(w).iterator(),
                OutputMode.COMPLETE, Encoders.LONG(), Encoders.STRING(), GroupStateTimeout.NO_TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The output mode of function should be append or update");
        }
    }

    @Test
    void shouldRefuseGroupByKeyOnAStaticDataFrame() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> table = rivulet.createDataFrame(List.of(word("a", 1)), WORDS);
            assertThatThrownBy(() -> table.groupByKey(r -> r.getString(0), Encoders.STRING()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("groupByKey is not supported on a static DataFrame");
        }
    }
}
