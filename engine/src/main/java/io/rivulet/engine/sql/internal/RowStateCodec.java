package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.BinaryType;
import io.rivulet.engine.types.BooleanType;
import io.rivulet.engine.types.ByteType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DateType;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.DoubleType;
import io.rivulet.engine.types.FloatType;
import io.rivulet.engine.types.IntegerType;
import io.rivulet.engine.types.LongType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.ShortType;
import io.rivulet.engine.types.StringType;
import io.rivulet.engine.types.StructType;
import io.rivulet.engine.types.TimestampType;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateCodec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state codec of rows of one schema, for the structured operators that keep rows in their state (the
 * stream-stream join's buffered rows): per field a null flag, then the value by its data type (primitives
 * unboxed, strings as UTF-8, decimals as unscaled bytes and scale, timestamps as µs, dates as days, arrays,
 * maps and structs nested). No class names are written: the schema is the format. Rows read back are
 * {@link MutableRow}s of the schema. Also writes single values ({@link #writeValue}) for keys made of column
 * values. Immutable and thread-safe.
 */
public final class RowStateCodec implements StateCodec<Row> {
    private final StructType schema;

    /**
     * @param schema the rows' schema
     */
    public RowStateCodec(StructType schema) {
        this.schema = schema;
    }

    @Override
    public void write(Row row, SnapshotOutput out) {
        writeStruct(schema, row, out);
    }

    @Override
    public Row read(SnapshotInput in) {
        return readStruct(schema, in);
    }

    @Override
    public Row copy(Row row) {
        return row.copy();
    }

    @Override
    public String describe() {
        return "row(" + schema.simpleString() + ")";
    }

    private static void writeStruct(StructType type, Row row, SnapshotOutput out) {
        int n = type.size();
        for (int i = 0; i < n; i++) {
            if (row.isNullAt(i)) {
                out.writeBoolean(false);
                continue;
            }
            out.writeBoolean(true);
            DataType t = type.apply(i).dataType();
            if (t instanceof IntegerType) {
                out.writeInt(row.getInt(i));
            } else if (t instanceof LongType) {
                out.writeLong(row.getLong(i));
            } else if (t instanceof DoubleType) {
                out.writeDouble(row.getDouble(i));
            } else if (t instanceof TimestampType) {
                out.writeLong(row.getTimestampMicros(i));
            } else if (t instanceof DateType) {
                out.writeInt(row.getDateDays(i));
            } else {
                writeValue(t, row.get(i), out);
            }
        }
    }

    private static MutableRow readStruct(StructType type, SnapshotInput in) {
        MutableRow row = MutableRow.create(type);
        int n = type.size();
        for (int i = 0; i < n; i++) {
            if (!in.readBoolean()) {
                row.setNull(i);
                continue;
            }
            DataType t = type.apply(i).dataType();
            if (t instanceof IntegerType) {
                row.setInt(i, in.readInt());
            } else if (t instanceof LongType) {
                row.setLong(i, in.readLong());
            } else if (t instanceof DoubleType) {
                row.setDouble(i, in.readDouble());
            } else if (t instanceof TimestampType) {
                row.setTimestampMicros(i, in.readLong());
            } else if (t instanceof DateType) {
                row.setDateDays(i, in.readInt());
            } else {
                row.set(i, readValue(t, in));
            }
        }
        return row;
    }

    /**
     * Writes one value in {@link Row#get}'s representation, or null.
     *
     * @param type the value's data type
     * @param value the value (Integer, Long, String, Instant, LocalDate, BigDecimal, byte[], List, Map, Row...)
     * @param out where to
     */
    public static void writeValue(DataType type, Object value, SnapshotOutput out) {
        if (value == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        if (type instanceof IntegerType) {
            out.writeInt((Integer) value);
        } else if (type instanceof LongType) {
            out.writeLong((Long) value);
        } else if (type instanceof DoubleType) {
            out.writeDouble((Double) value);
        } else if (type instanceof FloatType) {
            out.writeInt(Float.floatToRawIntBits((Float) value));
        } else if (type instanceof ShortType) {
            out.writeInt((Short) value);
        } else if (type instanceof ByteType) {
            out.writeByte((Byte) value);
        } else if (type instanceof BooleanType) {
            out.writeBoolean((Boolean) value);
        } else if (type instanceof StringType) {
            out.writeString((String) value);
        } else if (type instanceof TimestampType) {
            Instant t = (Instant) value;
            out.writeLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000));
        } else if (type instanceof DateType) {
            out.writeLong(((LocalDate) value).toEpochDay());
        } else if (type instanceof DecimalType) {
            BigDecimal d = (BigDecimal) value;
            out.writeInt(d.scale());
            out.writeBytes(d.unscaledValue().toByteArray());
        } else if (type instanceof BinaryType) {
            out.writeBytes((byte[]) value);
        } else if (type instanceof ArrayType a) {
            List<?> list = (List<?>) value;
            out.writeVarInt(list.size());
            for (Object e : list) {
                writeValue(a.elementType(), e, out);
            }
        } else if (type instanceof MapType m) {
            Map<?, ?> map = (Map<?, ?>) value;
            out.writeVarInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writeValue(m.keyType(), e.getKey(), out);
                writeValue(m.valueType(), e.getValue(), out);
            }
        } else if (type instanceof StructType s) {
            writeStruct(s, (Row) value, out);
        }
        // NullType: nothing but the flag (the value is always null)
    }

    /**
     * Reads a value {@link #writeValue} wrote.
     *
     * @param type its data type
     * @param in where from
     * @return the value, or null
     */
    public static Object readValue(DataType type, SnapshotInput in) {
        if (!in.readBoolean()) {
            return null;
        }
        if (type instanceof IntegerType) {
            return in.readInt();
        } else if (type instanceof LongType) {
            return in.readLong();
        } else if (type instanceof DoubleType) {
            return in.readDouble();
        } else if (type instanceof FloatType) {
            return Float.intBitsToFloat(in.readInt());
        } else if (type instanceof ShortType) {
            return (short) in.readInt();
        } else if (type instanceof ByteType) {
            return in.readByte();
        } else if (type instanceof BooleanType) {
            return in.readBoolean();
        } else if (type instanceof StringType) {
            return in.readString();
        } else if (type instanceof TimestampType) {
            long micros = in.readLong();
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        } else if (type instanceof DateType) {
            return LocalDate.ofEpochDay(in.readLong());
        } else if (type instanceof DecimalType) {
            int scale = in.readInt();
            return new BigDecimal(new BigInteger(in.readBytes()), scale);
        } else if (type instanceof BinaryType) {
            return in.readBytes();
        } else if (type instanceof ArrayType a) {
            int n = in.readVarInt();
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(readValue(a.elementType(), in));
            }
            return list;
        } else if (type instanceof MapType m) {
            int n = in.readVarInt();
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object k = readValue(m.keyType(), in);
                map.put(k, readValue(m.valueType(), in));
            }
            return map;
        } else if (type instanceof StructType s) {
            return readStruct(s, in);
        }
        return null;
    }
}
