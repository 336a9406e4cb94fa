package io.rivulet.engine.sql.internal;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Locale;

/**
 * How {@code Dataset.as(encoder)} reads rows of one schema into the encoder's schema, resolved once when
 * the Dataset is built: each field of the target is the input column of the same name (Spark's resolver,
 * see {@link ColumnResolver}; input columns the target lacks are ignored), converted by Spark's up-cast
 * rules ({@link RowConversions#canUpCast}). Immutable and thread-safe; {@link #project} writes into a row
 * its caller owns.
 */
public final class AsProjection {
    private final int[] sources;
    private final DataType[] fromTypes;
    private final DataType[] toTypes;

    private AsProjection(int[] sources, DataType[] fromTypes, DataType[] toTypes) {
        this.sources = sources;
        this.fromTypes = fromTypes;
        this.toTypes = toTypes;
    }

    /**
     * @param from the input's schema
     * @param to the encoder's schema
     * @param target the class the encoder builds, for the error's type path
     * @return the projection
     * @throws IllegalArgumentException Spark's {@code UNRESOLVED_COLUMN} error listing the columns for a
     *     target field no column has, or its {@code CANNOT_UP_CAST_DATATYPE} error for a lossy conversion
     */
    public static AsProjection resolve(StructType from, StructType to, Class<?> target) {
        StructField[] fields = to.fields();
        int[] sources = new int[fields.length];
        DataType[] fromTypes = new DataType[fields.length];
        DataType[] toTypes = new DataType[fields.length];
        for (int i = 0; i < fields.length; i++) {
            StructField field = fields[i];
            int source = ColumnResolver.resolve(from, field.name());
            DataType fromType = from.fields()[source].dataType();
            if (!RowConversions.canUpCast(fromType, field.dataType())) {
                throw new IllegalArgumentException("[CANNOT_UP_CAST_DATATYPE] Cannot up cast " + from.fields()[source].name()
                    + " from \"" + fromType.sql() + "\" to \"" + field.dataType().sql() + "\".\n"
                    + "The type path of the target object is:\n"
                    + "- field (class: \"" + fieldClass(target, field.name()) + "\", name: \"" + field.name() + "\")\n"
                    + "- root class: \"" + target.getName() + "\"\n"
                    + "You can either add an explicit cast to the input data or choose a higher precision type of the field"
                    + " in the target object");
            }
            sources[i] = source;
            fromTypes[i] = fromType;
            toTypes[i] = field.dataType();
        }
        return new AsProjection(sources, fromTypes, toTypes);
    }

    /**
     * @param row a row of the input schema
     * @param into a row of the encoder's schema, every field overwritten
     */
    public void project(Row row, MutableRow into) {
        for (int i = 0; i < sources.length; i++) {
            RowConversions.upCast(row, sources[i], fromTypes[i], into, i, toTypes[i]);
        }
    }

    private static String fieldClass(Class<?> target, String name) {
        if (target.isRecord()) {
            for (RecordComponent component : target.getRecordComponents()) {
                if (component.getName().equals(name)) {
                    return component.getType().getName();
                }
            }
        }
        String capitalized = name.isEmpty() ? name : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        for (Method method : target.getMethods()) {
            if (method.getParameterCount() == 0 && (method.getName().equals("get" + capitalized)
                || method.getName().equals("is" + capitalized))) {
                return method.getReturnType().getName();
            }
        }
        return target.getName();
    }
}
