package io.rivulet.engine.types;

/**
 * 8-bit signed integers (Java {@code byte}); DDL {@code TINYINT}, {@code BYTE}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#ByteType}); immutable and thread-safe.
 */
public final class ByteType extends DataType {
    /**
     * The only instance.
     */
    public static final ByteType INSTANCE = new ByteType();

    private ByteType() {
    }

    @Override
    public String typeName() {
        return "byte";
    }

    @Override
    public String simpleString() {
        return "tinyint";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
