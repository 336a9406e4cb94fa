package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.sql.expressions.AggregateFunction.Accumulator;
import io.rivulet.engine.sql.expressions.BoundReference;
import io.rivulet.engine.sql.expressions.EvalContext;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.sql.expressions.Values;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;

import java.time.LocalDate;
import java.util.List;

/**
 * The aggregates of a structured {@code groupBy(..).agg(..)} as one typed {@link AggregateFunction}, so the
 * aggregation runs on the typed API's keyed, windowed and session operators (and checkpoints as they do). A group's
 * state is one {@link AggregationBuffer}: count, sum and avg of fixed-width numbers, min and max of fixed-width
 * orderable values, first and last of fixed-width values keep their state in flat {@code long} slots (no object per
 * aggregate, no boxing); every other aggregate (decimal sum/avg, collect_list, collect_set, approx_count_distinct,
 * and min/max/first/last of strings and other objects) keeps the expression's own {@link Accumulator}
 * ({@link Aggregate#newAccumulator()}), a <em>delegate</em>. The rules are the accumulators' (Spark's): NULL inputs
 * are skipped, except by first and last; count of nothing is 0, the others NULL.
 *
 * <p>Input rows are pre-projected, or the input rows themselves when every argument is a plain column: aggregate
 * {@code i}'s argument is column {@code inputs[i]}, or {@code -1} for {@code count} of a non-null literal (every row
 * counts). The update of a {@link PackedRow} runs generated code ({@link AggregationCompiler}: one straight-line
 * method reading the argument columns' raw bits, {@code -Drivulet.sql.codegen=false} turns it off); other rows, and
 * every row with compilation off, take the interpreted update, which reads through {@link Row}'s getters and is the
 * reference the generated code is tested against. The buffers keep no reference to an input row (a keyed exchange may
 * copy rows into its ring slots). The result is a new row of {@link #resultSchema()}.
 *
 * <p>{@link #codec()} writes a buffer as the aggregates' accumulators write their state ({@link Accumulator#write}),
 * aggregate by aggregate, so a checkpoint reads back whichever way it was taken. A distinct aggregate is refused as
 * Spark refuses it on a stream.
 *
 * <p>Immutable and thread-safe (the buffers are owned by the partition's thread).
 */
public final class GroupAggregation implements AggregateFunction<Row, AggregationBuffer, Row> {
    /** {@code count} of a non-null literal: one slot, the count. */
    static final byte COUNT_ROWS = 0;
    /** {@code count(column)}: one slot, the count of non-NULL values. */
    static final byte COUNT = 1;
    /** {@code sum} of an integral column: the sum (wrapping), any (0/1). */
    static final byte LONG_SUM = 2;
    /** {@code sum} of a floating column, {@code avg} of an integral or floating one: the sum's bits, the count. */
    static final byte DOUBLE_SUM = 3;
    /** {@code min} of an integral, date or timestamp column: the best value, any (0/1). */
    static final byte LONG_MIN = 4;
    /** {@code max}, as {@link #LONG_MIN}. */
    static final byte LONG_MAX = 5;
    /** {@code min} of a floating column (Spark's order, NaN largest): the best value's bits, any (0/1). */
    static final byte DOUBLE_MIN = 6;
    /** {@code max}, as {@link #DOUBLE_MIN}. */
    static final byte DOUBLE_MAX = 7;
    /** {@code first} of a fixed-width column (NULLs included): the value's raw bits, any (0/1), null (0/1). */
    static final byte FIRST = 8;
    /** {@code last}, as {@link #FIRST}. */
    static final byte LAST = 9;
    /** Any other aggregate: its {@link Accumulator}, no slots. */
    static final byte DELEGATE = 10;

    private static final ThreadLocal<EvalContext> CONTEXT = ThreadLocal.withInitial(EvalContext::new);

    private final Aggregate[] aggregates;
    private final StructType resultSchema;
    private final StateCodec<AggregationBuffer> codec;
    /** Per aggregate: its operation, argument column ({@code -1}: none), argument kind, first slot or delegate. */
    private final byte[] ops;
    private final int[] columns;
    private final byte[] kinds;
    private final int[] slots;
    private final int slotCount;
    /** Per aggregate: whether it is an {@code avg} (its result is the sum over the count). */
    private final boolean[] averages;
    /** The aggregates with delegates, in order. */
    private final int[] delegated;
    /** The generated update, or {@code null} (compilation off or failed): the interpreted update runs. */
    private final CompiledAggregation compiled;

