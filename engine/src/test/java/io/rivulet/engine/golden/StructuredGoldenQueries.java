package io.rivulet.engine.golden;

import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Encoders;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.groupstate.GroupState;
import io.rivulet.operators.groupstate.GroupStateTimeout;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.rivulet.engine.sql.functions.asc;
import static io.rivulet.engine.sql.functions.avg;
import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.count;
import static io.rivulet.engine.sql.functions.desc;
import static io.rivulet.engine.sql.functions.expr;
import static io.rivulet.engine.sql.functions.max;
import static io.rivulet.engine.sql.functions.min;
import static io.rivulet.engine.sql.functions.session_window;
import static io.rivulet.engine.sql.functions.sum;
import static io.rivulet.engine.sql.functions.window;

/**
 * Each golden case's {@code sql_or_api}, written in Rivulet's structured API as Spark's Java API spells it
 * (the case's text in the comment above each). The inputs are DataFrames of the case's input schemas, by the
 * names the case gives them ({@code words}, {@code trades}, {@code events}, {@code a}, {@code b}, ...), and a
 * stream-static case's static tables are static DataFrames by their names ({@code symbols}). Scala's
 * {@code Seq("symbol")} is Java's {@code List.of("symbol")}.
 *
 * <p>A case the structured API could not express would be listed in {@link #notExpressible} with the reason; since
 * {@code groupByKey(..).flatMapGroupsWithState/mapGroupsWithState} (h1, l15) every case is expressed.
 */
final class StructuredGoldenQueries {
    private StructuredGoldenQueries() {
    }

    /** Builds a case's query over its input DataFrames, by name. */
    interface Query {
        Dataset<?> build(Map<String, Dataset<Row>> in);
    }

    /**
     * @param caseName a golden case
     * @return why the structured API cannot express the case yet, or {@code null} when it can
     */
    static String notExpressible(String caseName) {
        return null;
    }

    /** h1's output rows. */
    private static final StructType RUNNING_QTY = StructType.fromDDL("symbol STRING, total_qty BIGINT, trades BIGINT, status STRING");

    /** h1's state: Spark's {@code (total, count, maxTsMs)} tuple as a record (Rivulet has no tuple encoder). */
    record RunningQty(long total, long trades, long maxTsMs) {
    }

    /** h1's function: the running total per symbol; times out 10 s after the latest trade, then starts over. */
    private static Iterator<Row> runningQty(String symbol, Iterator<Row> rows, GroupState<RunningQty> state) {
        if (state.hasTimedOut()) {
            RunningQty s = state.get();
            state.remove();
            return List.of(Row.of(RUNNING_QTY, symbol, s.total(), s.trades(), "expired")).iterator();
        }
        RunningQty s = state.exists() ? state.get() : new RunningQty(0, 0, Long.MIN_VALUE);
        long total = s.total();
        long trades = s.trades();
        long maxTsMs = s.maxTsMs();
        while (rows.hasNext()) {
            Row row = rows.next();
            total += row.getLong(2);
            trades++;
            maxTsMs = Math.max(maxTsMs, row.getTimestamp(3).toEpochMilli());
        }
        state.update(new RunningQty(total, trades, maxTsMs));
        state.setTimeoutTimestamp(maxTsMs + 10_000);
        return List.of(Row.of(RUNNING_QTY, symbol, total, trades, "running")).iterator();
    }

