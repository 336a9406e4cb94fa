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

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.rivulet.engine.sql.functions.approx_count_distinct;
import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.collect_list;
import static io.rivulet.engine.sql.functions.collect_set;
import static io.rivulet.engine.sql.functions.count;
import static io.rivulet.engine.sql.functions.countDistinct;
import static io.rivulet.engine.sql.functions.expr;
import static io.rivulet.engine.sql.functions.first;
import static io.rivulet.engine.sql.functions.last;
import static io.rivulet.engine.sql.functions.session_window;
import static io.rivulet.engine.sql.functions.sum;
import static io.rivulet.engine.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The aggregates of {@code groupBy(..).agg(..)} beyond count/sum/avg/min/max, and {@code session_window} grouping,
 * end to end, each restored from a checkpoint after a restart (the accumulators' own state codec).
 */
@ExtendWith(NoLeakedThreads.class)
class DatasetAggregateTest {
    private static final StructType VISITS = StructType.fromDDL("user STRING, page STRING, amount DECIMAL(10,2)");
    private static final StructType CLICKS = StructType.fromDDL("ts TIMESTAMP, user STRING, page STRING");

    @TempDir
    Path checkpoints;

    private static Row visit(String user, String page, String amount) {
        return Row.of(VISITS, user, page, amount == null ? null : new BigDecimal(amount));
    }

    private static Row click(String hhmm, String user, String page) {
        return Row.of(CLICKS, Instant.parse("2024-01-01T" + hhmm + ":00Z"), user, page);
    }

    private StreamingQuery perUser(Rivulet rivulet, MemoryStream<Row> visits) {
        return rivulet.readStream().memoryStream(visits, Encoders.row(VISITS)).groupBy("user")
            .agg(first(col("page")).as("first"), last(col("page")).as("last"), collect_list(col("page")).as("pages"),
                collect_set(col("page")).as("distinct"), approx_count_distinct(col("page")).as("approx"),
                sum(col("amount")).as("spent"))
            .writeStream().outputMode("complete").format("memory").queryName("users")
            .option("checkpointLocation", checkpoints.toString()).start();
    }

    @Test
    void shouldComputeFirstLastCollectListCollectSetApproxCountDistinctAndDecimalSumPerGroup() throws Exception {
        MemoryStream<Row> visits = Sources.memoryStream("visits");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = perUser(rivulet, visits);
            visits.addData(visit("u1", "home", "1.50"), visit("u1", "cart", null), visit("u1", "home", "2.25"),
                visit("u2", "faq", null));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("users")).extracting(Row::toString).containsExactlyInAnyOrder(
                "[u1,home,home,[home, cart, home],[home, cart],2,3.75]", "[u2,faq,faq,[faq],[faq],1,null]");
        }
    }

    @Test
    void shouldContinueEveryNewAggregateAfterARestartFromTheCheckpoint() throws Exception {
        MemoryStream<Row> visits = Sources.memoryStream("visits");
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = perUser(rivulet, visits);
            visits.addData(visit("u1", "home", "1.50"), visit("u1", "cart", "0.50"));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = perUser(rivulet, visits);
            visits.addData(visit("u1", "pay", "3.00"), visit("u1", "home", null));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("users")).extracting(Row::toString).containsExactly(
                "[u1,home,home,[home, cart, pay, home],[home, cart, pay],3,5.00]");
        }
    }

    @ParameterizedTest(name = "key={0}")
    @ValueSource(strings = {"user", "upper(user)"})
    void shouldDropRowsWithANullEventTimeFromAWindowedGroupByAsSparksWindowDoes(String key) throws Exception {
        MemoryStream<Row> clicks = Sources.memoryStream("clicks");
        try (Rivulet rivulet = Rivulet.create()) {
            // "user": the keyed stage reads the input rows themselves; "upper(user)": through a pre-projection
            StreamingQuery query = rivulet.readStream().memoryStream(clicks, Encoders.row(CLICKS))
                .groupBy(window(col("ts"), "10 minutes"), expr(key).as("u")).agg(count("*").as("n"))
                .writeStream().outputMode("complete").format("memory").queryName("windows").start();
            clicks.addData(click("10:01", "u1", "a"), Row.of(CLICKS, null, "u1", "b"), click("10:02", "u1", "c"),
                Row.of(CLICKS, null, "u2", "d"));
            query.processAllAvailable();
            query.stop();
            String u1 = key.equals("user") ? "u1" : "U1";
            assertThat(rivulet.table("windows")).extracting(Row::toString)
                .containsExactly("[[2024-01-01T10:00:00Z,2024-01-01T10:10:00Z]," + u1 + ",2]");
        }
    }

    @Test
    void shouldRejectCountDistinctOnAStreamWithSparksMessage() {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Row> visits = Sources.memoryStream("visits");
            Dataset<Row> df = rivulet.readStream().memoryStream(visits, Encoders.row(VISITS));
            assertThatThrownBy(() -> df.groupBy("user").agg(countDistinct(col("page"))))
                .hasMessage("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using"
                    + " approx_count_distinct() instead.");
        }
    }

    private StreamingQuery sessions(Rivulet rivulet, MemoryStream<Row> clicks, Trigger trigger, boolean checkpoint) {
        var writer = rivulet.readStream().memoryStream(clicks, Encoders.row(CLICKS)).withWatermark("ts", "10 minutes")
            .groupBy(session_window(col("ts"), "5 minutes"), col("user"))
            .agg(count(col("page")).as("clicks"), collect_list(col("page")).as("pages"),
                approx_count_distinct(col("page")).as("approx"))
            .writeStream().outputMode("append").format("memory").queryName("sessions").trigger(trigger);
        return checkpoint ? writer.option("checkpointLocation", checkpoints.toString()).start() : writer.start();
    }

    @ParameterizedTest(name = "microBatch={0}")
    @ValueSource(booleans = {false, true})
    void shouldCloseASessionWindowOnceTheWatermarkPassesItsLastRowPlusTheGap(boolean microBatch) throws Exception {
        MemoryStream<Row> clicks = Sources.memoryStream("clicks");
        Trigger trigger = microBatch ? Trigger.processingTime(Duration.ofHours(1)) : Trigger.continuous(Duration.ofMillis(5));
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = sessions(rivulet, clicks, trigger, false);
            clicks.addData(click("10:00", "u1", "a"), click("10:03", "u1", "b"), click("10:06", "u1", "a"),
                click("10:20", "u1", "c"));
            query.processAllAvailable();
            clicks.addData(click("10:40", "u2", "z"));
            query.processAllAvailable();
            clicks.addData(click("10:41", "u2", "z"));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("sessions").get(0).schema().toDDL()).isEqualTo("session_window STRUCT<start:"
                + " TIMESTAMP, end: TIMESTAMP> NOT NULL,user STRING,clicks BIGINT NOT NULL,pages ARRAY<STRING> NOT NULL,"
                + "approx BIGINT NOT NULL");
            assertThat(rivulet.table("sessions")).extracting(Row::toString).containsExactlyInAnyOrder(
                "[[2024-01-01T10:00:00Z,2024-01-01T10:11:00Z],u1,3,[a, b, a],2]",
                "[[2024-01-01T10:20:00Z,2024-01-01T10:25:00Z],u1,1,[c],1]");
        }
    }

    @Test
    void shouldMergeARestoredSessionWithANewRowAfterARestart() throws Exception {
        MemoryStream<Row> clicks = Sources.memoryStream("clicks");
        Trigger trigger = Trigger.continuous(Duration.ofMillis(5));
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = sessions(rivulet, clicks, trigger, true);
            clicks.addData(click("10:00", "u1", "a"), click("10:03", "u1", "b"));
            query.processAllAvailable();
            query.stop();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = sessions(rivulet, clicks, trigger, true);
            clicks.addData(click("10:06", "u1", "c"));
            query.processAllAvailable();
            clicks.addData(click("10:40", "u2", "z"));
            query.processAllAvailable();
            clicks.addData(click("10:41", "u2", "z"));
            query.processAllAvailable();
            query.stop();
            assertThat(rivulet.table("sessions")).extracting(Row::toString).containsExactly(
                "[[2024-01-01T10:00:00Z,2024-01-01T10:11:00Z],u1,3,[a, b, c],3]");
        }
    }

    @Test
    void shouldAggregateTheRowsOfAJoinByQualifiedColumns() throws Exception {
        StructType left = StructType.fromDDL("id INT, v STRING");
        StructType right = StructType.fromDDL("id INT, w STRING");
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Row> a = Sources.memoryStream("a");
            a.addData(Row.of(left, 1, "x"), Row.of(left, 1, "y"), Row.of(left, 2, "z"));
            a.end();
            Dataset<Row> joined = rivulet.readStream().memoryStream(a, Encoders.row(left)).as("a")
                .join(rivulet.createDataFrame(List.of(Row.of(right, 1, "p"), Row.of(right, 2, "q")), right).as("b"),
                    functions.expr("a.id = b.id"));
            joined.groupBy(col("b.w")).agg(collect_list(col("a.v")).as("vs")).writeStream().outputMode("complete")
                .format("memory").queryName("g").trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(rivulet.table("g")).extracting(Row::toString).containsExactlyInAnyOrder("[p,[x, y]]", "[q,[z]]");
        }
    }
}
