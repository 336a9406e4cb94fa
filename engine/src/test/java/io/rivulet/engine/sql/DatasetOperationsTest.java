package io.rivulet.engine.sql;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.count;
import static io.rivulet.engine.sql.functions.countDistinct;
import static io.rivulet.engine.sql.functions.current_timestamp;
import static io.rivulet.engine.sql.functions.desc;
import static io.rivulet.engine.sql.functions.explode;
import static io.rivulet.engine.sql.functions.lit;
import static io.rivulet.engine.sql.functions.max;
import static io.rivulet.engine.sql.functions.split;
import static io.rivulet.engine.sql.functions.sum;
import static io.rivulet.engine.sql.functions.upper;
import static io.rivulet.engine.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Dataset operations on rows end to end (memory source to memory sink): the stateless ones compiled once
 * against the schema, {@code groupBy} on the typed keyed aggregation and windows, and the errors before start.
 */
@ExtendWith(NoLeakedThreads.class)
class DatasetOperationsTest {
    private static final StructType TRADES = StructType.fromDDL("sym STRING, qty INT, price DOUBLE");
    private static final StructType LINES = StructType.fromDDL("value STRING");
    private static final StructType EVENTS = StructType.fromDDL("ts TIMESTAMP, word STRING");

    private static Dataset<Row> rows(Rivulet rivulet, String name, StructType schema, Object[]... rows) {
        MemoryStream<Row> stream = Sources.memoryStream(name);
        for (Object[] row : rows) {
            stream.addData(Row.of(schema, row));
        }
        stream.end();
        return rivulet.readStream().memoryStream(stream, Encoders.row(schema));
    }

    private static Dataset<Row> trades(Rivulet rivulet) {
        return rows(rivulet, "trades", TRADES, new Object[] {"a", 10, 1.5}, new Object[] {"b", 200, 2.0},
            new Object[] {"a", 300, 0.5});
    }

    private static List<String> run(Rivulet rivulet, Dataset<Row> df, String name) throws Exception {
        df.writeStream().format("memory").queryName(name).start().awaitTermination();
        return rivulet.table(name).stream().map(Row::toString).toList();
    }

