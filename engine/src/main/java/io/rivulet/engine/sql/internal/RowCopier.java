package io.rivulet.engine.sql.internal;

import io.rivulet.engine.RecordCopier;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

/**
 * Copies rows of one schema into a keyed exchange's ring slots ({@link RecordCopier}), so the operator emitting
 * them may refill one row for every record. Stateless and thread-safe.
 */
public final class RowCopier implements RecordCopier<Row> {
    private final StructType schema;

    /**
     * @param schema the rows' schema
     */
    public RowCopier(StructType schema) {
        this.schema = schema;
    }

    @Override
    public Row newInstance() {
        return MutableRow.create(schema);
    }

    @Override
    public void copy(Row from, Row into) {
        if (from instanceof PackedRow p && into instanceof PackedRow q) {
            q.copyFrom(p);
            return;
        }
        MutableRow target = (MutableRow) into;
        for (int i = 0; i < schema.size(); i++) {
            target.set(i, from.get(i));
        }
    }
}
