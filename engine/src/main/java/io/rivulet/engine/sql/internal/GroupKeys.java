package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The key of a structured {@code groupBy}'s keyed stage. Grouping by one {@code INT} or {@code BIGINT} column, the
 * key is the column's boxed value, for values 0 to 4095 taken from a cache indexed by the value (nothing is
 * allocated per row, and the box is not read), else boxed per row;
 * any other grouping (several columns, another type, a NULL value) has the list of the grouping values as its key.
 * Keys are immutable values (equal and hashed by value), as the keyed stage and its checkpoints need.
 */
public final class GroupKeys {
    /** Slots of a single-column key's cache (a power of two); values are cached by their low bits. */
    private static final int CACHE_SLOTS = 4096;

    private GroupKeys() {
    }

    /**
     * @param schema  the pre-projected rows' schema
     * @param columns the grouping columns in it
     * @return the key function; thread-safe (its cache is a racy array of immutable boxes)
     */
    public static Function<Row, Object> of(StructType schema, int[] columns) {
        if (columns.length == 1) {
            byte kind = RowKind.of(schema.apply(columns[0]).dataType());
            if (kind == RowKind.INT) {
                return new IntKey(columns[0]);
            } else if (kind == RowKind.LONG) {
                return new LongKey(columns[0]);
            }
        }
        int[] c = columns.clone();
        return row -> list(row, c);
    }

    /**
     * @param key a key made by a function of {@link #of}
     * @param k   a grouping column's position among the grouping columns
     * @return its value in the key
     */
    public static Object value(Object key, int k) {
        return key instanceof List<?> values ? values.get(k) : key;
    }

    private static List<Object> list(Row row, int[] columns) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = row.get(columns[i]);
        }
        return Arrays.asList(values);
    }

    /** A single {@code INT} grouping column. */
    private static final class IntKey implements Function<Row, Object> {
        private final int column;
        private final Integer[] cache = new Integer[CACHE_SLOTS];

        IntKey(int column) {
            this.column = column;
        }

        @Override
        public Object apply(Row row) {
            if (row.isNullAt(column)) {
                return list(row, new int[] {column});
            }
            int v = row.getInt(column);
            if ((v & ~(CACHE_SLOTS - 1)) == 0) {
                // small non-negative values: one slot each, the box is not read
                Integer key = cache[v];
                if (key == null) {
                    key = v;
                    cache[v] = key;
                }
                return key;
            }
            return v;
        }
    }

    /** A single {@code BIGINT} grouping column. */
    private static final class LongKey implements Function<Row, Object> {
        private final int column;
        private final Long[] cache = new Long[CACHE_SLOTS];

        LongKey(int column) {
            this.column = column;
        }

        @Override
        public Object apply(Row row) {
            if (row.isNullAt(column)) {
                return list(row, new int[] {column});
            }
            long v = row.getLong(column);
            if ((v & ~(long) (CACHE_SLOTS - 1)) == 0) {
                // small non-negative values: one slot each, the box is not read
                Long key = cache[(int) v];
                if (key == null) {
                    key = v;
                    cache[(int) v] = key;
                }
                return key;
            }
            return v;
        }
    }
}
