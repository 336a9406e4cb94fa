package io.rivulet.engine.types;

/**
 * 32-bit IEEE 754 floating point numbers (Java {@code float}); DDL {@code FLOAT}, {@code REAL}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#FloatType}); immutable and thread-safe.
 */
public final class FloatType extends DataType {
    /**
     * The only instance.
     */
    public static final FloatType INSTANCE = new FloatType();

    private FloatType() {
    }

    @Override
    public String typeName() {
        return "float";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
