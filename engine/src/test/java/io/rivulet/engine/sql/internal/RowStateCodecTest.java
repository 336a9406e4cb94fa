package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.sql.expressions.AggregateFunction;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.EvalContext;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.state.SnapshotOutput;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The row state codec (join buffers) and the aggregate accumulators' codecs: what is written reads back the same. */
class RowStateCodecTest {
    private static final StructType ALL = StructType.fromDDL("i INT, l BIGINT, d DOUBLE, f FLOAT, b BOOLEAN, s SMALLINT,"
        + " t TINYINT, str STRING, ts TIMESTAMP, dt DATE, dec DECIMAL(12,3), bin BINARY, arr ARRAY<STRING>,"
        + " m MAP<STRING, INT>, st STRUCT<a: INT, b: STRING>");

    @Test
    void shouldReadBackARowOfEveryTypeAndItsNulls() {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("k", 1);
        map.put("n", null);
        Row full = Row.of(ALL, 1, 2L, 3.5, 4.5f, true, (short) 6, (byte) 7, "x", Instant.parse("2024-01-01T10:00:00.123456Z"),
            LocalDate.of(2024, 2, 29), new BigDecimal("-12.345"), new byte[] {1, 2}, Arrays.asList("a", null), map,
            Row.of(StructType.fromDDL("a INT, b STRING"), 9, null));
        Row nulls = Row.of(ALL, new Object[ALL.size()]);
        RowStateCodec codec = new RowStateCodec(ALL);
        for (Row row : List.of(full, nulls)) {
            SnapshotOutput out = new SnapshotOutput();
            codec.write(row, out);
            Row back = codec.read(out.asInput());
            assertThat(back).isEqualTo(row);
            assertThat(back.toString()).isEqualTo(row.toString());
        }
    }

    @Test
    void shouldContinueEachAggregateFromItsCheckpointedStateAsIfNeverStopped() {
        StructType schema = StructType.fromDDL("k STRING, v INT, dec DECIMAL(10,2), ts TIMESTAMP");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(Row.of(schema, "k" + (i % 7), i % 3 == 0 ? null : i, new BigDecimal(i + ".25"),
                Instant.ofEpochSecond(1_700_000_000L + i)));
        }
        for (String call : List.of("count(v)", "sum(v)", "avg(v)", "sum(dec)", "avg(dec)", "min(ts)", "max(k)", "first(v)",
            "last(v)", "collect_list(k)", "collect_set(k)", "approx_count_distinct(k)", "min(v)", "max(dec)")) {
            Aggregate aggregate = (Aggregate) Analyzer.resolve(SqlParsers.parseExpression(call), schema);
            AggregateFunction.Accumulator straight = aggregate.newAccumulator();
            AggregateFunction.Accumulator restored = aggregate.newAccumulator();
            EvalContext ctx = new EvalContext();
            for (int i = 0; i < rows.size(); i++) {
                straight.update(rows.get(i), ctx);
                restored.update(rows.get(i), ctx);
                if (i % 9 == 4) { // checkpoint and restore into a fresh accumulator now and then
                    SnapshotOutput out = new SnapshotOutput();
                    restored.write(out);
                    restored = aggregate.newAccumulator();
                    restored.read(out.asInput());
                }
            }
            assertThat(restored.result()).as(call).isEqualTo(straight.result());
            MutableRow a = MutableRow.create(new StructType().add("r", aggregate.dataType()));
            MutableRow b = MutableRow.create(new StructType().add("r", aggregate.dataType()));
            restored.writeResult(a, 0);
            straight.writeResult(b, 0);
            assertThat(a).as(call).isEqualTo(b);
        }
    }
}
