package io.rivulet.engine.types;

/**
 * Instants in time, kept as microseconds since 1970-01-01T00:00:00Z (as Spark keeps them; Java
 * {@link java.time.Instant} at the edges, truncated to microseconds); DDL {@code TIMESTAMP}, {@code TIMESTAMP_LTZ}.
 * <p>
 * A singleton ({@link #INSTANCE}, also {@link DataTypes#TimestampType}); immutable and thread-safe.
 */
public final class TimestampType extends DataType {
    /**
     * The only instance.
     */
    public static final TimestampType INSTANCE = new TimestampType();

    private TimestampType() {
    }

    @Override
    public String typeName() {
        return "timestamp";
    }

    @Override
    public boolean isFixedWidth() {
        return true;
    }
}
