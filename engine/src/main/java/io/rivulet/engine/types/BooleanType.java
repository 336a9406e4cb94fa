package io.rivulet.engine.types;

/**
 * Booleans (Java {@code boolean}); DDL {@code BOOLEAN}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#BooleanType}); immutable and thread-safe.
 */
public final class BooleanType extends DataType {
    /**
     * The only instance.
     */
    public static final BooleanType INSTANCE = new BooleanType();

    private BooleanType() {
    }

    @Override
    public String typeName() {
        return "boolean";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
