package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.Row;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Value equality, hashing and printing shared by every {@link Row} implementation, with Spark's rules: values
 * compared pairwise, floating point by {@code ==} with NaN equal to NaN, binary by content; printed as
 * {@code [1,a,null]}. Stateless.
 */
public final class Rows {
    private Rows() {
    }

    /**
     * @param row   a row.
     * @param other anything.
     * @return whether {@code other} is a row with equal values.
     */
    public static boolean equal(Row row, Object other) {
        if (row == other) {
            return true;
        }
        if (!(other instanceof Row that) || that.size() != row.size()) {
            return false;
        }
        for (int i = 0; i < row.size(); i++) {
            if (!valueEqual(row.get(i), that.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param row a row.
     * @return a hash consistent with {@link #equal(Row, Object)}.
     */
    public static int hash(Row row) {
        int h = 1;
        for (int i = 0; i < row.size(); i++) {
            h = 31 * h + valueHash(row.get(i));
        }
        return h;
    }

    /**
     * @param row a row.
     * @return the row as Spark prints it: values by their {@code toString}, comma-separated, in brackets.
     */
    public static String toString(Row row) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object value = row.get(i);
            out.append(value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value));
        }
        return out.append(']').toString();
    }

    static boolean valueEqual(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue() || (x.isNaN() && y.isNaN());
        }
        if (a instanceof Float x && b instanceof Float y) {
            return x.floatValue() == y.floatValue() || (x.isNaN() && y.isNaN());
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!valueEqual(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !valueEqual(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    static int valueHash(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Double d) {
            double x = d == 0.0 ? 0.0 : d;
            return Double.hashCode(Double.isNaN(x) ? Double.NaN : x);
        }
        if (v instanceof Float f) {
            float x = f == 0.0f ? 0.0f : f;
            return Float.hashCode(Float.isNaN(x) ? Float.NaN : x);
        }
        if (v instanceof byte[] bytes) {
            return Arrays.hashCode(bytes);
        }
        if (v instanceof List<?> list) {
            int h = 1;
            for (Object e : list) {
                h = 31 * h + valueHash(e);
            }
            return h;
        }
        if (v instanceof Map<?, ?> map) {
            int h = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                h += valueHash(e.getKey()) ^ valueHash(e.getValue());
            }
            return h;
        }
        return v.hashCode();
    }
}
