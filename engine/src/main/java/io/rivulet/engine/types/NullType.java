package io.rivulet.engine.types;

/**
 * The type of the untyped {@code NULL} literal: every value is null; DDL {@code VOID}. Spark names it
 * {@code void} in every printed form.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#NullType}); immutable and thread-safe.
 */
public final class NullType extends DataType {
    /**
     * The only instance.
     */
    public static final NullType INSTANCE = new NullType();

    private NullType() {
    }

    @Override
    public String typeName() {
        return "void";
    }

}
