package io.rivulet.journal.codec;

import net.openhft.chronicle.bytes.Bytes;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec of one record class, derived once from its {@link RecordComponent}s: the component
 * accessors and the canonical constructor become one method-handle chain per direction, built from
 * combinators only, so a record is written and read without reflection, boxing or an argument array.
 *
 * <pre>
 *   write: (out, r) ─► write0(out, r.c0()) ─► write1(out, r.c1()) ─► ...        (foldArguments, in order)
 *   read:  (in)     ─► a0 = read0(in) ─► a1 = read1(in) ─► ... ─► new R(a0, a1, ...)
 * </pre>
 *
 * <p>Encoding per component: primitives in their natural width (little-endian); {@code String} as
 * Chronicle's stop-bit length + UTF-8 ({@code null} allowed); {@code byte[]} as a stop-bit length
 * ({@code -1} for {@code null}) and the bytes; an enum as its stop-bit ordinal ({@code -1} for
 * {@code null}); a nested record as a presence byte and its components.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <R> record type
 */
public final class RecordCodec<R extends Record> implements Codec<R> {
    private static final MethodHandles.Lookup SELF = MethodHandles.lookup();
    private static final MethodType WRITER_TYPE = MethodType.methodType(void.class, Bytes.class, Object.class);
    private static final MethodType READER_TYPE = MethodType.methodType(Object.class, Bytes.class);

    private final Class<R> type;
    private final MethodHandle writer;
    private final MethodHandle reader;

    private RecordCodec(Class<R> type, MethodHandle writer, MethodHandle reader) {
        this.type = type;
        this.writer = writer;
        this.reader = reader;
    }

    static <R extends Record> RecordCodec<R> derive(Class<R> type, MethodHandles.Lookup lookup) {
        return derive(type, lookup, new ArrayList<>());
    }

