package io.rivulet.engine.sql;

/**
 * Spark's Java factory of rows: {@code RowFactory.create(1, "a", null)}. Stateless and thread-safe.
 */
public final class RowFactory {
    private RowFactory() {
    }

    /**
     * A row without a schema (see {@link Row#withoutSchema(Object...)}); give it one with
     * {@link Row#of(io.rivulet.engine.types.StructType, Object...)} where a schema is known.
     *
     * @param values the values, in order; copied.
     * @return the row.
     */
    public static Row create(Object... values) {
        return Row.withoutSchema(values);
    }
}
