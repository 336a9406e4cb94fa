package io.rivulet.engine.golden;

import io.rivulet.engine.DataStreamWriter;
import io.rivulet.engine.JoinOptions;
import io.rivulet.engine.StaticSource;
import io.rivulet.engine.StaticTableHandle;
import io.rivulet.operators.join.JoinType;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.groupstate.GroupStateTimeout;
import io.rivulet.operators.groupstate.GroupState;
import io.rivulet.operators.OutputMode;
import io.rivulet.engine.Windows;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.function.Aggregates;
import io.rivulet.operators.window.Window;
import io.rivulet.operators.window.WindowedValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Each golden case's Spark query, written with Rivulet's API. Input rows are the case's rows as
 * lists (timestamps in epoch ms); outputs are turned back into rows in the golden form.
 */
final class GoldenQueries {
    private GoldenQueries() {
    }

    /**
     * Builds a case's query over its input streams (by name: one for most cases, two for a stream-stream
     * join) and how its output becomes golden rows.
     */
    interface Query {
        Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> inputs);

        /**
         * Builds a case's query over its input streams and its static tables (a stream-static join's);
         * by default the static tables are not used.
         *
         * @param rivulet the engine
         * @param inputs the case's input streams by name
         * @param staticTables the case's static tables' rows by name (timestamps in epoch ms)
         * @return the query's result stream
         */
        default Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> inputs,
                                Map<String, List<List<Object>>> staticTables) {
            return build(rivulet, inputs);
        }

        default List<Object> toRow(Object output) {
            return List.of(output);
        }
    }

    /**
     * @param caseName a golden case
     * @return why Rivulet cannot run it yet (the operator it needs is not built), or {@code null}; every
     *     case of the folder runs today, joins included
     */
    static String notYetBuilt(String caseName) {
        return null;
    }

    static Query of(String caseName) {
        return switch (caseName) {
            // words.groupBy(col("word")).count()
            case "a1_word_count_complete", "l01_reject_append_aggregation_without_watermark" -> new Query() {
                @Override
                public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                    return rivulet.readStream(in.get("words")).keyBy(r -> (String) r.get(0)).count();
                }

                @Override
                public List<Object> toRow(Object output) {
                    KeyValue<?, ?> kv = (KeyValue<?, ?>) output;
                    return List.of(kv.key(), kv.value());
                }
            };
            // words.withWatermark("ts", "10 seconds").groupBy("word").count()
            case "l02_reject_append_aggregation_watermark_not_in_key" -> (rivulet, in) -> rivulet.readStream(in.get("words"))
                .withWatermark(r -> (Long) r.get(1), Duration.ofSeconds(10))
                .keyBy(r -> (String) r.get(0)).count();
            // words.filter("word != 'x'").select("word")
            case "l03_reject_complete_without_aggregation" -> (rivulet, in) -> rivulet.readStream(in.get("words"))
                .filter(r -> !"x".equals(r.get(0))).map(r -> (String) r.get(0));
            // words.groupBy("word").count().orderBy(desc("count"))
            case "l05_reject_sort_aggregation_update_mode" -> (rivulet, in) -> rivulet.readStream(in.get("words"))
                .keyBy(r -> (String) r.get(0)).count()
                .orderBy(Comparator.comparing((KeyValue<String, Long> kv) -> kv.value()).reversed());
            // trades.groupBy("symbol").agg(sum("qty").as("total_qty")).orderBy(desc("total_qty"), asc("symbol")).limit(3)
            case "j1_top3_symbols_by_qty_complete" -> new Query() {
                @Override
                public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                    return rivulet.readStream(in.get("trades"))
                        .keyBy(r -> (String) r.get(0))
                        .aggregate(Aggregates.<List<Object>>sumLong(r -> (Long) r.get(2)))
                        .orderBy(Comparator.comparing((KeyValue<String, Long> kv) -> kv.value()).reversed()
                            .thenComparing(KeyValue::key))
                        .limit(3);
                }

                @Override
                public List<Object> toRow(Object output) {
                    KeyValue<?, ?> kv = (KeyValue<?, ?>) output;
                    return List.of(kv.key(), kv.value());
                }
            };
            // trades.agg(count("*"), sum("qty"), avg("price"), min("price"), max("price"))
            case "i1_global_aggregation_complete" -> new Query() {
                @Override
                public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                    return rivulet.readStream(in.get("trades")).aggregateAll(new TradeStats());
                }

                @Override
                @SuppressWarnings("unchecked")
                public List<Object> toRow(Object output) {
                    return (List<Object>) output;
                }
            };
            // words.withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds"), col("word")).count()
            case "b1_tumbling_window_append", "b2_tumbling_window_update", "b3_tumbling_window_complete",
                 "b4_tumbling_window_append_no_data_batches_off" -> windowed((rivulet, in) -> rivulet.readStream(in.get("words"))
                .withWatermark(GoldenQueries::ts1, Duration.ofSeconds(10))
                .keyBy(r -> (String) r.get(0))
                .window(Windows.tumbling(Duration.ofSeconds(10)), GoldenQueries::ts1)
                .count());
            // trades.withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds", "5 seconds"), col("symbol"))
            //       .agg(count("*").as("trades"), sum("qty").as("total_qty"))
            case "c1_sliding_window_append" -> windowed((rivulet, in) -> rivulet.readStream(in.get("trades"))
                .withWatermark(r -> (Long) r.get(3), Duration.ofSeconds(10))
                .keyBy(r -> (String) r.get(0))
                .window(Windows.sliding(Duration.ofSeconds(10), Duration.ofSeconds(5)), r -> (Long) r.get(3))
                .aggregate(Aggregates.of(Aggregates.<List<Object>>count(), Aggregates.<List<Object>>sumLong(r -> (Long) r.get(2)))));
            // words.withWatermark("ts", "10 seconds").groupBy(session_window(col("ts"), "5 seconds"), col("word")).count()
            case "d1_session_window_append", "d3_session_window_complete" -> windowed((rivulet, in) -> rivulet.readStream(in.get("words"))
                .withWatermark(GoldenQueries::ts1, Duration.ofSeconds(10))
                .keyBy(r -> (String) r.get(0))
                .sessionWindow(Duration.ofSeconds(5), GoldenQueries::ts1)
                .count());
            // a.withWatermark("ts", "10 seconds").union(b.withWatermark("ts", "30 seconds"))
            //  .groupBy(window(col("ts"), "10 seconds")).count()
            case "k1_union_two_watermarks_min_policy" -> new Query() {
                @Override
                public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                    return rivulet.readStream(in.get("a")).withWatermark(GoldenQueries::ts1, Duration.ofSeconds(10))
                        .union(rivulet.readStream(in.get("b")).withWatermark(GoldenQueries::ts1, Duration.ofSeconds(30)))
                        .keyBy(r -> Boolean.TRUE, 1)
                        .window(Windows.tumbling(Duration.ofSeconds(10)), GoldenQueries::ts1)
                        .count();
                }

                @Override
                public List<Object> toRow(Object output) {
                    WindowedValue<?, ?> row = (WindowedValue<?, ?>) output;
                    return List.of(window(row.window()), row.value());
                }
            };
            // events.withWatermark("ts", "10 seconds").dropDuplicates("id")
            case "e2_drop_duplicates_id_with_watermark_append" -> new Query() {
                @Override
                public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                    return rivulet.readStream(in.get("events")).withWatermark(r -> (Long) r.get(2), Duration.ofSeconds(10))
                        .dropDuplicates("id", r -> (String) r.get(0));
                }

                @Override
                @SuppressWarnings("unchecked")
                public List<Object> toRow(Object output) {
                    return eventRow((List<Object>) output);
                }
            };
            // events.withWatermark("ts", "10 seconds").dropDuplicatesWithinWatermark("id")
            case "e3_drop_duplicates_within_watermark_append" -> new Query() {
                @Override
                public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                    return rivulet.readStream(in.get("events")).withWatermark(r -> (Long) r.get(2), Duration.ofSeconds(10))
                        .dropDuplicatesWithinWatermark("id", r -> (String) r.get(0));
                }

                @Override
                @SuppressWarnings("unchecked")
                public List<Object> toRow(Object output) {
                    return eventRow((List<Object>) output);
                }
            };
            // words.dropDuplicatesWithinWatermark("word")
            case "l19_reject_drop_duplicates_within_watermark_without_watermark" -> (rivulet, in) ->
                rivulet.readStream(in.get("words")).dropDuplicatesWithinWatermark("word", r -> (String) r.get(0));
            // trades.withWatermark("ts", "5 seconds").groupByKey(symbol)
            //       .flatMapGroupsWithState(fn, OutputMode.Update(), (total, count, maxTsMs), GroupStateTimeout.EventTimeTimeout())
            case "h1_flat_map_groups_with_state_event_time_timeout_update" -> new Query() {
                @Override
                public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                    return rivulet.readStream(in.get("trades"))
                        .withWatermark(r -> (Long) r.get(3), Duration.ofSeconds(5))
                        .keyBy(r -> (String) r.get(0))
                        .<long[], List<Object>>flatMapGroupsWithState(OutputMode.UPDATE, GroupStateTimeout.EVENT_TIME_TIMEOUT,
                            GoldenQueries::runningQty);
                }

                @Override
                @SuppressWarnings("unchecked")
                public List<Object> toRow(Object output) {
                    return (List<Object>) output;
                }
            };
            // words.groupByKey(r -> r.getString(0)).mapGroupsWithState((k, rows, state) -> k), in append mode
            case "l15_reject_map_groups_with_state_append" -> (rivulet, in) -> rivulet.readStream(in.get("words"))
                .keyBy(r -> (String) r.get(0))
                .<Long, String>mapGroupsWithState(GroupStateTimeout.NO_TIMEOUT, (key, rows, state) -> key);
            // impressions.withWatermark("impTime", "10 seconds").join(clicks.withWatermark("clickTime", "20 seconds"),
            //   expr("clickAdId = adId AND clickTime >= impTime AND clickTime <= impTime + interval 10 seconds"), type)
            case "g1_stream_stream_inner_join", "l11_reject_stream_stream_join_update_mode" -> adJoin(JoinType.INNER, true);
            case "g2_stream_stream_left_outer_join" -> adJoin(JoinType.LEFT_OUTER, true);
            // impressions.join(clicks, expr("clickAdId = adId"), "left_outer"): no watermark, no range
            case "l09_reject_stream_stream_left_outer_without_watermark" -> adJoin(JoinType.LEFT_OUTER, false);
            // trades.join(symbols, "symbol") / trades.join(symbols, Seq("symbol"), "left_outer")
            case "f1_stream_static_inner_join" -> tradeSymbols(JoinType.INNER);
            case "f2_stream_static_left_outer_join" -> tradeSymbols(JoinType.LEFT_OUTER);
            default -> throw new IllegalArgumentException("no Rivulet query for golden case " + caseName);
        };
    }

    /**
     * Impressions (adId, impTime) joined with clicks (clickAdId, clickTime) on the ad id; with
     * {@code watermarked}, each input has its watermark (10 s and 20 s) and the clicks must come within
     * 10 s after the impression. Rows are (adId, impTime, clickAdId, clickTime), nulls for a missing click.
     */
    private static Query adJoin(JoinType type, boolean watermarked) {
        return new Query() {
            @Override
            public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                Stream<List<Object>> impressions = rivulet.readStream(in.get("impressions"));
                Stream<List<Object>> clicks = rivulet.readStream(in.get("clicks"));
                JoinOptions<List<Object>, List<Object>> options = JoinOptions.of(type);
                if (watermarked) {
                    impressions = impressions.withWatermark(GoldenQueries::ts1, Duration.ofSeconds(10));
                    clicks = clicks.withWatermark(GoldenQueries::ts1, Duration.ofSeconds(20));
                    options = options.withTimeRange(Duration.ZERO, Duration.ofSeconds(10));
                }
                return impressions.keyBy(r -> (String) r.get(0))
                    .join(clicks.keyBy(r -> (String) r.get(0)), options, (adId, impression, click) -> {
                        List<Object> row = new ArrayList<>(impression);
                        if (click == null) {
                            row.add(null);
                            row.add(null);
                        } else {
                            row.addAll(click);
                        }
                        return row;
                    });
            }

            @Override
            @SuppressWarnings("unchecked")
            public List<Object> toRow(Object output) {
                List<Object> row = new ArrayList<>((List<Object>) output);
                row.set(1, Instant.ofEpochMilli((Long) row.get(1)).toString());
                if (row.get(3) != null) {
                    row.set(3, Instant.ofEpochMilli((Long) row.get(3)).toString());
                }
                return row;
            }
        };
    }

    /**
     * Trades (symbol, price, qty, ts) joined with the static table symbols (symbol, company, sector):
     * rows (symbol, price, qty, ts, company, sector), nulls for an unknown symbol.
     */
    private static Query tradeSymbols(JoinType type) {
        return new Query() {
            @Override
            public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                throw new UnsupportedOperationException("a stream-static case needs its static tables");
            }

            @Override
            public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in,
                                   Map<String, List<List<Object>>> staticTables) {
                StaticTableHandle<String, List<Object>> symbols = StaticTableHandle.load(
                    StaticSource.of(staticTables.get("symbols")), r -> (String) r.get(0));
                return rivulet.readStream(in.get("trades"))
                    .join(symbols, r -> (String) r.get(0), type, (symbol, trade, company) -> {
                        List<Object> row = new ArrayList<>(trade);
                        if (company == null) {
                            row.add(null);
                            row.add(null);
                        } else {
                            row.addAll(company.subList(1, 3));
                        }
                        return row;
                    });
            }

            @Override
            @SuppressWarnings("unchecked")
            public List<Object> toRow(Object output) {
                List<Object> row = new ArrayList<>((List<Object>) output);
                row.set(3, Instant.ofEpochMilli((Long) row.get(3)).toString());
                return row;
            }
        };
    }

    /** h1's function: (total, count, maxTsMs) per symbol; times out 10 s after the latest trade, then starts over. */
    private static Iterator<List<Object>> runningQty(String symbol, Iterator<List<Object>> rows, GroupState<long[]> state) {
        if (state.hasTimedOut()) {
            long[] s = state.get();
            state.remove();
            return List.<List<Object>>of(List.of(symbol, s[0], s[1], "expired")).iterator();
        }
        long[] s = state.exists() ? state.get() : new long[] {0, 0, Long.MIN_VALUE};
        while (rows.hasNext()) {
            List<Object> row = rows.next();
            s[0] += (Long) row.get(2);
            s[1]++;
            s[2] = Math.max(s[2], (Long) row.get(3));
        }
        state.update(s);
        state.setTimeoutTimestamp(s[2] + 10_000);
        return List.<List<Object>>of(List.of(symbol, s[0], s[1], "running")).iterator();
    }

    /** (id, value, ts) with ts back in Spark's printed form. */
    private static List<Object> eventRow(List<Object> row) {
        return List.of(row.get(0), row.get(1), Instant.ofEpochMilli((Long) row.get(2)).toString());
    }

    private static long ts1(List<Object> row) {
        return (Long) row.get(1);
    }

    /** A windowed query whose rows are (window, key, value...) as Spark prints them. */
    private static Query windowed(Query build) {
        return new Query() {
            @Override
            public Stream<?> build(Rivulet rivulet, Map<String, MemoryStream<List<Object>>> in) {
                return build.build(rivulet, in);
            }

            @Override
            public List<Object> toRow(Object output) {
                WindowedValue<?, ?> row = (WindowedValue<?, ?>) output;
                List<Object> values = new ArrayList<>();
                values.add(window(row.window()));
                values.add(row.key());
                if (row.value() instanceof List<?> several) {
                    values.addAll(several);
                } else {
                    values.add(row.value());
                }
                return values;
            }
        };
    }

    static Map<String, Object> window(Window window) {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("start", Instant.ofEpochMilli(window.startMs()).toString());
        struct.put("end", Instant.ofEpochMilli(window.endMs()).toString());
        return struct;
    }

    /** count, sum(qty), avg(price), min(price), max(price) over (symbol, price, qty, ts) rows. */
    static final class TradeStats implements AggregateFunction<List<Object>, double[], List<Object>> {
        @Override
        public double[] createAccumulator() {
            return new double[] {0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        }

        @Override
        public double[] add(double[] acc, List<Object> row) {
            double price = (Double) row.get(1);
            acc[0]++;
            acc[1] += (Long) row.get(2);
            acc[2] += price;
            acc[3] = Math.min(acc[3], price);
            acc[4] = Math.max(acc[4], price);
            return acc;
        }

        @Override
        public double[] merge(double[] a, double[] b) {
            throw new UnsupportedOperationException("not needed by a running aggregation");
        }

        @Override
        public List<Object> result(double[] acc) {
            return List.of((long) acc[0], (long) acc[1], acc[2] / acc[0], acc[3], acc[4]);
        }
    }

    /** Applies the case's output mode and Spark settings; batches run only when the test asks. */
    static <T> DataStreamWriter<T> configure(Stream<T> stream, Sink<? super T> sink, GoldenCase golden) {
        DataStreamWriter<T> writer = stream.writeStream(sink)
            .outputMode(golden.outputMode())
            .trigger(Trigger.processingTime(Duration.ofHours(1)));
        String noData = golden.sparkConf().get("spark.sql.streaming.noDataMicroBatches.enabled");
        if (noData != null) {
            writer.noDataMicroBatches(Boolean.parseBoolean(noData));
        }
        String policy = golden.sparkConf().get("spark.sql.streaming.multipleWatermarkPolicy");
        if (policy != null) {
            writer.multipleWatermarkPolicy(policy);
        }
        return writer;
    }

    static Function<Object, List<Object>> rows(Query query) {
        return query::toRow;
    }
}
