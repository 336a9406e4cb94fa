package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Column;

import java.util.function.Function;

/**
 * The bridge between the public {@link Column} and its internal expression tree, for the planner
 * ({@code Dataset}) in other packages: {@code Columns.expression(col)} and {@code Columns.column(expr)}. Set once
 * by {@code Column}'s class initialiser; thread-safe after that.
 */
public final class Columns {
    private static volatile Function<Column, Expression> toExpression;
    private static volatile Function<Expression, Column> toColumn;

    private Columns() {
    }

    /**
     * Called by {@code Column} only.
     *
     * @param toExpr the accessor of a column's tree.
     * @param toCol  the constructor of a column from a tree.
     */
    public static void install(Function<Column, Expression> toExpr, Function<Expression, Column> toCol) {
        toExpression = toExpr;
        toColumn = toCol;
    }

    /**
     * @param column a column.
     * @return its unresolved expression tree.
     */
    public static Expression expression(Column column) {
        ensureLoaded();
        return toExpression.apply(column);
    }

    /**
     * @param expression an expression tree.
     * @return a column of it.
     */
    public static Column column(Expression expression) {
        ensureLoaded();
        return toColumn.apply(expression);
    }

    private static void ensureLoaded() {
        if (toExpression == null) {
            try {
                Class.forName(Column.class.getName(), true, Column.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
