package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.Column;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.ParseException;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.rivulet.engine.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionsTest {
    private static final StructType SCHEMA = StructType.fromDDL(
        "sym STRING, qty INT, price DOUBLE, n BIGINT, s STRING, ts TIMESTAMP, tags ARRAY<STRING>, "
            + "m MAP<STRING, INT>, st STRUCT<a: INT, b: STRING>, d DECIMAL(10,2), flag BOOLEAN");
    private static final Row ROW = Row.of(SCHEMA, "AAPL", 150, 2.5, 10L, " 42 ", Instant.parse("2024-01-01T00:12:30Z"),
        List.of("x", "y"), Map.of("k", 7), Row.of(new StructType().add("a", DataTypes.IntegerType)
            .add("b", DataTypes.StringType), 1, "bee"), new BigDecimal("12.50"), null);

    private static Object eval(String expression) {
        return eval(expr(expression));
    }

    private static Object eval(Column c) {
        Projection p = Analyzer.projection(SCHEMA, List.of(Columns.expression(c)));
        return p.expressions().get(0).eval(ROW, new EvalContext());
    }

    private static String name(Column c) {
        return Analyzer.projection(SCHEMA, List.of(Columns.expression(c))).outputSchema().apply(0).name();
    }

    private static String type(String expression) {
        return Analyzer.projection(SCHEMA, List.of(SqlParsers.parseExpression(expression))).outputSchema().apply(0)
            .dataType().simpleString();
    }

    @Test
    void shouldFollowSparkOperatorPrecedence() {
        assertThat(eval("1 + 2 * 3")).isEqualTo(7);
        assertThat(eval("(1 + 2) * 3")).isEqualTo(9);
        assertThat(eval("10 - 4 - 3")).isEqualTo(3);
        assertThat(eval("-qty + 1")).isEqualTo(-149);
        assertThat(eval("1 + 1 = 2")).isEqualTo(true);
        assertThat(eval("NOT 1 = 2")).isEqualTo(true);
        assertThat(eval("true OR false AND false")).isEqualTo(true);
        assertThat(eval("qty > 100 AND sym = 'AAPL'")).isEqualTo(true);
        assertThat(eval("'a' || 'b' = 'ab'")).isEqualTo(true);
        assertThat(eval("7 DIV 2")).isEqualTo(3L);
    }

    @Test
    void shouldTypeEveryLiteralForm() {
        assertThat(type("1")).isEqualTo("int");
        assertThat(type("3000000000")).isEqualTo("bigint");
        assertThat(type("10L")).isEqualTo("bigint");
        assertThat(type("2S")).isEqualTo("smallint");
        assertThat(type("3Y")).isEqualTo("tinyint");
        assertThat(type("1.50")).isEqualTo("decimal(3,2)");
        assertThat(type("1.5D")).isEqualTo("double");
        assertThat(type("1E3")).isEqualTo("double");
        assertThat(type("2.5F")).isEqualTo("float");
        assertThat(type("1.0BD")).isEqualTo("decimal(2,1)");
        assertThat(type("TRUE")).isEqualTo("boolean");
        assertThat(type("NULL")).isEqualTo("void");
        assertThat(type("TIMESTAMP '2024-01-01 10:00:00'")).isEqualTo("timestamp");
        assertThat(type("DATE '2024-01-01'")).isEqualTo("date");
        assertThat(eval("'it\\'s'")).isEqualTo("it's");
        assertThat(eval("\"tab\\there\"")).isEqualTo("tab\there");
        assertThat(eval("ts + INTERVAL 10 SECONDS")).isEqualTo(Instant.parse("2024-01-01T00:12:40Z"));
        assertThat(eval("1E3")).isEqualTo(1000.0);
    }

    @Test
    void shouldApplySparkCoercion() {
        assertThat(type("qty + n")).isEqualTo("bigint");
        assertThat(type("qty / 2")).isEqualTo("double");
        assertThat(eval("qty / 4")).isEqualTo(37.5);
        assertThat(type("qty * price")).isEqualTo("double");
        assertThat(type("d + 1")).isEqualTo("decimal(13,2)");
        assertThat(eval("d * 2")).isEqualTo(new BigDecimal("25.00"));
        assertThat(type("'1' + 1")).isEqualTo("double");
        assertThat(eval("'150' = qty")).isEqualTo(true); // string cast to int
        assertThat(eval("qty / 0")).isNull();
        assertThat(eval("qty % 0")).isNull();
        assertThat(eval("2147483647 + 1")).isEqualTo(Integer.MIN_VALUE); // non-ANSI wraps
    }

    @Test
    void shouldCastAsSparkNonAnsiMode() {
        assertThat(eval("CAST(s AS INT)")).isEqualTo(42);
        assertThat(eval("CAST('abc' AS INT)")).isNull();
        assertThat(eval("CAST('1.9' AS INT)")).isEqualTo(1);
        assertThat(eval("CAST('9999999999' AS INT)")).isNull();
        assertThat(eval("CAST('yes' AS BOOLEAN)")).isEqualTo(true);
        assertThat(eval("CAST('maybe' AS BOOLEAN)")).isNull();
        assertThat(eval("CAST('2024-01-01 10:00:00' AS TIMESTAMP)")).isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(eval("CAST('not a time' AS TIMESTAMP)")).isNull();
        assertThat(eval("CAST(ts AS STRING)")).isEqualTo("2024-01-01 00:12:30");
        assertThat(eval("CAST(2.7 AS INT)")).isEqualTo(2);
        assertThat(eval("CAST(qty AS STRING)")).isEqualTo("150");
        assertThat(eval("CAST('12.345' AS DECIMAL(5,2))")).isEqualTo(new BigDecimal("12.35"));
        assertThat(eval("CAST(3000000000L AS INT)")).isEqualTo((int) 3000000000L);
        assertThat(eval(col("s").cast("double"))).isEqualTo(42.0);
    }

    @Test
    void shouldPropagateNullsAndUseThreeValuedLogic() {
        assertThat(eval("flag AND false")).isEqualTo(false);
        assertThat(eval("flag AND true")).isNull();
        assertThat(eval("flag OR true")).isEqualTo(true);
        assertThat(eval("flag OR false")).isNull();
        assertThat(eval("NOT flag")).isNull();
        assertThat(eval("flag IS NULL")).isEqualTo(true);
        assertThat(eval("NULL + 1")).isNull();
        assertThat(eval("NULL <=> NULL")).isEqualTo(true);
        assertThat(eval("qty IN (1, NULL)")).isNull();
        assertThat(eval("qty IN (1, 150)")).isEqualTo(true);
        assertThat(eval("qty NOT IN (1, 2)")).isEqualTo(true);
        assertThat(eval("qty BETWEEN 100 AND 200")).isEqualTo(true);
        assertThat(eval("qty NOT BETWEEN 100 AND 200")).isEqualTo(false);
        assertThat(eval("coalesce(flag, qty > 1)")).isEqualTo(true);
    }

    @Test
    void shouldEvaluateConstructs() {
        assertThat(eval("CASE WHEN qty > 200 THEN 'big' WHEN qty > 100 THEN 'mid' ELSE 'small' END")).isEqualTo("mid");
        assertThat(eval("CASE qty WHEN 150 THEN 1 END")).isEqualTo(1);
        assertThat(eval("CASE WHEN qty > 200 THEN 1 END")).isNull();
        assertThat(eval("sym LIKE 'AA%'")).isEqualTo(true);
        assertThat(eval("sym NOT LIKE 'A_'")).isEqualTo(true);
        assertThat(eval("sym RLIKE '^A+P'")).isEqualTo(true);
        assertThat(eval("st.b")).isEqualTo("bee");
        assertThat(eval("tags[1]")).isEqualTo("y");
        assertThat(eval("tags[5]")).isNull();
        assertThat(eval("m['k']")).isEqualTo(7);
        assertThat(eval("`qty` + 0")).isEqualTo(150);
        assertThat(eval(when(col("qty").gt(100), "big").otherwise("small"))).isEqualTo("big");
        assertThat(eval(col("st").getField("a"))).isEqualTo(1);
        assertThat(eval(col("tags").getItem(0))).isEqualTo("x");
        assertThat(eval(col("sym").isin("MSFT", "AAPL"))).isEqualTo(true);
        assertThat(eval(col("sym").startsWith("AA").and(col("sym").contains("PL")))).isEqualTo(true);
    }

    @Test
    void shouldEvaluateFunctions() {
        assertThat(eval("upper(lower(sym))")).isEqualTo("AAPL");
        assertThat(eval("concat(sym, '-', qty)")).isEqualTo("AAPL-150");
        assertThat(eval("concat(sym, NULL)")).isNull();
        assertThat(eval("concat_ws(',', sym, NULL, 'z')")).isEqualTo("AAPL,z");
        assertThat(eval("substring('Spark SQL', 5, 1)")).isEqualTo("k");
        assertThat(eval("substring('Spark SQL', -3)")).isEqualTo("SQL");
        assertThat(eval("trim(s)")).isEqualTo("42");
        assertThat(eval("length('héllo')")).isEqualTo(5);
        assertThat(eval("regexp_extract('100-200', '(\\\\d+)-(\\\\d+)', 2)")).isEqualTo("200");
        assertThat(eval("regexp_extract('foo', '(\\\\d+)', 1)")).isEqualTo("");
        assertThat(eval("regexp_replace('a1b22', '\\\\d+', '#')")).isEqualTo("a#b#");
        assertThat(eval("split('a,b,,c,', ',')")).isEqualTo(List.of("a", "b", "", "c", ""));
        assertThat(eval("abs(-3)")).isEqualTo(3);
        assertThat(eval("round(2.5D)")).isEqualTo(3.0);
        assertThat(eval("round(d, 1)")).isEqualTo(new BigDecimal("12.5"));
        assertThat(eval("to_timestamp('2024-02-03 04:05:06')")).isEqualTo(Instant.parse("2024-02-03T04:05:06Z"));
        assertThat(eval("date_format(ts, 'yyyy/MM/dd HH:mm')")).isEqualTo("2024/01/01 00:12");
        assertThat(eval(to_json(col("st")))).isEqualTo("{\"a\":1,\"b\":\"bee\"}");
    }

    @Test
    void shouldReadJsonWithSchemaAndNullMalformedFields() {
        Row parsed = (Row) eval(from_json(lit("{\"id\": 7, \"name\": \"x\", \"extra\": true}"), "id INT, name STRING"));
        assertThat(parsed.getInt(0)).isEqualTo(7);
        assertThat(parsed.getString(1)).isEqualTo("x");
        Row malformed = (Row) eval(from_json(lit("{\"id\": "), "id INT, name STRING"));
        assertThat(malformed.isNullAt(0)).isTrue();
        assertThat(malformed.isNullAt(1)).isTrue();
        Row wrongType = (Row) eval(from_json(lit("{\"id\": \"seven\"}"), "id INT"));
        assertThat(wrongType.isNullAt(0)).isTrue();
        assertThat(eval(from_json(lit(null).cast("string"), "id INT"))).isNull();
        Row csv = (Row) eval(expr("from_csv('1,\"a,b\"', 'x INT, y STRING')"));
        assertThat(csv.getInt(0)).isEqualTo(1);
        assertThat(csv.getString(1)).isEqualTo("a,b");
    }

    @Test
    void shouldProduceSparkWindowStructs() {
        Row tumbling = (Row) eval(window(col("ts"), "10 minutes"));
        assertThat(tumbling.getTimestamp(0)).isEqualTo(Instant.parse("2024-01-01T00:10:00Z"));
        assertThat(tumbling.getTimestamp(1)).isEqualTo(Instant.parse("2024-01-01T00:20:00Z"));
        Row offset = (Row) eval(window(col("ts"), "10 minutes", "10 minutes", "5 minutes"));
        assertThat(offset.getTimestamp(0)).isEqualTo(Instant.parse("2024-01-01T00:05:00Z"));
        TimeFunctions.TimeWindow sliding = (TimeFunctions.TimeWindow) Analyzer.resolve(
            Columns.expression(window(col("ts"), "10 minutes", "5 minutes")), SCHEMA);
        long ts = PackedRow.toMicros(Instant.parse("2024-01-01T00:12:30Z"));
        assertThat(sliding.windowCount()).isEqualTo(2);
        assertThat(PackedRow.toInstant(sliding.windowStart(ts, 0)))
            .isEqualTo(Instant.parse("2024-01-01T00:05:00Z"));
        assertThat(PackedRow.toInstant(sliding.windowStart(ts, 1)))
            .isEqualTo(Instant.parse("2024-01-01T00:10:00Z"));
        assertThat(name(window(col("ts"), "10 minutes"))).isEqualTo("window");
        assertThat(Analyzer.projection(SCHEMA, List.of(Columns.expression(window(col("ts"), "1 minute"))))
            .outputSchema().apply(0).dataType().simpleString()).isEqualTo("struct<start:timestamp,end:timestamp>");
        Row session = (Row) eval(session_window(col("ts"), "5 minutes"));
        assertThat(session.getTimestamp(1)).isEqualTo(Instant.parse("2024-01-01T00:17:30Z"));
    }

    @Test
    void shouldNameUnnamedColumnsAsSpark() {
        assertThat(name(col("qty").multiply(col("price")))).isEqualTo("(qty * price)");
        assertThat(name(upper(col("sym")))).isEqualTo("upper(sym)");
        assertThat(name(col("s").cast("int"))).isEqualTo("s"); // Spark keeps a cast column's name
        assertThat(name(expr("CAST(st.b AS STRING)"))).isEqualTo("b");
        assertThat(name(col("qty").plus(1).cast("string"))).isEqualTo("CAST((qty + 1) AS STRING)");
        assertThat(name(col("qty").plus(col("n")))).isEqualTo("(qty + n)"); // implicit cast not printed
        assertThat(name(col("QTY"))).isEqualTo("qty");
        assertThat(name(col("st.b"))).isEqualTo("b");
        assertThat(name(expr("price * qty AS notional"))).isEqualTo("notional");
        assertThat(name(col("qty").isNull())).isEqualTo("(qty IS NULL)");
        assertThat(name(not(col("flag")))).isEqualTo("(NOT flag)");
        assertThat(name(col("qty").notEqual(1))).isEqualTo("(NOT (qty = 1))");
        assertThat(name(lit("abc"))).isEqualTo("abc");
        assertThat(name(count("*"))).isEqualTo("count(1)");
        assertThat(name(explode(col("tags")))).isEqualTo("col");
        assertThat(name(when(col("qty").gt(1), 1).otherwise(0))).isEqualTo("CASE WHEN (qty > 1) THEN 1 ELSE 0 END");
        assertThat(col("qty").plus(1).as("q").toString()).isEqualTo("(qty + 1) AS q");
        assertThat(col("qty").desc().toString()).isEqualTo("qty DESC NULLS LAST");
    }

    @Test
    void shouldFailUnknownColumnWithSparkShape() {
        assertThatThrownBy(() -> eval("qtx + 1"))
            .isInstanceOf(AnalysisException.class)
            .hasMessageStartingWith("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
                + "`qtx` cannot be resolved. Did you mean one of the following? [`qty`");
    }

    @Test
    void shouldReportParseErrorsWithTokenAndPosition() {
        assertThatThrownBy(() -> SqlParsers.parseExpression("qty > > 1"))
            .isInstanceOf(ParseException.class).hasMessageContaining("'>'").hasMessageContaining("pos 6")
            .satisfies(e -> assertThat(((ParseException) e).position()).isEqualTo(6));
        assertThatThrownBy(() -> SqlParsers.parseExpression("uper(sym)"))
            .isInstanceOf(ParseException.class).hasMessageContaining("Undefined function 'uper'")
            .hasMessageContaining("did you mean upper");
        assertThatThrownBy(() -> SqlParsers.parseExpression("CAST(x AS MONEY)"))
            .isInstanceOf(ParseException.class).hasMessageContaining("Unsupported data type 'MONEY'");
    }

    @Test
    void shouldRejectWrongArityAndTypes() {
        assertThatThrownBy(() -> eval("substring(sym)")).isInstanceOf(AnalysisException.class)
            .hasMessageContaining("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `substring` requires [2, 3] parameters but the "
                + "actual number is 1.");
        assertThatThrownBy(() -> eval("tags + 1")).isInstanceOf(AnalysisException.class)
            .hasMessageContaining("DATATYPE_MISMATCH");
        assertThatThrownBy(() -> eval("qty AND true")).isInstanceOf(AnalysisException.class)
            .hasMessageContaining("BOOLEAN");
        assertThatThrownBy(() -> eval("regexp_extract(sym, '(a)', 2)")).isInstanceOf(AnalysisException.class)
            .hasMessageContaining("group index between 0 and 1");
        assertThatThrownBy(() -> eval("CAST(tags AS INT)")).isInstanceOf(AnalysisException.class)
            .hasMessageContaining("cannot cast");
    }

    @Test
    void shouldProjectIntoReusedRowWithPrimitivesAndNulls() {
        Projection p = Analyzer.projection(SCHEMA, List.of(SqlParsers.parseSelectItem("sym"),
            SqlParsers.parseSelectItem("price * qty AS notional"), SqlParsers.parseSelectItem("n + 1 l"),
            SqlParsers.parseSelectItem("flag"), SqlParsers.parseSelectItem("ts"), SqlParsers.parseSelectItem("st.*")));
        assertThat(p.outputSchema().toDDL()).isEqualTo(
            "sym STRING,notional DOUBLE,l BIGINT,flag BOOLEAN,ts TIMESTAMP,a INT,b STRING");
        MutableRow out = MutableRow.create(p.outputSchema());
        p.newEvaluator().apply(ROW, out);
        assertThat(out.toString()).isEqualTo("[AAPL,375.0,11,null,2024-01-01T00:12:30Z,1,bee]");
        Projection star = Analyzer.projection(SCHEMA, List.of(SqlParsers.parseSelectItem("*")));
        assertThat(star.outputSchema()).isEqualTo(SCHEMA);
    }

    @Test
    void shouldFilterWithPredicate() {
        Predicate.Evaluator p = Analyzer.predicate(SCHEMA, SqlParsers.parseExpression("qty > 100 AND sym = 'AAPL'"))
            .newEvaluator();
        assertThat(p.test(ROW)).isTrue();
        assertThat(Analyzer.predicate(SCHEMA, SqlParsers.parseExpression("flag")).newEvaluator().test(ROW)).isFalse();
        assertThatThrownBy(() -> Analyzer.predicate(SCHEMA, SqlParsers.parseExpression("qty + 1")))
            .hasMessageContaining("FILTER_NOT_BOOLEAN");
    }

    @Test
    void shouldAggregateWithSparkNullRules() {
        StructType s = StructType.fromDDL("k STRING, v INT, x DOUBLE");
        List<Row> rows = List.of(Row.of(s, "a", 1, 1.5), Row.of(s, "b", null, 2.5), Row.of(s, "a", 3, null));
        assertThat(agg("count(v)", s, rows)).isEqualTo(2L);
        assertThat(agg("count(*)", s, rows)).isEqualTo(3L);
        assertThat(agg("sum(v)", s, rows)).isEqualTo(4L);
        assertThat(agg("avg(v)", s, rows)).isEqualTo(2.0);
        assertThat(agg("min(x)", s, rows)).isEqualTo(1.5);
        assertThat(agg("max(k)", s, rows)).isEqualTo("b");
        assertThat(agg("first(v)", s, rows)).isEqualTo(1);
        assertThat(agg("last(x)", s, rows)).isNull();
        assertThat(agg("collect_list(k)", s, rows)).isEqualTo(List.of("a", "b", "a"));
        assertThat(agg("collect_set(k)", s, rows)).isEqualTo(List.of("a", "b"));
        assertThat(agg("approx_count_distinct(k)", s, rows)).isEqualTo(2L);
        assertThat(agg("sum(v)", s, List.of())).isNull();
        Aggregate distinct = (Aggregate) Analyzer.resolve(SqlParsers.parseExpression("count(DISTINCT k)"), s);
        assertThat(distinct.streamable()).isFalse();
        assertThat(distinct.sql()).isEqualTo("count(DISTINCT k)");
    }

    private static Object agg(String text, StructType s, List<Row> rows) {
        Aggregate a = (Aggregate) Analyzer.resolve(SqlParsers.parseExpression(text), s);
        AggregateFunction.Accumulator left = a.newAccumulator();
        AggregateFunction.Accumulator right = a.newAccumulator();
        EvalContext ctx = new EvalContext();
        for (int i = 0; i < rows.size(); i++) {
            (i == 0 ? left : right).update(rows.get(i), ctx);
        }
        left.merge(right);
        MutableRow out = MutableRow.create(new StructType().add("r", a.dataType()));
        left.writeResult(out, 0);
        assertThat(out.get(0)).isEqualTo(left.result());
        return left.result();
    }

    @Test
    void shouldKeepDdlColumnsNamedLikeKeywords() {
        assertThat(StructType.fromDDL("end TIMESTAMP, `case` INT").fieldNames()).containsExactly("end", "case");
        assertThat(Analyzer.resolve(SqlParsers.parseExpression("window.end"),
            new StructType().add("window", TimeFunctions.WINDOW_TYPE)).dataType()).isEqualTo(DataTypes.TimestampType);
        assertThat(new DecimalType(3, 2).simpleString()).isEqualTo("decimal(3,2)");
    }
}
