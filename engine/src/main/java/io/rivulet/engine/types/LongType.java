package io.rivulet.engine.types;

/**
 * 64-bit signed integers (Java {@code long}); DDL {@code BIGINT}, {@code LONG}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#LongType}); immutable and thread-safe.
 */
public final class LongType extends DataType {
    /**
     * The only instance.
     */
    public static final LongType INSTANCE = new LongType();

    private LongType() {
    }

    @Override
    public String typeName() {
        return "long";
    }

    @Override
    public String simpleString() {
        return "bigint";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
