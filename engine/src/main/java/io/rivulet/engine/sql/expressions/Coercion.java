package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructType;

import java.util.List;

/**
 * Spark's implicit type coercion (non-ANSI mode), the common cases: numeric widening
 * (tinyint &lt; smallint &lt; int &lt; bigint &lt; float &lt; double; decimal with an integral type stays decimal,
 * with a floating type becomes double), a string in arithmetic becomes double, a string compared with another
 * atomic type is cast to that type (to double against a decimal), date against timestamp compares as timestamp,
 * NULL takes the other side's type. Anything else is a {@code DATATYPE_MISMATCH}. Stateless.
 */
public final class Coercion {
    private Coercion() {
    }

    /**
     * @param t a type.
     * @return whether it is a numeric type.
     */
    public static boolean isNumeric(DataType t) {
        return t == DataTypes.ByteType || t == DataTypes.ShortType || t == DataTypes.IntegerType
            || t == DataTypes.LongType || t == DataTypes.FloatType || t == DataTypes.DoubleType
            || t instanceof DecimalType;
    }

    /**
     * @param t a type.
     * @return whether it is tinyint, smallint, int or bigint.
     */
    public static boolean isIntegral(DataType t) {
        return t == DataTypes.ByteType || t == DataTypes.ShortType || t == DataTypes.IntegerType
            || t == DataTypes.LongType;
    }

    /**
     * @param t a type.
     * @return whether it is atomic (not array, map or struct).
     */
    public static boolean isAtomic(DataType t) {
        return !(t instanceof ArrayType || t instanceof MapType || t instanceof StructType);
    }

    private static int rank(DataType t) {
        if (t == DataTypes.ByteType) {
            return 0;
        } else if (t == DataTypes.ShortType) {
            return 1;
        } else if (t == DataTypes.IntegerType) {
            return 2;
        } else if (t == DataTypes.LongType) {
            return 3;
        } else if (t == DataTypes.FloatType) {
            return 5;
        } else if (t == DataTypes.DoubleType) {
            return 6;
        }
        return 4; // decimal
    }

    /**
     * @param t an integral type.
     * @return the decimal that holds it exactly.
     */
    static DecimalType decimalFor(DataType t) {
        if (t instanceof DecimalType d) {
            return d;
        } else if (t == DataTypes.ByteType) {
            return new DecimalType(3, 0);
        } else if (t == DataTypes.ShortType) {
            return new DecimalType(5, 0);
        } else if (t == DataTypes.IntegerType) {
            return new DecimalType(10, 0);
        }
        return new DecimalType(20, 0);
    }

    /**
     * @param a a numeric type.
     * @param b a numeric type.
     * @return the narrowest type both widen to.
     */
    public static DataType widerNumeric(DataType a, DataType b) {
        if (a.equals(b)) {
            return a;
        }
        boolean decA = a instanceof DecimalType;
        boolean decB = b instanceof DecimalType;
        if (decA || decB) {
            if (a == DataTypes.FloatType || a == DataTypes.DoubleType || b == DataTypes.FloatType
                || b == DataTypes.DoubleType) {
                return DataTypes.DoubleType;
            }
            DecimalType x = decimalFor(a);
            DecimalType y = decimalFor(b);
            int scale = Math.max(x.scale(), y.scale());
            int range = Math.max(x.precision() - x.scale(), y.precision() - y.scale());
            return bounded(range + scale, scale);
        }
        return rank(a) >= rank(b) ? a : b;
    }

    /**
     * Spark's {@code DecimalType.adjustPrecisionScale}: a result wider than 38 digits keeps its integral digits and
     * gives up scale, down to 6.
     *
     * @param precision wanted precision.
     * @param scale     wanted scale.
     * @return the decimal type.
     */
    static DecimalType bounded(int precision, int scale) {
        if (precision <= DecimalType.MAX_PRECISION) {
            return new DecimalType(precision, scale);
        }
        int intDigits = precision - scale;
        int minScale = Math.min(scale, 6);
        int adjusted = Math.max(DecimalType.MAX_PRECISION - intDigits, minScale);
        return new DecimalType(DecimalType.MAX_PRECISION, adjusted);
    }

    /**
     * The type two values are compared in, or null if they cannot be.
     *
     * @param a left type.
     * @param b right type.
     * @return the comparison type.
     */
    public static DataType forComparison(DataType a, DataType b) {
        if (a.equals(b)) {
            return a;
        }
        if (a == DataTypes.NullType) {
            return b;
        }
        if (b == DataTypes.NullType) {
            return a;
        }
        if (isNumeric(a) && isNumeric(b)) {
            return widerNumeric(a, b);
        }
        if ((a == DataTypes.DateType && b == DataTypes.TimestampType)
            || (a == DataTypes.TimestampType && b == DataTypes.DateType)) {
            return DataTypes.TimestampType;
        }
        if (a == DataTypes.StringType && b instanceof DecimalType || b == DataTypes.StringType && a instanceof DecimalType) {
            return DataTypes.DoubleType;
        }
        if (a == DataTypes.StringType && isAtomic(b) && b != DataTypes.BinaryType) {
            return b;
        }
        if (b == DataTypes.StringType && isAtomic(a) && a != DataTypes.BinaryType) {
            return a;
        }
        return null;
    }

    /**
     * The common type of several branches ({@code CASE}, {@code coalesce}, {@code IN}), or null if none: NULLs
     * skipped, numerics widened, date with timestamp is timestamp, a string with another atomic type is string.
     *
     * @param types the branches' types.
     * @return the common type.
     */
    public static DataType common(List<DataType> types) {
        DataType result = DataTypes.NullType;
        for (DataType t : types) {
            if (t == DataTypes.NullType || t.equals(result)) {
                continue;
            }
            if (result == DataTypes.NullType) {
                result = t;
            } else if (isNumeric(result) && isNumeric(t)) {
                result = widerNumeric(result, t);
            } else if ((result == DataTypes.DateType || result == DataTypes.TimestampType)
                && (t == DataTypes.DateType || t == DataTypes.TimestampType)) {
                result = DataTypes.TimestampType;
            } else if ((result == DataTypes.StringType && isAtomic(t)) || (t == DataTypes.StringType && isAtomic(result))) {
                result = DataTypes.StringType;
            } else {
                return null;
            }
        }
        return result;
    }

    /**
     * @param e    a resolved expression.
     * @param type the type wanted.
     * @return {@code e}, or an implicit cast of it to {@code type}.
     */
    public static Expression cast(Expression e, DataType type) {
        if (e.dataType().equals(type)) {
            return e;
        }
        if (e instanceof Literal l && l.value() == null) {
            return Literal.of(null, type);
        }
        return new Cast(e, type, true);
    }
}
