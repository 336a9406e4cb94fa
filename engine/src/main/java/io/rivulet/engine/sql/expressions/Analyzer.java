package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Resolves expressions against an input schema: binds column names (case-insensitively, as Spark's default
 * {@code spark.sql.caseSensitive=false}; an exact match wins), looks functions up, applies Spark's coercion
 * ({@link Coercion}), computes result types and nullability, and names output columns as Spark does. Then builds
 * the evaluators the Dataset runs: {@link #projection} and {@link #predicate}.
 * <p>
 * Stateless and thread-safe. Every failure is an {@link AnalysisException} with Spark's error class.
 */
public final class Analyzer {
    private Analyzer() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Entry points for the Dataset

    /**
     * Resolves a select list: expands {@code *} and {@code a.*}, resolves each item, names each output column.
     *
     * @param input the input schema.
     * @param items the unresolved items (from {@code Column}s or {@code selectExpr} strings).
     * @return the projection: output schema, resolved expressions, and a factory of evaluators.
     * @throws AnalysisException on an unknown column or function, or types that do not fit.
     */
    public static Projection projection(StructType input, List<Expression> items) {
        List<Expression> resolved = new ArrayList<>();
        List<StructField> fields = new ArrayList<>();
        for (Expression item : items) {
            if (item instanceof Unresolved.Star star) {
                expandStar(input, star, resolved, fields);
                continue;
            }
            Expression r = resolve(item, input);
            resolved.add(r);
            fields.add(new StructField(outputName(item, r), r.dataType(), r.nullable()));
        }
        return new Projection(input, new StructType(fields), resolved);
    }

    /**
     * Resolves a filter condition.
     *
     * @param input     the input schema.
     * @param condition the unresolved condition.
     * @return the predicate.
     * @throws AnalysisException if it does not resolve or is not boolean.
     */
    public static Predicate predicate(StructType input, Expression condition) {
        Expression r = resolve(condition, input);
        DataType t = r.dataType();
        if (t == DataTypes.StringType) {
            r = Coercion.cast(r, DataTypes.BooleanType);
        } else if (t != DataTypes.BooleanType && t != DataTypes.NullType) {
            throw new AnalysisException("DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN", "Cannot resolve \"" + r.sql()
                + "\" due to data type mismatch: Filter expression \"" + r.sql() + "\" of type \"" + t.sql()
                + "\" is not a boolean.");
        }
        if (t == DataTypes.NullType) {
            r = Literal.of(null, DataTypes.BooleanType);
        }
        return new Predicate(r);
    }

    /**
     * The name Spark gives an output column: an alias's name; a column's own name (the last part of a nested
     * path, the schema's spelling), also under an explicit cast ({@code CAST(x AS INT)} is {@code x}, as Spark's
     * {@code ResolveAliases}); {@code col} for explode; {@code window}/{@code session_window}; otherwise the
     * printed expression ({@code (qty * price)}, {@code upper(sym)}, {@code CAST((a + b) AS INT)}).
     *
     * @param unresolved the item as written.
     * @param resolved   the item resolved.
     * @return the name.
     */
    public static String outputName(Expression unresolved, Expression resolved) {
        if (resolved instanceof ComplexAccess.Alias a) {
            return a.name();
        }
        if (resolved instanceof BoundReference b) {
            return b.name();
        }
        if (unresolved instanceof Unresolved.Attribute && resolved instanceof ComplexAccess.GetStructField g) {
            return g.fieldName();
        }
        if (resolved instanceof Cast c && c.explicit()) {
            // Spark's ResolveAliases: a cast of a named expression keeps its name (CAST(value AS STRING) is `value`).
            if (c.child() instanceof BoundReference b) {
                return b.name();
            }
            if (c.child() instanceof ComplexAccess.GetStructField g && unresolved instanceof Unresolved.Call call
                && call.args().get(0) instanceof Unresolved.Attribute) {
                return g.fieldName();
            }
        }
        if (resolved instanceof ComplexAccess.Explode) {
            return "col";
        }
        if (resolved instanceof TimeFunctions.TimeWindow) {
            return "window";
        }
        if (resolved instanceof TimeFunctions.SessionWindow) {
            return "session_window";
        }
        return resolved.sql();
    }

    private static void expandStar(StructType input, Unresolved.Star star, List<Expression> out,
                                   List<StructField> fields) {
        if (star.target().isEmpty()) {
            for (int i = 0; i < input.size(); i++) {
                StructField f = input.apply(i);
                out.add(new BoundReference(i, f.name(), f.dataType(), f.nullable()));
                fields.add(f);
            }
            return;
        }
        Expression struct = resolve(new Unresolved.Attribute(star.target()), input);
        if (!(struct.dataType() instanceof StructType st)) {
            throw new AnalysisException("CANNOT_RESOLVE_STAR_EXPAND", "Cannot resolve " + star.sql()
                + " given input columns " + quotedList(List.of(input.fieldNames())) + ".");
        }
        for (int i = 0; i < st.size(); i++) {
            Expression field = new ComplexAccess.GetStructField(struct, i);
            out.add(field);
            fields.add(new StructField(st.apply(i).name(), field.dataType(), field.nullable()));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Resolution

    /**
     * Resolves one expression.
     *
     * @param e      unresolved (or partly resolved) expression.
     * @param schema the input schema.
     * @return the resolved expression.
     * @throws AnalysisException on an unknown column or function, or types that do not fit.
     */
    public static Expression resolve(Expression e, StructType schema) {
        if (e instanceof Unresolved.Attribute a) {
            return attribute(a.parts(), schema);
        }
        if (e instanceof Unresolved.Star s) {
            throw new AnalysisException("INVALID_USAGE_OF_STAR_OR_REGEX", "Invalid usage of '" + s.sql()
                + "' in expression; '*' is allowed only as a whole select item or in count(*).");
        }
        if (!(e instanceof Unresolved.Call call)) {
            return e; // literals and already resolved nodes
        }
        if (call.name().equals("count") && call.args().size() == 1 && call.args().get(0) instanceof Unresolved.Star) {
            return FunctionRegistry.build("count", List.of(Literal.of(1, DataTypes.IntegerType)), null);
        }
        List<Expression> args = new ArrayList<>();
        for (Expression arg : call.args()) {
            args.add(resolve(arg, schema));
        }
        return operator(call.name(), args, call.param());
    }

    private static Expression attribute(List<String> parts, StructType schema) {
        int index = indexOf(schema, parts.get(0));
        if (index < 0) {
            String name = String.join(".", parts.stream().map(Analyzer::quote).toList());
            List<String> suggestions = suggest(parts.get(0), List.of(schema.fieldNames()));
            throw new AnalysisException("UNRESOLVED_COLUMN.WITH_SUGGESTION", "A column or function parameter with name "
                + name + " cannot be resolved. Did you mean one of the following? " + quotedList(suggestions) + ".");
        }
        StructField f = schema.apply(index);
        Expression current = new BoundReference(index, f.name(), f.dataType(), f.nullable());
        for (int p = 1; p < parts.size(); p++) {
            current = extractField(current, parts.get(p), parts.subList(0, p));
        }
        return current;
    }

    private static Expression extractField(Expression base, String field, List<String> path) {
        DataType t = base.dataType();
        if (t instanceof StructType st) {
            int i = indexOf(st, field);
            if (i < 0) {
                throw new AnalysisException("FIELD_NOT_FOUND", "No such struct field " + quote(field) + " in "
                    + String.join(", ", List.of(st.fieldNames())) + ".");
            }
            return new ComplexAccess.GetStructField(base, i);
        }
        if (t instanceof MapType m && m.keyType() == DataTypes.StringType) {
            return new ComplexAccess.GetItem(base, Literal.of(field, DataTypes.StringType));
        }
        throw new AnalysisException("INVALID_EXTRACT_BASE_FIELD_TYPE", "Can't extract a value from "
            + quote(String.join(".", path)) + ". Need a complex type [STRUCT, ARRAY, MAP] but got \"" + t.sql() + "\".");
    }

    private static int indexOf(StructType schema, String name) {
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                for (int j = i + 1; j < names.length; j++) {
                    if (names[j].equals(name)) { // two columns of one name (a join's sides): Spark refuses to guess
                        throw new AnalysisException("AMBIGUOUS_REFERENCE", "Reference " + quote(name) + " is ambiguous, "
                            + "could be: [" + quote(names[i]) + ", " + quote(names[j]) + "].");
                    }
                }
                return i;
            }
        }
        int found = -1;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                if (found >= 0) {
                    throw new AnalysisException("AMBIGUOUS_REFERENCE", "Reference " + quote(name) + " is ambiguous, "
                        + "could be: [" + quote(names[found]) + ", " + quote(names[i]) + "].");
                }
                found = i;
            }
        }
        return found;
    }

    private static List<String> suggest(String name, List<String> candidates) {
        String lower = name.toLowerCase(Locale.ROOT);
        return candidates.stream()
            .sorted(Comparator.comparingInt(c -> FunctionRegistry.levenshtein(lower, c.toLowerCase(Locale.ROOT))))
            .limit(5).toList();
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String quotedList(List<String> names) {
        return "[" + String.join(", ", names.stream().map(Analyzer::quote).toList()) + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operators

    private static Expression operator(String op, List<Expression> args, Object param) {
        switch (op) {
            case "+", "-", "*", "/", "%", "div":
                return arithmetic(op, args.get(0), args.get(1));
            case "=", "<=>", "<", "<=", ">", ">=":
                return comparison(op, args.get(0), args.get(1));
            case "AND":
                return new Predicates.And(bool(op, args, 0), bool(op, args, 1));
            case "OR":
                return new Predicates.Or(bool(op, args, 0), bool(op, args, 1));
            case "NOT":
                return new Predicates.Not(bool(op, args, 0));
            case "negative", "positive": {
                Expression child = args.get(0);
                DataType t = child.dataType();
                if (t == DataTypes.StringType || t == DataTypes.NullType) {
                    child = Coercion.cast(child, DataTypes.DoubleType);
                } else if (!Coercion.isNumeric(t)) {
                    throw FunctionRegistry.mismatch(op, args, "The first parameter requires the \"NUMERIC\" type, "
                        + "however \"" + child.sql() + "\" has the type \"" + t.sql() + "\"");
                }
                return op.equals("positive") ? child : new Arithmetic.Unary("negative", child);
            }
            case "||":
                return FunctionRegistry.build("concat", args, null);
            case "in": {
                DataType t = Coercion.common(args.stream().map(Expression::dataType).toList());
                if (t == null) {
                    throw new AnalysisException("DATATYPE_MISMATCH.DATA_DIFF_TYPES", "Cannot resolve \""
                        + Sql.render("in", Sql.of(args), null) + "\" due to data type mismatch: Input to `in` should "
                        + "all be the same type, but it's [" + String.join(", ", args.stream()
                        .map(e -> "\"" + e.dataType().sql() + "\"").toList()) + "].");
                }
                List<Expression> cast = args.stream().map(e -> Coercion.cast(e, t)).toList();
                return new Predicates.In(cast.get(0), cast.subList(1, cast.size()));
            }
            case "cast": {
                DataType to = (DataType) param;
                Expression child = args.get(0);
                if (!Cast.canCast(child.dataType(), to)) {
                    throw new AnalysisException("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION", "Cannot resolve \"CAST("
                        + child.sql() + " AS " + to.sql() + ")\" due to data type mismatch: cannot cast \""
                        + child.dataType().sql() + "\" to \"" + to.sql() + "\".");
                }
                return new Cast(child, to, false);
            }
            case "case":
                return caseWhen(args, "CASE");
            case "alias":
                return new ComplexAccess.Alias(args.get(0), (String) param);
            case "getfield":
                return extractField(args.get(0), (String) param, List.of(args.get(0).sql()));
            case "getitem":
                return getItem(args.get(0), args.get(1));
            case "sort": {
                boolean[] dir = ComplexAccess.SortOrder.parse((String) param);
                return new ComplexAccess.SortOrder(args.get(0), dir[0], dir[1]);
            }
            default:
                return FunctionRegistry.build(op, args, param);
        }
    }

    private static Expression bool(String op, List<Expression> args, int i) {
        Expression e = args.get(i);
        DataType t = e.dataType();
        if (t == DataTypes.BooleanType) {
            return e;
        }
        if (t == DataTypes.NullType || t == DataTypes.StringType) {
            return Coercion.cast(e, DataTypes.BooleanType);
        }
        throw FunctionRegistry.mismatch(op, args, "The " + (i == 0 ? "first" : "second")
            + " parameter requires the \"BOOLEAN\" type, however \"" + e.sql() + "\" has the type \"" + t.sql() + "\"");
    }

    private static Expression getItem(Expression base, Expression key) {
        DataType t = base.dataType();
        if (t instanceof ArrayType) {
            if (!Coercion.isIntegral(key.dataType()) && key.dataType() != DataTypes.NullType) {
                throw FunctionRegistry.mismatch("getitem", List.of(base, key), "The index must be an INT, got \""
                    + key.dataType().sql() + "\"");
            }
            return new ComplexAccess.GetItem(base, Coercion.cast(key, DataTypes.IntegerType));
        }
        if (t instanceof MapType m) {
            return new ComplexAccess.GetItem(base, Coercion.cast(key, m.keyType()));
        }
        if (t instanceof StructType && key instanceof Literal l && l.value() instanceof String field) {
            return extractField(base, field, List.of(base.sql()));
        }
        throw new AnalysisException("INVALID_EXTRACT_BASE_FIELD_TYPE", "Can't extract a value from \"" + base.sql()
            + "\". Need a complex type [STRUCT, ARRAY, MAP] but got \"" + t.sql() + "\".");
    }

    /**
     * @param args conditions and values alternating, with an optional ELSE value last.
     * @param name how the call is named in errors.
     * @return the CASE node, branches coerced to their common type.
     */
    static Expression caseWhen(List<Expression> args, String name) {
        int pairs = args.size() / 2;
        List<Expression> conditions = new ArrayList<>();
        List<Expression> values = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            conditions.add(bool(name, args, 2 * i));
            values.add(args.get(2 * i + 1));
        }
        Expression otherwise = args.size() % 2 == 1 ? args.get(args.size() - 1) : null;
        List<DataType> types = new ArrayList<>(values.stream().map(Expression::dataType).toList());
        if (otherwise != null) {
            types.add(otherwise.dataType());
        }
        DataType t = Coercion.common(types);
        if (t == null) {
            throw new AnalysisException("DATATYPE_MISMATCH.DATA_DIFF_TYPES", "Cannot resolve \""
                + Sql.render("case", Sql.of(args), null) + "\" due to data type mismatch: Input to `casewhen` should "
                + "all be the same type, but it's [" + String.join(", ", types.stream().map(x -> "\"" + x.sql() + "\"")
                .toList()) + "].");
        }
        return new Conditionals.CaseWhen(conditions, values.stream().map(v -> Coercion.cast(v, t)).toList(),
            otherwise == null ? null : Coercion.cast(otherwise, t), t);
    }

    private static Expression arithmetic(String op, Expression left, Expression right) {
        DataType l = left.dataType();
        DataType r = right.dataType();
        List<Expression> args = List.of(left, right);
        if (left instanceof Literal li && li.isInterval() || right instanceof Literal ri && ri.isInterval()) {
            if ((op.equals("+") || op.equals("-")) && l == DataTypes.TimestampType && right instanceof Literal iv
                && iv.isInterval()) {
                return new Arithmetic.TimestampAdd(op, left, iv);
            }
            if (op.equals("+") && r == DataTypes.TimestampType && left instanceof Literal iv && iv.isInterval()) {
                return new Arithmetic.TimestampAdd(op, right, iv);
            }
            throw FunctionRegistry.mismatch(op, args, "an INTERVAL is supported only added to or subtracted from a "
                + "TIMESTAMP, and as a window() or withWatermark duration");
        }
        // Spark's PromoteStrings: a string (or NULL) in arithmetic is a double
        if (l == DataTypes.StringType || l == DataTypes.NullType && r == DataTypes.NullType) {
            left = Coercion.cast(left, DataTypes.DoubleType);
            l = DataTypes.DoubleType;
        }
        if (r == DataTypes.StringType) {
            right = Coercion.cast(right, DataTypes.DoubleType);
            r = DataTypes.DoubleType;
        }
        if (l == DataTypes.NullType) {
            left = Coercion.cast(left, r);
            l = r;
        }
        if (r == DataTypes.NullType) {
            right = Coercion.cast(right, l);
            r = l;
        }
        if (!Coercion.isNumeric(l) || !Coercion.isNumeric(r)) {
            throw new AnalysisException("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", "Cannot resolve \""
                + Sql.render(op, Sql.of(args), null) + "\" due to data type mismatch: the binary operator requires "
                + "numeric operands, but got \"" + l.sql() + "\" and \"" + r.sql() + "\".");
        }
        if (op.equals("div")) {
            if (!Coercion.isIntegral(l) || !Coercion.isIntegral(r)) {
                throw FunctionRegistry.mismatch(op, args, "div requires integral operands (TINYINT, SMALLINT, INT, "
                    + "BIGINT), got \"" + l.sql() + "\" and \"" + r.sql() + "\"");
            }
            DataType w = Coercion.widerNumeric(l, r) == DataTypes.LongType ? DataTypes.LongType : DataTypes.IntegerType;
            return new Arithmetic(op, Coercion.cast(left, w), Coercion.cast(right, w), DataTypes.LongType);
        }
        if (op.equals("/") && !(l instanceof DecimalType && (Coercion.isIntegral(r) || r instanceof DecimalType)
            || r instanceof DecimalType && Coercion.isIntegral(l))) {
            return new Arithmetic(op, Coercion.cast(left, DataTypes.DoubleType), Coercion.cast(right, DataTypes.DoubleType),
                DataTypes.DoubleType);
        }
        DataType w = Coercion.widerNumeric(l, r);
        if (w instanceof DecimalType) {
            DecimalType a = Coercion.decimalFor(l);
            DecimalType b = Coercion.decimalFor(r);
            DecimalType result = decimalResult(op, a, b);
            // operands keep their own precision; the node computes exactly, then fits to the result type
            return new Arithmetic(op, Coercion.cast(left, a), Coercion.cast(right, b), result);
        }
        return new Arithmetic(op, Coercion.cast(left, w), Coercion.cast(right, w), w);
    }

    /** Spark's decimal result precision and scale (DecimalPrecision), bounded to 38 digits. */
    private static DecimalType decimalResult(String op, DecimalType a, DecimalType b) {
        int p1 = a.precision();
        int s1 = a.scale();
        int p2 = b.precision();
        int s2 = b.scale();
        switch (op) {
            case "+", "-": {
                int scale = Math.max(s1, s2);
                return Coercion.bounded(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
            }
            case "*":
                return Coercion.bounded(p1 + p2 + 1, s1 + s2);
            case "/": {
                int scale = Math.max(6, s1 + p2 + 1);
                return Coercion.bounded(p1 - s1 + s2 + scale, scale);
            }
            default: {
                int scale = Math.max(s1, s2);
                return Coercion.bounded(Math.min(p1 - s1, p2 - s2) + scale, scale);
            }
        }
    }

    private static Expression comparison(String op, Expression left, Expression right) {
        DataType t = Coercion.forComparison(left.dataType(), right.dataType());
        if (t == null || !(op.equals("=") || op.equals("<=>")) && !Values.orderable(t)) {
            throw new AnalysisException("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", "Cannot resolve \""
                + Sql.render(op, List.of(left.sql(), right.sql()), null) + "\" due to data type mismatch: the left and "
                + "right operands of the binary operator have incompatible types (\"" + left.dataType().sql()
                + "\" and \"" + right.dataType().sql() + "\").");
        }
        if (t == DataTypes.NullType) {
            t = DataTypes.BooleanType;
        }
        return new Predicates.Comparison(op, Coercion.cast(left, t), Coercion.cast(right, t));
    }
}
