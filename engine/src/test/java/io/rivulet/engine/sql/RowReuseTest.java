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