    @Test
    void shouldSelectColumnsExpressionsAndStringsWithSparksNames() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> selected = trades(rivulet).select(col("sym"), col("qty").multiply(col("price")), upper(col("sym")).as("u"));
            assertThat(selected.columns()).containsExactly("sym", "(qty * price)", "u");
            assertThat(run(rivulet, selected, "s")).containsExactly("[a,15.0,A]", "[b,400.0,B]", "[a,150.0,A]");
            assertThat(run(rivulet, trades(rivulet).select("qty", "sym"), "s2")).containsExactly("[10,a]", "[200,b]", "[300,a]");
        }
    }

    @Test
    void shouldSelectSqlExpressionStrings() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> selected = trades(rivulet).selectExpr("CAST(qty AS STRING) AS q", "qty * 2 doubled", "*");
            assertThat(selected.schema().toDDL()).isEqualTo("q STRING,doubled INT,sym STRING,qty INT,price DOUBLE");
            assertThat(run(rivulet, selected, "e")).first().isEqualTo("[10,20,a,10,1.5]");
        }
    }

    @Test
    void shouldKeepOnlyRowsWhoseConditionIsTrueByColumnOrString() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThat(run(rivulet, trades(rivulet).where(col("qty").gt(100)), "w")).containsExactly("[b,200,2.0]", "[a,300,0.5]");
            assertThat(run(rivulet, trades(rivulet).filter("qty > 100 AND sym = 'a'"), "f")).containsExactly("[a,300,0.5]");
            assertThat(run(rivulet, trades(rivulet).filter(col("sym").equalTo("b")), "g")).containsExactly("[b,200,2.0]");
        }
    }

    @Test
    void shouldResolveAWhereColumnTheSelectDroppedBelowTheSelectAsSparkDoes() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            // Spark's ResolveMissingReferences: df.select("action").where("id > 10")
            Dataset<Row> syms = trades(rivulet).select("sym").where("qty > 100");
            assertThat(syms.columns()).containsExactly("sym");
            assertThat(run(rivulet, syms, "s")).containsExactly("[b]", "[a]");
            Dataset<Row> both = trades(rivulet).select(col("sym"), col("price").multiply(2).as("p2"))
                .filter(col("qty").gt(100).and(col("p2").gt(2)));
            assertThat(both.columns()).containsExactly("sym", "p2");
            assertThat(run(rivulet, both, "b")).containsExactly("[b,4.0]");
            Dataset<Row> table = rivulet.createDataFrame(List.of(Row.of(TRADES, "a", 10, 1.5), Row.of(TRADES, "b", 200, 2.0)),
                TRADES).select("sym").where(col("qty").gt(100));
            assertThat(table.staticRows().load()).extracting(Row::toString).containsExactly("[b]");
        }
    }

    @Test
    void shouldStillListTheColumnsForAWhereColumnUnknownBelowTheSelectToo() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> trades(rivulet).select("sym", "qty").where("qtx > 100"))
                .isInstanceOf(AnalysisException.class).hasMessage("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function"
                    + " parameter with name `qtx` cannot be resolved. Did you mean one of the following? [`qty`, `sym`].");
        }
    }

    @Test
    void shouldOrderAnAggregationByAColumnTheSelectDroppedThenLimitAsSparkDoes() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> top = trades(rivulet).groupBy("sym").agg(sum("qty").as("total"), count("*").as("n"))
                .select("sym", "n").orderBy(desc("total"));
            assertThat(top.columns()).containsExactly("sym", "n");
            top.writeStream().outputMode("complete").format("memory").queryName("top").start().awaitTermination();
            assertThat(rivulet.table("top")).extracting(Row::toString).containsExactly("[a,2]", "[b,1]");
            Dataset<Row> first = trades(rivulet).groupBy("sym").agg(sum("qty").as("total"), count("*").as("n"))
                .select("sym", "n").orderBy(col("total").asc()).limit(1);
            first.writeStream().outputMode("complete").format("memory").queryName("first").start().awaitTermination();
            assertThat(rivulet.table("first")).extracting(Row::toString).containsExactly("[b,1]");
        }
    }

    @Test
    void shouldAddReplaceRenameAndDropColumns() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = trades(rivulet).withColumn("value", col("qty").multiply(col("price")))
                .withColumn("QTY", col("qty").plus(1))
                .withColumnRenamed("sym", "symbol")
                .withColumnRenamed("nope", "x")
                .drop("price", "missing");
            assertThat(df.columns()).containsExactly("symbol", "QTY", "value");
            assertThat(run(rivulet, df, "d")).containsExactly("[a,11,15.0]", "[b,201,400.0]", "[a,301,150.0]");
        }
    }

    @Test
    void shouldExplodeAnArrayIntoOneRowPerElementNamedCol() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> words = rows(rivulet, "l", LINES, new Object[] {"a b"}, new Object[] {null}, new Object[] {"c"})
                .select(explode(split(col("value"), " ")));
            assertThat(words.schema().toDDL()).isEqualTo("col STRING NOT NULL");
            assertThat(run(rivulet, words, "x")).containsExactly("[a]", "[b]", "[c]");
        }
    }

    @Test
    void shouldSetCurrentTimestampFromTheEnginesClockPerEpoch() throws Exception {
        try (Rivulet rivulet = Rivulet.builder().clocks(System::nanoTime, () -> 1_700_000_000_000L).build()) {
            Dataset<Row> df = trades(rivulet).select(col("sym"), current_timestamp().as("now"));
            assertThat(run(rivulet, df, "t")).first().isEqualTo("[a," + Instant.ofEpochMilli(1_700_000_000_000L) + "]");
        }
    }

    @Test
    void shouldFailBeforeStartOnAnUnknownColumnANonBooleanFilterOrCountDistinct() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = trades(rivulet);
            assertThatThrownBy(() -> df.select(col("qtx"))).isInstanceOf(AnalysisException.class).hasMessage(
                "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `qtx` cannot be resolved."
                    + " Did you mean one of the following? [`qty`, `sym`, `price`].");
            assertThatThrownBy(() -> df.selectExpr("nope + 1")).hasMessageContaining("`nope` cannot be resolved");
            assertThatThrownBy(() -> df.where(col("qty").plus(1))).hasMessageStartingWith(
                "[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN]").hasMessageContaining("of type \"INT\" is not a boolean");
            assertThatThrownBy(() -> df.groupBy("sym").agg(countDistinct(col("qty")))).hasMessage(
                "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using"
                    + " approx_count_distinct() instead.");
            assertThatThrownBy(() -> df.groupBy("nope")).hasMessageContaining("`nope` cannot be resolved");
            assertThatThrownBy(() -> df.select(count(col("qty")))).hasMessageContaining("groupBy().agg");
        }
    }

    @Test
    void shouldAggregatePerGroupWithSumMaxAndAliases() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> agg = trades(rivulet).groupBy(col("sym"))
                .agg(sum(col("qty")).as("total"), max(col("price")), count(lit(1)));
            assertThat(agg.schema().toDDL()).isEqualTo("sym STRING,total BIGINT,`max(price)` DOUBLE,`count(1)` BIGINT NOT NULL");
            agg.writeStream().format("memory").queryName("agg").outputMode("complete").trigger(Trigger.availableNow())
                .start().awaitTermination();
            assertThat(latest(rivulet.table("agg"))).containsEntry("a", "[a,310,1.5,2]").containsEntry("b", "[b,200,2.0,1]")
                .hasSize(2);
            Dataset<Row> avg = trades(rivulet).groupBy("sym").avg("qty");
            assertThat(avg.columns()).containsExactly("sym", "avg(qty)");
        }
    }

    @Test
    void shouldCountWordsAsTheSeedsStructuredWordCountInCompleteMode() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> lines = rows(rivulet, "lines", LINES, new Object[] {"the cat"}, new Object[] {"the dog the end"});
            Dataset<Row> wordCounts = lines.select(explode(split(col("value"), " ")).as("word")).groupBy("word").count();
            assertThat(wordCounts.schema().toDDL()).isEqualTo("word STRING NOT NULL,count BIGINT NOT NULL");
            wordCounts.writeStream().outputMode("complete").format("memory").queryName("wc")
                .trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(latest(rivulet.table("wc"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "the", "[the,3]", "cat", "[cat,1]", "dog", "[dog,1]", "end", "[end,1]"));
        }
    }

    @Test
    void shouldCountWordsPerEventTimeWindowWithAWatermarkInAppendMode() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> events = rows(rivulet, "events", EVENTS,
                new Object[] {Instant.parse("2024-01-01T10:01:00Z"), "a"},
                new Object[] {Instant.parse("2024-01-01T10:05:00Z"), "a"},
                new Object[] {Instant.parse("2024-01-01T10:07:00Z"), "b"},
                new Object[] {Instant.parse("2024-01-01T10:12:00Z"), "a"},
                new Object[] {Instant.parse("2024-01-01T10:31:00Z"), "c"});
            Dataset<Row> windowed = events.withWatermark("ts", "10 minutes")
                .groupBy(window(col("ts"), "10 minutes"), col("word")).count();
            assertThat(windowed.schema().toDDL()).isEqualTo(
                "window STRUCT<start: TIMESTAMP, end: TIMESTAMP> NOT NULL,word STRING,count BIGINT NOT NULL");
            windowed.writeStream().outputMode("append").format("memory").queryName("ww").start().awaitTermination();
            assertThat(rivulet.table("ww")).extracting(Row::toString).contains(
                "[[2024-01-01T10:00:00Z,2024-01-01T10:10:00Z],a,2]",
                "[[2024-01-01T10:00:00Z,2024-01-01T10:10:00Z],b,1]",
                "[[2024-01-01T10:10:00Z,2024-01-01T10:20:00Z],a,1]");
        }
    }

    @Test
    void shouldReplaceTheMemoryTableWithEachEpochsFullResultInCompleteMode() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Row> lines = Sources.memoryStream("lines");
            Dataset<Row> counts = rivulet.readStream().memoryStream(lines, Encoders.row(LINES))
                .select(explode(split(col("value"), " ")).as("word")).groupBy("word").count();
            StreamingQuery query = counts.writeStream().outputMode("complete").format("memory").queryName("wc").start();
            lines.addData(Row.of(LINES, "the cat"));
            query.processAllAvailable();
            assertThat(rivulet.table("wc")).extracting(Row::toString).containsExactlyInAnyOrder("[the,1]", "[cat,1]");
            lines.addData(Row.of(LINES, "the dog"));
            query.processAllAvailable();
            assertThat(rivulet.table("wc")).extracting(Row::toString)
                .containsExactlyInAnyOrder("[the,2]", "[cat,1]", "[dog,1]");
            query.stop();
        }
    }

    @Test
    void shouldKeepTheFirstRowOfEachKeyInInputOrderWithDropDuplicates() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThat(run(rivulet, trades(rivulet).dropDuplicates("SYM"), "d1"))
                .containsExactlyInAnyOrder("[a,10,1.5]", "[b,200,2.0]");
            Dataset<Row> twice = rows(rivulet, "t2", TRADES, new Object[] {"a", 1, 1.0}, new Object[] {"a", 1, 1.0},
                new Object[] {"a", 1, 2.0}, new Object[] {null, 1, 1.0}, new Object[] {null, 1, 1.0});
            assertThat(run(rivulet, twice.dropDuplicates(), "d2"))
                .containsExactlyInAnyOrder("[a,1,1.0]", "[a,1,2.0]", "[null,1,1.0]");
            assertThatThrownBy(() -> trades(rivulet).dropDuplicates("nope")).hasMessageContaining("`nope` cannot be resolved");
        }
    }

    @Test
    void shouldDeduplicateOnKeyAndWatermarkedEventTimeTogether() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> events = rows(rivulet, "ev", EVENTS,
                new Object[] {Instant.parse("2024-01-01T10:00:00Z"), "a"},
                new Object[] {Instant.parse("2024-01-01T10:00:00Z"), "a"},
                new Object[] {Instant.parse("2024-01-01T10:05:00Z"), "a"});
            Dataset<Row> deduped = events.withWatermark("ts", "10 minutes").where("word IS NOT NULL")
                .dropDuplicates("word", "ts");
            assertThat(deduped.explainString(false)).contains("dropDuplicatesWithEventTime(dropDuplicates(word, ts))");
            assertThat(run(rivulet, deduped, "dt")).containsExactly(
                "[2024-01-01T10:00:00Z,a]", "[2024-01-01T10:05:00Z,a]");
        }
    }

    @Test
    void shouldDropDuplicatesWithinTheWatermarkDelayAndRequireAWatermark() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> events = rows(rivulet, "ev", EVENTS,
                new Object[] {Instant.parse("2024-01-01T10:00:00Z"), "a"},
                new Object[] {Instant.parse("2024-01-01T10:05:00Z"), "a"},
                new Object[] {Instant.parse("2024-01-01T10:01:00Z"), "b"});
            assertThatThrownBy(() -> events.dropDuplicatesWithinWatermark("word")).hasMessageContaining(
                "dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark");
            Dataset<Row> deduped = events.withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark("word");
            assertThat(run(rivulet, deduped, "dw")).containsExactlyInAnyOrder(
                "[2024-01-01T10:00:00Z,a]", "[2024-01-01T10:01:00Z,b]");
            Dataset<Row> renamed = rows(rivulet, "ev2", EVENTS).withWatermark("ts", "1 minute").withColumnRenamed("ts", "t");
            assertThatThrownBy(() -> renamed.dropDuplicatesWithinWatermark("word")).hasMessageContaining("without watermark");
        }
    }

    @Test
    void shouldSortAndLimitTheResultTableOfAnAggregationInCompleteMode() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> counts = rows(rivulet, "l", LINES, new Object[] {"b a c a"}, new Object[] {"c a d"})
                .select(explode(split(col("value"), " ")).as("word")).groupBy("word").count();
            counts.orderBy(col("count").desc(), col("word")).writeStream().outputMode("complete").format("memory")
                .queryName("sorted").trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(rivulet.table("sorted")).extracting(Row::toString).containsExactly("[a,3]", "[c,2]", "[b,1]", "[d,1]");

            rows(rivulet, "l2", LINES, new Object[] {"b a c a"}, new Object[] {"c a d"})
                .select(explode(split(col("value"), " ")).as("word")).groupBy("word").count()
                .sort("word").limit(2).writeStream().outputMode("complete").format("memory")
                .queryName("top").trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(rivulet.table("top")).extracting(Row::toString).containsExactly("[a,3]", "[b,1]");

            rows(rivulet, "l3", LINES, new Object[] {"b a c a"})
                .select(explode(split(col("value"), " ")).as("word")).groupBy("word").count()
                .limit(2).writeStream().outputMode("complete").format("memory")
                .queryName("any2").trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(rivulet.table("any2")).hasSize(2);
        }
    }

    @Test
    void shouldRejectSortingOutsideCompleteModeLimitInUpdateModeAndALimitNotLastInAppendMode() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> trades(rivulet).orderBy("qty").writeStream().format("memory").queryName("o").start())
                .hasMessageStartingWith("Sorting is not supported on streaming DataFrames/Datasets, unless it is on"
                    + " aggregated DataFrame/Dataset in Complete output mode");
            assertThatThrownBy(() -> trades(rivulet).groupBy("sym").count().limit(1).writeStream().format("memory")
                .queryName("u").outputMode("update").start())
                .hasMessage("Limits are not supported on streaming DataFrames/Datasets in Update output mode");
            assertThatThrownBy(() -> trades(rivulet).limit(1).select("sym").writeStream().format("memory").queryName("a")
                .start()).hasMessageStartingWith("limit without orderBy in append output mode must be the last operation");
            assertThatThrownBy(() -> trades(rivulet).limit(-1))
                .hasMessage("The limit expression must be equal to or greater than 0, but got -1");
        }
    }

    private static StreamingQuery wordCount(Rivulet rivulet, MemoryStream<Row> lines, Path checkpoints) {
        return rivulet.readStream().memoryStream(lines, Encoders.row(LINES))
            .select(explode(split(col("value"), " ")).as("word")).groupBy("word").count()
            .writeStream().outputMode("complete").format("memory").queryName("wc")
            .option("checkpointLocation", checkpoints.toString()).start();
    }

    @Test
    void shouldContinueGroupCountsAfterARestartFromTheCheckpoint(@TempDir Path checkpoints) throws Exception {
        MemoryStream<Row> lines = Sources.memoryStream("lines");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = wordCount(rivulet, lines, checkpoints);
            lines.addData(Row.of(LINES, "the cat"), Row.of(LINES, "the dog"));
            query.processAllAvailable();
            assertThat(rivulet.table("wc")).extracting(Row::toString)
                .containsExactlyInAnyOrder("[the,2]", "[cat,1]", "[dog,1]");
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = wordCount(rivulet, lines, checkpoints);
            lines.addData(Row.of(LINES, "the end"));
            query.processAllAvailable();
            assertThat(rivulet.table("wc")).extracting(Row::toString)
                .containsExactlyInAnyOrder("[the,3]", "[cat,1]", "[dog,1]", "[end,1]");
            query.stop();
        }
    }

    /** The latest row of each group (the first column), as a complete-mode table shows after the last epoch. */
    private static Map<String, String> latest(List<Row> rows) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Row row : rows) {
            latest.put(String.valueOf(row.get(0)), row.toString());
        }
        return latest;
    }
}
