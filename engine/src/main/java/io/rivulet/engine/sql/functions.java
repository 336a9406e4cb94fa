package io.rivulet.engine.sql;

import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.sql.expressions.Unresolved;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Spark's {@code org.apache.spark.sql.functions} for Java: {@code import static io.rivulet.engine.sql.functions.*}
 * and a Spark program's column expressions read the same. Every function builds an unresolved {@link Column};
 * names and types are checked when the query is built. Stateless and thread-safe.
 * <p>
 * String arguments named {@code columnName} are column names; other {@code Object} arguments take a
 * {@link Column} or a literal value.
 */
@SuppressWarnings("checkstyle:TypeName")
public final class functions {
    private functions() {
    }

    private static Column call(String name, Object... args) {
        List<Expression> exprs = new ArrayList<>();
        for (Object a : args) {
            exprs.add(Column.toExpression(a));
        }
        return new Column(new Unresolved.Call(name, exprs, null));
    }

    private static Column callWith(String name, Object param, Object... args) {
        List<Expression> exprs = new ArrayList<>();
        for (Object a : args) {
            exprs.add(Column.toExpression(a));
        }
        return new Column(new Unresolved.Call(name, exprs, param));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Columns and literals

    /** @param columnName a name ({@code "a.b"} nested; back-quotes for dots in names; {@code "*"}). @return the column. */
    public static Column col(String columnName) {
        return new Column(columnName);
    }

    /** @param columnName a name. @return the column (Spark's alias of {@link #col}). */
    public static Column column(String columnName) {
        return new Column(columnName);
    }

    /**
     * @param value Integer, Long, Double, Float, Short, Byte, Boolean, String, BigDecimal, Instant, Timestamp,
     *              LocalDate, Date, byte[], null, or a Column (returned as is).
     * @return the literal column.
     * @throws IllegalArgumentException for another class.
     */
    public static Column lit(Object value) {
        return value instanceof Column c ? c : new Column(Literal.fromJava(value));
    }

    /**
     * @param expression an expression in Spark SQL syntax, optionally aliased: {@code "qty * price AS notional"}.
     * @return the column.
     * @throws ParseException on a syntax error or an unknown function, naming the token and its position.
     */
    public static Column expr(String expression) {
        return new Column(SqlParsers.parseExpression(expression));
    }

    /**
     * Starts a {@code CASE}; continue with {@link Column#when} and {@link Column#otherwise}.
     *
     * @param condition a boolean column.
     * @param value     the value when it holds.
     * @return {@code CASE WHEN condition THEN value END}.
     */
    public static Column when(Column condition, Object value) {
        return new Column(new Unresolved.Call("case", List.of(condition.expression(), Column.toExpression(value)), null));
    }

    /** @param e a boolean column. @return {@code (NOT e)}. */
    public static Column not(Column e) {
        return call("NOT", e);
    }

    /** @param columns columns or values. @return the first non-NULL. */
    public static Column coalesce(Column... columns) {
        return call("coalesce", (Object[]) columns);
    }

    /** @param e a column. @return {@code (e IS NULL)} as Spark's {@code isnull}. */
    public static Column isnull(Column e) {
        return call("isnull", e);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Math

    /** @param e a numeric column. @return its absolute value. */
    public static Column abs(Column e) {
        return call("abs", e);
    }

    /** @param e a numeric column. @return it rounded half-up to an integer. */
    public static Column round(Column e) {
        return call("round", e, 0);
    }

    /** @param e a numeric column. @param scale digits after the point. @return it rounded half-up. */
    public static Column round(Column e, int scale) {
        return call("round", e, scale);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Strings

    /** @param e a string column. @return it in lower case. */
    public static Column lower(Column e) {
        return call("lower", e);
    }

    /** @param e a string column. @return it in upper case. */
    public static Column upper(Column e) {
        return call("upper", e);
    }

    /** @param e a string column. @return it without leading and trailing spaces. */
    public static Column trim(Column e) {
        return call("trim", e);
    }

    /** @param e a string column. @return it without leading spaces. */
    public static Column ltrim(Column e) {
        return call("ltrim", e);
    }

    /** @param e a string column. @return it without trailing spaces. */
    public static Column rtrim(Column e) {
        return call("rtrim", e);
    }

    /** @param e a string column. @return its length in characters. */
    public static Column length(Column e) {
        return call("length", e);
    }

    /** @param exprs string columns. @return their concatenation; NULL if any is NULL. */
    public static Column concat(Column... exprs) {
        return call("concat", (Object[]) exprs);
    }

    /** @param sep separator. @param exprs string or array columns. @return joined, NULLs skipped. */
    public static Column concat_ws(String sep, Column... exprs) {
        Object[] args = new Object[exprs.length + 1];
        args[0] = sep;
        System.arraycopy(exprs, 0, args, 1, exprs.length);
        return call("concat_ws", args);
    }

    /**
     * @param str a string column.
     * @param pos 1-based start; negative counts from the end.
     * @param len length in characters.
     * @return the substring.
     */
    public static Column substring(Column str, int pos, int len) {
        return call("substring", str, pos, len);
    }

    /** @param str a string column. @param pattern a Java regex. @return the array of parts. */
    public static Column split(Column str, String pattern) {
        return call("split", str, pattern);
    }

    /** @param str a string column. @param pattern a regex. @param limit at most this many parts if &gt; 0. @return parts. */
    public static Column split(Column str, String pattern, int limit) {
        return call("split", str, pattern, limit);
    }

    /**
     * @param e       a string column.
     * @param exp     a Java regex.
     * @param groupIdx the group (0 = whole match).
     * @return the group of the first match; {@code ""} when none matches.
     */
    public static Column regexp_extract(Column e, String exp, int groupIdx) {
        return call("regexp_extract", e, exp, groupIdx);
    }

    /** @param e a string column. @param pattern a regex. @param replacement with {@code $1} groups. @return replaced. */
    public static Column regexp_replace(Column e, String pattern, String replacement) {
        return call("regexp_replace", e, pattern, replacement);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Collections, JSON, CSV

    /** @param e an array column. @return a generator: one row per element, column {@code col}. */
    public static Column explode(Column e) {
        return call("explode", e);
    }

    /**
     * @param e      a JSON string column.
     * @param schema the struct to read.
     * @return the struct; a malformed record gives a struct of NULLs (Spark 3's PERMISSIVE default).
     */
    public static Column from_json(Column e, StructType schema) {
        return callWith("from_json", schema, e, schema.simpleString());
    }

    /**
     * @param e      a JSON string column.
     * @param schema the struct in DDL ({@code "a INT, b STRING"}).
     * @return the struct.
     * @throws ParseException if the schema does not parse.
     */
    public static Column from_json(Column e, String schema) {
        return from_json(e, StructType.fromDDL(schema));
    }

    /** @param e a struct, array or map column. @return it as JSON text. */
    public static Column to_json(Column e) {
        return call("to_json", e);
    }

    /**
     * @param e      a CSV record column.
     * @param schema the struct to read.
     * @param options not supported yet: must be empty (Spark's defaults apply).
     * @return the struct.
     */
    public static Column from_csv(Column e, StructType schema, Map<String, String> options) {
        if (options != null && !options.isEmpty()) {
            throw new UnsupportedOperationException("from_csv options are not supported: " + options.keySet());
        }
        return callWith("from_csv", schema, e, schema.simpleString());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Time

    /** @return the query's statement time, fixed per epoch. */
    public static Column current_timestamp() {
        return call("current_timestamp");
    }

    /** @param s a string column. @return it parsed as a timestamp (NULL if it does not parse). */
    public static Column to_timestamp(Column s) {
        return call("to_timestamp", s);
    }

    /** @param s a string column. @param fmt a datetime pattern. @return it parsed (UTC). */
    public static Column to_timestamp(Column s, String fmt) {
        return call("to_timestamp", s, fmt);
    }

    /** @param ts a timestamp column. @param fmt a datetime pattern. @return it formatted (UTC). */
    public static Column date_format(Column ts, String fmt) {
        return call("date_format", ts, fmt);
    }

    /**
     * @param timeColumn     a timestamp column.
     * @param windowDuration {@code "10 minutes"}.
     * @return the tumbling window struct {@code {start, end}}, column {@code window}.
     */
    public static Column window(Column timeColumn, String windowDuration) {
        return call("window", timeColumn, windowDuration);
    }

    /**
     * @param timeColumn     a timestamp column.
     * @param windowDuration the length.
     * @param slideDuration  the slide (&lt;= length).
     * @return the sliding window struct; one row per window containing the time.
     */
    public static Column window(Column timeColumn, String windowDuration, String slideDuration) {
        return call("window", timeColumn, windowDuration, slideDuration);
    }

    /**
     * @param timeColumn     a timestamp column.
     * @param windowDuration the length.
     * @param slideDuration  the slide.
     * @param startTime      the offset of window starts from the epoch.
     * @return the window struct.
     */
    public static Column window(Column timeColumn, String windowDuration, String slideDuration, String startTime) {
        return call("window", timeColumn, windowDuration, slideDuration, startTime);
    }

    /** @param timeColumn a timestamp column. @param gapDuration {@code "5 minutes"}. @return the session window. */
    public static Column session_window(Column timeColumn, String gapDuration) {
        return call("session_window", timeColumn, gapDuration);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Aggregates

    /** @param e a column; {@code col("*")} or {@code lit(1)} counts rows. @return {@code count(e)}: non-NULL values. */
    public static Column count(Column e) {
        return call("count", e);
    }

    /** @param columnName a name, or {@code "*"}. @return {@code count(columnName)}; {@code count("*")} is {@code count(1)}. */
    public static Column count(String columnName) {
        return columnName.equals("*") ? call("count", 1) : count(col(columnName));
    }

    /** @param e a numeric column. @return {@code sum(e)}. */
    public static Column sum(Column e) {
        return call("sum", e);
    }

    /** @param e a numeric column. @return {@code avg(e)}. */
    public static Column avg(Column e) {
        return call("avg", e);
    }

    /** @param e a numeric column. @return {@code avg(e)} (Spark's alias). */
    public static Column mean(Column e) {
        return call("avg", e);
    }

    /** @param e an orderable column. @return {@code min(e)}. */
    public static Column min(Column e) {
        return call("min", e);
    }

    /** @param e an orderable column. @return {@code max(e)}. */
    public static Column max(Column e) {
        return call("max", e);
    }

    /** @param columnName a numeric column's name. @return {@code sum(columnName)} (Spark's {@code sum(String)}). */
    public static Column sum(String columnName) {
        return sum(col(columnName));
    }

    /** @param columnName a numeric column's name. @return {@code avg(columnName)}. */
    public static Column avg(String columnName) {
        return avg(col(columnName));
    }

    /** @param columnName an orderable column's name. @return {@code min(columnName)}. */
    public static Column min(String columnName) {
        return min(col(columnName));
    }

    /** @param columnName an orderable column's name. @return {@code max(columnName)}. */
    public static Column max(String columnName) {
        return max(col(columnName));
    }

    /**
     * @param columnName a column's name.
     * @return the ascending sort key of {@code orderBy} ({@code col(columnName).asc()}: NULLs first)
     */
    public static Column asc(String columnName) {
        return col(columnName).asc();
    }

    /**
     * @param columnName a column's name.
     * @return the descending sort key of {@code orderBy} ({@code col(columnName).desc()}: NULLs last)
     */
    public static Column desc(String columnName) {
        return col(columnName).desc();
    }

    /** @param e a column. @return {@code first(e)}: the first value seen (NULL included). */
    public static Column first(Column e) {
        return call("first", e);
    }

    /** @param e a column. @return {@code last(e)}. */
    public static Column last(Column e) {
        return call("last", e);
    }

    /** @param e a column. @return the non-NULL values in arrival order. */
    public static Column collect_list(Column e) {
        return call("collect_list", e);
    }

    /** @param e a column. @return the distinct non-NULL values. */
    public static Column collect_set(Column e) {
        return call("collect_set", e);
    }

    /** @param e a column. @return an HLL estimate of distinct non-NULL values (rsd 0.05, as Spark's default). */
    public static Column approx_count_distinct(Column e) {
        return call("approx_count_distinct", e, 0.05);
    }

    /** @param e a column. @param rsd maximum relative standard deviation. @return the estimate. */
    public static Column approx_count_distinct(Column e, double rsd) {
        return call("approx_count_distinct", e, rsd);
    }

    /**
     * @param e a column.
     * @return {@code count(DISTINCT e)}: exact; batch only — on a stream the query fails as Spark's does
     *         ("Distinct aggregations are not supported on streaming DataFrames/Datasets").
     */
    public static Column countDistinct(Column e) {
        return call("count_distinct", e);
    }
}
