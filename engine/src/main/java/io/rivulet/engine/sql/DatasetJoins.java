package io.rivulet.engine.sql;

import io.rivulet.engine.JoinOptions;
import io.rivulet.engine.KeyedStream;
import io.rivulet.engine.LongKeyedStream;
import io.rivulet.engine.StaticSource;
import io.rivulet.engine.StaticTableHandle;
import io.rivulet.engine.Stream;
import io.rivulet.engine.sql.expressions.Analyzer;
import io.rivulet.engine.sql.expressions.BoundReference;
import io.rivulet.engine.sql.expressions.Coercion;
import io.rivulet.engine.sql.expressions.Columns;
import io.rivulet.engine.sql.expressions.ComplexAccess;
import io.rivulet.engine.sql.expressions.EvalContext;
import io.rivulet.engine.sql.expressions.Expression;
import io.rivulet.engine.sql.expressions.FunctionRegistry;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.sql.expressions.Predicate;
import io.rivulet.engine.sql.expressions.Unresolved;
import io.rivulet.engine.sql.internal.ColumnResolver;
import io.rivulet.engine.sql.internal.RowKind;
import io.rivulet.engine.sql.internal.RowStateCodec;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.join.JoinFunction;
import io.rivulet.operators.join.JoinTimeRange;
import io.rivulet.operators.join.JoinType;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;
import io.rivulet.operators.state.StateCodecs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The planner of {@link Dataset#join}: resolves the join condition against both sides (qualified names, an
 * ambiguous name fails listing its candidates), splits it into equality keys, an event-time range and the rest,
 * and compiles the join onto the typed API's joins, whose rules (Spark's) it leaves to them:
 * <pre>
 *   stream ⋈ stream  →  keyBy / keyByLong (one int or bigint key) → KeyedStream.join / LongKeyedStream.join
 *                       (JoinOptions: type, time range, event times, row codecs; rules checked by start())
 *   stream ⋈ static  →  StaticTableHandle of the static rows → Stream.join(handle, key, type)
 *   static ⋈ stream  →  the same join with the sides swapped (RIGHT_OUTER ↔ LEFT_OUTER), columns static first
 * </pre>
 * Stateless; the functions it builds are thread-safe (each thread evaluates with its own context).
 */
final class DatasetJoins {
    /** Spark's accepted join type names, for the error on an unknown one. */
    private static final String JOIN_TYPES = "'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left',"
        + " 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti',"
        + " 'left_anti', 'anti', 'cross'";

    private DatasetJoins() {
    }

    /** A NULL join key of one side: never equal to the other side's, so an outer row with it never matches. */
    record NullKey(boolean right) {
    }

    /**
     * Parses Spark's join type names (case-insensitive, underscores optional).
     *
     * @param joinType the name
     * @return the type
     * @throws IllegalArgumentException for an unknown name (Spark's message) or one Rivulet does not run
     */
    static JoinType joinType(String joinType) {
        String t = Objects.requireNonNull(joinType, "joinType").toLowerCase(Locale.ROOT).replace("_", "");
        return switch (t) {
            case "inner" -> JoinType.INNER;
            case "outer", "full", "fullouter" -> JoinType.FULL_OUTER;
            case "leftouter", "left" -> JoinType.LEFT_OUTER;
            case "rightouter", "right" -> JoinType.RIGHT_OUTER;
            case "leftsemi", "semi" -> JoinType.LEFT_SEMI;
            case "leftanti", "anti", "cross" -> throw new UnsupportedOperationException("Join type '" + joinType
                + "' is not supported on streaming Datasets by Rivulet yet: inner, left_outer, right_outer, full_outer"
                + " and left_semi are");
            default -> throw new IllegalArgumentException("Unsupported join type '" + joinType + "'. Supported join types"
                + " include: " + JOIN_TYPES + ".");
        };
    }

