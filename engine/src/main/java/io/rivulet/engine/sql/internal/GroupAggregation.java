package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.expressions.Aggregate;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.operators.function.AggregateFunction;

import java.util.List;

/**
 * The aggregates of a structured {@code groupBy(..).agg(..)} as one typed {@link AggregateFunction}, so the
 * aggregation runs on the typed API's keyed and windowed operators (and checkpoints as they do). Its input rows
 * are pre-projected (or the input rows themselves): the value of aggregate {@code i}'s argument is column
 * {@code inputs[i]}, or {@code -1} for {@code count} of a non-null literal (every row counts). The accumulator
 * is an {@code Object[]} with one slot of plain values per aggregate ({@code long[]}, {@code double[]},
 * {@code String[]}), which the engine's default state codec writes and copies. Supported: {@code count},
 * {@code sum}, {@code avg}, {@code min}, {@code max} of non-decimal numbers, timestamps, dates ({@code min}/{@code
 * max} of strings too). The result is a new row of {@link #resultSchema()}.
 *
 * <p>Immutable and thread-safe; the accumulators are owned by the partition's thread.
 */
public final class GroupAggregation implements AggregateFunction<Row, Object[], Row> {
    private static final byte COUNT = 0;
    private static final byte SUM_LONG = 1;
    private static final byte SUM_DOUBLE = 2;
    private static final byte AVG = 3;
    private static final byte MIN_LONG = 4;
    private static final byte MAX_LONG = 5;
    private static final byte MIN_DOUBLE = 6;
    private static final byte MAX_DOUBLE = 7;
    private static final byte MIN_STRING = 8;
    private static final byte MAX_STRING = 9;

    private final byte[] kinds;
    private final int[] inputs;
    private final byte[] inputKinds;
    private final StructType resultSchema;

    /**
     * @param aggregates the resolved aggregates, in output order
     * @param names their output column names
     * @param inputs the column of each aggregate's argument in the pre-projected row
     * @param inputSchema the pre-projected rows' schema
     * @throws AnalysisException for a distinct aggregate (Spark's streaming error) or one not supported yet
     */
    public GroupAggregation(List<Aggregate> aggregates, List<String> names, int[] inputs, StructType inputSchema) {
        int n = aggregates.size();
        this.kinds = new byte[n];
        this.inputs = inputs.clone();
        this.inputKinds = new byte[n];
        StructField[] fields = new StructField[n];
        for (int i = 0; i < n; i++) {
            Aggregate a = aggregates.get(i);
            // -1: count of a non-null literal, which counts rows
            DataType in = inputs[i] < 0 ? DataTypes.IntegerType : inputSchema.apply(inputs[i]).dataType();
            inputKinds[i] = RowKind.of(in);
            kinds[i] = kind(a, in, inputKinds[i]);
            fields[i] = new StructField(names.get(i), a.dataType(), a.nullable());
        }
        this.resultSchema = new StructType(fields);
    }

    private static byte kind(Aggregate a, DataType in, byte inKind) {
        if (!a.streamable()) {
            throw new AnalysisException(null, "Distinct aggregations are not supported on streaming DataFrames/Datasets."
                + " Consider using approx_count_distinct() instead.");
        }
        boolean longLike = inKind == RowKind.INT || inKind == RowKind.LONG || inKind == RowKind.SHORT
            || inKind == RowKind.BYTE || inKind == RowKind.TIMESTAMP || inKind == RowKind.DATE;
        boolean doubleLike = inKind == RowKind.DOUBLE || inKind == RowKind.FLOAT;
        switch (a.name()) {
            case "count":
                return COUNT;
            case "sum":
                if (longLike && in != DataTypes.TimestampType && in != DataTypes.DateType) {
                    return SUM_LONG;
                }
                if (doubleLike) {
                    return SUM_DOUBLE;
                }
                break;
            case "avg":
                if (doubleLike || longLike && in != DataTypes.TimestampType && in != DataTypes.DateType) {
                    return AVG;
                }
                break;
            case "min", "max":
                boolean max = a.name().equals("max");
                if (longLike) {
                    return max ? MAX_LONG : MIN_LONG;
                }
                if (doubleLike) {
                    return max ? MAX_DOUBLE : MIN_DOUBLE;
                }
                if (inKind == RowKind.STRING) {
                    return max ? MAX_STRING : MIN_STRING;
                }
                break;
            default:
                break;
        }
        throw new AnalysisException("UNSUPPORTED_FEATURE.STREAMING_AGGREGATE", "The aggregate " + a.sql() + " of type \""
            + in.sql() + "\" is not supported in a streaming groupBy yet: count, sum, avg, min and max of numbers"
            + " (not decimals), timestamps and dates (min/max), and strings (min/max) are.");
    }

    /**
     * @return the schema of the result rows: one column per aggregate
     */
    public StructType resultSchema() {
        return resultSchema;
    }

