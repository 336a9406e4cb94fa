package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.Output;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated fill ({@link FillCompiler}, {@link FillWriter}) against the interpreted one (the fill writing the
 * {@link PackedRow} through its own setters): random schemas (every kind, up to 80 fields: the ones from 64 on go
 * through the row), random fills (every field, some twice, some not at all, NULLs, wrong setters, reads between
 * writes), records in sequence into a reused row and into new rows: the same rows, bit for bit, and the same
 * exceptions.
 */
class FillWriterTest {
    private static final String[] TYPES = {"INT", "BIGINT", "DOUBLE", "FLOAT", "SMALLINT", "TINYINT", "BOOLEAN",
        "TIMESTAMP", "DATE", "STRING", "DECIMAL(10,2)", "BINARY", "ARRAY<INT>", "MAP<STRING,INT>", "STRUCT<a: INT>"};
    private static final StructType NESTED = StructType.fromDDL("a INT");

    /** One write (or read) of a fill, replayed on either row. */
    private interface Op {
        void apply(MutableRow row);
    }

    @Test
    void shouldFillRowsAsTheRowsOwnSettersForRandomSchemasAndValuesWithNulls() {
        SplittableRandom random = new SplittableRandom(2026);
        int compared = 0;
        for (int s = 0; s < 120; s++) {
            StructType schema = schema(random, s % 10 == 9 ? 65 + random.nextInt(16) : 1 + random.nextInt(20));
            for (boolean reuse : new boolean[] {true, false}) {
                List<List<Op>> records = new ArrayList<>();
                for (int r = 0; r < 30; r++) {
                    records.add(fill(random, schema));
                }
                List<String> interpreted = run(schema, records, reuse, false);
                List<String> generated = run(schema, records, reuse, true);
                assertThat(generated).as("schema %s, reuse %s", schema.simpleString(), reuse).isEqualTo(interpreted);
                compared += records.size();
            }
        }
        assertThat(compared).isEqualTo(120 * 2 * 30);
    }

    @Test
    void shouldWriteThroughTheGeneratedWriterWhenGenerationIsOn() {
        StructType schema = StructType.fromDDL("seq BIGINT, ts TIMESTAMP, symbol INT, price DOUBLE, qty BIGINT");
        FillWriter writer = FillCompiler.writer(schema);
        assertThat(writer).isNotNull();
        assertThat(writer.getClass().isHidden()).isTrue();
        assertThat(FillCompiler.writer(schema).getClass()).as("one class per layout").isSameAs(writer.getClass());
        PackedRow row = new PackedRow(schema);
        writer.bind(row);
        writer.setLong(0, 7);
        writer.setTimestampMicros(1, 1_000L);
        writer.setInt(2, -3);
        writer.setDouble(3, 2.5);
        writer.setNull(4);
        assertThat(row.isNullAt(0)).as("null flags are written at sync, not per setter").isTrue();
        writer.sync();
        assertThat(row).isEqualTo(Row.of(schema, 7L, Instant.ofEpochMilli(1), -3, 2.5, null));
    }

    @Test
    void shouldReportAWrongSetterAsTheRowDoes() {
        StructType schema = StructType.fromDDL("a INT, b STRING");
        FillWriter writer = FillCompiler.writer(schema);
        writer.bind(new PackedRow(schema));
        PackedRow reference = new PackedRow(schema);
        assertThat(outcome(() -> writer.setLong(0, 1L))).isEqualTo(outcome(() -> reference.setLong(0, 1L)))
            .startsWith("java.lang.ClassCastException: setLong(0) on field 'a'");
        assertThat(outcome(() -> writer.setString(0, "x"))).isEqualTo(outcome(() -> reference.setString(0, "x")));
        assertThat(outcome(() -> writer.setInt(2, 1))).isEqualTo(outcome(() -> reference.setInt(2, 1)));
    }

    private static List<String> run(StructType schema, List<List<Op>> records, boolean reuse, boolean generated) {
        BiConsumer<List<Op>, MutableRow> fill = (ops, row) -> {
            for (Op op : ops) {
                op.apply(row);
            }
        };
        FillOperator<List<Op>> operator = new FillOperator<>(schema, fill, reuse, generated);
        List<String> out = new ArrayList<>();
        Output<Row> collect = row -> out.add(describe((PackedRow) row));
        for (List<Op> record : records) {
            try {
                operator.process(record, collect);
            } catch (RuntimeException e) {
                out.add("threw " + e);
            }
        }
        return out;
    }

