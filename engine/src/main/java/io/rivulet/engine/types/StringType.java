package io.rivulet.engine.types;

/**
 * Character strings (Java {@link String}); DDL {@code STRING}, {@code VARCHAR(n)}, {@code CHAR(n)}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#StringType}); immutable and thread-safe.
 */
public final class StringType extends DataType {
    /**
     * The only instance.
     */
    public static final StringType INSTANCE = new StringType();

    private StringType() {
    }

    @Override
    public String typeName() {
        return "string";
    }

}
