package io.rivulet.engine.types;

/**
 * 32-bit signed integers (Java {@code int}); DDL {@code INT}, {@code INTEGER}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#IntegerType}); immutable and thread-safe.
 */
public final class IntegerType extends DataType {
    /**
     * The only instance.
     */
    public static final IntegerType INSTANCE = new IntegerType();

    private IntegerType() {
    }

    @Override
    public String typeName() {
        return "integer";
    }

    @Override
    public String simpleString() {
        return "int";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