    /**
     * @param aggregates the resolved aggregates, in output order
     * @param names their output column names
     * @param inputs the column of each aggregate's argument in the input rows, or -1 for {@code count} of a non-null
     *     literal
     * @param inputSchema the input rows' schema (pre-projected, or the Dataset's own)
     * @throws AnalysisException for a distinct aggregate (Spark's streaming error)
     */
    public GroupAggregation(List<Aggregate> aggregates, List<String> names, int[] inputs, StructType inputSchema) {
        this(aggregates, names, inputs, inputSchema, AggregationCompiler.ENABLED);
    }

    /**
     * @param compile whether to generate the update (else it is interpreted, whatever {@code rivulet.sql.codegen}
     *     says: the reference the generated code is tested against)
     */
    GroupAggregation(List<Aggregate> aggregates, List<String> names, int[] inputs, StructType inputSchema,
                     boolean compile) {
        int n = aggregates.size();
        this.aggregates = new Aggregate[n];
        this.ops = new byte[n];
        this.columns = new int[n];
        this.kinds = new byte[n];
        this.slots = new int[n];
        this.averages = new boolean[n];
        StructField[] fields = new StructField[n];
        int slot = 0;
        int delegates = 0;
        for (int i = 0; i < n; i++) {
            Aggregate a = aggregates.get(i);
            if (!a.streamable()) {
                throw new AnalysisException(null, "Distinct aggregations are not supported on streaming"
                    + " DataFrames/Datasets. Consider using approx_count_distinct() instead.");
            }
            columns[i] = inputs[i];
            if (inputs[i] < 0) {
                // count of a non-null literal: counts rows
                this.aggregates[i] = a.withChild(Literal.of(1, DataTypes.IntegerType));
                kinds[i] = RowKind.NULL;
                ops[i] = COUNT_ROWS;
            } else {
                StructField in = inputSchema.apply(inputs[i]);
                this.aggregates[i] = a.withChild(new BoundReference(inputs[i], in.name(), in.dataType(), in.nullable()));
                kinds[i] = RowKind.of(in.dataType());
                ops[i] = operation(a.name(), kinds[i], a.dataType());
            }
            averages[i] = a.name().equals("avg");
            if (ops[i] == DELEGATE) {
                slots[i] = delegates++;
            } else {
                slots[i] = slot;
                slot += width(ops[i]);
            }
            fields[i] = new StructField(names.get(i), a.dataType(), a.nullable());
        }
        this.slotCount = slot;
        this.delegated = new int[delegates];
        for (int i = 0, d = 0; i < n; i++) {
            if (ops[i] == DELEGATE) {
                delegated[d++] = i;
            }
        }
        this.resultSchema = new StructType(fields);
        this.codec = new BufferCodec(this);
        this.compiled = compile ? AggregationCompiler.compile(ops, columns, kinds, slots) : null;
    }

    /** The slot operation of an aggregate of a column of {@code kind}, or {@link #DELEGATE}. */
    private static byte operation(String name, byte kind, DataType resultType) {
        boolean integral = kind == RowKind.INT || kind == RowKind.LONG || kind == RowKind.SHORT || kind == RowKind.BYTE;
        boolean floating = kind == RowKind.DOUBLE || kind == RowKind.FLOAT;
        boolean longLike = integral || kind == RowKind.DATE || kind == RowKind.TIMESTAMP;
        return switch (name) {
            case "count" -> COUNT;
            case "sum" -> resultType instanceof DecimalType ? DELEGATE : integral ? LONG_SUM : floating ? DOUBLE_SUM
                : DELEGATE;
            case "avg" -> resultType instanceof DecimalType ? DELEGATE : integral || floating ? DOUBLE_SUM : DELEGATE;
            case "min" -> longLike ? LONG_MIN : floating ? DOUBLE_MIN : DELEGATE;
            case "max" -> longLike ? LONG_MAX : floating ? DOUBLE_MAX : DELEGATE;
            case "first" -> kind < RowKind.FIRST_REFERENCE ? FIRST : DELEGATE;
            case "last" -> kind < RowKind.FIRST_REFERENCE ? LAST : DELEGATE;
            default -> DELEGATE;
        };
    }

