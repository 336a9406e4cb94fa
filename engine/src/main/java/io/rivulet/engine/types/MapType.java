package io.rivulet.engine.types;

import java.util.Objects;

/**
 * Maps from keys of one type to values of another, as Spark's {@code MapType}; Java {@link java.util.Map} at the
 * edges. Keys are never null. DDL {@code MAP<keyType, valueType>}.
 * <p>
 * Immutable and thread-safe; equal when key type, value type and {@code valueContainsNull} are.
 */
public final class MapType extends DataType {
    private final DataType keyType;
    private final DataType valueType;
    private final boolean valueContainsNull;

    /**
     * A map type.
     *
     * @param keyType           the type of the keys; not null.
     * @param valueType         the type of the values; not null.
     * @param valueContainsNull whether a value may be null.
     */
    public MapType(DataType keyType, DataType valueType, boolean valueContainsNull) {
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
        this.valueContainsNull = valueContainsNull;
    }

    /**
     * @return the type of the keys.
     */
    public DataType keyType() {
        return keyType;
    }

    /**
     * @return the type of the values.
     */
    public DataType valueType() {
        return valueType;
    }

    /**
     * @return whether a value may be null.
     */
    public boolean valueContainsNull() {
        return valueContainsNull;
    }

    @Override
    public String typeName() {
        return "map";
    }

    @Override
    public String simpleString() {
        return "map<" + keyType.simpleString() + "," + valueType.simpleString() + ">";
    }

    @Override
    public String catalogString() {
        return "map<" + keyType.catalogString() + "," + valueType.catalogString() + ">";
    }

    @Override
    public String sql() {
        return "MAP<" + keyType.sql() + ", " + valueType.sql() + ">";
    }

    @Override
    public String toString() {
        return "MapType(" + keyType + "," + valueType + "," + valueContainsNull + ")";
    }

    @Override
    void buildFormattedString(String prefix, StringBuilder out) {
        out.append(prefix).append("-- key: ").append(keyType.typeName()).append('\n');
        keyType.buildFormattedString(prefix + "    |", out);
        out.append(prefix).append("-- value: ").append(valueType.typeName())
            .append(" (valueContainsNull = ").append(valueContainsNull).append(")\n");
        valueType.buildFormattedString(prefix + "    |", out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapType m && m.valueContainsNull == valueContainsNull
            && m.keyType.equals(keyType) && m.valueType.equals(valueType);
    }

    @Override
    public int hashCode() {
        return (31 * keyType.hashCode() + valueType.hashCode()) * 31 + (valueContainsNull ? 1 : 0);
    }
}
