package io.rivulet.engine.sql.internal;

import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * Resolves a column name against a schema as Spark's analyzer does with its default
 * {@code spark.sql.caseSensitive=false}: an exact match first, else the one column whose name equals it
 * ignoring case. Stateless and thread-safe.
 */
public final class ColumnResolver {
    private ColumnResolver() {
    }

    /**
     * @param schema the columns
     * @param name the name asked for
     * @return the column's position
     * @throws IllegalArgumentException Spark's {@code UNRESOLVED_COLUMN} error listing the columns when no
     *     column has the name, or {@code AMBIGUOUS_REFERENCE} when several match ignoring case
     */
    public static int resolve(StructType schema, String name) {
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equals(name)) {
                return i;
            }
        }
        int found = -1;
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().toLowerCase(Locale.ROOT).equals(lower)) {
                if (found >= 0) {
                    throw new IllegalArgumentException("[AMBIGUOUS_REFERENCE] Reference `" + name + "` is ambiguous, could be: ["
                        + quoted(fields[found].name()) + ", " + quoted(fields[i].name()) + "].");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw unresolved(name, schema);
        }
        return found;
    }

    /**
     * @param name the name that did not resolve
     * @param schema the columns there are
     * @return Spark's error, listing the columns
     */
    public static IllegalArgumentException unresolved(String name, StructType schema) {
        StringJoiner columns = new StringJoiner(", ", "[", "]");
        for (StructField field : schema.fields()) {
            columns.add(quoted(field.name()));
        }
        return new IllegalArgumentException("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
            + quoted(name) + " cannot be resolved. Did you mean one of the following? " + columns + ".");
    }

    /**
     * @param name a column name
     * @return it between back quotes, as Spark quotes identifiers in errors
     */
    public static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
