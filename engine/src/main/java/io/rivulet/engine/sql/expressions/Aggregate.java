package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.internal.RowStateCodec;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The aggregate functions as expression nodes: {@code count}, {@code sum}, {@code avg}, {@code min},
 * {@code max}, {@code first}, {@code last}, {@code collect_list}, {@code collect_set},
 * {@code approx_count_distinct} (HyperLogLog from Apache DataSketches), {@code count(DISTINCT ..)} (not
 * streamable). Spark's NULL rules: NULL inputs are skipped; {@code count} of nothing is 0, the others NULL. An
 * aggregate is not evaluated row by row: the planner uses {@link AggregateFunction}. Immutable.
 */
public final class Aggregate extends Expression implements AggregateFunction {
    private final String name;
    private final Expression child;
    private final DataType type;
    private final byte cls;
    private final int lgK;

    /**
     * @param name  the function ({@code count}, {@code sum}, {@code avg}, {@code min}, {@code max},
     *              {@code first}, {@code last}, {@code collect_list}, {@code collect_set},
     *              {@code approx_count_distinct}, {@code count_distinct}).
     * @param child the argument (a literal for {@code count(1)}).
     * @param type  the result type (see {@link #resultType}).
     * @param lgK   log2 of the HLL sketch's buckets (approx_count_distinct), else ignored.
     */
    public Aggregate(String name, Expression child, DataType type, int lgK) {
        this.name = name;
        this.child = child;
        this.type = type;
        this.cls = evalClass(child.dataType());
        this.lgK = lgK;
    }

    /**
     * Spark's result types: count, approx_count_distinct, count_distinct: bigint; sum of integral: bigint, of
     * float/double: double, of decimal(p,s): decimal(p+10,s); avg: double (decimal(p+4,s+4) for decimals);
     * min, max, first, last: the input type; collect_list/set: array of it.
     *
     * @param name  the function.
     * @param input the argument's type.
     * @return the result type, or null if the function does not take that type.
     */
    public static DataType resultType(String name, DataType input) {
        switch (name) {
            case "count", "approx_count_distinct", "count_distinct":
                return DataTypes.LongType;
            case "sum":
                if (Coercion.isIntegral(input)) {
                    return DataTypes.LongType;
                } else if (input instanceof DecimalType d) {
                    return Coercion.bounded(d.precision() + 10, d.scale());
                } else if (Coercion.isNumeric(input) || input == DataTypes.StringType || input == DataTypes.NullType) {
                    return DataTypes.DoubleType;
                }
                return null;
            case "avg":
                if (input instanceof DecimalType d) {
                    return Coercion.bounded(d.precision() + 4, d.scale() + 4);
                }
                return Coercion.isNumeric(input) || input == DataTypes.StringType || input == DataTypes.NullType
                    ? DataTypes.DoubleType : null;
            case "min", "max":
                return Values.orderable(input) ? input : null;
            case "collect_list", "collect_set":
                return new ArrayType(input, false);
            default:
                return input;
        }
    }

    /**
     * @param newChild the argument to aggregate instead (e.g. a reference to a pre-projected column).
     * @return this aggregate of {@code newChild}: same function, result type and sketch size.
     */
    public Aggregate withChild(Expression newChild) {
        return new Aggregate(name, newChild, type, lgK);
    }

    /**
     * @return the function's name.
     */
    public String name() {
        return name;
    }

    /**
     * @return the argument.
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
        return type;
    }

    @Override
    public boolean nullable() {
        return !(name.startsWith("count") || name.startsWith("approx") || name.startsWith("collect"));
    }

    @Override
    public String sql() {
        return Sql.render(name, Sql.of(children()), null);
    }

    @Override
    public boolean streamable() {
        return !name.equals("count_distinct");
    }

    @Override
    public Accumulator newAccumulator() {
        switch (name) {
            case "count":
                return new Count(child, false);
            case "count_distinct":
                return new Count(child, true);
            case "sum", "avg":
                if (type instanceof DecimalType) {
                    return new DecimalSum(child, name.equals("avg"), (DecimalType) type);
                }
                return Coercion.isIntegral(child.dataType()) && name.equals("sum")
                    ? new LongSum(child) : new DoubleSum(child, name.equals("avg"));
            case "min", "max":
                return cls == EVAL_LONG || cls == EVAL_INT ? new LongMinMax(child, name.equals("max"), type)
                    : cls == EVAL_DOUBLE ? new DoubleMinMax(child, name.equals("max"), type)
                    : new ObjectPick(child, name, type);
            case "first", "last":
                return new ObjectPick(child, name, type);
            case "collect_list", "collect_set":
                return new Collect(child, name.equals("collect_set"));
            case "approx_count_distinct":
                return new Hll(child, lgK);
            default:
                throw new IllegalStateException("no accumulator for " + name);
        }
    }

    /** {@code count(x)}: rows where x is not NULL ({@code count(1)}: all rows); distinct: a set of values. */
    static final class Count implements Accumulator {
        private final Expression child;
        private final LinkedHashSet<Object> seen;
        private long count;

