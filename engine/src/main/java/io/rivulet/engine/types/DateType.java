package io.rivulet.engine.types;

/**
 * Calendar dates without a time zone, kept as days since 1970-01-01 (Java {@link java.time.LocalDate} at
 * the edges); DDL {@code DATE}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#DateType}); immutable and thread-safe.
 */
public final class DateType extends DataType {
    /**
     * The only instance.
     */
    public static final DateType INSTANCE = new DateType();

    private DateType() {
    }

    @Override
    public String typeName() {
        return "date";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
