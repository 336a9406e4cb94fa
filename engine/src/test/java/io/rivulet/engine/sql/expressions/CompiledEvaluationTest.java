package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.ParseException;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiled evaluation ({@link ExpressionCompiler}) against the node tree: random expressions over every type and
 * operator the compiler has a template for (and some it leaves to the tree, inside compiled code), on random rows
 * with NULLs and edge values, must give the same value, NULL flag and exception.
 */
class CompiledEvaluationTest {
    private static final StructType SCHEMA = StructType.fromDDL(
        "i INT, l BIGINT, d DOUBLE, f FLOAT, s SMALLINT, b TINYINT, z BOOLEAN, t TIMESTAMP, dt DATE, str STRING");
    private static final String[] NUMERIC = {"i", "l", "d", "f", "s", "b"};
    private static final String[] TYPES = {"INT", "BIGINT", "DOUBLE", "FLOAT", "SMALLINT", "TINYINT"};
    private static final String[] ARITHMETIC = {"+", "-", "*", "/", "%", "div"};
    private static final String[] COMPARISON = {"=", "<", "<=", ">", ">=", "!=", "<=>"};
    private static final int ROWS = 300;

    @Test
    void shouldProjectAsTheTreeForRandomExpressionsAndRowsWithNulls() {
        SplittableRandom random = new SplittableRandom(13);
        List<Row> rows = rows(random);
        int compared = 0;
        for (int n = 0; n < 400; n++) {
            List<Expression> items = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                items.add(SqlParsers.parseSelectItem(random.nextBoolean() ? numeric(random, 3) : bool(random, 3)));
            }
            Projection p;
            try {
                p = Analyzer.projection(SCHEMA, items);
            } catch (AnalysisException | ParseException e) {
                continue;
            }
            Projection.Evaluator compiled = p.newEvaluator();
            Projection.Evaluator tree = p.newInterpretingEvaluator();
            assertThat(compiled.compiled()).as("compiled: %s", items).isTrue();
            for (Row row : rows) {
                MutableRow a = MutableRow.create(p.outputSchema());
                MutableRow b = MutableRow.create(p.outputSchema());
                String ca = outcome(() -> compiled.apply(row, a));
                String cb = outcome(() -> tree.apply(row, b));
                assertThat(ca).as("%s on %s", items, row).isEqualTo(cb);
                if (ca.isEmpty()) {
                    for (int i = 0; i < a.size(); i++) {
                        assertThat(Objects.equals(a.get(i), b.get(i))).as("column %d of %s on %s: %s vs %s", i, items, row,
                            a.get(i), b.get(i)).isTrue();
                    }
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(200 * ROWS);
    }

    @Test
    void shouldFilterAsTheTreeForRandomConditionsAndRowsWithNulls() {
        SplittableRandom random = new SplittableRandom(7);
        List<Row> rows = rows(random);
        int compared = 0;
        for (int n = 0; n < 400; n++) {
            String text = bool(random, 4);
            Predicate p;
            try {
                p = Analyzer.predicate(SCHEMA, SqlParsers.parseExpression(text));
            } catch (AnalysisException | ParseException e) {
                continue;
            }
            Predicate.Evaluator compiled = p.newEvaluator();
            Predicate.Evaluator tree = p.newInterpretingEvaluator();
            assertThat(compiled.compiled()).as("compiled: %s", text).isTrue();
            for (Row row : rows) {
                boolean[] a = new boolean[1];
                boolean[] b = new boolean[1];
                String ca = outcome(() -> a[0] = compiled.test(row));
                String cb = outcome(() -> b[0] = tree.test(row));
                assertThat(ca + a[0]).as("%s on %s", text, row).isEqualTo(cb + b[0]);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(200 * ROWS);
    }

    @Test
    void shouldCompileTheW1ShapesWithoutFallingBackToTheTree() {
        Predicate where = Analyzer.predicate(SCHEMA, SqlParsers.parseExpression("l > 100"));
        Projection select = Analyzer.projection(SCHEMA, List.of(SqlParsers.parseSelectItem("l"),
            SqlParsers.parseSelectItem("i"), SqlParsers.parseSelectItem("d * l AS notional")));
        assertThat(ExpressionCompiler.predicate(where.condition()).nodes).isEmpty();
        Expression[] items = select.expressions().stream().map(e -> e instanceof ComplexAccess.Alias a
            ? a.children().get(0) : e).toArray(Expression[]::new);
        assertThat(ExpressionCompiler.projection(items, select.outputSchema()).nodes).isEmpty();
    }

    private static String outcome(Runnable r) {
        try {
            r.run();
            return "";
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    private static List<Row> rows(SplittableRandom random) {
        List<Row> rows = new ArrayList<>();
        for (int n = 0; n < ROWS; n++) {
            MutableRow row = MutableRow.create(SCHEMA);
            if (random.nextInt(5) != 0) {
                row.setInt(0, pick(random, new int[] {0, 1, -1, 7, Integer.MAX_VALUE, Integer.MIN_VALUE}, random.nextInt()));
            }
            if (random.nextInt(5) != 0) {
                row.setLong(1, random.nextInt(3) == 0 ? new long[] {0, 1, -1, 101, Long.MAX_VALUE, Long.MIN_VALUE}[
                    random.nextInt(6)] : random.nextLong(-1000, 1000));
            }
            if (random.nextInt(5) != 0) {
                row.setDouble(2, random.nextInt(3) == 0 ? new double[] {0.0, -0.0, 1.5, Double.NaN,
                    Double.POSITIVE_INFINITY, -1e300}[random.nextInt(6)] : random.nextDouble(-100, 100));
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
            rows.add(row);
        }
        return rows;
    }

    private static int pick(SplittableRandom random, int[] edges, int other) {
        return random.nextInt(3) == 0 ? edges[random.nextInt(edges.length)] : other;
    }

    private static String numeric(SplittableRandom random, int depth) {
        int choice = depth == 0 ? random.nextInt(3) : random.nextInt(9);
        return switch (choice) {
            case 0, 1 -> NUMERIC[random.nextInt(NUMERIC.length)];
            case 2 -> new String[] {"0", "1", "-3", "100", "2.5", "0.0", "CAST(NULL AS INT)", "9000000000",
                "CAST(7 AS SMALLINT)", "CAST(-2 AS TINYINT)", "CAST(1.5 AS FLOAT)"}[random.nextInt(11)];
            case 3, 4, 5 -> "(" + numeric(random, depth - 1) + " " + ARITHMETIC[random.nextInt(ARITHMETIC.length)] + " "
                + numeric(random, depth - 1) + ")";
            case 6 -> "CAST(" + numeric(random, depth - 1) + " AS " + TYPES[random.nextInt(TYPES.length)] + ")";
            case 7 -> new String[] {"abs", "-"}[random.nextInt(2)] + "(" + numeric(random, depth - 1) + ")";
            default -> "CASE WHEN " + bool(random, depth - 1) + " THEN " + numeric(random, depth - 1) + " ELSE "
                + numeric(random, depth - 1) + " END";
        };
    }

    private static String bool(SplittableRandom random, int depth) {
        int choice = depth == 0 ? random.nextInt(3) : random.nextInt(10);
        return switch (choice) {
            case 0 -> "z";
            case 1 -> new String[] {"true", "false", "CAST(NULL AS BOOLEAN)"}[random.nextInt(3)];
            case 2 -> new String[] {"t", "dt", "str"}[random.nextInt(3)] + " IS " + (random.nextBoolean() ? "" : "NOT ")
                + "NULL";
            case 3, 4, 5 -> "(" + numeric(random, depth - 1) + " " + COMPARISON[random.nextInt(COMPARISON.length)] + " "
                + numeric(random, depth - 1) + ")";
            case 6 -> "(" + bool(random, depth - 1) + (random.nextBoolean() ? " AND " : " OR ") + bool(random, depth - 1)
                + ")";
            case 7 -> "NOT " + bool(random, depth - 1);
            case 8 -> "(" + numeric(random, depth - 1) + ") IS " + (random.nextBoolean() ? "" : "NOT ") + "NULL";
            default -> "(t " + (random.nextBoolean() ? "<" : ">=") + " TIMESTAMP '2001-01-01 00:00:00')";
        };
    }
}