    private static <R extends Record> RecordCodec<R> derive(Class<R> type, MethodHandles.Lookup lookup, List<Class<?>> deriving) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record class");
        }
        if (deriving.contains(type)) {
            throw new IllegalArgumentException("record " + type.getName() + " contains itself (through "
                + deriving + "); a record codec needs a finite layout");
        }
        deriving.add(type);
        try {
            MethodHandles.Lookup access = access(type, lookup);
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] parameterTypes = new Class<?>[components.length];
            MethodHandle write = MethodHandles.empty(WRITER_TYPE);
            MethodHandle[] readers = new MethodHandle[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                parameterTypes[i] = component.getType();
                readers[i] = componentReader(type, component, lookup, deriving);
            }
            for (int i = components.length - 1; i >= 0; i--) {
                write = MethodHandles.foldArguments(write, componentWriter(type, components[i], access, lookup, deriving));
            }
            Constructor<R> constructor = type.getDeclaredConstructor(parameterTypes);
            MethodHandle read = MethodHandles.dropArguments(access.unreflectConstructor(constructor),
                components.length, Bytes.class);
            for (int i = components.length - 1; i >= 0; i--) {
                read = MethodHandles.foldArguments(read, i, readers[i]);
            }
            return new RecordCodec<>(type, write.asType(WRITER_TYPE), read.asType(READER_TYPE));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot derive a codec for record " + type.getName() + ": " + e, e);
        } finally {
            deriving.remove(type);
        }
    }

    private static MethodHandles.Lookup access(Class<?> type, MethodHandles.Lookup lookup) throws IllegalAccessException {
        if (lookup.lookupClass() == type) {
            return lookup;
        }
        try {
            return MethodHandles.privateLookupIn(type, lookup);
        } catch (IllegalAccessException e) {
            throw new IllegalAccessException("record " + type.getName() + " is not accessible to the journal's codecs ("
                + e.getMessage() + "); open its package or pass a lookup to Codecs.record(type, lookup)");
        }
    }

    private static MethodHandle componentWriter(Class<?> owner, RecordComponent component, MethodHandles.Lookup access,
                                                MethodHandles.Lookup lookup, List<Class<?>> deriving)
        throws ReflectiveOperationException {
        Class<?> t = component.getType();
        MethodHandle accessor = access.unreflect(component.getAccessor());
        MethodHandle write;
        if (t.isPrimitive()) {
            write = SELF.findStatic(RecordCodec.class, "write", MethodType.methodType(void.class, Bytes.class, t));
        } else if (t == String.class) {
            write = SELF.findStatic(RecordCodec.class, "writeString", MethodType.methodType(void.class, Bytes.class, String.class));
        } else if (t == byte[].class) {
            write = SELF.findStatic(RecordCodec.class, "writeByteArray", MethodType.methodType(void.class, Bytes.class, byte[].class));
        } else if (t.isEnum()) {
            write = SELF.findStatic(RecordCodec.class, "writeEnum", MethodType.methodType(void.class, Bytes.class, Enum.class))
                .asType(MethodType.methodType(void.class, Bytes.class, t));
        } else if (t.isRecord()) {
            RecordCodec<?> nested = derive(t.asSubclass(Record.class), lookup, deriving);
            write = MethodHandles.insertArguments(
                SELF.findStatic(RecordCodec.class, "writeNested", MethodType.methodType(void.class, RecordCodec.class, Bytes.class, Object.class)),
                0, nested).asType(MethodType.methodType(void.class, Bytes.class, t));
        } else {
            throw unsupported(owner, component);
        }
        // (Bytes, R) -> write(out, r.component())
        return MethodHandles.filterArguments(write, 1, accessor).asType(WRITER_TYPE);
    }

    private static MethodHandle componentReader(Class<?> owner, RecordComponent component, MethodHandles.Lookup lookup,
                                                List<Class<?>> deriving) throws ReflectiveOperationException {
        Class<?> t = component.getType();
        if (t.isPrimitive()) {
            return SELF.findStatic(RecordCodec.class, "read" + capitalise(t.getName()), MethodType.methodType(t, Bytes.class));
        } else if (t == String.class) {
            return SELF.findStatic(RecordCodec.class, "readString", MethodType.methodType(String.class, Bytes.class));
        } else if (t == byte[].class) {
            return SELF.findStatic(RecordCodec.class, "readByteArray", MethodType.methodType(byte[].class, Bytes.class));
        } else if (t.isEnum()) {
            return MethodHandles.insertArguments(
                SELF.findStatic(RecordCodec.class, "readEnum", MethodType.methodType(Enum.class, Enum[].class, Bytes.class)),
                0, (Object) t.getEnumConstants()).asType(MethodType.methodType(t, Bytes.class));
        } else if (t.isRecord()) {
            RecordCodec<?> nested = derive(t.asSubclass(Record.class), lookup, deriving);
            return MethodHandles.insertArguments(
                SELF.findStatic(RecordCodec.class, "readNested", MethodType.methodType(Object.class, RecordCodec.class, Bytes.class)),
                0, nested).asType(MethodType.methodType(t, Bytes.class));
        }
        throw unsupported(owner, component);
    }

    private static IllegalArgumentException unsupported(Class<?> owner, RecordComponent component) {
        return new IllegalArgumentException("record " + owner.getName() + " component '" + component.getName()
            + "' has type " + component.getGenericType().getTypeName() + ", which the record codec does not support;"
            + " supported: primitives, String, byte[], enums and records of these");
    }

    private static String capitalise(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /**
     * @return the record class this codec reads and writes
     */
    public Class<R> type() {
        return type;
    }

    @Override
    public void write(R record, Bytes<?> out) {
        try {
            writer.invokeExact((Bytes) out, (Object) record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("record codec of " + type.getName() + " failed to write", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R read(Bytes<?> in, R reuse) {
        try {
            return (R) (Object) reader.invokeExact((Bytes) in);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("record codec of " + type.getName() + " failed to read", e);
        }
    }

    @Override
    public String toString() {
        return "record(" + type.getName() + ")";
    }

    // Component writers and readers, bound into the handle chains above.

    private static void write(Bytes<?> out, boolean v) {
        out.writeBoolean(v);
    }

    private static void write(Bytes<?> out, byte v) {
        out.writeByte(v);
    }

    private static void write(Bytes<?> out, short v) {
        out.writeShort(v);
    }

    private static void write(Bytes<?> out, char v) {
        out.writeChar(v);
    }

    private static void write(Bytes<?> out, int v) {
        out.writeInt(v);
    }

    private static void write(Bytes<?> out, long v) {
        out.writeLong(v);
    }

    private static void write(Bytes<?> out, float v) {
        out.writeFloat(v);
    }

    private static void write(Bytes<?> out, double v) {
        out.writeDouble(v);
    }

    private static void writeString(Bytes<?> out, String v) {
        out.writeUtf8(v);
    }

    private static void writeByteArray(Bytes<?> out, byte[] v) {
        if (v == null) {
            out.writeStopBit(-1L);
        } else {
            out.writeStopBit(v.length);
            out.write(v);
        }
    }

    private static void writeEnum(Bytes<?> out, Enum<?> v) {
        out.writeStopBit(v == null ? -1L : v.ordinal());
    }

    private static void writeNested(RecordCodec<?> codec, Bytes<?> out, Object v) {
        if (v == null) {
            out.writeByte((byte) 0);
        } else {
            out.writeByte((byte) 1);
            try {
                codec.writer.invokeExact((Bytes) out, v);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean readBoolean(Bytes<?> in) {
        return in.readBoolean();
    }

    private static byte readByte(Bytes<?> in) {
        return in.readByte();
    }

    private static short readShort(Bytes<?> in) {
        return in.readShort();
    }

    private static char readChar(Bytes<?> in) {
        return in.readChar();
    }

    private static int readInt(Bytes<?> in) {
        return in.readInt();
    }

    private static long readLong(Bytes<?> in) {
        return in.readLong();
    }

    private static float readFloat(Bytes<?> in) {
        return in.readFloat();
    }

    private static double readDouble(Bytes<?> in) {
        return in.readDouble();
    }

    private static String readString(Bytes<?> in) {
        return in.readUtf8();
    }

    private static byte[] readByteArray(Bytes<?> in) {
        long length = in.readStopBit();
        if (length < 0) {
            return null;
        }
        if (length > in.readRemaining()) {
            throw new IllegalStateException("byte[] component of " + length + " bytes exceeds the "
                + in.readRemaining() + " bytes left in the record");
        }
        byte[] value = new byte[(int) length];
        in.read(value);
        return value;
    }

    private static Enum<?> readEnum(Enum<?>[] constants, Bytes<?> in) {
        long ordinal = in.readStopBit();
        if (ordinal < 0) {
            return null;
        }
        if (ordinal >= constants.length) {
            throw new IllegalStateException("enum ordinal " + ordinal + " is not a constant of "
                + constants.getClass().getComponentType().getName() + " (" + constants.length + " constants)");
        }
        return constants[(int) ordinal];
    }

    private static Object readNested(RecordCodec<?> codec, Bytes<?> in) {
        if (in.readByte() == 0) {
            return null;
        }
        try {
            return (Object) codec.reader.invokeExact((Bytes) in);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
