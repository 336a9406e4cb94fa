package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.util.List;
import java.util.Map;

/**
 * Access into nested values ({@code a.b}, {@code arr[0]}, {@code m['k']}), and the naming and marker nodes of a
 * select list ({@link Alias}, {@link SortOrder}, {@link Explode}). Immutable.
 */
public final class ComplexAccess {
    private ComplexAccess() {
    }

    /** Field {@code ordinal} of a struct value; NULL if the struct is NULL. */
    public static final class GetStructField extends Values.ObjectBacked {
        private final Expression child;
        private final int ordinal;
        private final StructField field;

        /**
         * @param child   a struct expression.
         * @param ordinal the field's position.
         */
        public GetStructField(Expression child, int ordinal) {
            this.child = child;
            this.ordinal = ordinal;
            this.field = ((StructType) child.dataType()).apply(ordinal);
        }

        /**
         * @return the field's name.
         */
        public String fieldName() {
            return field.name();
        }

        @Override
        protected Object external(Row row, EvalContext ctx) {
            Row struct = (Row) child.evalObject(row, ctx);
            return struct == null ? null : Values.field(struct, ordinal);
        }

        @Override
        public List<Expression> children() {
            return List.of(child);
        }

        @Override
        public DataType dataType() {
            return field.dataType();
        }

        @Override
        public boolean nullable() {
            return child.nullable() || field.nullable();
        }

        @Override
        public String sql() {
            return Sql.render("getfield", Sql.of(children()), field.name());
        }
    }

    /**
     * {@code arr[i]} (0-based; out of range is NULL, as Spark's non-ANSI mode) or {@code map[key]} (missing key
     * is NULL).
     */
    public static final class GetItem extends Values.ObjectBacked {
        private final Expression child;
        private final Expression key;
        private final DataType type;

        /**
         * @param child an array or map expression.
         * @param key   an int index or a key of the map's key type.
         */
        public GetItem(Expression child, Expression key) {
            this.child = child;
            this.key = key;
            DataType t = child.dataType();
            this.type = t instanceof ArrayType a ? a.elementType() : ((MapType) t).valueType();
        }

        @Override
        protected Object external(Row row, EvalContext ctx) {
            Object container = child.evalObject(row, ctx);
            if (container == null) {
                return null;
            }
            Object k = key.eval(row, ctx);
            if (k == null) {
                return null;
            }
            if (container instanceof List<?> list) {
                int i = ((Number) k).intValue();
                return i < 0 || i >= list.size() ? null : list.get(i);
            }
            return ((Map<?, ?>) container).get(k);
        }

        @Override
        public List<Expression> children() {
            return List.of(child, key);
        }

        @Override
        public DataType dataType() {
            return type;
        }

        @Override
        public boolean nullable() {
            return true;
        }

        @Override
        public String sql() {
            return Sql.render("getitem", Sql.of(children()), null);
        }
    }

    /** A name given to an expression ({@code AS notional}); evaluates as its child. */
    public static final class Alias extends Expression {
        private final Expression child;
        private final String name;

        /**
         * @param child the expression.
         * @param name  the output column's name.
         */
        public Alias(Expression child, String name) {
            this.child = child;
            this.name = name;
        }

        /**
         * @return the name.
         */
        public String name() {
            return name;
        }

        /**
         * @return the named expression.
         */
        public Expression child() {
            return child;
        }

        @Override
        public List<Expression> children() {
            return List.of(child);
        }

        @Override
        public DataType dataType() {
            return child.dataType();
        }

        @Override
        public String sql() {
            return Sql.render("alias", Sql.of(children()), name);
        }

        @Override
        public boolean evalBoolean(Row row, EvalContext ctx) {
            return child.evalBoolean(row, ctx);
        }

        @Override
        public int evalInt(Row row, EvalContext ctx) {
            return child.evalInt(row, ctx);
        }

        @Override
        public long evalLong(Row row, EvalContext ctx) {
            return child.evalLong(row, ctx);
        }

        @Override
        public double evalDouble(Row row, EvalContext ctx) {
            return child.evalDouble(row, ctx);
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            return child.evalObject(row, ctx);
        }
    }

    /** A sort key for {@code orderBy}: {@code a ASC NULLS FIRST} (Spark's default) or {@code a DESC NULLS LAST}. */
    public static final class SortOrder extends Expression {
        private final Expression child;
        private final boolean ascending;
        private final boolean nullsFirst;

        /**
         * @param child      the key.
         * @param ascending  the direction.
         * @param nullsFirst where NULLs go.
         */
        public SortOrder(Expression child, boolean ascending, boolean nullsFirst) {
            this.child = child;
            this.ascending = ascending;
            this.nullsFirst = nullsFirst;
        }

        /**
         * @return the key.
         */
        public Expression child() {
            return child;
        }

        /**
         * @return true for ascending.
         */
        public boolean ascending() {
            return ascending;
        }

        /**
         * @return true when NULLs sort first.
         */
        public boolean nullsFirst() {
            return nullsFirst;
        }

        /**
         * @param direction {@code ASC NULLS FIRST}, {@code DESC NULLS LAST}, ...
         * @return whether it is ascending / nulls first.
         */
        static boolean[] parse(String direction) {
            return new boolean[] {direction.startsWith("ASC"), direction.endsWith("FIRST")};
        }

        @Override
        public List<Expression> children() {
            return List.of(child);
        }

        @Override
        public DataType dataType() {
            return child.dataType();
        }

        @Override
        public String sql() {
            return Sql.render("sort", Sql.of(children()),
                (ascending ? "ASC" : "DESC") + (nullsFirst ? " NULLS FIRST" : " NULLS LAST"));
        }
    }

    /**
     * {@code explode(array)}: a generator, one output row per element (none for NULL or empty), planned by the
     * Dataset; evaluated here it yields the whole array ({@link #evalObject}), which the planner iterates. The
     * output column is named {@code col} as in Spark.
     */
    public static final class Explode extends Expression {
        private final Expression child;

        /**
         * @param child an array expression.
         */
        public Explode(Expression child) {
            this.child = child;
        }

        /**
         * @return the array expression.
         */
        public Expression child() {
            return child;
        }

        /**
         * @return the type of one output value (the array's element type).
         */
        public DataType elementType() {
            return ((ArrayType) child.dataType()).elementType();
        }

        @Override
        public List<Expression> children() {
            return List.of(child);
        }

        @Override
        public DataType dataType() {
            return child.dataType();
        }

        @Override
        public String sql() {
            return "explode(" + child.sql() + ")";
        }

        @Override
        public Object evalObject(Row row, EvalContext ctx) {
            return child.evalObject(row, ctx);
        }
    }
}
