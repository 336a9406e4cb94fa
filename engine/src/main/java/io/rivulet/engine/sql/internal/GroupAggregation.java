package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.sql.expressions.AggregateFunction.Accumulator;
import io.rivulet.engine.sql.expressions.BoundReference;
import io.rivulet.engine.sql.expressions.EvalContext;
import io.rivulet.engine.sql.expressions.Literal;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.function.AggregateFunction;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;

import java.util.List;

/**
 * The aggregates of a structured {@code groupBy(..).agg(..)} as one typed {@link AggregateFunction}, so the
 * aggregation runs on the typed API's keyed, windowed and session operators (and checkpoints as they do). There is
 * one implementation of each aggregate: the expression's {@link Accumulator} ({@link Aggregate#newAccumulator()});
 * the typed accumulator is an array of them, one per aggregate, checkpointed by {@link #codec()} (each accumulator
 * writes and reads its own state). Input rows are pre-projected, or the input rows themselves when every argument
 * is a plain column: aggregate {@code i}'s argument is column {@code inputs[i]}, or {@code -1} for {@code count} of
 * a non-null literal (every row counts). Every aggregate of {@code functions} runs (count, sum, avg of numbers and
 * decimals, min, max, first, last, collect_list, collect_set, approx_count_distinct); a distinct aggregate is
 * refused as Spark refuses it on a stream. The accumulators keep no reference to an input row (a keyed exchange
 * may copy rows into its ring slots). The result is a new row of {@link #resultSchema()}.
 *
 * <p>Immutable and thread-safe (each thread evaluates with its own context); the accumulators are owned by the
 * partition's thread.
 */
public final class GroupAggregation implements AggregateFunction<Row, Accumulator[], Row> {
    private static final ThreadLocal<EvalContext> CONTEXT = ThreadLocal.withInitial(EvalContext::new);

    private final Aggregate[] aggregates;
    private final StructType resultSchema;
    private final StateCodec<Accumulator[]> codec;

    /**
     * @param aggregates the resolved aggregates, in output order
     * @param names their output column names
     * @param inputs the column of each aggregate's argument in the input rows, or -1 for {@code count} of a non-null
     *     literal
     * @param inputSchema the input rows' schema (pre-projected, or the Dataset's own)
     * @throws AnalysisException for a distinct aggregate (Spark's streaming error)
     */
    public GroupAggregation(List<Aggregate> aggregates, List<String> names, int[] inputs, StructType inputSchema) {
        int n = aggregates.size();
        this.aggregates = new Aggregate[n];
        StructField[] fields = new StructField[n];
        for (int i = 0; i < n; i++) {
            Aggregate a = aggregates.get(i);
            if (!a.streamable()) {
                throw new AnalysisException(null, "Distinct aggregations are not supported on streaming"
                    + " DataFrames/Datasets. Consider using approx_count_distinct() instead.");
            }
            if (inputs[i] < 0) {
                // count of a non-null literal: counts rows
                this.aggregates[i] = a.withChild(Literal.of(1, DataTypes.IntegerType));
            } else {
                StructField in = inputSchema.apply(inputs[i]);
                this.aggregates[i] = a.withChild(new BoundReference(inputs[i], in.name(), in.dataType(), in.nullable()));
            }
            fields[i] = new StructField(names.get(i), a.dataType(), a.nullable());
        }
        this.resultSchema = new StructType(fields);
        this.codec = new AccumulatorsCodec(this);
    }

    /**
     * @return the schema of the result rows: one column per aggregate
     */
    public StructType resultSchema() {
        return resultSchema;
    }

    /**
     * @return the state codec of this aggregation's accumulators, for the keyed and windowed operators' checkpoints
     */
    public StateCodec<Accumulator[]> codec() {
        return codec;
    }

    @Override
    public Accumulator[] createAccumulator() {
        Accumulator[] acc = new Accumulator[aggregates.length];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = aggregates[i].newAccumulator();
        }
        return acc;
    }

    @Override
    public Accumulator[] add(Accumulator[] acc, Row row) {
        EvalContext ctx = CONTEXT.get();
        for (Accumulator a : acc) {
            a.update(row, ctx);
        }
        return acc;
    }

    @Override
    public Accumulator[] merge(Accumulator[] a, Accumulator[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i].merge(b[i]);
        }
        return a;
    }

    @Override
    public Row result(Accumulator[] acc) {
        MutableRow out = MutableRow.create(resultSchema);
        for (int i = 0; i < acc.length; i++) {
            acc[i].writeResult(out, i);
        }
        return out;
    }

    /** Each accumulator's own state, in aggregate order; read back into fresh accumulators. */
    private static final class AccumulatorsCodec implements StateCodec<Accumulator[]> {
        private final GroupAggregation aggregation;

        AccumulatorsCodec(GroupAggregation aggregation) {
            this.aggregation = aggregation;
        }

        @Override
        public void write(Accumulator[] acc, SnapshotOutput out) {
            for (Accumulator a : acc) {
                a.write(out);
            }
        }

        @Override
        public Accumulator[] read(SnapshotInput in) {
            Accumulator[] acc = aggregation.createAccumulator();
            for (Accumulator a : acc) {
                a.read(in);
            }
            return acc;
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
