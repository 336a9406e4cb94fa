package io.rivulet.engine.types;

/**
 * Exact decimal numbers with a fixed precision (total digits, 1 to {@value #MAX_PRECISION}) and scale (digits
 * after the point, 0 to precision), as Spark's {@code DecimalType}; Java {@link java.math.BigDecimal} at the
 * edges. DDL {@code DECIMAL}, {@code DEC}, {@code NUMERIC}, each with optional {@code (precision[, scale])};
 * without parameters {@code DECIMAL} is {@link #USER_DEFAULT} {@code decimal(10,0)}, as in Spark.
 * <p>
 * Immutable and thread-safe; equal when precision and scale are.
 */
public final class DecimalType extends DataType {
    /** The largest precision (and scale) Spark allows. */
    public static final int MAX_PRECISION = 38;
    /** The largest scale Spark allows. */
    public static final int MAX_SCALE = 38;
    /** {@code decimal(10,0)}: what {@code DECIMAL} without parameters means. */
    public static final DecimalType USER_DEFAULT = new DecimalType(10, 0);
    /** {@code decimal(38,18)}: what a Java {@link java.math.BigDecimal} is inferred as. */
    public static final DecimalType SYSTEM_DEFAULT = new DecimalType(38, 18);

    private final int precision;
    private final int scale;

    /**
     * A decimal type.
     *
     * @param precision total number of digits, 1 to {@value #MAX_PRECISION}.
     * @param scale     digits after the decimal point, 0 to {@code precision}.
     * @throws IllegalArgumentException if precision or scale is out of range.
     */
    public DecimalType(int precision, int scale) {
        if (precision < 1 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException(
                "decimal precision must be between 1 and " + MAX_PRECISION + ", got " + precision);
        }
        if (scale < 0 || scale > precision) {
            throw new IllegalArgumentException(
                "decimal scale must be between 0 and the precision (" + precision + "), got " + scale);
        }
        this.precision = precision;
        this.scale = scale;
    }

    /** {@code decimal(10,0)}, Spark's {@code new DecimalType()}. */
    public DecimalType() {
        this(10, 0);
    }

    /**
     * @return total number of digits.
     */
    public int precision() {
        return precision;
    }

    /**
     * @return digits after the decimal point.
     */
    public int scale() {
        return scale;
    }

    @Override
    public String typeName() {
        return "decimal(" + precision + "," + scale + ")";
    }

    @Override
    public String toString() {
        return "DecimalType(" + precision + "," + scale + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecimalType d && d.precision == precision && d.scale == scale;
    }

    @Override
    public int hashCode() {
        return 31 * precision + scale;
    }
}
