package io.rivulet.engine.sql;

import io.rivulet.engine.KeyedStream;
import io.rivulet.engine.Stream;
import io.rivulet.engine.WindowedStream;
import io.rivulet.operators.keyed.EmitPolicy;
import java.time.Duration;
import java.util.function.ToLongFunction;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.BoundReference;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.sql.expressions.ComplexAccess;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.Columns;
import io.rivulet.engine.sql.expressions.Projection;
import io.rivulet.engine.sql.expressions.TimeFunctions;
import io.rivulet.engine.sql.internal.GroupAggregation;
import io.rivulet.engine.sql.internal.GroupKeys;
import io.rivulet.engine.sql.internal.RowCopier;
import io.rivulet.engine.sql.internal.RowOperator;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.window.WindowAssigner;
import io.rivulet.operators.window.WindowedValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A DataFrame grouped by columns, waiting for its aggregates (Spark's {@code RelationalGroupedDataset}, from
 * {@link Dataset#groupBy(Column...)}). The aggregation compiles onto the typed API's keyed aggregation
 * ({@link KeyedStream#aggregate}) or, with a {@code window(..)} among the grouping columns, onto its event-time
 * windows ({@link KeyedStream#window}), with a {@code session_window(..)} onto its session windows
 * ({@link KeyedStream#sessionWindow(java.time.Duration, ToLongFunction)}): it runs, emits per output mode and
 * checkpoints as the typed aggregation does, the accumulators with their own state codec. The key is the grouping
 * column's value for one {@code INT} or {@code BIGINT} column, else the list of the grouping values
 * ({@link GroupKeys}). When every key, the event time and every argument is a plain column, the keyed stage reads
 * the input rows themselves (no pre-projection); the keyed exchange copies rows into its ring slots, so the input's
 * operator may refill one row ({@code RowReuse}).
 *
 * <p>Output rows: the grouping columns in order (a window as Spark's struct {@code window{start, end}}, a session as
 * {@code session_window{start, end}}), then one column per aggregate. Output modes as Spark: {@code complete} (every group, each epoch), {@code update} (the
 * groups that changed), {@code append} with a window and a watermark (each window once, when the watermark
 * passes its end).
 *
 * <p>Immutable and thread-safe. The grouping columns resolve when this is built; the aggregates when one of its
 * methods is called: errors come then, before any query starts.
 */
public final class RelationalGroupedDataset {
    private final Dataset<Row> df;
    private final List<Expression> grouping;
    private final List<String> groupingNames;

    RelationalGroupedDataset(Dataset<Row> df, Column[] cols) {
        this.df = df;
        List<Expression> items = new ArrayList<>(cols.length);
        for (int i = 0; i < cols.length; i++) {
            items.add(Columns.expression(Objects.requireNonNull(cols[i], "cols[" + i + "]")));
        }
        Projection p = Analyzer.projection(df.schema(), items);
        if (!p.aggregates().isEmpty() || !p.generators().isEmpty()) {
            throw new AnalysisException("GROUP_BY_AGGREGATE", "Aggregate and generator functions are not allowed in"
                + " GROUP BY, but found " + items.get(0).sql() + ".");
        }
        this.grouping = new ArrayList<>();
        for (Expression e : p.expressions()) {
            grouping.add(e instanceof ComplexAccess.Alias a ? a.children().get(0) : e);
        }
        this.groupingNames = List.of(p.outputSchema().fieldNames());
        int windows = 0;
        for (Expression e : grouping) {
            windows += e instanceof TimeFunctions.TimeWindow || e instanceof TimeFunctions.SessionWindow ? 1 : 0;
        }
        if (windows > 1) {
            throw new AnalysisException("MULTIPLE_TIME_WINDOW_EXPRESSIONS", "Multiple time/session window expressions"
                + " would result in a cartesian product of rows, therefore they are currently not supported.");
        }
    }

    /**
     * The number of rows of each group, in a column {@code count} (Spark's {@code count()}).
     *
     * @return the aggregated DataFrame
     */
    public Dataset<Row> count() {
        return agg(functions.count(functions.lit(1)).as("count"));
    }

    /**
     * Aggregates each group (Spark's {@code agg(Column, Column...)}): each column an aggregate of
     * {@link functions}, optionally aliased: {@code agg(sum("qty").as("total"), max("price"))}.
     *
     * @param expr the first aggregate
     * @param exprs more aggregates
     * @return the aggregated DataFrame
     * @throws AnalysisException for an unknown column; a column that is not an aggregate call; Spark's
     *     "Distinct aggregations are not supported on streaming DataFrames/Datasets" for {@code countDistinct};
     *     an aggregate not supported on a stream yet (see {@code docs/structured-api.md})
     */
    public Dataset<Row> agg(Column expr, Column... exprs) {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(exprs, "exprs");
        Column[] all = new Column[exprs.length + 1];
        all[0] = expr;
        System.arraycopy(exprs, 0, all, 1, exprs.length);
        all = df.qualify(all);
        List<Expression> items = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            items.add(Columns.expression(Objects.requireNonNull(all[i], "exprs[" + i + "]")));
        }
        StructType input = df.schema();
        Projection resolved = Analyzer.projection(input, items);
        List<Aggregate> aggregates = new ArrayList<>();
        for (Expression e : resolved.expressions()) {
            Expression inner = e instanceof ComplexAccess.Alias a ? a.children().get(0) : e;
            if (!(inner instanceof Aggregate aggregate)) {
                throw new AnalysisException("UNSUPPORTED_FEATURE.STREAMING_AGGREGATE", "Only aggregate calls (count, sum,"
                    + " avg, min, max, first, last, collect_list, collect_set, approx_count_distinct, optionally aliased)"
                    + " can be agg columns of a streaming groupBy, not \"" + e.sql()
                    + "\".");
            }
            aggregates.add(aggregate);
        }
        return plan(aggregates, List.of(resolved.outputSchema().fieldNames()));
    }

    /**
     * The sum of numeric columns per group (Spark's {@code sum(String...)}), in columns {@code sum(c)}.
     *
     * @param colNames the columns
     * @return the aggregated DataFrame
     * @throws AnalysisException for an unknown column or a column that is not numeric
     */
    public Dataset<Row> sum(String... colNames) {
        return each("sum", colNames);
    }

    /**
     * The mean of numeric columns per group (Spark's {@code avg(String...)}), in columns {@code avg(c)}.
     *
     * @param colNames the columns
     * @return the aggregated DataFrame
     * @throws AnalysisException for an unknown column or a column that is not numeric
     */
    public Dataset<Row> avg(String... colNames) {
        return each("avg", colNames);
    }

    /**
     * The same as {@link #avg(String...)} (Spark's {@code mean}).
     *
     * @param colNames the columns
     * @return the aggregated DataFrame
     */
    public Dataset<Row> mean(String... colNames) {
        return each("avg", colNames);
    }

    /**
     * The least value of columns per group (Spark's {@code min(String...)}), in columns {@code min(c)}.
     *
     * @param colNames the columns
     * @return the aggregated DataFrame
     * @throws AnalysisException for an unknown column
     */
    public Dataset<Row> min(String... colNames) {
        return each("min", colNames);
    }

    /**
     * The greatest value of columns per group (Spark's {@code max(String...)}), in columns {@code max(c)}.
     *
     * @param colNames the columns
     * @return the aggregated DataFrame
     * @throws AnalysisException for an unknown column
     */
    public Dataset<Row> max(String... colNames) {
        return each("max", colNames);
    }

    private Dataset<Row> each(String fn, String... colNames) {
        Objects.requireNonNull(colNames, "colNames");
        if (colNames.length == 0) {
            throw new IllegalArgumentException(fn + "(String...) needs at least one column (Spark would aggregate every"
                + " numeric column: name them)");
        }
        Column[] cols = new Column[colNames.length];
        for (int i = 0; i < colNames.length; i++) {
            Column c = functions.col(Objects.requireNonNull(colNames[i], "colNames[" + i + "]"));
            cols[i] = switch (fn) {
                case "sum" -> functions.sum(c);
                case "avg" -> functions.avg(c);
                case "min" -> functions.min(c);
                default -> functions.max(c);
            };
        }
        return agg(cols[0], Arrays.copyOfRange(cols, 1, cols.length));
    }

    private Dataset<Row> plan(List<Aggregate> aggregates, List<String> aggNames) {
        StructType input = df.schema();
        // Pre-projection, fused into the input's tasks: [keys..., event time?, aggregate arguments...]
        List<Expression> pre = new ArrayList<>();
        List<Integer> keyColumns = new ArrayList<>();
        TimeFunctions.TimeWindow window = null;
        TimeFunctions.SessionWindow session = null;
        int windowPosition = -1;
        for (int i = 0; i < grouping.size(); i++) {
            Expression g = grouping.get(i);
            if (g instanceof TimeFunctions.TimeWindow w) {
                window = w;
                windowPosition = i;
            } else if (g instanceof TimeFunctions.SessionWindow w) {
                session = w;
                windowPosition = i;
            } else {
                keyColumns.add(pre.size());
                pre.add(new ComplexAccess.Alias(g, "k" + pre.size()));
            }
        }
        int timeColumn = -1;
        Expression time = window != null ? window.time() : session != null ? session.time() : null;
        if (time != null) {
            timeColumn = pre.size();
            pre.add(new ComplexAccess.Alias(time, "t"));
        }
        int[] inputs = new int[aggregates.size()];
        for (int i = 0; i < aggregates.size(); i++) {
            inputs[i] = pre.size();
            pre.add(new ComplexAccess.Alias(aggregates.get(i).child(), "a" + i));
        }
        Projection projection = Analyzer.projection(input, pre);
        // Direct: every key, the event time and every argument a column of the input (count's a literal), so the
        // keyed stage reads the input rows themselves and there is no pre-projection.
        int[] direct = directColumns(projection, aggregates, inputs[0]);
        StructType keyedSchema = direct != null ? input : projection.outputSchema();
        int[] keys = keyColumns.stream().mapToInt(Integer::intValue).toArray();
        if (direct != null) {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = direct[keys[i]];
            }
            timeColumn = timeColumn >= 0 ? direct[timeColumn] : -1;
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = direct[inputs[i]];
            }
        }
        GroupAggregation aggregation = new GroupAggregation(aggregates, aggNames, inputs, keyedSchema);

        StructField[] out = new StructField[grouping.size() + aggregates.size()];
        for (int i = 0; i < grouping.size(); i++) {
            Expression g = grouping.get(i);
            boolean windowColumn = g instanceof TimeFunctions.TimeWindow || g instanceof TimeFunctions.SessionWindow;
            out[i] = new StructField(groupingNames.get(i), g.dataType(), !windowColumn && g.nullable());
        }
        StructField[] results = aggregation.resultSchema().fields();
        System.arraycopy(results, 0, out, grouping.size(), results.length);
        StructType outSchema = new StructType(out);

        // The pre-projection reads the input rows while they are handed over, and refills one row of its own: the keyed
        // exchange copies rows into its ring slots (the aggregation keeps none). Rows whose event time is NULL are
        // dropped by the window stage itself (GroupKeys.eventTimeMs), not by a filter of their own before the exchange.
        String description = "groupBy(" + String.join(", ", groupingNames) + ")";
        Stream<Row> projected;
        if (direct == null) {
            StructType preSchema = projection.outputSchema();
            projected = df.readingStream().transform(description + " project",
                () -> new RowOperator<>(null, projection, preSchema, -1, null, true));
        } else {
            projected = df.readingStream();
        }
        KeyedStream<Object, Row> keyed = projected
            .keyBy(description, GroupKeys.of(keyedSchema, keys))
            .copyingRecords(new RowCopier(keyedSchema));
        int groups = grouping.size();
        Stream<Row> rows;
        if (time == null) {
            rows = keyed.aggregate(aggregation, EmitPolicy.EVERY_RECORD, aggregation.codec())
                .map((KeyValue<Object, Row> kv) -> {
                MutableRow row = MutableRow.create(outSchema);
                fill(row, kv.key(), -1, null, kv.value(), groups);
                return row;
            });
        } else {
            int t = timeColumn;
            int position = windowPosition;
            ToLongFunction<Row> timeMs = GroupKeys.eventTimeMs(keyedSchema, t);
            WindowedStream<Object, Row> windowed;
            if (window != null) {
                long lengthMs = window.lengthMicros() / 1_000L;
                long slideMs = window.slideMicros() / 1_000L;
                long startMs = window.startMicros() / 1_000L;
                WindowAssigner assigner = lengthMs == slideMs ? WindowAssigner.tumbling(lengthMs, startMs)
                    : WindowAssigner.sliding(lengthMs, slideMs, startMs);
                windowed = keyed.window(assigner, timeMs);
            } else {
                windowed = keyed.sessionWindow(Duration.ofMillis(Math.max(1, session.gapMicros() / 1_000L)), timeMs);
            }
            rows = windowed.aggregate(aggregation, aggregation.codec())
                .map((WindowedValue<Object, Row> wv) -> {
                    MutableRow w = MutableRow.create(TimeFunctions.WINDOW_TYPE);
                    w.setTimestampMicros(0, wv.window().startMs() * 1_000L);
                    w.setTimestampMicros(1, wv.window().endMs() * 1_000L);
                    MutableRow row = MutableRow.create(outSchema);
                    fill(row, wv.key(), position, w, wv.value(), groups);
                    return row;
                });
        }
        return new Dataset<>(df.rivulet(), rows, Encoders.row(outSchema));
    }

    /**
     * @param projection the resolved pre-projection: keys, the event time, then one argument per aggregate
     * @param aggregates the aggregates
     * @param arguments  the position of the first argument in it
     * @return each pre-projected column's input column (-1 for count's literal), or {@code null} when one is
     *     computed (the pre-projection then runs)
     */
    private static int[] directColumns(Projection projection, List<Aggregate> aggregates, int arguments) {
        List<Expression> items = projection.expressions();
        int[] columns = new int[items.size()];
        for (int i = 0; i < columns.length; i++) {
            Expression e = items.get(i);
            while (e instanceof ComplexAccess.Alias a) {
                e = a.children().get(0);
            }
            if (e instanceof BoundReference r) {
                columns[i] = r.ordinal();
            } else if (i >= arguments && e instanceof Literal l && l.value() != null
                && aggregates.get(i - arguments).name().equals("count")) {
                columns[i] = -1;
            } else {
                return null;
            }
        }
        return columns;
    }

    private static void fill(MutableRow row, Object key, int windowPosition, Row window, Row results, int groups) {
        int k = 0;
        for (int i = 0; i < groups; i++) {
            row.set(i, i == windowPosition ? window : GroupKeys.value(key, k++));
        }
        for (int j = 0; j < results.size(); j++) {
            row.set(groups + j, results.get(j));
        }
    }
}