    /**
     * @param left the left Dataset
     * @param right the right Dataset
     * @param condition the unresolved condition, or null with {@code using}
     * @param using the using columns (Spark's {@code join(right, Seq(cols))}), or null
     * @param type the join type
     * @return the joined DataFrame
     */
    static Dataset<Row> join(Dataset<Row> left, Dataset<Row> right, Expression condition, List<String> using, JoinType type) {
        if (left.isStatic() && right.isStatic()) {
            throw new UnsupportedOperationException("join: both sides are static DataFrames; Rivulet runs streams, so one"
                + " side of a join must be streaming");
        }
        if (left.rivulet() != right.rivulet()) {
            throw new IllegalArgumentException("join: the two Datasets come from different Rivulet engines");
        }
        Scope scope = new Scope(left.schema(), left.columnQualifiers(), right.schema(), right.columnQualifiers());
        Expression bound = using == null ? scope.bind(condition) : scope.usingCondition(using);
        Condition c = Condition.split(bound, scope, !left.isStatic() && !right.isStatic());
        StructType out = outputSchema(scope, type);
        String[] qualifiers = type == JoinType.LEFT_SEMI ? scope.leftQualifiers : concat(scope.leftQualifiers,
            scope.rightQualifiers);
        Predicate residual = null;
        if (type != JoinType.INNER) {
            // a one-sided time bound is no range: start() then refuses the outer or semi join with Spark's message
            c.residual.removeAll(c.oneSidedTime);
        }
        if (!c.residual.isEmpty()) {
            if (type != JoinType.INNER) {
                throw new AnalysisException("UNSUPPORTED_FEATURE.JOIN_CONDITION", "Only an inner join may have conditions"
                    + " other than equalities between the sides" + (left.isStatic() || right.isStatic() ? ""
                    : " and an event-time range") + " in Rivulet; this " + type + " join has " + sqlOf(c.residual)
                    + ". Filter the rows before the join.");
            }
            Expression all = c.residual.get(0);
            for (int i = 1; i < c.residual.size(); i++) {
                all = new Unresolved.Call("AND", all, c.residual.get(i));
            }
            residual = Analyzer.predicate(scope.joined, all);
        }
        Stream<Row> rows;
        if (left.isStatic()) {
            rows = staticJoin(right, left.staticRows(), c.rightKeys(), c.leftKeys(), type, true, out, scope, residual);
        } else if (right.isStatic()) {
            rows = staticJoin(left, right.staticRows(), c.leftKeys(), c.rightKeys(), type, false, out, scope, residual);
        } else {
            rows = streamJoin(left, right, c, type, out, scope, residual);
        }
        Dataset<Row> joined = new Dataset<>(left.rivulet(), rows, Encoders.row(out)).withQualifiers(qualifiers);
        return using == null ? joined : usingProjection(joined, scope, using, type);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stream-static

    private static Stream<Row> staticJoin(Dataset<Row> streaming, StaticSource<Row> statics, List<Expression> streamKeys,
                                          List<Expression> staticKeys, JoinType type, boolean staticLeft, StructType out,
                                          Scope scope, Predicate residual) {
        if (streamKeys.isEmpty()) {
            throw new AnalysisException("UNSUPPORTED_FEATURE.JOIN_CONDITION", "A stream-static join needs an equality"
                + " between a column of each side in its condition (Rivulet looks the static rows up by it).");
        }
        JoinType typed = type;
        if (staticLeft) {
            // static ⋈ stream is stream ⋈ static mirrored; the typed join rejects what Spark rejects
            typed = switch (type) {
                case RIGHT_OUTER -> JoinType.LEFT_OUTER;
                case LEFT_OUTER -> JoinType.RIGHT_OUTER;
                case LEFT_SEMI -> throw new IllegalArgumentException("LeftSemi join with a streaming DataFrame/Dataset on"
                    + " the right and a static DataFrame/DataSet on the left is not supported: the static rows that"
                    + " match would never be known to be complete; put the stream on the left");
                default -> type;
            };
        }
        Function<Row, Object> streamKey = keyFunction(streamKeys);
        Function<Row, Object> staticKey = keyFunction(staticKeys);
        StaticTableHandle<Object, Row> table = StaticTableHandle.load(statics, staticKey);
        int nL = scope.left.size();
        int nR = scope.right.size();
        ThreadLocal<Predicate.Evaluator> filter = residual == null ? null : ThreadLocal.withInitial(residual::newEvaluator);
        JoinFunction<Object, Row, Row, Row> fn;
        if (typed == JoinType.LEFT_SEMI) {
            fn = (key, record, none) -> record;
        } else if (staticLeft) {
            fn = (key, record, row) -> passes(combine(out, row, nL, record, nR), filter);
        } else {
            fn = (key, record, row) -> passes(combine(out, record, nL, row, nR), filter);
        }
        return streaming.stream().join(table, streamKey, typed, fn);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stream-stream

    private static Stream<Row> streamJoin(Dataset<Row> left, Dataset<Row> right, Condition c, JoinType type,
                                          StructType out, Scope scope, Predicate residual) {
        List<Expression> lk = c.leftKeys();
        List<Expression> rk = c.rightKeys();
        if (lk.isEmpty()) {
            throw new AnalysisException("UNSUPPORTED_FEATURE.JOIN_CONDITION", "Stream-stream join without equality"
                + " predicate is not supported: the condition needs an equality between a column of each side.");
        }
        int nL = scope.left.size();
        int nR = scope.right.size();
        ThreadLocal<Predicate.Evaluator> filter = residual == null ? null : ThreadLocal.withInitial(residual::newEvaluator);
        boolean semi = type == JoinType.LEFT_SEMI;
        boolean outer = type != JoinType.INNER && !semi;
        String keyName = sqlOf(lk) + " = " + sqlOf(rk);
        StateCodec<Row> leftRows = new RowStateCodec(scope.left);
        StateCodec<Row> rightRows = new RowStateCodec(scope.right);
        DataType keyType = lk.get(0).dataType();
        boolean longKey = lk.size() == 1 && (keyType == DataTypes.LongType && !outer || keyType == DataTypes.IntegerType
            || keyType == DataTypes.ShortType || keyType == DataTypes.ByteType);
        if (longKey) {
            // One integral key: the long-key join, keys unboxed through both exchanges. A NULL key never matches: inner
            // and semi drop the row; an outer row gets a key outside the int range, one per side.
            ToLongFunction<Row> leftKey = longKey(lk.get(0), Long.MIN_VALUE);
            ToLongFunction<Row> rightKey = longKey(rk.get(0), Long.MIN_VALUE + 1);
            Stream<Row> l = outer ? left.stream() : left.stream().filter(row -> notNull(lk.get(0), row));
            Stream<Row> r = outer ? right.stream() : right.stream().filter(row -> notNull(rk.get(0), row));
            LongKeyedStream<Row> lKeyed = l.keyByLong(keyName + " (long key)", leftKey);
            LongKeyedStream<Row> rKeyed = r.keyByLong(keyName + " (long key)", rightKey);
            JoinOptions<Row, Row> options = options(type, c, leftRows, rightRows, StateCodecs.longs());
            return lKeyed.join(rKeyed, options, (key, a, b) -> semi ? a : passes(combine(out, a, nL, b, nR), filter));
        }
        Function<Row, Object> leftKey = keyFunction(lk);
        Function<Row, Object> rightKey = keyFunction(rk);
        Stream<Row> l = outer ? left.stream() : left.stream().filter(row -> leftKey.apply(row) != null);
        Stream<Row> r = outer ? right.stream() : right.stream().filter(row -> rightKey.apply(row) != null);
        KeyedStream<Object, Row> lKeyed = l.keyBy(keyName, row -> orNullKey(leftKey.apply(row), false));
        KeyedStream<Object, Row> rKeyed = r.keyBy(keyName, row -> orNullKey(rightKey.apply(row), true));
        JoinOptions<Row, Row> options = options(type, c, leftRows, rightRows, new KeyCodec(lk));
        return lKeyed.join(rKeyed, options, (key, a, b) -> semi ? a : passes(combine(out, a, nL, b, nR), filter));
    }

    private static <K> JoinOptions<Row, Row> options(JoinType type, Condition c, StateCodec<Row> leftRows,
                                                     StateCodec<Row> rightRows, StateCodec<K> keys) {
        JoinOptions<Row, Row> options = JoinOptions.<Row, Row>of(type).withCodecs(keys, leftRows, rightRows);
        if (c.range != null) {
            int lt = c.leftTime;
            int rt = c.rightTime;
            options = options.withTimeRange(c.range).withEventTimes(row -> timeMs(row, lt), row -> timeMs(row, rt));
        }
        return options;
    }

    private static long timeMs(Row row, int column) {
        return row.isNullAt(column) ? 0 : Math.floorDiv(row.getTimestampMicros(column), 1_000L);
    }

    private static Object orNullKey(Object key, boolean right) {
        return key == null ? new NullKey(right) : key;
    }

    private static final ThreadLocal<EvalContext> CONTEXT = ThreadLocal.withInitial(EvalContext::new);

    private static ToLongFunction<Row> longKey(Expression key, long nullKey) {
        boolean isLong = key.dataType() == DataTypes.LongType;
        return row -> {
            EvalContext ctx = CONTEXT.get();
            long v = isLong ? key.evalLong(row, ctx) : key.evalInt(row, ctx);
            return ctx.isNull ? nullKey : v;
        };
    }

    private static boolean notNull(Expression key, Row row) {
        EvalContext ctx = CONTEXT.get();
        key.eval(row, ctx);
        return !ctx.isNull;
    }

    /** A row's key: the one key value, or the list of them; null if any is NULL (a NULL key matches nothing). */
    private static Function<Row, Object> keyFunction(List<Expression> keys) {
        Expression[] k = keys.toArray(new Expression[0]);
        if (k.length == 1) {
            return row -> k[0].eval(row, CONTEXT.get());
        }
        return row -> {
            EvalContext ctx = CONTEXT.get();
            Object[] values = new Object[k.length];
            for (int i = 0; i < k.length; i++) {
                values[i] = k[i].eval(row, ctx);
                if (values[i] == null) {
                    return null;
                }
            }
            return Arrays.asList(values);
        };
    }

    private static Row passes(MutableRow row, ThreadLocal<Predicate.Evaluator> filter) {
        return filter == null || filter.get().test(row) ? row : null;
    }

    /** A new joined row: the left row's columns (NULLs without one), then the right's. */
    private static MutableRow combine(StructType out, Row left, int nL, Row right, int nR) {
        MutableRow row = MutableRow.create(out);
        copy(left, nL, row, 0);
        copy(right, nR, row, nL);
        return row;
    }

    private static void copy(Row from, int n, MutableRow to, int at) {
        if (from == null) {
            for (int i = 0; i < n; i++) {
                to.setNull(at + i);
            }
            return;
        }
        StructType schema = to.schema();
        for (int i = 0; i < n; i++) {
            int j = at + i;
            if (from.isNullAt(i)) {
                to.setNull(j);
                continue;
            }
            switch (RowKind.of(schema.apply(j).dataType())) {
                case RowKind.INT -> to.setInt(j, from.getInt(i));
                case RowKind.LONG -> to.setLong(j, from.getLong(i));
                case RowKind.DOUBLE -> to.setDouble(j, from.getDouble(i));
                case RowKind.TIMESTAMP -> to.setTimestampMicros(j, from.getTimestampMicros(i));
                case RowKind.DATE -> to.setDateDays(j, from.getDateDays(i));
                case RowKind.STRING -> to.setString(j, from.getString(i));
                default -> to.set(j, from.get(i));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Schema

    private static StructType outputSchema(Scope scope, JoinType type) {
        if (type == JoinType.LEFT_SEMI) {
            return scope.left;
        }
        StructField[] l = scope.left.fields();
        StructField[] r = scope.right.fields();
        StructField[] out = new StructField[l.length + r.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = nullable(l[i], type.emitsUnmatchedRight());
        }
        for (int i = 0; i < r.length; i++) {
            out[l.length + i] = nullable(r[i], type.emitsUnmatchedLeft());
        }
        return new StructType(out);
    }

    private static StructField nullable(StructField f, boolean outer) {
        return outer && !f.nullable() ? new StructField(f.name(), f.dataType(), true, f.comment()) : f;
    }

    /** Spark's using-join output: the using columns once (coalesced in a full outer join), then the others. */
    private static Dataset<Row> usingProjection(Dataset<Row> joined, Scope scope, List<String> using, JoinType type) {
        int nL = scope.left.size();
        StructType schema = joined.schema();
        List<Column> items = new ArrayList<>();
        boolean[] usedLeft = new boolean[nL];
        boolean[] usedRight = new boolean[scope.right.size()];
        for (String name : using) {
            int li = ColumnResolver.resolve(scope.left, name);
            int ri = ColumnResolver.resolve(scope.right, name);
            usedLeft[li] = true;
            usedRight[ri] = true;
            Expression l = ref(schema, li);
            if (type == JoinType.LEFT_SEMI || type == JoinType.INNER || type == JoinType.LEFT_OUTER) {
                items.add(Columns0.column(l));
            } else {
                Expression r = ref(schema, nL + ri);
                Expression v = type == JoinType.RIGHT_OUTER ? r : FunctionRegistry.build("coalesce", List.of(l, r), null);
                items.add(Columns0.column(new ComplexAccess.Alias(v, scope.left.apply(li).name())));
            }
        }
        for (int i = 0; i < nL; i++) {
            if (!usedLeft[i]) {
                items.add(Columns0.column(ref(schema, i)));
            }
        }
        if (type != JoinType.LEFT_SEMI) {
            for (int i = 0; i < usedRight.length; i++) {
                if (!usedRight[i]) {
                    items.add(Columns0.column(ref(schema, nL + i)));
                }
            }
        }
        return joined.withQualifiers(null).select(items.toArray(new Column[0]));
    }

    private static BoundReference ref(StructType schema, int i) {
        StructField f = schema.apply(i);
        return new BoundReference(i, f.name(), f.dataType(), f.nullable());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String sqlOf(List<Expression> es) {
        StringJoiner text = new StringJoiner(" AND ");
        for (Expression e : es) {
            text.add(e.sql());
        }
        return text.toString();
    }

    /** The bridge to the Column of an expression. */
    private static final class Columns0 {
        static Column column(Expression e) {
            return Columns.column(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Resolution against both sides

    /**
     * Both sides' columns, as one joined schema ({@code left ++ right}) with each column's qualifier (the alias of
     * the Dataset it comes from, or null).
     */
    static final class Scope {
        final StructType left;
        final StructType right;
        final StructType joined;
        final String[] leftQualifiers;
        final String[] rightQualifiers;
        private final String[] qualifiers;

        Scope(StructType left, String[] leftQualifiers, StructType right, String[] rightQualifiers) {
            this.left = left;
            this.right = right;
            this.leftQualifiers = leftQualifiers;
            this.rightQualifiers = rightQualifiers;
            this.qualifiers = concat(leftQualifiers, rightQualifiers);
            StructField[] fields = new StructField[left.size() + right.size()];
            System.arraycopy(left.fields(), 0, fields, 0, left.size());
            System.arraycopy(right.fields(), 0, fields, left.size(), right.size());
            this.joined = new StructType(fields);
        }

        /** One schema with qualifiers, for a Dataset whose columns carry them (a join's output). */
        Scope(StructType schema, String[] qualifiers) {
            this(schema, qualifiers, new StructType(), new String[0]);
        }

        Expression usingCondition(List<String> using) {
            if (using.isEmpty()) {
                throw new IllegalArgumentException("join: name at least one using column");
            }
            Expression all = null;
            for (String name : using) {
                int li = resolveSide(left, name, "left");
                int ri = resolveSide(right, name, "right");
                Expression eq = new Unresolved.Call("=", ref(joined, li), ref(joined, left.size() + ri));
                all = all == null ? eq : new Unresolved.Call("AND", all, eq);
            }
            return all;
        }

        private static int resolveSide(StructType side, String name, String which) {
            try {
                return ColumnResolver.resolve(side, Objects.requireNonNull(name, "usingColumns"));
            } catch (IllegalArgumentException e) {
                StringJoiner columns = new StringJoiner(", ", "[", "]");
                for (String n : side.fieldNames()) {
                    columns.add(ColumnResolver.quoted(n));
                }
                throw new AnalysisException("UNRESOLVED_USING_COLUMN_FOR_JOIN", "USING column "
                    + ColumnResolver.quoted(name) + " cannot be resolved on the " + which + " side of the join. The "
                    + which + "-side columns: " + columns + ".");
            }
        }

        /**
         * Binds the column names of an unresolved expression to the joined schema's columns: {@code q.name} to the
         * column {@code name} of the side aliased {@code q}; a plain name to the one column of that name (an error
         * listing the candidates if both sides have it).
         */
        Expression bind(Expression e) {
            if (e instanceof Unresolved.Attribute a) {
                Expression bound = attribute(a.parts());
                return bound == null ? e : bound;
            }
            if (e instanceof Unresolved.Call call) {
                List<Expression> args = new ArrayList<>(call.args().size());
                for (Expression arg : call.args()) {
                    args.add(bind(arg));
                }
                return new Unresolved.Call(call.name(), args, call.param());
            }
            return e;
        }

        /** Binds the items of a select list; {@code q.*} is every column of the side aliased {@code q}. */
        List<Expression> bindItems(List<Expression> items) {
            List<Expression> out = new ArrayList<>(items.size());
            for (Expression item : items) {
                if (item instanceof Unresolved.Star star && star.target().size() == 1 && hasQualifier(star.target().get(0))) {
                    for (int i = 0; i < qualifiers.length; i++) {
                        if (star.target().get(0).equalsIgnoreCase(qualifiers[i])) {
                            out.add(ref(joined, i));
                        }
                    }
                } else {
                    out.add(bind(item));
                }
            }
            return out;
        }

        private boolean hasQualifier(String name) {
            for (String q : qualifiers) {
                if (name.equalsIgnoreCase(q)) {
                    return true;
                }
            }
            return false;
        }

        private Expression attribute(List<String> parts) {
            List<Integer> found = new ArrayList<>();
            int rest = 1;
            if (parts.size() >= 2 && hasQualifier(parts.get(0))) {
                for (int i = 0; i < qualifiers.length; i++) {
                    if (parts.get(0).equalsIgnoreCase(qualifiers[i]) && joined.apply(i).name().equalsIgnoreCase(parts.get(1))) {
                        found.add(i);
                    }
                }
                rest = 2;
            }
            if (found.isEmpty()) {
                rest = 1;
                for (int i = 0; i < joined.size(); i++) {
                    if (joined.apply(i).name().equalsIgnoreCase(parts.get(0))) {
                        found.add(i);
                    }
                }
            }
            if (found.isEmpty()) {
                return null; // the analyzer reports it, listing the columns
            }
            if (found.size() > 1) {
                StringJoiner candidates = new StringJoiner(", ", "[", "]");
                for (int i : found) {
                    candidates.add((qualifiers[i] == null ? "" : ColumnResolver.quoted(qualifiers[i]) + ".")
                        + ColumnResolver.quoted(joined.apply(i).name()));
                }
                throw new AnalysisException("AMBIGUOUS_REFERENCE", "Reference " + ColumnResolver.quoted(String.join(".",
                    parts)) + " is ambiguous, could be: " + candidates + ". Qualify it with the Dataset's alias"
                    + " (ds.as(\"a\") then col(\"a.name\")).");
            }
            Expression e = ref(joined, found.get(0));
            for (int p = rest; p < parts.size(); p++) {
                e = new Unresolved.Call("getfield", List.of(e), parts.get(p));
            }
            return e;
        }

        /** Which sides a bound expression reads: bit 1 left, bit 2 right. */
        int sides(Expression e) {
            if (e instanceof BoundReference b) {
                return b.ordinal() < left.size() ? 1 : 2;
            }
            int s = 0;
            for (Expression child : e.children()) {
                s |= sides(child);
            }
            return s;
        }

        /** The bound expression with its right-side references made references into the right row alone. */
        Expression local(Expression e, int shift) {
            if (e instanceof BoundReference b) {
                return new BoundReference(b.ordinal() - shift, b.name(), b.dataType(), b.nullable());
            }
            if (e instanceof Unresolved.Call call) {
                List<Expression> args = new ArrayList<>(call.args().size());
                for (Expression arg : call.args()) {
                    args.add(local(arg, shift));
                }
                return new Unresolved.Call(call.name(), args, call.param());
            }
            return e;
        }
    }

    /** A join condition split into equality keys, an event-time range and the rest (conjuncts of the bound tree). */
    private static final class Condition {
        final List<Expression> leftKeys = new ArrayList<>();
        final List<Expression> rightKeys = new ArrayList<>();
        final List<Expression> residual = new ArrayList<>();
        /** Time comparisons that bound the right time from one side only (so no range): part of {@link #residual}. */
        final List<Expression> oneSidedTime = new ArrayList<>();
        JoinTimeRange range;
        int leftTime = -1;
        int rightTime = -1;

        List<Expression> leftKeys() {
            return leftKeys;
        }

        List<Expression> rightKeys() {
            return rightKeys;
        }

        static Condition split(Expression bound, Scope scope, boolean timeRange) {
            Condition c = new Condition();
            List<Expression> conjuncts = new ArrayList<>();
            conjuncts(bound, conjuncts);
            int nL = scope.left.size();
            long lower = Long.MIN_VALUE;
            long upper = Long.MAX_VALUE;
            boolean lowerInclusive = true;
            boolean upperInclusive = true;
            List<Expression> timeConjuncts = new ArrayList<>();
            for (Expression e : conjuncts) {
                if (e instanceof Unresolved.Call call && call.args().size() == 2) {
                    Expression a = call.args().get(0);
                    Expression b = call.args().get(1);
                    int sa = scope.sides(a);
                    int sb = scope.sides(b);
                    boolean crosses = sa == 1 && sb == 2 || sa == 2 && sb == 1;
                    if (call.name().equals("=") && crosses) {
                        Expression l = Analyzer.resolve(scope.local(sa == 1 ? a : b, 0), scope.left);
                        Expression r = Analyzer.resolve(scope.local(sa == 1 ? b : a, nL), scope.right);
                        DataType t = Coercion.forComparison(l.dataType(), r.dataType());
                        if (t == null) {
                            throw new AnalysisException("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", "Cannot resolve \"("
                                + l.sql() + " = " + r.sql() + ")\" due to data type mismatch: the join key types \""
                                + l.dataType().sql() + "\" and \"" + r.dataType().sql() + "\" cannot be compared.");
                        }
                        c.leftKeys.add(Coercion.cast(l, t));
                        c.rightKeys.add(Coercion.cast(r, t));
                        continue;
                    }
                    if (timeRange && crosses && isComparison(call.name())) {
                        long[] ta = timeTerm(a, scope);
                        long[] tb = timeTerm(b, scope);
                        if (ta != null && tb != null) {
                            String op = call.name();
                            long[] lt = sa == 1 ? ta : tb;
                            long[] rt = sa == 1 ? tb : ta;
                            if (sa != 1) {
                                op = flip(op);
                            }
                            int lc = (int) lt[0];
                            int rc = (int) rt[0] - nL;
                            if ((c.leftTime < 0 || c.leftTime == lc) && (c.rightTime < 0 || c.rightTime == rc)) {
                                c.leftTime = lc;
                                c.rightTime = rc;
                                // leftTime + a  op  rightTime + b  ⇔  rightTime - leftTime  op'  a - b
                                long boundMs = Math.floorDiv(lt[1] - rt[1], 1_000L);
                                boolean inclusive = op.endsWith("=");
                                if (op.startsWith("<")) {
                                    if (boundMs > lower || boundMs == lower && !inclusive) {
                                        lower = boundMs;
                                        lowerInclusive = inclusive;
                                    }
                                } else if (boundMs < upper || boundMs == upper && !inclusive) {
                                    upper = boundMs;
                                    upperInclusive = inclusive;
                                }
                                timeConjuncts.add(e);
                                continue;
                            }
                        }
                    }
                }
                c.residual.add(e);
            }
            if (lower != Long.MIN_VALUE && upper != Long.MAX_VALUE) {
                c.range = JoinTimeRange.of(lower, lowerInclusive, upper, upperInclusive);
            } else {
                c.residual.addAll(timeConjuncts); // one-sided: a plain condition, no range
                c.oneSidedTime.addAll(timeConjuncts);
                c.leftTime = -1;
                c.rightTime = -1;
            }
            return c;
        }

        private static boolean isComparison(String op) {
            return op.equals("<") || op.equals("<=") || op.equals(">") || op.equals(">=");
        }

        private static String flip(String op) {
            return switch (op) {
                case "<" -> ">";
                case "<=" -> ">=";
                case ">" -> "<";
                default -> "<=";
            };
        }

        /** {@code column [± interval]...} of a timestamp column: {column, offset µs}, else null. */
        private static long[] timeTerm(Expression e, Scope scope) {
            if (e instanceof BoundReference b) {
                return b.dataType() == DataTypes.TimestampType ? new long[] {b.ordinal(), 0} : null;
            }
            if (e instanceof Unresolved.Call call && call.args().size() == 2
                && (call.name().equals("+") || call.name().equals("-"))) {
                Expression x = call.args().get(0);
                Expression y = call.args().get(1);
                if (y instanceof Literal l && l.isInterval()) {
                    long[] t = timeTerm(x, scope);
                    if (t != null) {
                        long micros = (Long) l.value();
                        t[1] += call.name().equals("+") ? micros : -micros;
                    }
                    return t;
                }
                if (call.name().equals("+") && x instanceof Literal l && l.isInterval()) {
                    long[] t = timeTerm(y, scope);
                    if (t != null) {
                        t[1] += (Long) l.value();
                    }
                    return t;
                }
            }
            return null;
        }

        private static void conjuncts(Expression e, List<Expression> out) {
            if (e instanceof Unresolved.Call call && call.name().equals("AND") && call.args().size() == 2) {
                conjuncts(call.args().get(0), out);
                conjuncts(call.args().get(1), out);
            } else {
                out.add(e);
            }
        }
    }

    /** The checkpoint codec of a boxed join key: the key columns' values by their types, or a side's NULL key. */
    private static final class KeyCodec implements StateCodec<Object> {
        private final DataType[] types;

        KeyCodec(List<Expression> keys) {
            this.types = keys.stream().map(Expression::dataType).toArray(DataType[]::new);
        }

        @Override
        public void write(Object key, SnapshotOutput out) {
            if (key instanceof NullKey n) {
                out.writeByte(n.right() ? 1 : 0);
            } else if (types.length == 1) {
                out.writeByte(2);
                RowStateCodec.writeValue(types[0], key, out);
            } else {
                out.writeByte(3);
                List<?> values = (List<?>) key;
                for (int i = 0; i < types.length; i++) {
                    RowStateCodec.writeValue(types[i], values.get(i), out);
                }
            }
        }

        @Override
        public Object read(SnapshotInput in) {
            byte tag = in.readByte();
            if (tag < 2) {
                return new NullKey(tag == 1);
            }
            if (tag == 2) {
                return RowStateCodec.readValue(types[0], in);
            }
            Object[] values = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                values[i] = RowStateCodec.readValue(types[i], in);
            }
            return Arrays.asList(values);
        }

        @Override
        public Object copy(Object key) {
            return key;
        }

        @Override
        public String describe() {
            return "joinKey" + Arrays.toString(types);
        }
    }
}
