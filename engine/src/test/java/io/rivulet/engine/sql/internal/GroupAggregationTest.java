package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.sql.expressions.AggregateFunction.Accumulator;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.BoundReference;
import io.rivulet.engine.sql.expressions.ComplexAccess;
import io.rivulet.engine.sql.expressions.EvalContext;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.state.SnapshotOutput;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structured aggregation's slot buffers ({@link GroupAggregation}): the generated update ({@link
 * AggregationCompiler}), the interpreted update and the aggregates' own accumulators ({@link Aggregate#newAccumulator},
 * the reference) must give the same results, merges and checkpoint bytes, for random aggregate lists of every
 * aggregate kind over every column type, on random rows with NULLs and edge values (packed rows and generic rows).
 */
class GroupAggregationTest {
    private static final StructType SCHEMA = StructType.fromDDL("i INT, l BIGINT, d DOUBLE, f FLOAT, s SMALLINT,"
        + " b TINYINT, z BOOLEAN, t TIMESTAMP, dt DATE, str STRING, dec DECIMAL(10,2)");
    private static final String[] FUNCTIONS = {"count", "sum", "avg", "min", "max", "first", "last", "collect_list",
        "collect_set", "approx_count_distinct"};
    private static final int ROWS = 120;

    @Test
    void shouldAggregateAsTheAccumulatorsForRandomAggregatesAndRowsWithNulls() {
        SplittableRandom random = new SplittableRandom(13);
        int compared = 0;
        for (int n = 0; n < 300; n++) {
            List<Aggregate> aggregates = new ArrayList<>();
            List<Integer> inputs = new ArrayList<>();
            int count = 1 + random.nextInt(5);
            while (aggregates.size() < count) {
                String fn = FUNCTIONS[random.nextInt(FUNCTIONS.length)];
                boolean rows = fn.equals("count") && random.nextInt(4) == 0;
                String column = rows ? "1" : SCHEMA.apply(random.nextInt(SCHEMA.size())).name();
                Aggregate a = aggregate(fn + "(" + column + ")");
                if (a != null) {
                    aggregates.add(a);
                    inputs.add(rows ? -1 : ((BoundReference) a.child()).ordinal());
                }
            }
            List<Row> rows = rows(random, random.nextInt(ROWS));
            compared += check(aggregates, inputs, rows, random.nextInt(rows.size() + 1));
        }
        assertThat(compared).isGreaterThan(1000);
    }

    @Test
    void shouldAggregateEveryKindOfEveryColumnTypeAsTheAccumulators() {
        SplittableRandom random = new SplittableRandom(5);
        List<Row> rows = rows(random, ROWS);
        for (String fn : FUNCTIONS) {
            for (StructField f : SCHEMA.fields()) {
                Aggregate a = aggregate(fn + "(" + f.name() + ")");
                if (a != null) {
                    check(List.of(a), List.of(((BoundReference) a.child()).ordinal()), rows, ROWS / 3);
                }
            }
        }
        check(List.of(aggregate("count(1)")), List.of(-1), rows, ROWS / 2);
    }

    @Test
    void shouldCompileTheW2ShapeToSlotsWithoutDelegates() {
        GroupAggregation g = new GroupAggregation(List.of(aggregate("count(1)"), aggregate("sum(l)")),
            List.of("count", "sumQty"), new int[] {-1, 1}, SCHEMA);
        assertThat(g.compiled()).isTrue();
        AggregationBuffer buffer = g.createAccumulator();
        assertThat(buffer.delegates).isEmpty();
        assertThat(buffer.slots).hasSize(3);
        MutableRow row = MutableRow.create(SCHEMA);
        row.setLong(1, 40);
        g.add(buffer, row);
        row.setNull(1);
        g.add(buffer, row);
        assertThat(g.result(buffer).toString()).isEqualTo(Row.of(g.resultSchema(), 2L, 40L).toString());
    }