    /** The slots an operation takes. */
    static int width(byte op) {
        return switch (op) {
            case COUNT_ROWS, COUNT -> 1;
            case FIRST, LAST -> 3;
            case DELEGATE -> 0;
            default -> 2;
        };
    }

    /**
     * @return the schema of the result rows: one column per aggregate
     */
    public StructType resultSchema() {
        return resultSchema;
    }

    /**
     * @return the state codec of this aggregation's buffers, for the keyed and windowed operators' checkpoints
     */
    public StateCodec<AggregationBuffer> codec() {
        return codec;
    }

    /**
     * @return whether {@link PackedRow} inputs are folded in by generated code
     */
    public boolean compiled() {
        return compiled != null;
    }

    @Override
    public AggregationBuffer createAccumulator() {
        Accumulator[] acc = new Accumulator[delegated.length];
        for (int d = 0; d < acc.length; d++) {
            acc[d] = aggregates[delegated[d]].newAccumulator();
        }
        return new AggregationBuffer(new long[slotCount], acc);
    }

    @Override
    public AggregationBuffer add(AggregationBuffer acc, Row row) {
        if (compiled != null && row instanceof PackedRow p) {
            compiled.update(p, acc.slots, acc.delegates, delegated.length == 0 ? null : CONTEXT.get());
        } else {
            interpret(acc, row);
        }
        return acc;
    }

    /** The reference update: reads the arguments through {@link Row}'s getters. */
    private void interpret(AggregationBuffer acc, Row row) {
        long[] s = acc.slots;
        EvalContext ctx = delegated.length == 0 ? null : CONTEXT.get();
        for (int i = 0; i < ops.length; i++) {
            int c = columns[i];
            int k = slots[i];
            switch (ops[i]) {
                case COUNT_ROWS -> s[k]++;
                case COUNT -> {
                    if (!row.isNullAt(c)) {
                        s[k]++;
                    }
                }
                case LONG_SUM -> {
                    if (!row.isNullAt(c)) {
                        s[k] += bitsOf(row, c, kinds[i]);
                        s[k + 1] = 1;
                    }
                }
                case DOUBLE_SUM -> {
                    if (!row.isNullAt(c)) {
                        s[k] = Double.doubleToRawLongBits(Double.longBitsToDouble(s[k]) + doubleOf(row, c, kinds[i]));
                        s[k + 1]++;
                    }
                }
                case LONG_MIN, LONG_MAX -> {
                    if (!row.isNullAt(c)) {
                        takeLong(s, k, bitsOf(row, c, kinds[i]), ops[i] == LONG_MAX);
                    }
                }
                case DOUBLE_MIN, DOUBLE_MAX -> {
                    if (!row.isNullAt(c)) {
                        takeDouble(s, k, doubleOf(row, c, kinds[i]), ops[i] == DOUBLE_MAX);
                    }
                }
                case FIRST, LAST -> {
                    if (ops[i] == LAST || s[k + 1] == 0) {
                        boolean isNull = row.isNullAt(c);
                        s[k] = isNull ? 0 : bitsOf(row, c, kinds[i]);
                        s[k + 1] = 1;
                        s[k + 2] = isNull ? 1 : 0;
                    }
                }
                default -> acc.delegates[k].update(row, ctx);
            }
        }
    }

    private static void takeLong(long[] s, int k, long v, boolean max) {
        if (s[k + 1] == 0 || (max ? v > s[k] : v < s[k])) {
            s[k] = v;
            s[k + 1] = 1;
        }
    }

    private static void takeDouble(long[] s, int k, double v, boolean max) {
        int c = Values.compareDouble(v, Double.longBitsToDouble(s[k]));
        if (s[k + 1] == 0 || (max ? c > 0 : c < 0)) {
            s[k] = Double.doubleToRawLongBits(v);
            s[k + 1] = 1;
        }
    }

    /** A non-NULL fixed-width value as {@link PackedRow} keeps its bits. */
    private static long bitsOf(Row row, int c, byte kind) {
        return switch (kind) {
            case RowKind.INT -> row.getInt(c);
            case RowKind.LONG -> row.getLong(c);
            case RowKind.DOUBLE -> Double.doubleToRawLongBits(row.getDouble(c));
            case RowKind.FLOAT -> Float.floatToRawIntBits(row.getFloat(c));
            case RowKind.BOOLEAN -> row.getBoolean(c) ? 1 : 0;
            case RowKind.SHORT -> row.getShort(c);
            case RowKind.BYTE -> row.getByte(c);
            case RowKind.TIMESTAMP -> row.getTimestampMicros(c);
            case RowKind.DATE -> row.getDateDays(c);
            default -> throw new IllegalStateException("not a fixed-width kind: " + kind);
        };
    }

