package io.rivulet.journal.codec;

import net.openhft.chronicle.bytes.Bytes;

import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * The built-in codecs. Each is immutable and thread-safe; each writes without allocating. Reading
 * a {@code Long}, {@code Integer} or {@code Double} boxes the value (the JDK caches small ones);
 * reading a {@code String} or {@code byte[]} allocates it.
 */
public final class Codecs {
    private static final Codec<Long> LONGS = new LongCodec();
    private static final Codec<Integer> INTS = new IntCodec();
    private static final Codec<Double> DOUBLES = new DoubleCodec();
    private static final Codec<String> STRINGS = new StringCodec();
    private static final Codec<byte[]> BYTE_ARRAYS = new ByteArrayCodec();
    private static final ClassValue<RecordCodec<?>> RECORD_CODECS = new ClassValue<>() {
        @Override
        protected RecordCodec<?> computeValue(Class<?> type) {
            return RecordCodec.derive(type.asSubclass(Record.class), MethodHandles.lookup());
        }
    };

    private Codecs() {
    }

    /**
     * @return 8 bytes per value, little-endian
     */
    public static Codec<Long> longs() {
        return LONGS;
    }

    /**
     * @return 4 bytes per value, little-endian
     */
    public static Codec<Integer> ints() {
        return INTS;
    }

    /**
     * @return 8 bytes per value, IEEE 754 bits, little-endian
     */
    public static Codec<Double> doubles() {
        return DOUBLES;
    }

    /**
     * @return a stop-bit length and the UTF-8 bytes
     */
    public static Codec<String> strings() {
        return STRINGS;
    }

    /**
     * @return a stop-bit length and the bytes
     */
    public static Codec<byte[]> byteArrays() {
        return BYTE_ARRAYS;
    }

    /**
     * The codec of a record class, derived once per class from its components and canonical
     * constructor (later calls return the same codec). Components may be primitives, {@code String},
     * {@code byte[]}, enums (written as their ordinal: reordering constants changes the meaning of
     * stored records) and records of the same kinds; reference components may be {@code null}.
     * Components are written in declaration order, so adding, removing or reordering components
     * makes stored records unreadable.
     *
     * @param type the record class; its package must be open to this module (classes on the class
     *     path are)
     * @param <R> record type
     * @return the codec
     * @throws IllegalArgumentException naming the component whose type is not supported, or the
     *     record that contains itself
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> Codec<R> record(Class<R> type) {
        Objects.requireNonNull(type, "record type");
        try {
            return (Codec<R>) RECORD_CODECS.get(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The codec of a record class whose package is not open to this module, derived with the
     * caller's lookup (e.g. {@code MethodHandles.lookup()} in the record's own module). Not cached.
     *
     * @param type the record class
     * @param lookup a lookup with access to the record's accessors and canonical constructor
     * @param <R> record type
     * @return the codec
     */
    public static <R extends Record> Codec<R> record(Class<R> type, MethodHandles.Lookup lookup) {
        return RecordCodec.derive(Objects.requireNonNull(type, "record type"), Objects.requireNonNull(lookup, "lookup"));
    }

    private static final class LongCodec implements Codec<Long> {
        @Override
        public void write(Long record, Bytes<?> out) {
            out.writeLong(record);
        }

        @Override
        public Long read(Bytes<?> in, Long reuse) {
            return in.readLong();
        }

        @Override
        public String toString() {
            return "longs";
        }
    }

    private static final class IntCodec implements Codec<Integer> {
        @Override
        public void write(Integer record, Bytes<?> out) {
            out.writeInt(record);
        }

        @Override
        public Integer read(Bytes<?> in, Integer reuse) {
            return in.readInt();
        }

        @Override
        public String toString() {
            return "ints";
        }
    }

    private static final class DoubleCodec implements Codec<Double> {
        @Override
        public void write(Double record, Bytes<?> out) {
            out.writeDouble(record);
        }

        @Override
        public Double read(Bytes<?> in, Double reuse) {
            return in.readDouble();
        }

        @Override
        public String toString() {
            return "doubles";
        }
    }

    private static final class StringCodec implements Codec<String> {
        @Override
        public void write(String record, Bytes<?> out) {
            out.writeUtf8(record);
        }

        @Override
        public String read(Bytes<?> in, String reuse) {
            return in.readUtf8();
        }

        @Override
        public String toString() {
            return "strings";
        }
    }

    private static final class ByteArrayCodec implements Codec<byte[]> {
        @Override
        public void write(byte[] record, Bytes<?> out) {
            out.writeStopBit(record.length);
            out.write(record);
        }

        @Override
        public byte[] read(Bytes<?> in, byte[] reuse) {
            byte[] value = new byte[Math.toIntExact(in.readStopBit())];
            in.read(value);
            return value;
        }

        @Override
        public String toString() {
            return "byteArrays";
        }
    }
}