    /**
     * Folds {@code rows} into one buffer of each implementation (and, split at {@code split}, into two merged ones),
     * checkpointing the compiled buffer and going on from the restored one halfway; compares results and bytes.
     *
     * @return the comparisons made
     */
    private static int check(List<Aggregate> aggregates, List<Integer> inputList, List<Row> rows, int split) {
        int[] inputs = inputList.stream().mapToInt(Integer::intValue).toArray();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < aggregates.size(); i++) {
            names.add("a" + i);
        }
        GroupAggregation compiled = new GroupAggregation(aggregates, names, inputs, SCHEMA, true);
        GroupAggregation interpreted = new GroupAggregation(aggregates, names, inputs, SCHEMA, false);
        assertThat(compiled.compiled()).isTrue();
        assertThat(interpreted.compiled()).isFalse();
        String what = aggregates.toString();
        Accumulator[] reference = reference(aggregates, inputs);
        AggregationBuffer c = compiled.createAccumulator();
        AggregationBuffer p = interpreted.createAccumulator();
        AggregationBuffer left = compiled.createAccumulator();
        AggregationBuffer right = compiled.createAccumulator();
        Accumulator[] refLeft = reference(aggregates, inputs);
        Accumulator[] refRight = reference(aggregates, inputs);
        EvalContext ctx = new EvalContext();
        int compared = 0;
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (r == rows.size() / 2) {
                // checkpoint in the accumulators' own format: each side goes on from the other's checkpoint
                SnapshotOutput ours = new SnapshotOutput();
                compiled.codec().write(c, ours);
                SnapshotOutput theirs = new SnapshotOutput();
                for (Accumulator a : reference) {
                    a.write(theirs);
                }
                c = compiled.codec().read(theirs.asInput());
                reference = reference(aggregates, inputs);
                var in = ours.asInput();
                for (Accumulator a : reference) {
                    a.read(in);
                }
                assertThat(in.remaining()).as("checkpoint of %s read to its end", what).isZero();
                AggregationBuffer copy = compiled.codec().copy(p);
                assertThat(render(interpreted.result(copy))).isEqualTo(render(interpreted.result(p)));
                p = copy;
            }
            compiled.add(c, row);
            interpreted.add(p, row);
            compiled.add(r < split ? left : right, row);
            for (int i = 0; i < reference.length; i++) {
                reference[i].update(row, ctx);
                (r < split ? refLeft : refRight)[i].update(row, ctx);
            }
            String expected = render(result(reference, compiled.resultSchema()));
            assertThat(render(compiled.result(c))).as("compiled %s after %s", what, row).isEqualTo(expected);
            assertThat(render(interpreted.result(p))).as("interpreted %s after %s", what, row).isEqualTo(expected);
            compared++;
        }
        for (int i = 0; i < refLeft.length; i++) {
            refLeft[i].merge(refRight[i]);
        }
        AggregationBuffer merged = compiled.merge(left, right);
        assertThat(render(compiled.result(merged))).as("merged %s split at %d", what, split)
            .isEqualTo(render(result(refLeft, compiled.resultSchema())));
        return compared;
    }

    private static Aggregate aggregate(String call) {
        try {
            List<Expression> resolved = Analyzer.projection(SCHEMA, List.of(SqlParsers.parseSelectItem(call)))
                .expressions();
            Expression e = resolved.get(0);
            Aggregate a = (Aggregate) (e instanceof ComplexAccess.Alias alias ? alias.children().get(0) : e);
            // an implicit cast of the argument is a pre-projected column of the cast's type: not this case
            return a.child() instanceof BoundReference || a.child() instanceof Literal ? a : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Accumulator[] reference(List<Aggregate> aggregates, int[] inputs) {
        Accumulator[] acc = new Accumulator[aggregates.size()];
        for (int i = 0; i < acc.length; i++) {
            Aggregate a = aggregates.get(i);
            acc[i] = (inputs[i] < 0 ? a.withChild(Literal.of(1, DataTypes.IntegerType)) : a).newAccumulator();
        }
        return acc;
    }

    private static Row result(Accumulator[] acc, StructType schema) {
        MutableRow out = MutableRow.create(schema);
        for (int i = 0; i < acc.length; i++) {
            acc[i].writeResult(out, i);
        }
        return out;
    }

    /** Every value of a result row with its class, so 1 and 1L or 0.0 and -0.0 differ. */
    private static String render(Row row) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            Object v = row.get(i);
            text.append(v == null ? "null" : v.getClass().getSimpleName() + ":" + (v instanceof Double d
                ? Long.toHexString(Double.doubleToLongBits(d)) : v instanceof Float f
                ? Integer.toHexString(Float.floatToIntBits(f)) : Objects.toString(v))).append(' ');
        }
        return text.toString();
    }

    /** Random rows with NULLs and edge values; every fourth a generic row (the interpreted path of compiled code). */
    private static List<Row> rows(SplittableRandom random, int n) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            MutableRow row = MutableRow.create(SCHEMA);
            if (random.nextInt(5) != 0) {
                row.setInt(0, random.nextInt(3) == 0 ? new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}[
                    random.nextInt(5)] : random.nextInt(-1000, 1000));
            }
            if (random.nextInt(5) != 0) {
                row.setLong(1, random.nextInt(3) == 0 ? new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}[
                    random.nextInt(5)] : random.nextLong(-1000, 1000));
            }
            if (random.nextInt(5) != 0) {
                row.setDouble(2, random.nextInt(3) == 0 ? new double[] {0.0, -0.0, 1.5, Double.NaN,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e300}[random.nextInt(7)]
                    : random.nextDouble(-100, 100));
            }
            if (random.nextInt(5) != 0) {
                row.setFloat(3, random.nextInt(3) == 0 ? new float[] {0f, -0f, Float.NaN, 3.25f}[random.nextInt(4)]
                    : (float) random.nextDouble(-100, 100));
            }
            if (random.nextInt(5) != 0) {
                row.setShort(4, (short) random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1));
            }
            if (random.nextInt(5) != 0) {
                row.setByte(5, (byte) random.nextInt(-128, 128));
            }
            if (random.nextInt(5) != 0) {
                row.setBoolean(6, random.nextBoolean());
            }
            if (random.nextInt(5) != 0) {
                row.setTimestampMicros(7, random.nextLong(-1_000_000_000_000L, 4_000_000_000_000_000L));
            }
            if (random.nextInt(5) != 0) {
                row.setDateDays(8, random.nextInt(-1000, 30000));
            }
            if (random.nextInt(5) != 0) {
                row.setString(9, new String[] {"", "a", "AAPL", "12"}[random.nextInt(4)]);
            }
            if (random.nextInt(5) != 0) {
                row.setDecimal(10, BigDecimal.valueOf(random.nextLong(-100_000, 100_000), 2));
            }
            rows.add(random.nextInt(4) == 0 ? generic(row) : row);
        }
        return rows;
    }

    private static Row generic(Row row) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return new GenericRow(values);
    }
}