    /** A non-NULL number as a double, as the accumulators' {@code evalDouble}/{@code evalLong}/{@code evalInt}. */
    private static double doubleOf(Row row, int c, byte kind) {
        return switch (kind) {
            case RowKind.DOUBLE -> row.getDouble(c);
            case RowKind.FLOAT -> row.getFloat(c);
            default -> bitsOf(row, c, kind);
        };
    }

    @Override
    public AggregationBuffer merge(AggregationBuffer a, AggregationBuffer b) {
        long[] s = a.slots;
        long[] o = b.slots;
        for (int i = 0; i < ops.length; i++) {
            int k = slots[i];
            switch (ops[i]) {
                case COUNT_ROWS, COUNT -> s[k] += o[k];
                case LONG_SUM -> {
                    s[k] += o[k];
                    s[k + 1] |= o[k + 1];
                }
                case DOUBLE_SUM -> {
                    s[k] = Double.doubleToRawLongBits(Double.longBitsToDouble(s[k]) + Double.longBitsToDouble(o[k]));
                    s[k + 1] += o[k + 1];
                }
                case LONG_MIN, LONG_MAX -> {
                    if (o[k + 1] != 0) {
                        takeLong(s, k, o[k], ops[i] == LONG_MAX);
                    }
                }
                case DOUBLE_MIN, DOUBLE_MAX -> {
                    if (o[k + 1] != 0) {
                        takeDouble(s, k, Double.longBitsToDouble(o[k]), ops[i] == DOUBLE_MAX);
                    }
                }
                case FIRST, LAST -> {
                    if (o[k + 1] != 0 && (ops[i] == LAST || s[k + 1] == 0)) {
                        s[k] = o[k];
                        s[k + 1] = 1;
                        s[k + 2] = o[k + 2];
                    }
                }
                default -> a.delegates[k].merge(b.delegates[k]);
            }
        }
        return a;
    }

    @Override
    public Row result(AggregationBuffer acc) {
        PackedRow out = new PackedRow(resultSchema);
        long[] s = acc.slots;
        for (int i = 0; i < ops.length; i++) {
            int k = slots[i];
            switch (ops[i]) {
                case COUNT_ROWS, COUNT -> out.setLong(i, s[k]);
                case LONG_SUM -> {
                    if (s[k + 1] != 0) {
                        out.setLong(i, s[k]);
                    }
                }
                case DOUBLE_SUM -> {
                    if (s[k + 1] != 0) {
                        double sum = Double.longBitsToDouble(s[k]);
                        out.setDouble(i, averages[i] ? sum / s[k + 1] : sum);
                    }
                }
                case LONG_MIN, LONG_MAX -> {
                    if (s[k + 1] != 0) {
                        out.setBits(i, s[k]);
                    }
                }
                case DOUBLE_MIN, DOUBLE_MAX -> {
                    if (s[k + 1] != 0) {
                        double best = Double.longBitsToDouble(s[k]);
                        if (kinds[i] == RowKind.FLOAT) {
                            out.setFloat(i, (float) best);
                        } else {
                            out.setDouble(i, best);
                        }
                    }
                }
                case FIRST, LAST -> {
                    if (s[k + 1] != 0 && s[k + 2] == 0) {
                        out.setBits(i, s[k]);
                    }
                }
                default -> acc.delegates[k].writeResult(out, i);
            }
        }
        return out;
    }

    /** The value of a fixed-width kind's bits as {@link RowStateCodec#writeValue} takes it. */
    private static Object boxed(byte kind, long bits) {
        return switch (kind) {
            case RowKind.INT -> (int) bits;
            case RowKind.LONG -> bits;
            case RowKind.DOUBLE -> Double.longBitsToDouble(bits);
            case RowKind.FLOAT -> Float.intBitsToFloat((int) bits);
            case RowKind.BOOLEAN -> bits != 0;
            case RowKind.SHORT -> (short) bits;
            case RowKind.BYTE -> (byte) bits;
            case RowKind.TIMESTAMP -> PackedRow.toInstant(bits);
            case RowKind.DATE -> LocalDate.ofEpochDay(bits);
            default -> throw new IllegalStateException("not a fixed-width kind: " + kind);
        };
    }

