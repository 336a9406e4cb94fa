package io.rivulet.operators.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Reads what a {@link SnapshotOutput} wrote. Every read checks the bounds: a snapshot that ends
 * early or holds a bad length fails with {@link StateFormatException} instead of reading garbage
 * (files are checksummed before they get here; this catches codecs that read what they did not
 * write).
 *
 * <p>Not thread-safe.
 */
public final class SnapshotInput {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    /** The dynamic codec's class dictionary, rebuilt while reading; created on first use. */
    private ArrayList<Class<?>> classes;
    private boolean lastClassNew;
    private final int limit;
    private int position;

    /**
     * @param bytes the content
     * @param offset first byte to read
     * @param length bytes readable from {@code offset}
     */
    public SnapshotInput(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside an array of " + bytes.length);
        }
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
    }

    /**
     * @param bytes the whole content
     */
    public SnapshotInput(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /**
     * @return 8 bytes as a long
     */
    public long readLong() {
        check(8);
        long value = (long) LONGS.get(bytes, position);
        position += 8;
        return value;
    }

    /**
     * @return 4 bytes as an int
     */
    public int readInt() {
        check(4);
        int value = (int) INTS.get(bytes, position);
        position += 4;
        return value;
    }

    /**
     * @return 8 bytes as a double
     */
    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /**
     * @return one byte, signed
     */
    public byte readByte() {
        check(1);
        return bytes[position++];
    }

    /**
     * @return one byte as a boolean
     */
    public boolean readBoolean() {
        byte b = readByte();
        if (b != 0 && b != 1) {
            throw new StateFormatException("expected a boolean byte (0 or 1) at " + (position - 1) + ", found " + b);
        }
        return b == 1;
    }

    /**
     * @return a varint written by {@link SnapshotOutput#writeVarInt}
     */
    public int readVarInt() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    break;
                }
                return value;
            }
        }
        throw new StateFormatException("malformed varint before position " + position);
    }

    /**
     * @return a string written by {@link SnapshotOutput#writeString}
     */
    public String readString() {
        int length = readLength();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /**
     * @return a byte array written by {@link SnapshotOutput#writeBytes}
     */
    public byte[] readBytes() {
        int length = readLength();
        byte[] value = new byte[length];
        System.arraycopy(bytes, position, value, 0, length);
        position += length;
        return value;
    }

    /**
     * @return a length (varint) that the remaining bytes can hold
     */
    public int readLength() {
        int length = readVarInt();
        check(length);
        return length;
    }

    /**
     * @return whether any byte is left
     */
    public boolean hasRemaining() {
        return position < limit;
    }

    /**
     * @return bytes left
     */
    public int remaining() {
        return limit - position;
    }

    private void check(int needed) {
        if (needed > limit - position) {
            throw new StateFormatException("snapshot ends early: " + needed + " bytes needed at position " + position
                + ", " + (limit - position) + " left");
        }
    }

    /** The dictionary's next id is {@code type}: its name was just read. */
    void registerClass(Class<?> type) {
        if (classes == null) {
            classes = new ArrayList<>();
        }
        classes.add(type);
        lastClassNew = true;
    }

    /** Whether the last class read was defined there (its name read) rather than referred to by id. */
    boolean lastClassWasNew() {
        return lastClassNew;
    }

    /** The class the dictionary holds under {@code id}. */
    Class<?> classById(int id) {
        if (classes == null || id >= classes.size()) {
            throw new StateFormatException("class id " + id + " at position " + position + " was never defined ("
                + (classes == null ? 0 : classes.size()) + " classes read so far): the block is not read from its start,"
                + " or it was not written by StateCodecs.dynamic()");
        }
        lastClassNew = false;
        return classes.get(id);
    }
}
