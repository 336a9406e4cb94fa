package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Encoder;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.util.Objects;

/**
 * The encoder of rows of one schema ({@code Encoders.row(schema)}, Spark's {@code RowEncoder}): the
 * encoder of a DataFrame. {@link #fromRow} returns the row itself; {@link #toRow} copies field by
 * field, fixed-width values unboxed. Immutable and thread-safe.
 */
public final class RowEncoder implements Encoder<Row> {
    private final StructType schema;

    /**
     * @param schema the rows' schema
     */
    public RowEncoder(StructType schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public Class<Row> clazz() {
        return Row.class;
    }

    @Override
    public void toRow(Row value, MutableRow into) {
        Objects.requireNonNull(value, "value");
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            RowConversions.copy(value, i, into, i, fields[i].dataType());
        }
    }

    @Override
    public Row fromRow(Row row) {
        return row;
    }

    @Override
    public String toString() {
        return "RowEncoder(" + schema.simpleString() + ")";
    }
}