    @Override
    public Object[] createAccumulator() {
        Object[] acc = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case COUNT -> acc[i] = new long[1];
                case SUM_LONG, MIN_LONG, MAX_LONG -> acc[i] = new long[2];
                case SUM_DOUBLE, AVG, MIN_DOUBLE, MAX_DOUBLE -> acc[i] = new double[2];
                default -> acc[i] = new String[1];
            }
        }
        return acc;
    }

    @Override
    public Object[] add(Object[] acc, Row row) {
        for (int i = 0; i < kinds.length; i++) {
            int c = inputs[i];
            if (c >= 0 && row.isNullAt(c)) {
                continue;
            }
            switch (kinds[i]) {
                case COUNT -> ((long[]) acc[i])[0]++;
                case SUM_LONG -> {
                    long[] s = (long[]) acc[i];
                    s[0] += longValue(row, c, inputKinds[i]);
                    s[1] = 1;
                }
                case SUM_DOUBLE, AVG -> {
                    double[] s = (double[]) acc[i];
                    s[0] += doubleValue(row, c, inputKinds[i]);
                    s[1]++;
                }
                case MIN_LONG, MAX_LONG -> takeLong((long[]) acc[i], longValue(row, c, inputKinds[i]), 1, kinds[i] == MAX_LONG);
                case MIN_DOUBLE, MAX_DOUBLE -> takeDouble((double[]) acc[i], doubleValue(row, c, inputKinds[i]), 1,
                    kinds[i] == MAX_DOUBLE);
                default -> takeString((String[]) acc[i], row.getString(c), kinds[i] == MAX_STRING);
            }
        }
        return acc;
    }

    @Override
    public Object[] merge(Object[] a, Object[] b) {
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case COUNT -> ((long[]) a[i])[0] += ((long[]) b[i])[0];
                case SUM_LONG -> {
                    long[] x = (long[]) a[i];
                    long[] y = (long[]) b[i];
                    x[0] += y[0];
                    x[1] |= y[1];
                }
                case SUM_DOUBLE, AVG -> {
                    double[] x = (double[]) a[i];
                    double[] y = (double[]) b[i];
                    x[0] += y[0];
                    x[1] += y[1];
                }
                case MIN_LONG, MAX_LONG -> {
                    long[] y = (long[]) b[i];
                    takeLong((long[]) a[i], y[0], y[1], kinds[i] == MAX_LONG);
                }
                case MIN_DOUBLE, MAX_DOUBLE -> {
                    double[] y = (double[]) b[i];
                    takeDouble((double[]) a[i], y[0], y[1], kinds[i] == MAX_DOUBLE);
                }
                default -> takeString((String[]) a[i], ((String[]) b[i])[0], kinds[i] == MAX_STRING);
            }
        }
        return a;
    }

    @Override
    public Row result(Object[] acc) {
        MutableRow out = MutableRow.create(resultSchema);
        for (int i = 0; i < kinds.length; i++) {
            switch (kinds[i]) {
                case COUNT -> out.setLong(i, ((long[]) acc[i])[0]);
                case SUM_LONG -> {
                    long[] s = (long[]) acc[i];
                    if (s[1] == 0) {
                        out.setNull(i);
                    } else {
                        out.setLong(i, s[0]);
                    }
                }
                case SUM_DOUBLE, AVG -> {
                    double[] s = (double[]) acc[i];
                    if (s[1] == 0) {
                        out.setNull(i);
                    } else {
                        out.setDouble(i, kinds[i] == AVG ? s[0] / s[1] : s[0]);
                    }
                }
                case MIN_LONG, MAX_LONG -> {
                    long[] s = (long[]) acc[i];
                    if (s[1] == 0) {
                        out.setNull(i);
                    } else {
                        setLongLike(out, i, s[0], inputKinds[i]);
                    }
                }
                case MIN_DOUBLE, MAX_DOUBLE -> {
                    double[] s = (double[]) acc[i];
                    if (s[1] == 0) {
                        out.setNull(i);
                    } else if (inputKinds[i] == RowKind.FLOAT) {
                        out.setFloat(i, (float) s[0]);
                    } else {
                        out.setDouble(i, s[0]);
                    }
                }
                default -> out.setString(i, ((String[]) acc[i])[0]);
            }
        }
        return out;
    }

    private static long longValue(Row row, int c, byte kind) {
        return switch (kind) {
            case RowKind.INT -> row.getInt(c);
            case RowKind.SHORT -> row.getShort(c);
            case RowKind.BYTE -> row.getByte(c);
            case RowKind.TIMESTAMP -> row.getTimestampMicros(c);
            case RowKind.DATE -> row.getDateDays(c);
            default -> row.getLong(c);
        };
    }

    private static double doubleValue(Row row, int c, byte kind) {
        return switch (kind) {
            case RowKind.DOUBLE -> row.getDouble(c);
            case RowKind.FLOAT -> row.getFloat(c);
            default -> longValue(row, c, kind);
        };
    }

    private static void setLongLike(MutableRow out, int i, long v, byte kind) {
        switch (kind) {
            case RowKind.INT -> out.setInt(i, (int) v);
            case RowKind.SHORT -> out.setShort(i, (short) v);
            case RowKind.BYTE -> out.setByte(i, (byte) v);
            case RowKind.TIMESTAMP -> out.setTimestampMicros(i, v);
            case RowKind.DATE -> out.setDateDays(i, (int) v);
            default -> out.setLong(i, v);
        }
    }

    private static void takeLong(long[] best, long v, long any, boolean max) {
        if (any != 0 && (best[1] == 0 || (max ? v > best[0] : v < best[0]))) {
            best[0] = v;
            best[1] = 1;
        }
    }

    private static void takeDouble(double[] best, double v, double any, boolean max) {
        if (any != 0 && (best[1] == 0 || (max ? Double.compare(v, best[0]) > 0 : Double.compare(v, best[0]) < 0))) {
            best[0] = v;
            best[1] = 1;
        }
    }

    private static void takeString(String[] best, String v, boolean max) {
        if (v != null && (best[0] == null || (max ? v.compareTo(best[0]) > 0 : v.compareTo(best[0]) < 0))) {
            best[0] = v;
        }
    }
}