        Count(Expression child, boolean distinct) {
            this.child = child;
            this.seen = distinct ? new LinkedHashSet<>() : null;
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            if (seen != null) {
                Object v = child.eval(input, ctx);
                if (v != null && seen.add(v)) {
                    count++;
                }
            } else if (!Values.isNull(child, input, ctx)) {
                count++;
            }
        }

        @Override
        public void merge(Accumulator other) {
            Count o = (Count) other;
            if (seen != null) {
                seen.addAll(o.seen);
                count = seen.size();
            } else {
                count += o.count;
            }
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            out.setLong(ordinal, count);
        }

        @Override
        public Object result() {
            return count;
        }

        @Override
        public void write(SnapshotOutput out) {
            if (seen != null) {
                throw new UnsupportedOperationException("count(DISTINCT) is not checkpointed: it does not run on a stream");
            }
            out.writeLong(count);
        }

        @Override
        public void read(SnapshotInput in) {
            count = in.readLong();
        }
    }

    /** {@code sum} of integral values, in a long (wraps on overflow, as Spark's non-ANSI mode). */
    static final class LongSum implements Accumulator {
        private final Expression child;
        private final boolean intInput;
        private long sum;
        private boolean any;

        LongSum(Expression child) {
            this.child = child;
            this.intInput = evalClass(child.dataType()) == EVAL_INT;
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            long v = intInput ? child.evalInt(input, ctx) : child.evalLong(input, ctx);
            if (!ctx.isNull) {
                sum += v;
                any = true;
            }
        }

        @Override
        public void merge(Accumulator other) {
            LongSum o = (LongSum) other;
            sum += o.sum;
            any |= o.any;
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            if (any) {
                out.setLong(ordinal, sum);
            } else {
                out.setNull(ordinal);
            }
        }

        @Override
        public Object result() {
            return any ? sum : null;
        }

        @Override
        public void write(SnapshotOutput out) {
            out.writeLong(sum);
            out.writeBoolean(any);
        }

        @Override
        public void read(SnapshotInput in) {
            sum = in.readLong();
            any = in.readBoolean();
        }
    }

    /** {@code sum} of floating values, or {@code avg} of any numbers, in a double and a count. */
    static final class DoubleSum implements Accumulator {
        private final Expression child;
        private final boolean average;
        private final byte cls;
        private double sum;
        private long count;

        DoubleSum(Expression child, boolean average) {
            this.child = child;
            this.average = average;
            this.cls = evalClass(child.dataType());
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            double v = cls == EVAL_INT ? child.evalInt(input, ctx)
                : cls == EVAL_LONG ? child.evalLong(input, ctx) : child.evalDouble(input, ctx);
            if (!ctx.isNull) {
                sum += v;
                count++;
            }
        }

        @Override
        public void merge(Accumulator other) {
            DoubleSum o = (DoubleSum) other;
            sum += o.sum;
            count += o.count;
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            if (count == 0) {
                out.setNull(ordinal);
            } else {
                out.setDouble(ordinal, average ? sum / count : sum);
            }
        }

        @Override
        public Object result() {
            return count == 0 ? null : average ? sum / count : sum;
        }

        @Override
        public void write(SnapshotOutput out) {
            out.writeDouble(sum);
            out.writeLong(count);
        }

        @Override
        public void read(SnapshotInput in) {
            sum = in.readDouble();
            count = in.readLong();
        }
    }

    /** {@code sum}/{@code avg} of decimals. */
    static final class DecimalSum implements Accumulator {
        private final Expression child;
        private final boolean average;
        private final DecimalType type;
        private BigDecimal sum = BigDecimal.ZERO;
        private long count;

        DecimalSum(Expression child, boolean average, DecimalType type) {
            this.child = child;
            this.average = average;
            this.type = type;
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            BigDecimal v = (BigDecimal) child.evalObject(input, ctx);
            if (v != null) {
                sum = sum.add(v);
                count++;
            }
        }

        @Override
        public void merge(Accumulator other) {
            DecimalSum o = (DecimalSum) other;
            sum = sum.add(o.sum);
            count += o.count;
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            Object r = result();
            if (r == null) {
                out.setNull(ordinal);
            } else {
                out.setDecimal(ordinal, (BigDecimal) r);
            }
        }

