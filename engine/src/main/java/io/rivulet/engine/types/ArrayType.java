package io.rivulet.engine.types;

import java.util.Objects;

/**
 * Sequences of values of one element type, as Spark's {@code ArrayType}; Java {@link java.util.List} at the
 * edges. DDL {@code ARRAY<type>}.
 * <p>
 * Immutable and thread-safe; equal when element type and {@code containsNull} are.
 */
public final class ArrayType extends DataType {
    private final DataType elementType;
    private final boolean containsNull;

    /**
     * An array type.
     *
     * @param elementType  the type of the elements; not null.
     * @param containsNull whether an element may be null.
     */
    public ArrayType(DataType elementType, boolean containsNull) {
        this.elementType = Objects.requireNonNull(elementType, "elementType");
        this.containsNull = containsNull;
    }

    /**
     * @return the type of the elements.
     */
    public DataType elementType() {
        return elementType;
    }

    /**
     * @return whether an element may be null.
     */
    public boolean containsNull() {
        return containsNull;
    }

    @Override
    public String typeName() {
        return "array";
    }

    @Override
    public String simpleString() {
        return "array<" + elementType.simpleString() + ">";
    }

    @Override
    public String catalogString() {
        return "array<" + elementType.catalogString() + ">";
    }

    @Override
    public String sql() {
        return "ARRAY<" + elementType.sql() + ">";
    }

    @Override
    public String toString() {
        return "ArrayType(" + elementType + "," + containsNull + ")";
    }

    @Override
    void buildFormattedString(String prefix, StringBuilder out) {
        out.append(prefix).append("-- element: ").append(elementType.typeName())
            .append(" (containsNull = ").append(containsNull).append(")\n");
        elementType.buildFormattedString(prefix + "    |", out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayType a && a.containsNull == containsNull && a.elementType.equals(elementType);
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + (containsNull ? 1 : 0);
    }
}
