package io.rivulet.engine.sql;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.count;
import static io.rivulet.engine.sql.functions.expr;
import static io.rivulet.engine.sql.functions.sum;
import static io.rivulet.engine.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Row reuse on the fused path ({@code sql.internal.RowReuse}): a refilling source and a projection refill one row
 * per task while their consumers only read rows, make a new row per record as soon as a consumer keeps rows, and
 * give the same results either way.
 */
class RowReuseTest {
    private static final StructType SCHEMA = StructType.fromDDL("n BIGINT, ts TIMESTAMP, k INT, q BIGINT");
    private static final int N = 1_000;

    private static ConnectorSource<Long> refilling() {
        return ConnectorSource.refilling(Sources.fromIterable(LongStream.range(0, N).boxed().toList()), SCHEMA,
            (Long n, MutableRow row) -> fill(n, row));
    }

    private static ConnectorSource<Long> newRows() {
        return ConnectorSource.of(Sources.fromIterable(LongStream.range(0, N).boxed().toList()), SCHEMA, n -> {
            MutableRow row = MutableRow.create(SCHEMA);
            fill(n, row);
            return row;
        });
    }

    private static void fill(long n, MutableRow row) {
        row.setLong(0, n);
        row.setTimestampMicros(1, n * 10_000L);
        if (n % 7 == 0) {
            row.setNull(2);
        } else {
            row.setInt(2, (int) (n % 5));
        }
        row.setLong(3, n % 13);
    }

