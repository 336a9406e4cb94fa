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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Dataset.join} end to end (memory sources to the memory sink): Spark's ad-impression join written as in
 * Spark, stream-static joins, qualified and ambiguous names, Spark's rules at start, restart from a checkpoint.
 */
@ExtendWith(NoLeakedThreads.class)
class DatasetJoinTest {
    private static final StructType IMPRESSIONS = StructType.fromDDL("impressionAdId INT, impressionTime TIMESTAMP");
    private static final StructType CLICKS = StructType.fromDDL("clickAdId INT, clickTime TIMESTAMP");
    private static final StructType ADS = StructType.fromDDL("adId INT, campaign STRING");
    private static final String WITHIN_AN_HOUR = "clickAdId = impressionAdId AND clickTime >= impressionTime"
        + " AND clickTime <= impressionTime + interval 1 hour";

    @TempDir
    Path checkpoints;

    private static Instant at(String hhmm) {
        return Instant.parse("2024-01-01T" + hhmm + ":00Z");
    }

    private static Dataset<Row> ended(Rivulet rivulet, String name, StructType schema, Object[]... rows) {
        MemoryStream<Row> stream = Sources.memoryStream(name);
        for (Object[] row : rows) {
            stream.addData(Row.of(schema, row));
        }
        stream.end();
        return rivulet.readStream().memoryStream(stream, Encoders.row(schema));
    }

    private static Dataset<Row> impressions(Rivulet rivulet) {
        return ended(rivulet, "impressions", IMPRESSIONS, new Object[] {1, at("10:00")}, new Object[] {2, at("10:05")},
            new Object[] {3, at("10:10")});
    }

    private static Dataset<Row> clicks(Rivulet rivulet) {
        return ended(rivulet, "clicks", CLICKS, new Object[] {1, at("10:30")}, new Object[] {3, at("12:00")},
            new Object[] {4, at("10:20")});
    }

    private static List<String> run(Rivulet rivulet, Dataset<Row> df, String name) throws Exception {
        df.writeStream().format("memory").queryName(name).start().awaitTermination();
        return rivulet.table(name).stream().map(Row::toString).toList();
    }

    private static Trigger trigger(boolean microBatch) {
        return microBatch ? Trigger.processingTime(Duration.ofHours(1)) : Trigger.continuous(Duration.ofMillis(5));
    }

