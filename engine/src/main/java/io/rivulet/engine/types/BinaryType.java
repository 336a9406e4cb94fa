package io.rivulet.engine.types;

/**
 * Byte sequences (Java {@code byte[]}); DDL {@code BINARY}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#BinaryType}); immutable and thread-safe.
 */
public final class BinaryType extends DataType {
    /**
     * The only instance.
     */
    public static final BinaryType INSTANCE = new BinaryType();

    private BinaryType() {
    }

    @Override
    public String typeName() {
        return "binary";
    }

}