        @Override
        public Object result() {
            if (count == 0) {
                return null;
            }
            BigDecimal r = average ? sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128) : sum;
            return Arithmetic.fit(r, type);
        }

        @Override
        public void write(SnapshotOutput out) {
            out.writeInt(sum.scale());
            out.writeBytes(sum.unscaledValue().toByteArray());
            out.writeLong(count);
        }

        @Override
        public void read(SnapshotInput in) {
            int scale = in.readInt();
            sum = new BigDecimal(new BigInteger(in.readBytes()), scale);
            count = in.readLong();
        }
    }

    /** {@code min}/{@code max} of int-like and long-like values (dates, timestamps included). */
    static final class LongMinMax implements Accumulator {
        private final Expression child;
        private final boolean max;
        private final DataType type;
        private final boolean intInput;
        private long best;
        private boolean any;

        LongMinMax(Expression child, boolean max, DataType type) {
            this.child = child;
            this.max = max;
            this.type = type;
            this.intInput = evalClass(type) == EVAL_INT;
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            long v = intInput ? child.evalInt(input, ctx) : child.evalLong(input, ctx);
            if (!ctx.isNull) {
                take(v);
            }
        }

        private void take(long v) {
            if (!any || (max ? v > best : v < best)) {
                best = v;
                any = true;
            }
        }

        @Override
        public void merge(Accumulator other) {
            LongMinMax o = (LongMinMax) other;
            if (o.any) {
                take(o.best);
            }
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            if (!any) {
                out.setNull(ordinal);
            } else if (type == DataTypes.TimestampType) {
                out.setTimestampMicros(ordinal, best);
            } else if (type == DataTypes.DateType) {
                out.setDateDays(ordinal, (int) best);
            } else if (type == DataTypes.LongType) {
                out.setLong(ordinal, best);
            } else if (type == DataTypes.ShortType) {
                out.setShort(ordinal, (short) best);
            } else if (type == DataTypes.ByteType) {
                out.setByte(ordinal, (byte) best);
            } else {
                out.setInt(ordinal, (int) best);
            }
        }

        @Override
        public Object result() {
            if (!any) {
                return null;
            } else if (type == DataTypes.TimestampType) {
                return PackedRow.toInstant(best);
            } else if (type == DataTypes.DateType) {
                return LocalDate.ofEpochDay(best);
            } else if (type == DataTypes.LongType) {
                return best;
            } else if (type == DataTypes.ShortType) {
                return (short) best;
            } else if (type == DataTypes.ByteType) {
                return (byte) best;
            }
            return (int) best;
        }

        @Override
        public void write(SnapshotOutput out) {
            out.writeLong(best);
            out.writeBoolean(any);
        }

        @Override
        public void read(SnapshotInput in) {
            best = in.readLong();
            any = in.readBoolean();
        }
    }

    /** {@code min}/{@code max} of doubles and floats, in Spark's order (NaN largest). */
    static final class DoubleMinMax implements Accumulator {
        private final Expression child;
        private final boolean max;
        private final DataType type;
        private double best;
        private boolean any;

        DoubleMinMax(Expression child, boolean max, DataType type) {
            this.child = child;
            this.max = max;
            this.type = type;
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            double v = child.evalDouble(input, ctx);
            if (!ctx.isNull) {
                take(v);
            }
        }

        private void take(double v) {
            int c = Values.compareDouble(v, best);
            if (!any || (max ? c > 0 : c < 0)) {
                best = v;
                any = true;
            }
        }

        @Override
        public void merge(Accumulator other) {
            DoubleMinMax o = (DoubleMinMax) other;
            if (o.any) {
                take(o.best);
            }
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            if (!any) {
                out.setNull(ordinal);
            } else if (type == DataTypes.FloatType) {
                out.setFloat(ordinal, (float) best);
            } else {
                out.setDouble(ordinal, best);
            }
        }

        @Override
        public Object result() {
            return !any ? null : type == DataTypes.FloatType ? (Object) (float) best : (Object) best;
        }

        @Override
        public void write(SnapshotOutput out) {
            out.writeDouble(best);
            out.writeBoolean(any);
        }

        @Override
        public void read(SnapshotInput in) {
            best = in.readDouble();
            any = in.readBoolean();
        }
    }

    /** {@code first}/{@code last} (NULLs included, as Spark's default ignoreNulls=false), or min/max of others. */
    static final class ObjectPick implements Accumulator {
        private final Expression child;
        private final String name;
        private final DataType type;
        private Object value;
        private boolean any;

        ObjectPick(Expression child, String name, DataType type) {
            this.child = child;
            this.name = name;
            this.type = type;
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            take(child.eval(input, ctx));
        }

        private void take(Object v) {
            switch (name) {
                case "first" -> {
                    if (!any) {
                        value = v;
                        any = true;
                    }
                }
                case "last" -> {
                    value = v;
                    any = true;
                }
                default -> {
                    if (v != null && (value == null
                        || (name.equals("max") ? Values.compareObjects(v, value) > 0 : Values.compareObjects(v, value) < 0))) {
                        value = v;
                    }
                }
            }
        }

        @Override
        public void merge(Accumulator other) {
            ObjectPick o = (ObjectPick) other;
            if (o.any || o.value != null) {
                if (name.equals("first") && any) {
                    return;
                }
                take(o.value);
                any = true;
            }
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            out.set(ordinal, value);
        }

        @Override
        public Object result() {
            return value;
        }

        @Override
        public void write(SnapshotOutput out) {
            out.writeBoolean(any);
            RowStateCodec.writeValue(type, value, out);
        }

        @Override
        public void read(SnapshotInput in) {
            any = in.readBoolean();
            value = RowStateCodec.readValue(type, in);
        }
    }

    /** {@code collect_list}/{@code collect_set}: non-NULL values in arrival order (a set keeps the first of equals). */
    static final class Collect implements Accumulator {
        private final Expression child;
        private final List<Object> values = new ArrayList<>();
        private final LinkedHashSet<Object> set;

        Collect(Expression child, boolean distinct) {
            this.child = child;
            this.set = distinct ? new LinkedHashSet<>() : null;
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            Object v = child.eval(input, ctx);
            if (v != null && (set == null || set.add(v))) {
                values.add(v);
            }
        }

        @Override
        public void merge(Accumulator other) {
            for (Object v : ((Collect) other).values) {
                if (set == null || set.add(v)) {
                    values.add(v);
                }
            }
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            out.setList(ordinal, List.copyOf(values));
        }

        @Override
        public Object result() {
            return List.copyOf(values);
        }

        @Override
        public void write(SnapshotOutput out) {
            DataType element = child.dataType();
            out.writeVarInt(values.size());
            for (Object v : values) {
                RowStateCodec.writeValue(element, v, out);
            }
        }

        @Override
        public void read(SnapshotInput in) {
            DataType element = child.dataType();
            values.clear();
            if (set != null) {
                set.clear();
            }
            int n = in.readVarInt();
            for (int i = 0; i < n; i++) {
                Object v = RowStateCodec.readValue(element, in);
                values.add(v);
                if (set != null) {
                    set.add(v);
                }
            }
        }
    }

    /**
     * {@code approx_count_distinct}: an HLL_8 sketch of DataSketches; longs and doubles are fed without boxing,
     * other values by their string form (strings as such).
     */
    static final class Hll implements Accumulator {
        private final Expression child;
        private final byte cls;
        private final int lgK;
        private HllSketch sketch;

        Hll(Expression child, int lgK) {
            this.child = child;
            this.cls = evalClass(child.dataType());
            this.lgK = lgK;
            this.sketch = new HllSketch(lgK);
        }

        @Override
        public void update(Row input, EvalContext ctx) {
            switch (cls) {
                case EVAL_INT -> {
                    long v = child.evalInt(input, ctx);
                    if (!ctx.isNull) {
                        sketch.update(v);
                    }
                }
                case EVAL_LONG -> {
                    long v = child.evalLong(input, ctx);
                    if (!ctx.isNull) {
                        sketch.update(v);
                    }
                }
                case EVAL_DOUBLE -> {
                    double v = child.evalDouble(input, ctx);
                    if (!ctx.isNull) {
                        sketch.update(v);
                    }
                }
                default -> {
                    Object v = child.eval(input, ctx);
                    if (v != null) {
                        sketch.update(v.toString());
                    }
                }
            }
        }

        @Override
        public void merge(Accumulator other) {
            Union union = new Union(lgK);
            union.update(sketch);
            union.update(((Hll) other).sketch);
            sketch = union.getResult();
        }

        @Override
        public void writeResult(MutableRow out, int ordinal) {
            out.setLong(ordinal, Math.round(sketch.getEstimate()));
        }

        @Override
        public Object result() {
            return Math.round(sketch.getEstimate());
        }

        @Override
        public void write(SnapshotOutput out) {
            out.writeBytes(sketch.toCompactByteArray());
        }

        @Override
        public void read(SnapshotInput in) {
            sketch = HllSketch.heapify(in.readBytes());
        }
    }
}
