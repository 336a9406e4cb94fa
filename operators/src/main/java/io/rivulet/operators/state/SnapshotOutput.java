package io.rivulet.operators.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * A growable byte buffer that state is written into: primitives little-endian, strings as UTF-8 with
 * a length. What a {@link StateCodec} writes with, and what one key group's (or one operator's)
 * snapshot is.
 *
 * <p>Not thread-safe: one writer at a time. {@link #reset()} reuses the buffer for the next snapshot.
 */
public final class SnapshotOutput {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;
    private int position;
    /** Class ids of {@link StateCodecs#dynamic()}'s class dictionary; created on first use, emptied by reset. */
    private IdentityHashMap<Class<?>, Integer> classIds;
    private Class<?> lastClass;
    private int lastClassId;

    /** An empty output of a small initial capacity. */
    public SnapshotOutput() {
        this(64);
    }

    /**
     * @param initialCapacity bytes to allocate up front
     */
    public SnapshotOutput(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /**
     * @param value written as 8 bytes
     * @return this
     */
    public SnapshotOutput writeLong(long value) {
        ensure(8);
        LONGS.set(bytes, position, value);
        position += 8;
        return this;
    }

    /**
     * @param value written as 4 bytes
     * @return this
     */
    public SnapshotOutput writeInt(int value) {
        ensure(4);
        INTS.set(bytes, position, value);
        position += 4;
        return this;
    }

    /**
     * @param value written as its IEEE bits, 8 bytes
     * @return this
     */
    public SnapshotOutput writeDouble(double value) {
        return writeLong(Double.doubleToRawLongBits(value));
    }

    /**
     * @param value written as one byte
     * @return this
     */
    public SnapshotOutput writeByte(int value) {
        ensure(1);
        bytes[position++] = (byte) value;
        return this;
    }

    /**
     * @param value written as one byte
     * @return this
     */
    public SnapshotOutput writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    /**
     * Writes a non-negative int in 1-5 bytes (7 bits per byte).
     *
     * @param value {@code >= 0}
     * @return this
     */
    public SnapshotOutput writeVarInt(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint must be >= 0, got " + value);
        }
        ensure(5);
        while ((value & ~0x7F) != 0) {
            bytes[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[position++] = (byte) value;
        return this;
    }

    /**
     * Writes a string as its UTF-8 length (varint) and bytes.
     *
     * @param value never {@code null}
     * @return this
     */
    public SnapshotOutput writeString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(utf8.length);
        return writeRaw(utf8, 0, utf8.length);
    }

    /**
     * Writes a byte array as its length (varint) and bytes.
     *
     * @param value never {@code null}
     * @return this
     */
    public SnapshotOutput writeBytes(byte[] value) {
        writeVarInt(value.length);
        return writeRaw(value, 0, value.length);
    }

    /**
     * Writes bytes as they are, without a length.
     *
     * @param src the bytes
     * @param offset first byte
     * @param length how many
     * @return this
     */
    public SnapshotOutput writeRaw(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, position, length);
        position += length;
        return this;
    }

    /**
     * @return bytes written so far
     */
    public int length() {
        return position;
    }

    /**
     * @return the backing array; bytes {@code [0, length())} are the content. Valid until the next write.
     */
    public byte[] buffer() {
        return bytes;
    }

    /**
     * @return a copy of the content
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, position);
    }

    /**
     * @return an input over the content (shares the buffer: do not write while reading)
     */
    public SnapshotInput asInput() {
        return new SnapshotInput(bytes, 0, position);
    }

    /** Empties the output, keeping its capacity, and forgets the classes written so far. */
    public void reset() {
        position = 0;
        if (classIds != null) {
            classIds.clear();
        }
        lastClass = null;
    }

    /**
     * The dynamic codec's class dictionary: the id of a class already written to this output, or
     * {@code -1} after giving it the next id (the caller then writes its name). A reader of the same
     * bytes, read from the start, assigns the same ids in the same order
     * ({@link SnapshotInput#registerClass}).
     */
    int classIdOrRegister(Class<?> type) {
        if (type == lastClass) {
            return lastClassId;
        }
        if (classIds == null) {
            classIds = new IdentityHashMap<>();
        }
        Integer id = classIds.get(type);
        if (id == null) {
            classIds.put(type, classIds.size());
            return -1;
        }
        lastClass = type;
        lastClassId = id;
        return id;
    }

    private void ensure(int more) {
        if (position + more > bytes.length) {
            grow(more);
        }
    }

    private void grow(int more) {
        long needed = (long) position + more;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("snapshot block larger than 2 GB: split the state over more key groups"
                + " (maxParallelism)");
        }
        bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, bytes.length * 2L)));
    }
}
