package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.window.Window;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The key of a structured {@code groupBy}'s keyed stage. Grouping by one {@code INT} or {@code BIGINT} column, the
 * key is the column's boxed value, for values 0 to 4095 one of 4096 boxes allocated together once per JVM (nothing
 * is allocated per row, the box is not read, and the boxes a map probe reads sit on few cache lines), else boxed per
 * row;
 * any other grouping (several columns, another type, a NULL value) has the list of the grouping values as its key.
 * Keys are immutable values (equal and hashed by value), as the keyed stage and its checkpoints need. A
 * {@link PackedRow}'s key and event time are read as its raw bits (the column's kind is checked once, here).
 */
public final class GroupKeys {
    /** Values 0 to this - 1 of a single-column key have a shared box each (a power of two). */
    private static final int CACHE_SLOTS = 4096;

    private GroupKeys() {
    }

    /**
     * @param schema  the pre-projected rows' schema
     * @param columns the grouping columns in it
     * @return the key function; stateless and thread-safe
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
     * The event time of a structured window's rows: a {@code TIMESTAMP} column in milliseconds (floored), or
     * {@link Window#NO_EVENT_TIME} where it is NULL, which the window stage drops (Spark's {@code window} and
     * {@code session_window} filter out rows with a NULL time): the null test and the drop are part of the window
     * stage's own event-time read, not an operator of their own before it.
     *
     * @param schema the keyed stage's rows' schema
     * @param column the event-time column in it
     * @return the function; stateless and thread-safe (on a column of another type it reads the column with
     *     {@link Row#getTimestampMicros}, which throws)
     */
    public static ToLongFunction<Row> eventTimeMs(StructType schema, int column) {
        if (RowKind.of(schema.apply(column).dataType()) != RowKind.TIMESTAMP) {
            return row -> row.isNullAt(column) ? Window.NO_EVENT_TIME : Math.floorDiv(row.getTimestampMicros(column), 1_000L);
        }
        return row -> {
            if (row instanceof PackedRow p) {
                return p.isNullAt(column) ? Window.NO_EVENT_TIME : Math.floorDiv(p.bits(column), 1_000L);
            }
            return row.isNullAt(column) ? Window.NO_EVENT_TIME : Math.floorDiv(row.getTimestampMicros(column), 1_000L);
        };
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
        /** The boxes of 0 to {@link #CACHE_SLOTS} - 1, allocated together (adjacent in memory) once. */
        private static final Integer[] BOXES = new Integer[CACHE_SLOTS];

        static {
            for (int v = 0; v < CACHE_SLOTS; v++) {
                BOXES[v] = v;
            }
        }

        private final int column;

        IntKey(int column) {
            this.column = column;
        }

        @Override
        public Object apply(Row row) {
            if (row.isNullAt(column)) {
                return list(row, new int[] {column});
            }
            // a packed row's bits need no kind check: the column's kind was checked when this was made
            int v = row instanceof PackedRow p ? (int) p.bits(column) : row.getInt(column);
            // small non-negative values: a shared box, not read here
            return (v & ~(CACHE_SLOTS - 1)) == 0 ? BOXES[v] : Integer.valueOf(v);
        }
    }

    /** A single {@code BIGINT} grouping column. */
    private static final class LongKey implements Function<Row, Object> {
        /** The boxes of 0 to {@link #CACHE_SLOTS} - 1, allocated together (adjacent in memory) once. */
        private static final Long[] BOXES = new Long[CACHE_SLOTS];

        static {
            for (int v = 0; v < CACHE_SLOTS; v++) {
                BOXES[v] = (long) v;
            }
        }

        private final int column;

        LongKey(int column) {
            this.column = column;
        }

        @Override
        public Object apply(Row row) {
            if (row.isNullAt(column)) {
                return list(row, new int[] {column});
            }
            long v = row instanceof PackedRow p ? p.bits(column) : row.getLong(column);
            return (v & ~(long) (CACHE_SLOTS - 1)) == 0 ? BOXES[(int) v] : Long.valueOf(v);
        }
    }
}