    @Test
    void shouldRefillOneRowPerTaskThroughWhereAndSelectIntoAReadingStream() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            RecordingSink sink = new RecordingSink();
            rivulet.readStream().source(refilling())
                .where("q > 3")
                .selectExpr("n", "k", "q * 2 AS twice")
                .asStream().writeStream(sink).start().awaitTermination();
            assertThat(sink.rows).hasSize(expectedProjected().size());
            assertThat(sink.rows).extracting(Row::toString).containsExactlyElementsOf(expectedProjected());
            assertThat(sink.instances).as("one reused row for all %d rows", sink.rows.size()).hasSize(1);
        }
    }

    @Test
    void shouldFuseAWhereWithTheSelectAfterItIntoOneOperator() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.readStream().source(refilling());
            String plan = df.where("q > 3").selectExpr("n", "q * 2 AS twice").explainString(false);
            assertThat(plan).startsWith("== Physical Plan ==\n*(1) where q > 3, selectExpr\n+- *(1) toRow\n");
            // not across a watermark, which must see every row the filter passes
            assertThat(df.where("q > 3").withWatermark("ts", "1 second").selectExpr("n").explainString(false))
                .contains("*(1) selectExpr\n").contains("*(1) where q > 3\n");
        }
    }

    @Test
    void shouldGiveANewRowPerRecordWhenASinkKeepsRows() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> filtered = rivulet.readStream().source(refilling()).where("q > 3");
            filtered.selectExpr("n", "k", "q * 2 AS twice").writeStream().format("memory").queryName("projected").start()
                .awaitTermination();
            filtered.writeStream().format("memory").queryName("filtered").start().awaitTermination();
            assertThat(rivulet.table("projected")).extracting(Row::toString).containsExactlyElementsOf(expectedProjected());
            assertThat(rivulet.table("filtered")).hasSize(expectedProjected().size())
                .extracting(r -> r.getLong(0)).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldAggregateRefilledRowsAsNewRowsInAWindowedGroupBy() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            for (ConnectorSource<Long> source : List.of(refilling(), newRows())) {
                String table = source.fill() != null ? "refilled" : "new";
                rivulet.readStream().source(source)
                    .withWatermark("ts", "10 milliseconds")
                    .groupBy(window(col("ts"), "1 second"), col("k"))
                    .agg(count("*").as("count"), sum(col("q")).as("sumQ"))
                    .writeStream().format("memory").queryName(table).outputMode("append").start().awaitTermination();
            }
            // a computed key and argument: through the pre-projection instead of the input rows themselves
            rivulet.readStream().source(refilling())
                .withWatermark("ts", "10 milliseconds")
                .groupBy(window(col("ts"), "1 second"), col("k").plus(0).as("k"))
                .agg(count("*").as("count"), sum(col("q").plus(0)).as("sumQ"))
                .writeStream().format("memory").queryName("computed").outputMode("append").start().awaitTermination();
            List<String> refilled = rivulet.table("refilled").stream().map(Row::toString).sorted().toList();
            List<String> fresh = rivulet.table("new").stream().map(Row::toString).sorted().toList();
            List<String> computed = rivulet.table("computed").stream().map(Row::toString).sorted().toList();
            assertThat(refilled).hasSize(60).isEqualTo(fresh).isEqualTo(computed).anyMatch(r -> r.contains(",null,"));
        }
    }

    @Test
    void shouldTurnReuseOffForAJoinOfRefillingProjectionsOnEitherSideAndJoinEveryRowOnce() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            // both sides a refilling source through a projection: each would refill one row per task if reuse stayed
            // on, and the join keeps its rows by reference in its state
            Dataset<Row> left = rivulet.readStream().source(refilling()).selectExpr("n", "q AS lq");
            Dataset<Row> right = rivulet.readStream().source(refilling()).where("q > 3").selectExpr("n", "q * 2 AS rq");
            Dataset<Row> stringKeyed = rivulet.readStream().source(refilling()).selectExpr("CAST(n AS STRING) AS s");
            assertThat(left.reuse().allowed()).isTrue();
            // qualified (as(alias) keeps the rows' reuse decision), long-key join
            Dataset<Row> joined = left.as("l").join(right.as("r"), col("l.n").equalTo(col("r.n")))
                .selectExpr("l.n", "lq", "rq");
            // boxed-key join, the projection on the right
            Dataset<Row> byString = left.join(stringKeyed, expr("CAST(n AS STRING) = s")).selectExpr("n", "s");
            assertThat(left.reuse().allowed()).isFalse();
            assertThat(right.reuse().allowed()).isFalse();
            assertThat(stringKeyed.reuse().allowed()).isFalse();
            joined.writeStream().format("memory").queryName("joined").start().awaitTermination();
            byString.writeStream().format("memory").queryName("byString").start().awaitTermination();
            List<String> expected = new ArrayList<>();
            List<String> expectedStrings = new ArrayList<>();
            for (long n = 0; n < N; n++) {
                if (n % 13 > 3) {
                    expected.add("[" + n + "," + n % 13 + "," + (n % 13) * 2 + "]");
                }
                expectedStrings.add("[" + n + "," + n + "]");
            }
            assertThat(rivulet.table("joined")).extracting(Row::toString).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(rivulet.table("byString")).extracting(Row::toString)
                .containsExactlyInAnyOrderElementsOf(expectedStrings);
        }
    }

    @Test
    void shouldTurnReuseOffForALimitAndAStreamStaticJoinOfAProjection() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> limited = rivulet.readStream().source(refilling()).selectExpr("n", "q");
            limited.limit(10);
            assertThat(limited.reuse().allowed()).as("limit (its append plan keeps the rows in one partition)").isFalse();
            StructType names = StructType.fromDDL("q BIGINT, name STRING");
            Dataset<Row> statics = rivulet.createDataFrame(List.of(Row.of(names, 1L, "one")), names);
            Dataset<Row> looked = rivulet.readStream().source(refilling()).selectExpr("n", "q AS k");
            looked.join(statics, col("k").equalTo(col("q")));
            assertThat(looked.reuse().allowed()).as("stream-static join").isFalse();
            Dataset<Row> read = rivulet.readStream().source(refilling()).selectExpr("n", "ts", "q");
            read.withWatermark("ts", "1 second").selectExpr("n");
            assertThat(read.reuse().allowed()).as("a watermark and a projection only read rows").isTrue();
        }
    }

    private static List<String> expectedProjected() {
        List<String> out = new ArrayList<>();
        for (long n = 0; n < N; n++) {
            if (n % 13 > 3) {
                out.add("[" + n + "," + (n % 7 == 0 ? "null" : String.valueOf(n % 5)) + "," + (n % 13) * 2 + "]");
            }
        }
        return out;
    }

    /** Copies each row and records which row instances it was given. */
    private static final class RecordingSink implements Sink<Row> {
        final List<Row> rows = Collections.synchronizedList(new ArrayList<>());
        final Set<Row> instances = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<Row, Boolean>()));

        @Override
        public String description() {
            return "recording";
        }

        @Override
        public SinkWriter<Row> createWriter(int writerIndex) {
            return row -> {
                instances.add(row);
                rows.add(row.copy());
            };
        }
    }
}
