package io.rivulet.engine.sql;

import io.rivulet.engine.sql.expressions.Columns;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.sql.expressions.Unresolved;
import io.rivulet.engine.types.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A column expression of the structured API, Spark's {@code Column} for Java: built from {@link functions}
 * ({@code col("qty")}, {@code lit(100)}, {@code expr("qty * price")}) and these methods, resolved against a schema
 * when the query is built (an unknown column then fails with Spark's {@code UNRESOLVED_COLUMN} error, listing the
 * nearest columns). {@link #toString()} prints the expression as Spark does: {@code (qty * price)},
 * {@code CAST(x AS INT)}, {@code (a IS NULL)}; an unnamed column in a result is named by that text.
 * <p>
 * Immutable and thread-safe. Arguments of type {@code Object} take a {@code Column} or a literal value
 * ({@link functions#lit(Object)}).
 */
public final class Column {
    static {
        Columns.install(Column::expression, Column::new);
    }

    private final Expression expression;

    Column(Expression expression) {
        this.expression = Objects.requireNonNull(expression, "expression");
    }

    /**
     * A column by name, as {@link functions#col(String)}.
     *
     * @param name the name; dots separate nested fields unless back-quoted; {@code "*"} is every column.
     */
    public Column(String name) {
        this(name.equals("*") ? new Unresolved.Star(List.of())
            : name.endsWith(".*") ? new Unresolved.Star(Unresolved.Attribute.parse(name.substring(0, name.length() - 2))
            .parts()) : Unresolved.Attribute.parse(name));
    }

    /**
     * Internal: the expression tree (an {@code io.rivulet.engine.sql.expressions} node).
     *
     * @return the tree.
     */
    Expression expression() {
        return expression;
    }

    static Expression toExpression(Object value) {
        return value instanceof Column c ? c.expression : Literal.fromJava(value);
    }

    private Column call(String op, Object... others) {
        List<Expression> args = new ArrayList<>();
        args.add(expression);
        for (Object o : others) {
            args.add(toExpression(o));
        }
        return new Column(new Unresolved.Call(op, args, null));
    }

    /** @param other a column or value. @return {@code (this + other)}. */
    public Column plus(Object other) {
        return call("+", other);
    }

    /** @param other a column or value. @return {@code (this - other)}. */
    public Column minus(Object other) {
        return call("-", other);
    }

    /** @param other a column or value. @return {@code (this * other)}. */
    public Column multiply(Object other) {
        return call("*", other);
    }

    /** @param other a column or value. @return {@code (this / other)}: double (decimal for decimals); x/0 is NULL. */
    public Column divide(Object other) {
        return call("/", other);
    }

    /** @param other a column or value. @return {@code (this % other)}; x%0 is NULL. */
    public Column mod(Object other) {
        return call("%", other);
    }

    /** @return {@code (- this)}. */
    public Column unary_minus() {
        return new Column(new Unresolved.Call("negative", expression));
    }

    /** @param other a column or value. @return {@code (this = other)}. */
    public Column equalTo(Object other) {
        return call("=", other);
    }

    /** @param other a column or value. @return {@code (this <=> other)}: true when both are NULL. */
    public Column eqNullSafe(Object other) {
        return call("<=>", other);
    }

    /** @param other a column or value. @return {@code (NOT (this = other))}. */
    public Column notEqual(Object other) {
        return new Column(new Unresolved.Call("NOT", call("=", other).expression));
    }

    /** @param other a column or value. @return {@code (this > other)}. */
    public Column gt(Object other) {
        return call(">", other);
    }

    /** @param other a column or value. @return {@code (this >= other)}. */
    public Column geq(Object other) {
        return call(">=", other);
    }

    /** @param other a column or value. @return {@code (this < other)}. */
    public Column lt(Object other) {
        return call("<", other);
    }

    /** @param other a column or value. @return {@code (this <= other)}. */
    public Column leq(Object other) {
        return call("<=", other);
    }

    /** @param other a boolean column or value. @return {@code (this AND other)}, three-valued. */
    public Column and(Object other) {
        return call("AND", other);
    }

    /** @param other a boolean column or value. @return {@code (this OR other)}, three-valued. */
    public Column or(Object other) {
        return call("OR", other);
    }

    /** @return {@code (this IS NULL)}. */
    public Column isNull() {
        return call("isnull");
    }

    /** @return {@code (this IS NOT NULL)}. */
    public Column isNotNull() {
        return call("isnotnull");
    }

    /**
     * @param lower lower bound (inclusive), a column or value.
     * @param upper upper bound (inclusive).
     * @return {@code ((this >= lower) AND (this <= upper))}, as Spark rewrites it.
     */
    public Column between(Object lower, Object upper) {
        return geq(lower).and(leq(upper));
    }

    /**
     * @param values columns or values.
     * @return {@code (this IN (v1, v2, ...))}.
     */
    public Column isin(Object... values) {
        return call("in", values);
    }

    /** @param pattern a SQL LIKE pattern ({@code %}, {@code _}). @return {@code this LIKE pattern}. */
    public Column like(String pattern) {
        return call("like", pattern);
    }

    /** @param regex a Java regular expression, found anywhere. @return {@code RLIKE(this, regex)}. */
    public Column rlike(String regex) {
        return call("rlike", regex);
    }

    /** @param prefix a column or string. @return {@code startswith(this, prefix)}. */
    public Column startsWith(Object prefix) {
        return call("startswith", prefix);
    }

    /** @param suffix a column or string. @return {@code endswith(this, suffix)}. */
    public Column endsWith(Object suffix) {
        return call("endswith", suffix);
    }

    /** @param other a column or string. @return {@code contains(this, other)}. */
    public Column contains(Object other) {
        return call("contains", other);
    }

    /**
     * @param to the type.
     * @return {@code CAST(this AS to)}, Spark's non-ANSI cast (an unparseable string is NULL).
     */
    public Column cast(DataType to) {
        return new Column(new Unresolved.Call("cast", List.of(expression), Objects.requireNonNull(to, "to")));
    }

    /**
     * @param to the type in DDL ({@code "int"}, {@code "decimal(10,2)"}, {@code "array<string>"}).
     * @return {@code CAST(this AS to)}.
     * @throws ParseException if the type does not parse.
     */
    public Column cast(String to) {
        return cast(DataType.fromDDL(to));
    }

    /** @param alias the output name. @return this column named {@code alias}. */
    public Column as(String alias) {
        return new Column(new Unresolved.Call("alias", List.of(unaliased()), Objects.requireNonNull(alias, "alias")));
    }

    /** @param alias the output name. @return this column named {@code alias}. */
    public Column alias(String alias) {
        return as(alias);
    }

    /** @param alias the output name. @return this column named {@code alias}. */
    public Column name(String alias) {
        return as(alias);
    }

    private Expression unaliased() {
        return expression instanceof Unresolved.Call c && c.name().equals("alias") ? c.args().get(0) : expression;
    }

    /**
     * Adds a branch to a {@code CASE} started by {@link functions#when(Column, Object)}.
     *
     * @param condition a boolean column.
     * @param value     the value when it holds.
     * @return the extended {@code CASE}.
     * @throws IllegalArgumentException if this is not a {@code when(..)} without {@code otherwise}.
     */
    public Column when(Column condition, Object value) {
        Unresolved.Call c = caseCall("when");
        if (c.args().size() % 2 == 1) {
            throw new IllegalArgumentException("when() cannot be applied once otherwise() is applied");
        }
        List<Expression> args = new ArrayList<>(c.args());
        args.add(condition.expression);
        args.add(toExpression(value));
        return new Column(new Unresolved.Call("case", args, null));
    }

    /**
     * @param value the value when no branch holds.
     * @return the completed {@code CASE}.
     * @throws IllegalArgumentException if this is not a {@code when(..)} or already has one.
     */
    public Column otherwise(Object value) {
        Unresolved.Call c = caseCall("otherwise");
        if (c.args().size() % 2 == 1) {
            throw new IllegalArgumentException("otherwise() can only be applied once on a Column previously generated "
                + "by when()");
        }
        List<Expression> args = new ArrayList<>(c.args());
        args.add(toExpression(value));
        return new Column(new Unresolved.Call("case", args, null));
    }

    private Unresolved.Call caseCall(String method) {
        if (expression instanceof Unresolved.Call c && c.name().equals("case")) {
            return c;
        }
        throw new IllegalArgumentException(method + "() can only be applied on a Column previously generated by "
            + "when() function");
    }

    /** @param field a field name. @return the field of this struct column ({@code this.field}). */
    public Column getField(String field) {
        return new Column(new Unresolved.Call("getfield", List.of(expression), Objects.requireNonNull(field, "field")));
    }

    /**
     * @param key an array index (0-based) or a map key.
     * @return {@code this[key]}: NULL when out of range or missing.
     */
    public Column getItem(Object key) {
        return call("getitem", key);
    }

    /** @return the ascending sort key, NULLs first (Spark's default). */
    public Column asc() {
        return sort("ASC NULLS FIRST");
    }

    /** @return the ascending sort key, NULLs last. */
    public Column asc_nulls_last() {
        return sort("ASC NULLS LAST");
    }

    /** @return the descending sort key, NULLs last (Spark's default). */
    public Column desc() {
        return sort("DESC NULLS LAST");
    }

    /** @return the descending sort key, NULLs first. */
    public Column desc_nulls_first() {
        return sort("DESC NULLS FIRST");
    }

    private Column sort(String direction) {
        return new Column(new Unresolved.Call("sort", List.of(expression), direction));
    }

    /** Spark's printed form of the expression. */
    @Override
    public String toString() {
        return expression.sql();
    }

    /** Columns are equal when their expression trees print the same. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Column c && c.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
