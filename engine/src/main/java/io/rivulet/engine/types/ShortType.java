package io.rivulet.engine.types;

/**
 * 16-bit signed integers (Java {@code short}); DDL {@code SMALLINT}, {@code SHORT}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#ShortType}); immutable and thread-safe.
 */
public final class ShortType extends DataType {
    /**
     * The only instance.
     */
    public static final ShortType INSTANCE = new ShortType();

    private ShortType() {
    }

    @Override
    public String typeName() {
        return "short";
    }

    @Override
    public String simpleString() {
        return "smallint";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