    @Test
    void shouldJoinClicksWithinAnHourOfTheirImpressionWrittenAsSparksExpression() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> joined = impressions(rivulet).withWatermark("impressionTime", "2 hours")
                .join(clicks(rivulet).withWatermark("clickTime", "3 hours"), expr(WITHIN_AN_HOUR));
            assertThat(joined.schema().toDDL()).isEqualTo(
                "impressionAdId INT,impressionTime TIMESTAMP,clickAdId INT,clickTime TIMESTAMP");
            // ad 3's click (12:00) is out of its hour; ad 4 has no impression
            assertThat(run(rivulet, joined, "inner")).containsExactly(
                "[1,2024-01-01T10:00:00Z,1,2024-01-01T10:30:00Z]");
        }
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldEmitTheNeverClickedImpressionsOfALeftOuterJoinOnceTheWatermarkPassesTheirHour(boolean microBatch)
        throws Exception {
        MemoryStream<Row> imps = Sources.memoryStream("imps");
        MemoryStream<Row> clicks = Sources.memoryStream("clicks");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> joined = rivulet.readStream().memoryStream(imps, Encoders.row(IMPRESSIONS))
                .withWatermark("impressionTime", "10 minutes")
                .join(rivulet.readStream().memoryStream(clicks, Encoders.row(CLICKS)).withWatermark("clickTime", "10 minutes"),
                    expr(WITHIN_AN_HOUR), "left_outer");
            StreamingQuery query = joined.writeStream().format("memory").queryName("outer").trigger(trigger(microBatch))
                .start();
            imps.addData(Row.of(IMPRESSIONS, 1, at("10:00")), Row.of(IMPRESSIONS, 2, at("10:05")));
            query.processAllAvailable();
            clicks.addData(Row.of(CLICKS, 1, at("10:30")));
            query.processAllAvailable();
            assertThat(rivulet.table("outer")).extracting(Row::toString)
                .containsExactly("[1,2024-01-01T10:00:00Z,1,2024-01-01T10:30:00Z]");
            // both watermarks to 13:00: ad 2's hour (until 11:05) is over
            imps.addData(Row.of(IMPRESSIONS, 9, at("13:10")));
            clicks.addData(Row.of(CLICKS, 9, at("13:10")));
            query.processAllAvailable();
            imps.addData(Row.of(IMPRESSIONS, 10, at("13:20")));
            clicks.addData(Row.of(CLICKS, 10, at("13:20")));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("outer")).extracting(Row::toString).contains(
                "[1,2024-01-01T10:00:00Z,1,2024-01-01T10:30:00Z]", "[2,2024-01-01T10:05:00Z,null,null]",
                "[9,2024-01-01T13:10:00Z,9,2024-01-01T13:10:00Z]").doesNotContain("[1,2024-01-01T10:00:00Z,null,null]");
        }
    }

    @Test
    void shouldKeepOnlyTheLeftColumnsOfMatchedRowsOnceInALeftSemiJoin() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> semi = impressions(rivulet).withWatermark("impressionTime", "2 hours")
                .join(ended(rivulet, "c2", CLICKS, new Object[] {1, at("10:30")}, new Object[] {1, at("10:40")})
                    .withWatermark("clickTime", "2 hours"), expr(WITHIN_AN_HOUR), "leftsemi");
            assertThat(semi.columns()).containsExactly("impressionAdId", "impressionTime");
            assertThat(run(rivulet, semi, "semi")).containsExactly("[1,2024-01-01T10:00:00Z]");
        }
    }

    @Test
    void shouldRejectAtStartWhatSparkRejectsThroughTheTypedJoinsRules() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> noWatermark = impressions(rivulet).join(clicks(rivulet), expr(WITHIN_AN_HOUR), "left_outer");
            assertThatThrownBy(() -> noWatermark.writeStream().format("memory").queryName("x").start())
                .hasMessageStartingWith("Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not"
                    + " supported without a watermark in the join keys, or a watermark on the nullable side and an"
                    + " appropriate range condition");
            Dataset<Row> inner = impressions(rivulet).join(clicks(rivulet), col("impressionAdId").equalTo(col("clickAdId")));
            assertThatThrownBy(() -> inner.writeStream().format("memory").queryName("y").outputMode("update").start())
                .hasMessageStartingWith("Join between two streaming DataFrames/Datasets is not supported in Update output"
                    + " mode, only in Append output mode");
            assertThatThrownBy(() -> impressions(rivulet).join(clicks(rivulet), expr("clickTime >= impressionTime")))
                .hasMessageContaining("Stream-stream join without equality predicate is not supported");
            assertThatThrownBy(() -> impressions(rivulet).join(clicks(rivulet), col("impressionAdId").equalTo(col("clickAdId")),
                "sideways")).hasMessageStartingWith("Unsupported join type 'sideways'. Supported join types include:");
            assertThatThrownBy(() -> impressions(rivulet).withWatermark("impressionTime", "1 hour")
                .join(clicks(rivulet).withWatermark("clickTime", "1 hour"),
                    expr(WITHIN_AN_HOUR + " AND clickAdId > 2"), "left_outer"))
                .hasMessageContaining("Only an inner join may have conditions other than equalities");
            Dataset<Row> oneSided = impressions(rivulet).withWatermark("impressionTime", "1 hour")
                .join(clicks(rivulet).withWatermark("clickTime", "1 hour"),
                    expr("clickAdId = impressionAdId AND clickTime >= impressionTime"), "left_outer");
            assertThatThrownBy(() -> oneSided.writeStream().format("memory").queryName("z").start())
                .hasMessageContaining("has a watermark on its left input, a watermark on its right input and no time range");
        }
    }

    @Test
    void shouldJoinAStreamWithAStaticDataFrameInnerLeftOuterAndLeftSemi() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> ads = rivulet.createDataFrame(List.of(Row.of(ADS, 1, "spring"), Row.of(ADS, 3, "summer"),
                Row.of(ADS, 3, "autumn")), ADS);
            assertThat(ads.isStreaming()).isFalse();
            assertThat(run(rivulet, clicks(rivulet).join(ads, col("clickAdId").equalTo(col("adId"))), "si"))
                .containsExactlyInAnyOrder("[1,2024-01-01T10:30:00Z,1,spring]", "[3,2024-01-01T12:00:00Z,3,summer]",
                    "[3,2024-01-01T12:00:00Z,3,autumn]");
            assertThat(run(rivulet, clicks(rivulet).join(ads.where("campaign <> 'autumn'"),
                col("clickAdId").equalTo(col("adId")), "left_outer"), "slo")).containsExactlyInAnyOrder(
                "[1,2024-01-01T10:30:00Z,1,spring]", "[3,2024-01-01T12:00:00Z,3,summer]", "[4,2024-01-01T10:20:00Z,null,null]");
            assertThat(run(rivulet, clicks(rivulet).join(ads, col("clickAdId").equalTo(col("adId")), "left_semi"), "ss"))
                .containsExactlyInAnyOrder("[1,2024-01-01T10:30:00Z]", "[3,2024-01-01T12:00:00Z]");
            // static RIGHT OUTER stream is stream LEFT OUTER static, the static columns first
            assertThat(run(rivulet, ads.where("campaign <> 'autumn'").select("adId").join(clicks(rivulet),
                col("clickAdId").equalTo(col("adId")), "right_outer"), "sro")).contains("[null,4,2024-01-01T10:20:00Z]");
        }
    }

    @Test
    void shouldJoinAStreamWithAStaticJsonLinesFileAndFailTheBuildOnAMalformedLine() throws Exception {
        Path file = checkpoints.resolve("ads.json");
        Files.writeString(file, "{\"adId\": 1, \"campaign\": \"spring\"}\n\n[{\"adId\": 3, \"campaign\": \"summer\"}]\n");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> ads = rivulet.read().schema("adId INT, campaign STRING").json(file.toString());
            assertThat(run(rivulet, clicks(rivulet).join(ads, expr("clickAdId = adId")), "json")).containsExactlyInAnyOrder(
                "[1,2024-01-01T10:30:00Z,1,spring]", "[3,2024-01-01T12:00:00Z,3,summer]");
            Files.writeString(file, "{\"adId\": \"one\"}\n");
            assertThatThrownBy(() -> clicks(rivulet).join(rivulet.read().schema("adId INT, campaign STRING")
                .json(file.toString()), expr("clickAdId = adId"))).hasMessageContaining("ads.json line 1: malformed JSON");
        }
    }

    @Test
    void shouldRejectStaticLeftOuterStreamAndStreamRightOuterStaticWithTheTypedJoinsMessage() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> ads = rivulet.createDataFrame(List.of(Row.of(ADS, 1, "spring")), ADS);
            assertThatThrownBy(() -> clicks(rivulet).join(ads, col("clickAdId").equalTo(col("adId")), "right_outer"))
                .hasMessageStartingWith("Right outer join with a streaming DataFrame/Dataset on the left and a static"
                    + " DataFrame/DataSet on the right not supported");
            assertThatThrownBy(() -> ads.join(clicks(rivulet), col("clickAdId").equalTo(col("adId")), "left_outer"))
                .hasMessageStartingWith("Right outer join with a streaming DataFrame/Dataset on the left")
                .hasMessageContaining("static LEFT OUTER stream is the same join");
            assertThatThrownBy(() -> clicks(rivulet).join(ads, col("clickAdId").equalTo(col("adId")), "full_outer"))
                .hasMessageStartingWith("Full outer joins with a streaming DataFrame/Dataset and a static");
            assertThatThrownBy(() -> ads.join(clicks(rivulet), col("clickAdId").equalTo(col("adId")), "left_semi"))
                .hasMessageStartingWith("LeftSemi join with a streaming DataFrame/Dataset on the right and a static");
            assertThatThrownBy(() -> ads.writeStream()).hasMessageContaining("not supported on a static DataFrame");
        }
    }

    @Test
    void shouldListTheQualifiedCandidatesOfAnAmbiguousNameAndResolveQualifiedOnes() throws Exception {
        StructType left = StructType.fromDDL("id INT, v STRING");
        StructType right = StructType.fromDDL("id INT, w STRING");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> a = ended(rivulet, "a", left, new Object[] {1, "x"}, new Object[] {2, "y"}).as("a");
            Dataset<Row> b = rivulet.createDataFrame(List.of(Row.of(right, 1, "p"), Row.of(right, 2, "q")), right).as("b");
            assertThatThrownBy(() -> a.join(b, expr("id = id"))).hasMessage("[AMBIGUOUS_REFERENCE] Reference `id` is"
                + " ambiguous, could be: [`a`.`id`, `b`.`id`]. Qualify it with the Dataset's alias (ds.as(\"a\") then"
                + " col(\"a.name\")).");
            Dataset<Row> joined = a.join(b, col("a.id").equalTo(b.col("id")));
            assertThat(joined.columns()).containsExactly("id", "v", "id", "w");
            assertThatThrownBy(() -> joined.select("id")).hasMessageContaining("[AMBIGUOUS_REFERENCE] Reference `id` is"
                + " ambiguous, could be: [`a`.`id`, `b`.`id`]");
            assertThat(run(rivulet, joined.where("b.w = 'q'").select(col("b.id"), col("v"), col("a.*")), "q"))
                .containsExactly("[2,y,2,y]");
        }
    }

    @Test
    void shouldJoinOnUsingColumnsWithEachOnceFirstAsSpark() throws Exception {
        StructType left = StructType.fromDDL("id INT, v STRING");
        StructType right = StructType.fromDDL("id INT, w STRING");
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> a = ended(rivulet, "a", left, new Object[] {1, "x"}, new Object[] {2, "y"});
            Dataset<Row> b = rivulet.createDataFrame(List.of(Row.of(right, 1, "p")), right);
            Dataset<Row> joined = a.join(b, "id");
            assertThat(joined.columns()).containsExactly("id", "v", "w");
            assertThat(run(rivulet, joined, "u")).containsExactly("[1,x,p]");
            assertThat(a.join(b, new String[] {"id"}, "left_outer").schema().toDDL()).isEqualTo("id INT,v STRING,w STRING");
            assertThatThrownBy(() -> a.join(b, List.of("v"))).hasMessageContaining("[UNRESOLVED_USING_COLUMN_FOR_JOIN]"
                + " USING column `v` cannot be resolved on the right side of the join. The right-side columns: [`id`, `w`].");
        }
    }

    @Test
    void shouldGiveTheSameRowsOnTheLongKeyJoinAndTheBoxedKeyJoin() throws Exception {
        StructType l = StructType.fromDDL("k BIGINT, s STRING, ts TIMESTAMP");
        StructType r = StructType.fromDDL("k2 BIGINT, s2 STRING, ts2 TIMESTAMP");
        try (Rivulet rivulet = Rivulet.create()) {
            Object[][] left = {{1L, "a", at("10:00")}, {2L, "b", at("10:00")}, {null, null, at("10:00")}};
            Object[][] right = {{1L, "a", at("10:01")}, {2L, "c", at("10:01")}, {null, null, at("10:01")}};
            Dataset<Row> byLong = ended(rivulet, "l1", l, left).join(ended(rivulet, "r1", r, right), expr("k = k2"));
            Dataset<Row> byString = ended(rivulet, "l2", l, left).join(ended(rivulet, "r2", r, right), expr("s = s2"));
            assertThat(byLong.explainString(false)).contains("Exchange hashpartitioning(k = k2 (long key), 2)");
            assertThat(byString.explainString(false)).contains("Exchange hashpartitioning(s = s2, 2)");
            assertThat(run(rivulet, byLong, "long")).containsExactlyInAnyOrder(
                "[1,a,2024-01-01T10:00:00Z,1,a,2024-01-01T10:01:00Z]", "[2,b,2024-01-01T10:00:00Z,2,c,2024-01-01T10:01:00Z]");
            assertThat(run(rivulet, byString, "boxed")).containsExactly(
                "[1,a,2024-01-01T10:00:00Z,1,a,2024-01-01T10:01:00Z]");
        }
    }

    private StreamingQuery adJoin(Rivulet rivulet, MemoryStream<Row> imps, MemoryStream<Row> clicks) {
        return rivulet.readStream().memoryStream(imps, Encoders.row(IMPRESSIONS)).withWatermark("impressionTime", "1 hour")
            .join(rivulet.readStream().memoryStream(clicks, Encoders.row(CLICKS)).withWatermark("clickTime", "1 hour"),
                expr(WITHIN_AN_HOUR))
            .writeStream().format("memory").queryName("ads").option("checkpointLocation", checkpoints.toString()).start();
    }

    @Test
    void shouldMatchAClickAfterARestartWithTheImpressionRestoredFromTheCheckpoint() throws Exception {
        MemoryStream<Row> imps = Sources.memoryStream("imps");
        MemoryStream<Row> clicks = Sources.memoryStream("clicks");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = adJoin(rivulet, imps, clicks);
            imps.addData(Row.of(IMPRESSIONS, 1, at("10:00")), Row.of(IMPRESSIONS, 2, at("10:05")));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("ads")).isEmpty();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = adJoin(rivulet, imps, clicks);
            clicks.addData(Row.of(CLICKS, 2, at("10:15")));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("ads")).extracting(Row::toString)
                .containsExactly("[2,2024-01-01T10:05:00Z,2,2024-01-01T10:15:00Z]");
        }
    }
}