    /** The inverse of {@link #boxed}: the bits of a non-null value of a fixed-width {@code type}. */
    private static long unboxed(DataType type, Object value) {
        PackedRow one = new PackedRow(new StructType(new StructField[] {new StructField("v", type, true)}));
        one.set(0, value);
        return one.bits(0);
    }

    /**
     * Each aggregate's state in aggregate order, in its accumulator's format ({@link Accumulator#write}); read back
     * into a fresh buffer.
     */
    private static final class BufferCodec implements StateCodec<AggregationBuffer> {
        private final GroupAggregation aggregation;

        BufferCodec(GroupAggregation aggregation) {
            this.aggregation = aggregation;
        }

        @Override
        public void write(AggregationBuffer acc, SnapshotOutput out) {
            GroupAggregation g = aggregation;
            long[] s = acc.slots;
            for (int i = 0; i < g.ops.length; i++) {
                int k = g.slots[i];
                switch (g.ops[i]) {
                    case COUNT_ROWS, COUNT -> out.writeLong(s[k]);
                    case LONG_SUM, LONG_MIN, LONG_MAX -> out.writeLong(s[k]).writeBoolean(s[k + 1] != 0);
                    case DOUBLE_SUM -> out.writeDouble(Double.longBitsToDouble(s[k])).writeLong(s[k + 1]);
                    case DOUBLE_MIN, DOUBLE_MAX -> out.writeDouble(Double.longBitsToDouble(s[k])).writeBoolean(s[k + 1] != 0);
                    case FIRST, LAST -> {
                        out.writeBoolean(s[k + 1] != 0);
                        RowStateCodec.writeValue(g.aggregates[i].dataType(),
                            s[k + 1] != 0 && s[k + 2] == 0 ? boxed(g.kinds[i], s[k]) : null, out);
                    }
                    default -> acc.delegates[k].write(out);
                }
            }
        }

        @Override
        public AggregationBuffer read(SnapshotInput in) {
            GroupAggregation g = aggregation;
            AggregationBuffer acc = g.createAccumulator();
            long[] s = acc.slots;
            for (int i = 0; i < g.ops.length; i++) {
                int k = g.slots[i];
                switch (g.ops[i]) {
                    case COUNT_ROWS, COUNT -> s[k] = in.readLong();
                    case LONG_SUM, LONG_MIN, LONG_MAX -> {
                        s[k] = in.readLong();
                        s[k + 1] = in.readBoolean() ? 1 : 0;
                    }
                    case DOUBLE_SUM -> {
                        s[k] = Double.doubleToRawLongBits(in.readDouble());
                        s[k + 1] = in.readLong();
                    }
                    case DOUBLE_MIN, DOUBLE_MAX -> {
                        s[k] = Double.doubleToRawLongBits(in.readDouble());
                        s[k + 1] = in.readBoolean() ? 1 : 0;
                    }
                    case FIRST, LAST -> {
                        s[k + 1] = in.readBoolean() ? 1 : 0;
                        Object v = RowStateCodec.readValue(g.aggregates[i].dataType(), in);
                        s[k] = v == null ? 0 : unboxed(g.aggregates[i].dataType(), v);
                        s[k + 2] = v == null && s[k + 1] != 0 ? 1 : 0;
                    }
                    default -> acc.delegates[k].read(in);
                }
            }
            return acc;
        }

        /** The slots by value; each delegate through its own state format. */
        @Override
        public AggregationBuffer copy(AggregationBuffer value) {
            Accumulator[] delegates = new Accumulator[value.delegates.length];
            for (int d = 0; d < delegates.length; d++) {
                SnapshotOutput out = new SnapshotOutput();
                value.delegates[d].write(out);
                delegates[d] = aggregation.aggregates[aggregation.delegated[d]].newAccumulator();
                delegates[d].read(out.asInput());
            }
            return new AggregationBuffer(value.slots.clone(), delegates);
        }

        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("aggregates(");
            for (int i = 0; i < aggregation.aggregates.length; i++) {
                text.append(i == 0 ? "" : ", ").append(aggregation.aggregates[i].name());
            }
            return text.append(')').toString();
        }
    }
}
