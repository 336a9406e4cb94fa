package io.rivulet.engine.sql.internal.formats;

import io.rivulet.engine.source.file.FileSource;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.BooleanType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DateType;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.DoubleType;
import io.rivulet.engine.types.IntegerType;
import io.rivulet.engine.types.LongType;
import io.rivulet.engine.types.NullType;
import io.rivulet.engine.types.StringType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.engine.types.TimestampType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spark's csv schema inference ({@code inferSchema=true}, Spark's {@code CSVInferSchema}): the column names of
 * {@link FileSource#csvStringSchema} (the header, or {@code _c0}, {@code _c1}, ...), each column's type inferred over
 * every row of every file (or a {@code samplingRatio} of them). A value is tried, from the type inferred so far up,
 * as {@code int}, {@code bigint}, {@code decimal(p,0)} (a whole number beyond {@code bigint}), {@code double}
 * ({@code nanValue}/{@code positiveInf}/{@code negativeInf} too), {@code date} (with {@code preferDate}, Spark's
 * default: the {@code dateFormat} or {@code yyyy-MM-dd}, strictly), {@code timestamp} (the {@code timestampFormat}, or
 * Spark's default lenient timestamp shape), {@code boolean} ({@code true}/{@code false}, any case), else
 * {@code string}; the column's type is the common type of its values' types (Spark's widening: int and bigint to
 * bigint, a number and a double to double, a date and a timestamp to timestamp when no formats are set; else
 * string). NULL ({@code nullValue}) and empty values do not decide; a column with none but them is a string. Every
 * column is nullable. The rows are tokenized as the read tokenizes them (same options, PERMISSIVE), so that the
 * inferred types read back.
 *
 * <p>Stateless; runs on the caller's thread, reading the files once.
 */
public final class CsvSchemaInference {
    /** Date formats Spark's lenient timestamp parser reads too (a date-and-timestamp column is then a timestamp). */
    private static final Set<String> LENIENT_DATE_FORMATS =
        Set.of("yyyy-MM-dd", "yyyy-M-d", "yyyy-M-dd", "yyyy-MM-d", "yyyy-MM", "yyyy-M", "yyyy");
    private static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd";
    private static final int INT_PRECISION = 10;
    private static final int LONG_PRECISION = 20;

    private final String nullValue;
    private final String nanValue;
    private final String positiveInf;
    private final String negativeInf;
    private final boolean preferDate;
    private final String dateFormat;
    private final String timestampFormat;
    /** Strict date parser of the inferred dates ({@code dateFormat} or {@code yyyy-MM-dd}). */
    private final DateTimes dates;
    /** Timestamp parser: the {@code timestampFormat}, strictly, or Spark's default shape. */
    private final DateTimes timestamps;

    private CsvSchemaInference(Map<String, String> options) {
        this.nullValue = options.getOrDefault("nullValue", "");
        this.nanValue = options.getOrDefault("nanValue", "NaN");
        this.positiveInf = options.getOrDefault("positiveInf", "Inf");
        this.negativeInf = options.getOrDefault("negativeInf", "-Inf");
        this.preferDate = Boolean.parseBoolean(options.getOrDefault("preferDate", "true").trim());
        this.dateFormat = options.get("dateFormat");
        this.timestampFormat = options.get("timestampFormat");
        String zoneId = options.get("timeZone");
        ZoneId zone = zoneId == null ? ZoneOffset.UTC : RowFormatOptions.zone(zoneId);
        this.dates = new DateTimes(zone, null, dateFormat != null ? dateFormat : DEFAULT_DATE_FORMAT, false);
        this.timestamps = new DateTimes(zone, timestampFormat, null, false);
    }

    /**
     * Whether the options ask for inference: {@code inferSchema} is true (compared ignoring case, as its value).
     *
     * @param options the read's options, names in any case
     * @return whether {@code inferSchema=true}
     */
    public static boolean requested(Map<String, String> options) {
        String infer = caseInsensitive(options).get("inferSchema");
        return infer != null && Boolean.parseBoolean(infer.trim());
    }

    /**
     * The schema of the csv rows at {@code path}: inferred with {@code inferSchema=true}, else Spark's string columns
     * ({@link FileSource#csvStringSchema}).
     *
     * @param path a csv file or a directory of them
     * @param options the read's options (Spark's names, any case), validated as the csv file source validates them
     * @return the schema; no column when there is no line to name them
     * @throws java.nio.file.NoSuchFileException if nothing is at {@code path}
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it; Spark's
     *     {@code requirement failed: samplingRatio (0.0) should be greater than 0}
     */
    public static StructType infer(Path path, Map<String, String> options) throws IOException {
        StructType strings = FileSource.csvStringSchema(path, options);
        if (!requested(options) || strings.size() == 0) {
            return strings;
        }
        Map<String, String> named = caseInsensitive(options);
        double ratio = samplingRatio(named.get("samplingRatio"));
        FileSource<Row> source = FileSource.csv(path, strings);
        for (Map.Entry<String, String> option : options.entrySet()) {
            source = source.option(option.getKey(), option.getValue());
        }
        // a malformed line still gives its tokens, as Spark's inference tokenizes every line
        List<Row> rows = source.option("mode", "PERMISSIVE").readAll();
        CsvSchemaInference inference = new CsvSchemaInference(named);
        DataType[] types = new DataType[strings.size()];
        Arrays.fill(types, DataTypes.NullType);
        // Spark samples with its own generator: the rows sampled here are another (fixed) selection
        Random sampler = new Random(1);
        for (Row row : rows) {
            if (ratio <= 0.99 && sampler.nextDouble() >= ratio) {
                continue;
            }
            for (int i = 0; i < types.length; i++) {
                Object value = row.get(i);
                types[i] = inference.inferField(types[i], value == null ? null : value.toString());
            }
        }
        StructField[] fields = strings.fields();
        StructType schema = new StructType();
        for (int i = 0; i < fields.length; i++) {
            schema = schema.add(fields[i].name(), types[i] instanceof NullType ? DataTypes.StringType : types[i], true);
        }
        return schema;
    }

    private static double samplingRatio(String value) {
        if (value == null) {
            return 1.0;
        }
        double ratio;
        try {
            ratio = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("samplingRatio must be a number in (0, 1], got '" + value + "'", e);
        }
        if (!(ratio > 0)) {
            throw new IllegalArgumentException("requirement failed: samplingRatio (" + ratio + ") should be greater than 0");
        }
        return ratio;
    }

    private static Map<String, String> caseInsensitive(Map<String, String> options) {
        Map<String, String> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        named.putAll(options);
        return named;
    }

    /** The type of a column inferred so far with one more value (Spark's {@code inferField}). */
    DataType inferField(DataType soFar, String field) {
        if (field == null || field.isEmpty() || field.equals(nullValue)) {
            return soFar;
        }
        DataType value;
        if (soFar instanceof NullType || soFar instanceof IntegerType) {
            value = tryInt(field);
        } else if (soFar instanceof LongType) {
            value = tryLong(field);
        } else if (soFar instanceof DecimalType) {
            value = tryDecimal(field);
        } else if (soFar instanceof DoubleType) {
            value = tryDouble(field);
        } else if (soFar instanceof DateType) {
            value = tryDate(field);
        } else if (soFar instanceof TimestampType) {
            value = tryTimestamp(field);
        } else if (soFar instanceof BooleanType) {
            value = tryBoolean(field);
        } else {
            value = DataTypes.StringType;
        }
        DataType common = compatible(soFar, value);
        return common != null ? common : DataTypes.StringType;
    }

    private DataType tryInt(String field) {
        try {
            Integer.parseInt(field);
            return DataTypes.IntegerType;
        } catch (NumberFormatException e) {
            return tryLong(field);
        }
    }

    private DataType tryLong(String field) {
        try {
            Long.parseLong(field);
            return DataTypes.LongType;
        } catch (NumberFormatException e) {
            return tryDecimal(field);
        }
    }

    /** A whole number as {@code decimal(precision, 0)}; a fraction, an exponent or over 38 digits: on to double. */
    private DataType tryDecimal(String field) {
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(field);
        } catch (NumberFormatException e) {
            return tryDouble(field);
        }
        if (decimal.scale() != 0 || decimal.precision() > DecimalType.MAX_PRECISION) {
            return tryDouble(field);
        }
        return new DecimalType(decimal.precision(), 0);
    }

    private DataType tryDouble(String field) {
        if (field.equals(nanValue) || field.equals(positiveInf) || field.equals(negativeInf)) {
            return DataTypes.DoubleType;
        }
        try {
            Double.parseDouble(field);
            return DataTypes.DoubleType;
        } catch (NumberFormatException e) {
            return preferDate ? tryDate(field) : tryTimestamp(field);
        }
    }

    private DataType tryDate(String field) {
        char[] c = field.toCharArray();
        try {
            dates.dateDays(c, 0, c.length);
            return DataTypes.DateType;
        } catch (DateTimeException | ArithmeticException e) {
            return tryTimestamp(field);
        }
    }

    private DataType tryTimestamp(String field) {
        char[] c = field.toCharArray();
        try {
            timestamps.timestampMicros(c, 0, c.length);
            return DataTypes.TimestampType;
        } catch (DateTimeException | ArithmeticException e) {
            return tryBoolean(field);
        }
    }

    private static DataType tryBoolean(String field) {
        return field.equalsIgnoreCase("true") || field.equalsIgnoreCase("false") ? DataTypes.BooleanType : DataTypes.StringType;
    }

    /** Spark's csv {@code compatibleType}: the tightest common type, then the csv rules; null if there is none. */
    private DataType compatible(DataType a, DataType b) {
        if (a.equals(b)) {
            return a;
        }
        if (a instanceof NullType) {
            return b;
        }
        if (b instanceof NullType) {
            return a;
        }
        if ((a instanceof DateType && b instanceof TimestampType) || (a instanceof TimestampType && b instanceof DateType)) {
            // the default timestamp parser also reads the default dates: the column reads as timestamps
            boolean datesAreTimestamps = timestampFormat == null
                && LENIENT_DATE_FORMATS.contains(dateFormat != null ? dateFormat : DEFAULT_DATE_FORMAT);
            return datesAreTimestamps ? DataTypes.TimestampType : DataTypes.StringType;
        }
        if (a instanceof StringType || b instanceof StringType) {
            return DataTypes.StringType;
        }
        int ra = numericRank(a);
        int rb = numericRank(b);
        if (ra > 0 && rb > 0) {
            return ra >= rb ? a : b;
        }
        if (a instanceof DecimalType da && b instanceof DecimalType db) {
            return widerDecimal(da, db);
        }
        if (a instanceof DecimalType da && rb > 0) {
            return rb == 3 ? DataTypes.DoubleType : widerDecimal(da, new DecimalType(rb == 1 ? INT_PRECISION : LONG_PRECISION, 0));
        }
        if (b instanceof DecimalType db && ra > 0) {
            return ra == 3 ? DataTypes.DoubleType : widerDecimal(new DecimalType(ra == 1 ? INT_PRECISION : LONG_PRECISION, 0), db);
        }
        return null;
    }

    /** 1 int, 2 bigint, 3 double; 0 for any other type. */
    private static int numericRank(DataType t) {
        if (t instanceof IntegerType) {
            return 1;
        }
        if (t instanceof LongType) {
            return 2;
        }
        return t instanceof DoubleType ? 3 : 0;
    }

    private static DataType widerDecimal(DecimalType a, DecimalType b) {
        int scale = Math.max(a.scale(), b.scale());
        int range = Math.max(a.precision() - a.scale(), b.precision() - b.scale());
        return range + scale > DecimalType.MAX_PRECISION ? DataTypes.DoubleType : new DecimalType(range + scale, scale);
    }
}