    /** Every field's null flag and value, and a fixed-width field's raw bits. */
    private static String describe(PackedRow row) {
        StringJoiner text = new StringJoiner(", ");
        for (int i = 0; i < row.size(); i++) {
            if (row.isNullAt(i)) {
                text.add("null");
            } else {
                Object v = row.get(i);
                byte kind = RowKind.of(row.schema().apply(i).dataType());
                String bits = kind < RowKind.FIRST_REFERENCE ? "#" + Long.toHexString(row.bits(i)) : "";
                text.add((v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v)) + bits);
            }
        }
        return text.toString();
    }

    private static StructType schema(SplittableRandom random, int fields) {
        StringJoiner ddl = new StringJoiner(", ");
        for (int i = 0; i < fields; i++) {
            ddl.add("f" + i + " " + TYPES[random.nextInt(TYPES.length)]);
        }
        return StructType.fromDDL(ddl.toString());
    }

    /** A record's fill: most fields once in random order, some twice or never, some NULL, a few misuses and reads. */
    private static List<Op> fill(SplittableRandom random, StructType schema) {
        List<Op> ops = new ArrayList<>();
        int n = schema.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i : order) {
            int dice = random.nextInt(100);
            if (dice < 5) {
                continue;
            }
            ops.add(write(random, schema, i, dice < 20));
            if (dice >= 95) {
                ops.add(write(random, schema, i, random.nextBoolean()));
            }
            if (random.nextInt(40) == 0) {
                int read = random.nextInt(n);
                ops.add(row -> {
                    if (!row.isNullAt(read)) {
                        row.get(read);
                    }
                });
            }
        }
        if (random.nextInt(25) == 0) {
            int i = random.nextInt(n);
            ops.add(random.nextInt(order.length + 1) == 0 ? row -> row.setInt(i + n, 1) : row -> row.setLong(i, 1L));
        }
        return ops;
    }

    private static Op write(SplittableRandom random, StructType schema, int i, boolean asNull) {
        byte kind = RowKind.of(schema.apply(i).dataType());
        if (asNull) {
            return switch (random.nextInt(3)) {
                case 0 -> row -> row.set(i, null);
                case 1 -> kind == RowKind.STRING ? row -> row.setString(i, null) : row -> row.setNull(i);
                default -> row -> row.setNull(i);
            };
        }
        boolean boxed = random.nextInt(8) == 0;
        switch (kind) {
            case RowKind.INT -> {
                int v = random.nextBoolean() ? random.nextInt() : random.nextInt(-3, 3);
                return boxed ? row -> row.set(i, v) : row -> row.setInt(i, v);
            }
            case RowKind.LONG -> {
                long v = random.nextBoolean() ? random.nextLong() : Long.MIN_VALUE + random.nextInt(3);
                return boxed ? row -> row.set(i, v) : row -> row.setLong(i, v);
            }
            case RowKind.DOUBLE -> {
                double[] edges = {Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
                double v = random.nextBoolean() ? random.nextDouble(-1e9, 1e9) : edges[random.nextInt(edges.length)];
                return boxed ? row -> row.set(i, v) : row -> row.setDouble(i, v);
            }
            case RowKind.FLOAT -> {
                float v = random.nextBoolean() ? (float) random.nextDouble(-1e6, 1e6) : -0.0f;
                return boxed ? row -> row.set(i, v) : row -> row.setFloat(i, v);
            }
            case RowKind.SHORT -> {
                short v = (short) random.nextInt();
                return boxed ? row -> row.set(i, v) : row -> row.setShort(i, v);
            }
            case RowKind.BYTE -> {
                byte v = (byte) random.nextInt();
                return boxed ? row -> row.set(i, v) : row -> row.setByte(i, v);
            }
            case RowKind.BOOLEAN -> {
                boolean v = random.nextBoolean();
                return boxed ? row -> row.set(i, v) : row -> row.setBoolean(i, v);
            }
            case RowKind.TIMESTAMP -> {
                long micros = random.nextLong(-1L << 50, 1L << 50);
                return boxed ? row -> row.setTimestamp(i, PackedRow.toInstant(micros))
                    : row -> row.setTimestampMicros(i, micros);
            }
            case RowKind.DATE -> {
                int days = random.nextInt(-100_000, 100_000);
                return boxed ? row -> row.setDate(i, LocalDate.ofEpochDay(days)) : row -> row.setDateDays(i, days);
            }
            case RowKind.STRING -> {
                String v = "s" + random.nextInt(1000);
                return boxed ? row -> row.set(i, v) : row -> row.setString(i, v);
            }
            case RowKind.DECIMAL -> {
                BigDecimal v = BigDecimal.valueOf(random.nextLong(-1_000_000, 1_000_000), 3);
                return row -> row.setDecimal(i, v);
            }
            case RowKind.BINARY -> {
                byte[] v = {(byte) random.nextInt(), (byte) random.nextInt()};
                return row -> row.setBinary(i, v);
            }
            case RowKind.ARRAY -> {
                List<Integer> v = List.of(random.nextInt(10), random.nextInt(10));
                return boxed ? row -> row.set(i, v) : row -> row.setList(i, v);
            }
            case RowKind.MAP -> {
                Map<String, Integer> v = Map.of("k", random.nextInt(10));
                return row -> row.setMap(i, v);
            }
            case RowKind.STRUCT -> {
                Row v = Row.of(NESTED, random.nextInt(10));
                return row -> row.setStruct(i, v);
            }
            default -> throw new IllegalStateException("kind " + kind);
        }
    }

    private static String outcome(Runnable action) {
        try {
            action.run();
            return "";
        } catch (RuntimeException e) {
            return String.valueOf(e);
        }
    }

    @Test
    void shouldKeepTheFieldsAFillLeavesAloneAsTheRowDoes() {
        StructType schema = StructType.fromDDL("a BIGINT, b STRING");
        List<String> outputs = new ArrayList<>();
        for (boolean generated : new boolean[] {false, true}) {
            FillOperator<Long> op = new FillOperator<>(schema, (v, row) -> {
                if (v == 1) {
                    row.setLong(0, v);
                    row.setString(1, "one");
                } else {
                    row.setNull(0);
                }
            }, true, generated);
            op.process(1L, row -> outputs.add(Objects.toString(row)));
            op.process(2L, row -> outputs.add(Objects.toString(row)));
        }
        assertThat(outputs.subList(2, 4)).isEqualTo(outputs.subList(0, 2));
        assertThat(outputs.get(1)).isEqualTo(Row.of(schema, null, "one").toString());
    }
}