    static Query of(String caseName) {
        return switch (caseName) {
            // words.groupBy(col("word")).count()
            case "a1_word_count_complete" -> in -> in.get("words").groupBy(col("word")).count();
            // words.withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds"), col("word")).count()
            case "b1_tumbling_window_append", "b2_tumbling_window_update", "b3_tumbling_window_complete",
                 "b4_tumbling_window_append_no_data_batches_off" -> in -> in.get("words")
                .withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds"), col("word")).count();
            // trades.withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds", "5 seconds"), col("symbol"))
            //   .agg(count("*").as("trades"), sum("qty").as("total_qty"))
            case "c1_sliding_window_append" -> in -> in.get("trades")
                .withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds", "5 seconds"), col("symbol"))
                .agg(count("*").as("trades"), sum("qty").as("total_qty"));
            // words.withWatermark("ts", "10 seconds").groupBy(session_window(col("ts"), "5 seconds"), col("word")).count()
            case "d1_session_window_append", "d3_session_window_complete" -> in -> in.get("words")
                .withWatermark("ts", "10 seconds").groupBy(session_window(col("ts"), "5 seconds"), col("word")).count();
            // trades.join(symbols, "symbol")   // inner equi-join on the shared column symbol
            case "f1_stream_static_inner_join" -> in -> in.get("trades").join(in.get("symbols"), "symbol");
            // trades.join(symbols, Seq("symbol"), "left_outer")
            case "f2_stream_static_left_outer_join" -> in -> in.get("trades")
                .join(in.get("symbols"), List.of("symbol"), "left_outer");
            // impressions.withWatermark("impTime", "10 seconds").join(clicks.withWatermark("clickTime", "20 seconds"),
            //   expr("clickAdId = adId AND clickTime >= impTime AND clickTime <= impTime + interval 10 seconds"), "inner")
            case "g1_stream_stream_inner_join" -> in -> in.get("impressions").withWatermark("impTime", "10 seconds")
                .join(in.get("clicks").withWatermark("clickTime", "20 seconds"),
                    expr("clickAdId = adId AND clickTime >= impTime AND clickTime <= impTime + interval 10 seconds"), "inner");
            // impressions.withWatermark("impTime", "10 seconds").join(clicks.withWatermark("clickTime", "20 seconds"),
            //   expr("clickAdId = adId AND clickTime >= impTime AND clickTime <= impTime + interval 10 seconds"), "left_outer")
            case "g2_stream_stream_left_outer_join" -> in -> in.get("impressions").withWatermark("impTime", "10 seconds")
                .join(in.get("clicks").withWatermark("clickTime", "20 seconds"),
                    expr("clickAdId = adId AND clickTime >= impTime AND clickTime <= impTime + interval 10 seconds"),
                    "left_outer");
            // impressions.join(clicks, expr("clickAdId = adId"), "left_outer")
            case "l09_reject_stream_stream_left_outer_without_watermark" -> in -> in.get("impressions")
                .join(in.get("clicks"), expr("clickAdId = adId"), "left_outer");
            // impressions.withWatermark("impTime", "10 seconds").join(clicks.withWatermark("clickTime", "20 seconds"),
            //   expr("clickAdId = adId AND clickTime >= impTime AND clickTime <= impTime + interval 10 seconds"))
            case "l11_reject_stream_stream_join_update_mode" -> in -> in.get("impressions")
                .withWatermark("impTime", "10 seconds").join(in.get("clicks").withWatermark("clickTime", "20 seconds"),
                    expr("clickAdId = adId AND clickTime >= impTime AND clickTime <= impTime + interval 10 seconds"));
            // events.withWatermark("ts", "10 seconds").dropDuplicates("id")
            case "e2_drop_duplicates_id_with_watermark_append" -> in -> in.get("events")
                .withWatermark("ts", "10 seconds").dropDuplicates("id");
            // events.withWatermark("ts", "10 seconds").dropDuplicatesWithinWatermark("id")
            case "e3_drop_duplicates_within_watermark_append" -> in -> in.get("events")
                .withWatermark("ts", "10 seconds").dropDuplicatesWithinWatermark("id");
            // trades.agg(count("*").as("trades"), sum("qty").as("total_qty"), avg("price").as("avg_price"),
            //   min("price").as("min_price"), max("price").as("max_price"))
            case "i1_global_aggregation_complete" -> in -> in.get("trades")
                .agg(count("*").as("trades"), sum("qty").as("total_qty"), avg("price").as("avg_price"),
                    min("price").as("min_price"), max("price").as("max_price"));
            // trades.groupBy("symbol").agg(sum("qty").as("total_qty")).orderBy(desc("total_qty"), asc("symbol")).limit(3)
            case "j1_top3_symbols_by_qty_complete" -> in -> in.get("trades")
                .groupBy("symbol").agg(sum("qty").as("total_qty")).orderBy(desc("total_qty"), asc("symbol")).limit(3);
            // a.withWatermark("ts", "10 seconds").union(b.withWatermark("ts", "30 seconds")).groupBy(window(col("ts"), "10 seconds")).count()
            case "k1_union_two_watermarks_min_policy" -> in -> in.get("a").withWatermark("ts", "10 seconds")
                .union(in.get("b").withWatermark("ts", "30 seconds")).groupBy(window(col("ts"), "10 seconds")).count();
            // words.groupBy("word").count()
            case "l01_reject_append_aggregation_without_watermark" -> in -> in.get("words").groupBy("word").count();
            // words.withWatermark("ts", "10 seconds").groupBy("word").count()
            case "l02_reject_append_aggregation_watermark_not_in_key" -> in -> in.get("words")
                .withWatermark("ts", "10 seconds").groupBy("word").count();
            // words.filter("word != 'x'").select("word")
            case "l03_reject_complete_without_aggregation" -> in -> in.get("words").filter("word != 'x'").select("word");
            // words.groupBy("word").count().orderBy(desc("count"))
            case "l05_reject_sort_aggregation_update_mode" -> in -> in.get("words")
                .groupBy("word").count().orderBy(desc("count"));
            // words.dropDuplicatesWithinWatermark("word")
            case "l19_reject_drop_duplicates_within_watermark_without_watermark" -> in -> in.get("words")
                .dropDuplicatesWithinWatermark("word");
            // trades.withWatermark("ts", "5 seconds")
            //   .groupByKey(r -> r.getString(0) /* symbol */, Encoders.STRING())
            //   .flatMapGroupsWithState(fn, OutputMode.Update(), Encoders.tuple(LONG, LONG, LONG) /* (total, count, maxTsMs) */,
            //       Encoders.row("symbol STRING, total_qty BIGINT, trades BIGINT, status STRING"), GroupStateTimeout.EventTimeTimeout())
            case "h1_flat_map_groups_with_state_event_time_timeout_update" -> in -> in.get("trades")
                .withWatermark("ts", "5 seconds")
                .groupByKey(r -> r.getString(0), Encoders.STRING())
                .flatMapGroupsWithState(StructuredGoldenQueries::runningQty, OutputMode.UPDATE,
                    Encoders.record(RunningQty.class), Encoders.row(RUNNING_QTY), GroupStateTimeout.EVENT_TIME_TIMEOUT);
            // words.groupByKey(r -> r.getString(0), Encoders.STRING()).mapGroupsWithState((k, rows, state) -> k,
            //   Encoders.LONG(), Encoders.STRING())
            case "l15_reject_map_groups_with_state_append" -> in -> in.get("words")
                .groupByKey(r -> r.getString(0), Encoders.STRING())
                .mapGroupsWithState((k, rows, state) -> k, Encoders.LONG(), Encoders.STRING());
            default -> throw new IllegalArgumentException("no structured query for golden case " + caseName);
        };
    }
}
