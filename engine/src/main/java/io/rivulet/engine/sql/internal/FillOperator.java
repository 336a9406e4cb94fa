package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.Operator;
import io.rivulet.operators.Output;

import java.util.function.BiConsumer;

/**
 * Turns a refilling connector's records into rows ({@code ConnectorSource.refilling}): into one row refilled for
 * every record when the rows' consumers allow it ({@link RowReuse}), else into a new row per record. The fill
 * writes through the schema's generated {@link FillWriter} ({@link FillCompiler}: each setter a slot write, the
 * null flags written once per record); with generation off it writes the {@link PackedRow} itself.
 *
 * <p>Not thread-safe; one per task, owned by the task's thread.
 *
 * @param <T> the source's record type
 */
public final class FillOperator<T> implements Operator<T, Row> {
    private final StructType schema;
    private final BiConsumer<? super T, ? super MutableRow> fill;
    /** The reused row, or {@code null} for a new row per record. */
    private final PackedRow row;
    /** The generated writer, bound to {@link #row} when it is reused; {@code null}: the fill writes the row. */
    private final FillWriter writer;

    /**
     * @param schema the rows' schema
     * @param fill writes a record into a row
     * @param reuse whether one row is refilled for every record
     */
    public FillOperator(StructType schema, BiConsumer<? super T, ? super MutableRow> fill, boolean reuse) {
        this(schema, fill, reuse, true);
    }

    /**
     * @param schema the rows' schema
     * @param fill writes a record into a row
     * @param reuse whether one row is refilled for every record
     * @param generated whether the fill writes through the generated writer (when generation is on), else into the
     *     row's own setters (the reference the generated one is tested against)
     */
    public FillOperator(StructType schema, BiConsumer<? super T, ? super MutableRow> fill, boolean reuse,
                        boolean generated) {
        this.schema = schema;
        this.fill = fill;
        this.row = reuse ? new PackedRow(schema) : null;
        this.writer = generated ? FillCompiler.writer(schema) : null;
        if (writer != null && row != null) {
            writer.bind(row);
        }
    }

    @Override
    public void process(T record, Output<Row> out) {
        if (writer == null) {
            MutableRow r = row != null ? row : new PackedRow(schema);
            fill.accept(record, r);
            out.emit(r);
            return;
        }
        PackedRow r = row;
        if (r == null) {
            r = new PackedRow(schema);
            writer.bind(r);
        }
        fill.accept(record, writer);
        writer.sync();
        out.emit(r);
    }
}
