package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one Java type maps to a data type and converts, in a row field and in a nested position (an array element,
 * a map key or value). Values in nested positions are in {@link Row#get(int)}'s representation (Integer, String,
 * Instant, LocalDate, BigDecimal, byte[], List, Map, Row). Immutable once built; thread-safe.
 */
public abstract class ValueCodec {
    static final String SUPPORTED = "String, int/Integer, long/Long, double/Double, float/Float, boolean/Boolean, "
        + "short/Short, byte/Byte, BigDecimal, Instant, java.sql.Timestamp, LocalDate, java.sql.Date, byte[], "
        + "enums, arrays, List<E>, Map<K, V>, and records or beans of these";

    final DataType dataType;

    ValueCodec(DataType dataType) {
        this.dataType = dataType;
    }

    /** @return the data type of this Java type. */
    public DataType dataType() {
        return dataType;
    }

    /** Sets field {@code i} to a non-null Java value. */
    abstract void write(MutableRow row, int i, Object value);

    /** Reads field {@code i}, known not null, as a Java value. */
    abstract Object read(Row row, int i);

    /** A non-null Java value in row representation, for nested positions. */
    abstract Object toRowValue(Object value);

    /** A non-null row-representation value as a Java value, for nested positions. */
    abstract Object fromRowValue(Object value);

    /** Field {@code i} as a Java value, or null. */
    final Object readNullable(Row row, int i) {
        return row.isNullAt(i) ? null : read(row, i);
    }

    /** A Java value, possibly null, written to field {@code i}. */
    final void writeNullable(MutableRow row, int i, Object value) {
        if (value == null) {
            row.setNull(i);
        } else {
            write(row, i, value);
        }
    }

    /**
     * The codec of a Java type in a reference position (a primitive class is taken as its box).
     *
     * @param type     the Java type (a class or a parameterised List/Map).
     * @param where    what is being encoded, for errors: {@code "com.acme.Trade.tags"}.
     * @param building the classes whose struct encoders are being built (to reject recursive types).
     * @return the codec.
     * @throws UnsupportedOperationException if the type is not supported, naming {@code where} and the type.
     */
    static ValueCodec of(Type type, String where, List<Class<?>> building) {
        if (type instanceof Class<?> c) {
            return ofClass(c, where, building);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            ValueCodec element = of(p.getActualTypeArguments()[0], where + "[element]", building);
            return new ListCodec(new ArrayType(element.dataType, true), element);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            ValueCodec key = of(p.getActualTypeArguments()[0], where + "[key]", building);
            ValueCodec value = of(p.getActualTypeArguments()[1], where + "[value]", building);
            return new MapCodec(new MapType(key.dataType, value.dataType, true), key, value);
        }
        if (type instanceof GenericArrayType g) {
            ValueCodec element = of(g.getGenericComponentType(), where + "[element]", building);
            Class<?> component = rawClass(g.getGenericComponentType());
            return new JavaArrayCodec(new ArrayType(element.dataType, true), element, component);
        }
        throw unsupported(where, type);
    }

