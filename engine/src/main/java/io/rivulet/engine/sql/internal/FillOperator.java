package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;

import java.util.function.BiConsumer;

/**
 * Turns a refilling connector's records into rows ({@code ConnectorSource.refilling}): into one row refilled for
 * every record when the rows' consumers allow it ({@link RowReuse}), else into a new row per record.
 *
 * <p>Not thread-safe; one per task, owned by the task's thread.
 *
 * @param <T> the source's record type
 */
public final class FillOperator<T> implements Operator<T, Row> {
    private final StructType schema;
    private final BiConsumer<? super T, ? super MutableRow> fill;
    /** The reused row, or {@code null} for a new row per record. */
    private final MutableRow row;

    /**
     * @param schema the rows' schema
     * @param fill writes a record into a row
     * @param reuse whether one row is refilled for every record
     */
    public FillOperator(StructType schema, BiConsumer<? super T, ? super MutableRow> fill, boolean reuse) {
        this.schema = schema;
        this.fill = fill;
        this.row = reuse ? MutableRow.create(schema) : null;
    }

    @Override
    public void process(T record, Output<Row> out) {
        MutableRow r = row != null ? row : MutableRow.create(schema);
        fill.accept(record, r);
        out.emit(r);
    }
}
