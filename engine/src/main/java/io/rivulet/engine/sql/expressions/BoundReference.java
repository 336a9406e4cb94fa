package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;

import java.util.List;

/**
 * A resolved column: the value at {@code ordinal} of the input row, read with the row's primitive getter for
 * its type (no boxing). Immutable.
 */
public final class BoundReference extends Expression {
    private final int ordinal;
    private final String name;
    private final DataType type;
    private final boolean nullable;
    private final byte physical;

    /**
     * @param ordinal  the field's position in the input schema.
     * @param name     the field's name (the output column's name when selected as is).
     * @param type     the field's type.
     * @param nullable whether it may be null.
     */
    public BoundReference(int ordinal, String name, DataType type, boolean nullable) {
        this.ordinal = ordinal;
        this.name = name;
        this.type = type;
        this.nullable = nullable;
        this.physical = (byte) (type == DataTypes.ShortType ? 1 : type == DataTypes.ByteType ? 2
            : type == DataTypes.DateType ? 3 : type == DataTypes.TimestampType ? 4 : type == DataTypes.FloatType ? 5
            : type == DataTypes.StringType ? 6 : 0);
    }

    /**
     * @return the field's position in the input row.
     */
    public int ordinal() {
        return ordinal;
    }

    /**
     * @return the field's name.
     */
    public String name() {
        return name;
    }

    @Override
    public List<Expression> children() {
        return List.of();
    }

    @Override
    public DataType dataType() {
        return type;
    }

    @Override
    public boolean nullable() {
        return nullable;
    }

    @Override
    public String sql() {
        return name;
    }

    @Override
    public boolean evalBoolean(Row row, EvalContext ctx) {
        if (row.isNullAt(ordinal)) {
            ctx.isNull = true;
            return false;
        }
        ctx.isNull = false;
        return row.getBoolean(ordinal);
    }

    @Override
    public int evalInt(Row row, EvalContext ctx) {
        if (row.isNullAt(ordinal)) {
            ctx.isNull = true;
            return 0;
        }
        ctx.isNull = false;
        return switch (physical) {
            case 1 -> row.getShort(ordinal);
            case 2 -> row.getByte(ordinal);
            case 3 -> row.getDateDays(ordinal);
            default -> row.getInt(ordinal);
        };
    }

    @Override
    public long evalLong(Row row, EvalContext ctx) {
        if (row.isNullAt(ordinal)) {
            ctx.isNull = true;
            return 0;
        }
        ctx.isNull = false;
        return physical == 4 ? row.getTimestampMicros(ordinal) : row.getLong(ordinal);
    }

    @Override
    public double evalDouble(Row row, EvalContext ctx) {
        if (row.isNullAt(ordinal)) {
            ctx.isNull = true;
            return 0;
        }
        ctx.isNull = false;
        return physical == 5 ? row.getFloat(ordinal) : row.getDouble(ordinal);
    }

    @Override
    public Object evalObject(Row row, EvalContext ctx) {
        if (physical == 6) {
            return row.getString(ordinal);
        }
        return row.get(ordinal);
    }
}