    private static ValueCodec ofClass(Class<?> c, String where, List<Class<?>> building) {
        if (c == String.class) {
            return new StringCodec();
        } else if (c == Integer.class || c == int.class) {
            return new Scalar(DataTypes.IntegerType, Integer.class);
        } else if (c == Long.class || c == long.class) {
            return new Scalar(DataTypes.LongType, Long.class);
        } else if (c == Double.class || c == double.class) {
            return new Scalar(DataTypes.DoubleType, Double.class);
        } else if (c == Float.class || c == float.class) {
            return new Scalar(DataTypes.FloatType, Float.class);
        } else if (c == Boolean.class || c == boolean.class) {
            return new Scalar(DataTypes.BooleanType, Boolean.class);
        } else if (c == Short.class || c == short.class) {
            return new Scalar(DataTypes.ShortType, Short.class);
        } else if (c == Byte.class || c == byte.class) {
            return new Scalar(DataTypes.ByteType, Byte.class);
        } else if (c == BigDecimal.class) {
            return new Scalar(DecimalType.SYSTEM_DEFAULT, BigDecimal.class);
        } else if (c == Instant.class) {
            return new InstantCodec();
        } else if (c == Timestamp.class) {
            return new SqlTimestampCodec();
        } else if (c == LocalDate.class) {
            return new LocalDateCodec();
        } else if (c == Date.class) {
            return new SqlDateCodec();
        } else if (c == byte[].class) {
            return new Scalar(DataTypes.BinaryType, byte[].class);
        } else if (c.isEnum()) {
            return new EnumCodec(c);
        } else if (c.isArray()) {
            Class<?> component = c.getComponentType();
            ValueCodec element = of(component, where + "[element]", building);
            return new JavaArrayCodec(new ArrayType(element.dataType, !component.isPrimitive()), element, component);
        } else if (c.isRecord() || ObjectEncoders.isBean(c)) {
            if (building.contains(c)) {
                throw new UnsupportedOperationException("Cannot encode " + where + ": type " + c.getName()
                    + " refers to itself (recursive types have no schema)");
            }
            ObjectEncoder<?> nested = c.isRecord()
                ? ObjectEncoders.record(c, building) : ObjectEncoders.bean(c, building);
            return new StructCodec(nested);
        }
        throw unsupported(where, c);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    static UnsupportedOperationException unsupported(String where, Type type) {
        String name = type instanceof Class<?> c ? c.getName() : type.getTypeName();
        String hint = type == List.class || type == Map.class
            ? " (a raw " + ((Class<?>) type).getSimpleName() + ": give its type arguments)" : "";
        return new UnsupportedOperationException(
            "Cannot encode " + where + ": type " + name + " is not supported" + hint + "; supported: " + SUPPORTED);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Types whose Java value is the row value: boxes, BigDecimal, byte[]. */
    static final class Scalar extends ValueCodec {
        private final Class<?> javaClass;

        Scalar(DataType type, Class<?> javaClass) {
            super(type);
            this.javaClass = javaClass;
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.set(i, value);
        }

        @Override
        Object read(Row row, int i) {
            return row.get(i);
        }

        @Override
        Object toRowValue(Object value) {
            return javaClass.cast(value);
        }

        @Override
        Object fromRowValue(Object value) {
            return value;
        }
    }

    static final class StringCodec extends ValueCodec {
        StringCodec() {
            super(DataTypes.StringType);
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setString(i, (String) value);
        }

        @Override
        Object read(Row row, int i) {
            return row.getString(i);
        }

        @Override
        Object toRowValue(Object value) {
            return value;
        }

        @Override
        Object fromRowValue(Object value) {
            return value;
        }
    }

    static final class InstantCodec extends ValueCodec {
        InstantCodec() {
            super(DataTypes.TimestampType);
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setTimestampMicros(i, PackedRow.toMicros((Instant) value));
        }

        @Override
        Object read(Row row, int i) {
            return row.getTimestamp(i);
        }

        @Override
        Object toRowValue(Object value) {
            return PackedRow.toInstant(PackedRow.toMicros((Instant) value));
        }

        @Override
        Object fromRowValue(Object value) {
            return value;
        }
    }

    static final class SqlTimestampCodec extends ValueCodec {
        SqlTimestampCodec() {
            super(DataTypes.TimestampType);
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setTimestampMicros(i, PackedRow.toMicros(((Timestamp) value).toInstant()));
        }

        @Override
        Object read(Row row, int i) {
            return Timestamp.from(row.getTimestamp(i));
        }

        @Override
        Object toRowValue(Object value) {
            return PackedRow.toInstant(PackedRow.toMicros(((Timestamp) value).toInstant()));
        }

        @Override
        Object fromRowValue(Object value) {
            return Timestamp.from((Instant) value);
        }
    }

    static final class LocalDateCodec extends ValueCodec {
        LocalDateCodec() {
            super(DataTypes.DateType);
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setDateDays(i, Math.toIntExact(((LocalDate) value).toEpochDay()));
        }

        @Override
        Object read(Row row, int i) {
            return row.getDate(i);
        }

        @Override
        Object toRowValue(Object value) {
            return value;
        }

        @Override
        Object fromRowValue(Object value) {
            return value;
        }
    }

    static final class SqlDateCodec extends ValueCodec {
        SqlDateCodec() {
            super(DataTypes.DateType);
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setDate(i, ((Date) value).toLocalDate());
        }

        @Override
        Object read(Row row, int i) {
            return Date.valueOf(row.getDate(i));
        }

        @Override
        Object toRowValue(Object value) {
            return ((Date) value).toLocalDate();
        }

        @Override
        Object fromRowValue(Object value) {
            return Date.valueOf((LocalDate) value);
        }
    }

    /** Enums as strings, by {@link Enum#name()} (as Spark's bean encoder does). */
    static final class EnumCodec extends ValueCodec {
        private final Class<?> enumClass;

        EnumCodec(Class<?> enumClass) {
            super(DataTypes.StringType);
            this.enumClass = enumClass;
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setString(i, ((Enum<?>) value).name());
        }

        @Override
        Object read(Row row, int i) {
            return fromRowValue(row.getString(i));
        }

        @Override
        Object toRowValue(Object value) {
            return ((Enum<?>) value).name();
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object fromRowValue(Object value) {
            return Enum.valueOf((Class) enumClass, (String) value);
        }
    }

    static final class ListCodec extends ValueCodec {
        private final ValueCodec element;

        ListCodec(ArrayType type, ValueCodec element) {
            super(type);
            this.element = element;
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setList(i, (List<?>) toRowValue(value));
        }

        @Override
        Object read(Row row, int i) {
            return fromRowValue(row.getList(i));
        }

        @Override
        Object toRowValue(Object value) {
            List<?> list = (List<?>) value;
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(e == null ? null : element.toRowValue(e));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        Object fromRowValue(Object value) {
            List<?> list = (List<?>) value;
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(e == null ? null : element.fromRowValue(e));
            }
            return out;
        }
    }

    /** Java arrays other than byte[]: to and from a List of boxed elements. */
    static final class JavaArrayCodec extends ValueCodec {
        private final ValueCodec element;
        private final Class<?> component;

        JavaArrayCodec(ArrayType type, ValueCodec element, Class<?> component) {
            super(type);
            this.element = element;
            this.component = component;
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setList(i, (List<?>) toRowValue(value));
        }

        @Override
        Object read(Row row, int i) {
            return fromRowValue(row.getList(i));
        }

        @Override
        Object toRowValue(Object value) {
            int n = Array.getLength(value);
            List<Object> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                Object e = Array.get(value, k);
                out.add(e == null ? null : element.toRowValue(e));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        Object fromRowValue(Object value) {
            List<?> list = (List<?>) value;
            Object out = Array.newInstance(component, list.size());
            for (int k = 0; k < list.size(); k++) {
                Object e = list.get(k);
                if (e == null && component.isPrimitive()) {
                    throw new NullPointerException("null element " + k + " for an array of " + component.getName());
                }
                Array.set(out, k, e == null ? null : element.fromRowValue(e));
            }
            return out;
        }
    }

    static final class MapCodec extends ValueCodec {
        private final ValueCodec key;
        private final ValueCodec value;

        MapCodec(MapType type, ValueCodec key, ValueCodec value) {
            super(type);
            this.key = key;
            this.value = value;
        }

        @Override
        void write(MutableRow row, int i, Object map) {
            row.setMap(i, (Map<?, ?>) toRowValue(map));
        }

        @Override
        Object read(Row row, int i) {
            return fromRowValue(row.getMap(i));
        }

        @Override
        Object toRowValue(Object map) {
            Map<?, ?> in = (Map<?, ?>) map;
            Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, in.size() * 2));
            for (Map.Entry<?, ?> e : in.entrySet()) {
                if (e.getKey() == null) {
                    throw new NullPointerException("map keys may not be null (Spark's MapType)");
                }
                out.put(key.toRowValue(e.getKey()), e.getValue() == null ? null : value.toRowValue(e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }

        @Override
        Object fromRowValue(Object map) {
            Map<?, ?> in = (Map<?, ?>) map;
            Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, in.size() * 2));
            for (Map.Entry<?, ?> e : in.entrySet()) {
                out.put(key.fromRowValue(e.getKey()), e.getValue() == null ? null : value.fromRowValue(e.getValue()));
            }
            return out;
        }
    }

    /** Nested records and beans: a nested row. */
    static final class StructCodec extends ValueCodec {
        private final ObjectEncoder<?> encoder;

        StructCodec(ObjectEncoder<?> encoder) {
            super(encoder.schema());
            this.encoder = encoder;
        }

        @Override
        void write(MutableRow row, int i, Object value) {
            row.setStruct(i, (Row) toRowValue(value));
        }

        @Override
        Object read(Row row, int i) {
            return encoder.fromRow(row.getStruct(i));
        }

        @Override
        Object toRowValue(Object value) {
            return encoder.toRowUnchecked(value);
        }

        @Override
        Object fromRowValue(Object value) {
            return encoder.fromRow((Row) value);
        }
    }
}
