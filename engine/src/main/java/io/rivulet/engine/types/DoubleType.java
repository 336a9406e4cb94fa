package io.rivulet.engine.types;

/**
 * 64-bit IEEE 754 floating point numbers (Java {@code double}); DDL {@code DOUBLE}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#DoubleType}); immutable and thread-safe.
 */
public final class DoubleType extends DataType {
    /**
     * The only instance.
     */
    public static final DoubleType INSTANCE = new DoubleType();

    private DoubleType() {
    }

    @Override
    public String typeName() {
        return "double";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
