package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Predicate;
import io.rivulet.engine.sql.expressions.Projection;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;
import org.agrona.concurrent.EpochClock;

import java.util.List;

/**
 * The fused operator of the structured API's stateless operations ({@code select}, {@code selectExpr},
 * {@code where}/{@code filter}, {@code withColumn}, {@code drop}): an optional filter, then an optional projection,
 * with at most one generator ({@code explode}) among the projected columns. Each record that passes gives a row:
 * one row of this operator refilled for every record when the Dataset's consumers only read rows while they are
 * handed over ({@link RowReuse}), else a new row (one per array element with a generator; none for a NULL or empty
 * array, as Spark's {@code explode}); a filter alone passes the input row itself.
 *
 * <p>{@code current_timestamp()} is the engine's wall clock read once per epoch (at the first record, then at
 * each epoch barrier), so every row of an epoch sees the same time, as every row of a Spark batch does.
 *
 * <p>The input type is a type variable (always {@link Row} in use) so that {@link #process} erases to the interface's
 * own method: with {@code Operator<Row, Row>} the compiler adds a bridge method, one more inlining level on every
 * record's path, which put the window's map probe and aggregation update past C2's inline depth in
 * {@code groupBy(window(..), ..)} (docs/benchmarks.md, "Issue 13, session 11").
 *
 * <p>Not thread-safe; one per task, owned by the task's thread.
 *
 * @param <T> the input's static type: {@link Row}
 */
public final class RowOperator<T> implements Operator<T, Row> {
    private final Predicate.Evaluator filter;
    private final Projection.Evaluator projection;
    private final StructType outputSchema;
    private final int generator;
    private final MutableRow wide;
    /** The row refilled for every record, or {@code null} for a new row per record. */
    private final MutableRow reused;
    private final EpochClock clock;
    private boolean timeSet;

    /**
     * @param filter the condition, or {@code null}
     * @param projection the projection, or {@code null}; with a generator it writes the array into that column
     * @param outputSchema the rows emitted (the generator column: the element type)
     * @param generator the generator's column, or -1
     * @param clock the engine's wall clock if an expression calls {@code current_timestamp()}, else {@code null}
     * @param reuseOutput whether to refill one output row for every record (no generator; the Dataset's consumers
     *     only read each row while it is handed over)
     */
    public RowOperator(Predicate filter, Projection projection, StructType outputSchema, int generator, EpochClock clock,
                       boolean reuseOutput) {
        this.filter = filter == null ? null : filter.newEvaluator();
        this.projection = projection == null ? null : projection.newEvaluator();
        this.outputSchema = outputSchema;
        this.generator = generator;
        this.wide = generator >= 0 ? MutableRow.create(projection.outputSchema()) : null;
        this.clock = clock;
        this.reused = reuseOutput && projection != null && generator < 0 ? MutableRow.create(outputSchema) : null;
    }

    @Override
    public void process(T input, Output<Row> out) {
        Row record = (Row) input;
        if (clock != null && !timeSet) {
            readClock();
        }
        if (filter != null && !filter.test(record)) {
            return;
        }
        if (projection == null) {
            out.emit(record);
        } else if (generator < 0) {
            MutableRow row = reused != null ? reused : MutableRow.create(outputSchema);
            projection.apply(record, row);
            out.emit(row);
        } else {
            generate(record, out);
        }
    }

    private void generate(Row record, Output<Row> out) {
        wide.clear();
        projection.apply(record, wide);
        if (wide.isNullAt(generator)) {
            return;
        }
        List<?> elements = wide.getList(generator);
        int columns = outputSchema.size();
        for (int e = 0; e < elements.size(); e++) {
            MutableRow row = MutableRow.create(outputSchema);
            for (int i = 0; i < columns; i++) {
                row.set(i, i == generator ? elements.get(e) : wide.get(i));
            }
            out.emit(row);
        }
    }

    @Override
    public void onEpoch(long epochId, Output<Row> out) {
        if (clock != null) {
            readClock();
        }
    }

    private void readClock() {
        long micros = clock.time() * 1_000L;
        if (filter != null) {
            filter.context().currentTimestampMicros = micros;
        }
        if (projection != null) {
            projection.context().currentTimestampMicros = micros;
        }
        timeSet = true;
    }
}
