package io.rivulet.engine.types;

import io.rivulet.engine.sql.ParseException;
import io.rivulet.engine.sql.parser.SqlParsers;
import org.agrona.collections.Object2IntHashMap;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A schema: an ordered list of {@link StructField}s, Spark's {@code StructType}. Also the type of a nested
 * struct value. Build one with {@code new StructType().add("id", DataTypes.IntegerType)}, from a list of fields,
 * or from DDL with {@link #fromDDL(String)}.
 * <p>
 * Immutable and thread-safe: {@code add} returns a new schema. Equal when the fields are equal, in order. Field
 * names are case-sensitive here; duplicates are kept (Spark rejects them only when a query resolves them), and
 * {@link #fieldIndex(String)} finds the first.
 */
public final class StructType extends DataType {
    private static final int MISSING = -1;

    private final StructField[] fields;
    private final Object2IntHashMap<String> indexByName;
    private final int hash;

    /** An empty schema, to {@link #add(String, DataType) add} fields to (Spark's {@code new StructType()}). */
    public StructType() {
        this(new StructField[0]);
    }

    /**
     * A schema of the given fields.
     *
     * @param fields the fields, in order; neither the array nor an element may be null. The array is copied.
     */
    public StructType(StructField[] fields) {
        this(fields.clone(), true);
    }

    /**
     * A schema of the given fields.
     *
     * @param fields the fields, in order; no element may be null.
     */
    public StructType(List<StructField> fields) {
        this(fields.toArray(new StructField[0]), true);
    }

    private StructType(StructField[] owned, boolean unused) {
        for (int i = 0; i < owned.length; i++) {
            Objects.requireNonNull(owned[i], "fields[" + i + "]");
        }
        this.fields = owned;
        this.indexByName = new Object2IntHashMap<>(Math.max(8, owned.length * 2), 0.65f, MISSING);
        for (int i = owned.length - 1; i >= 0; i--) {
            indexByName.put(owned[i].name(), i);
        }
        this.hash = Arrays.hashCode(owned);
    }

    /**
     * Parses a table schema in Spark's DDL: {@code "id INT NOT NULL, ts TIMESTAMP COMMENT 'event time',
     * tags ARRAY<STRING>"}. Type names and keywords are case-insensitive; names keep their case and may be
     * back-quoted.
     *
     * @param ddl the schema; not null.
     * @return the schema.
     * @throws ParseException on a syntax error (naming the token and its position) or an unknown type (naming
     *                        it and listing the known ones).
     */
    public static StructType fromDDL(String ddl) {
        return SqlParsers.parseTableSchema(ddl);
    }

    /**
     * @param field the field to append; not null.
     * @return a new schema with the field appended.
     */
    public StructType add(StructField field) {
        StructField[] more = Arrays.copyOf(fields, fields.length + 1);
        more[fields.length] = Objects.requireNonNull(field, "field");
        return new StructType(more, true);
    }

    /**
     * @param name     the field's name; not null.
     * @param dataType the field's type; not null.
     * @return a new schema with a nullable field appended.
     */
    public StructType add(String name, DataType dataType) {
        return add(new StructField(name, dataType, true));
    }

    /**
     * @param name     the field's name; not null.
     * @param dataType the field's type; not null.
     * @param nullable whether the field may hold null.
     * @return a new schema with the field appended.
     */
    public StructType add(String name, DataType dataType, boolean nullable) {
        return add(new StructField(name, dataType, nullable));
    }

    /**
     * @param name     the field's name; not null.
     * @param dataType the field's type; not null.
     * @param nullable whether the field may hold null.
     * @param comment  the field's comment; null for none.
     * @return a new schema with the field appended.
     */
    public StructType add(String name, DataType dataType, boolean nullable, String comment) {
        return add(new StructField(name, dataType, nullable, comment));
    }

    /**
     * @param name     the field's name; not null.
     * @param dataType the field's type in DDL ({@code "int"}, {@code "array<string>"}); not null.
     * @return a new schema with a nullable field appended.
     * @throws ParseException if {@code dataType} does not parse.
     */
    public StructType add(String name, String dataType) {
        return add(name, SqlParsers.parseDataType(dataType), true);
    }

    /**
     * @param name     the field's name; not null.
     * @param dataType the field's type in DDL; not null.
     * @param nullable whether the field may hold null.
     * @return a new schema with the field appended.
     * @throws ParseException if {@code dataType} does not parse.
     */
    public StructType add(String name, String dataType, boolean nullable) {
        return add(name, SqlParsers.parseDataType(dataType), nullable);
    }

    /**
     * @return the fields, in order (a copy).
     */
    public StructField[] fields() {
        return fields.clone();
    }

    /**
     * @return the field names, in order.
     */
    public String[] fieldNames() {
        String[] names = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].name();
        }
        return names;
    }

    /**
     * @return the field names, in order (Spark's alias of {@link #fieldNames()}).
     */
    public String[] names() {
        return fieldNames();
    }

    /**
     * @return the number of fields.
     */
    public int size() {
        return fields.length;
    }

    /**
     * @return the number of fields (Spark's name).
     */
    public int length() {
        return fields.length;
    }

    /**
     * @param index the field's position, from 0.
     * @return the field at that position.
     * @throws IndexOutOfBoundsException if there is no such position.
     */
    public StructField apply(int index) {
        return fields[Objects.checkIndex(index, fields.length)];
    }

    /**
     * @param name the field's name (case-sensitive).
     * @return the field with that name.
     * @throws IllegalArgumentException if there is none; the message lists the fields.
     */
    public StructField apply(String name) {
        return fields[fieldIndex(name)];
    }

    /**
     * The position of a field; no allocation when found.
     *
     * @param name the field's name (case-sensitive).
     * @return its position, from 0.
     * @throws IllegalArgumentException if there is none; the message lists the fields.
     */
    public int fieldIndex(String name) {
        int index = indexByName.getValue(name);
        if (index == MISSING) {
            throw noSuchField(name);
        }
        return index;
    }

    /**
     * @param name the field's name (case-sensitive).
     * @return its position, or -1 if there is none.
     */
    public int indexOf(String name) {
        return indexByName.getValue(name);
    }

    private IllegalArgumentException noSuchField(String name) {
        StringJoiner names = new StringJoiner(", ");
        for (StructField f : fields) {
            names.add(f.name());
        }
        return new IllegalArgumentException(
            "No such struct field '" + name + "'; the fields are: " + (fields.length == 0 ? "(none)" : names));
    }

    /**
     * The schema as a tree, exactly as Spark's {@code printSchema} prints it:
     * <pre>
     * root
     *  |-- id: integer (nullable = false)
     *  |-- tags: array (nullable = true)
     *  |    |-- element: string (containsNull = true)
     * </pre>
     * Each line, the last one too, ends with {@code \n}.
     *
     * @return the tree.
     */
    public String treeString() {
        StringBuilder out = new StringBuilder("root\n");
        buildFormattedString(" |", out);
        return out.toString();
    }

    /** Prints {@link #treeString()} and a line break to {@code System.out}, as Spark's {@code printTreeString}. */
    public void printTreeString() {
        System.out.println(treeString());
    }

    @Override
    void buildFormattedString(String prefix, StringBuilder out) {
        for (StructField f : fields) {
            f.buildFormattedString(prefix, out);
        }
    }

    /**
     * The schema in DDL, as Spark's {@code toDDL}: {@code id INT NOT NULL,tags ARRAY<STRING>};
     * {@link #fromDDL(String)} parses it back to an equal schema.
     *
     * @return the DDL.
     */
    public String toDDL() {
        StringJoiner ddl = new StringJoiner(",");
        for (StructField f : fields) {
            ddl.add(f.toDDL());
        }
        return ddl.toString();
    }

    @Override
    public String typeName() {
        return "struct";
    }

    @Override
    public String simpleString() {
        StringJoiner s = new StringJoiner(",", "struct<", ">");
        for (StructField f : fields) {
            s.add(f.name() + ":" + f.dataType().simpleString());
        }
        return s.toString();
    }

    @Override
    public String catalogString() {
        StringJoiner s = new StringJoiner(",", "struct<", ">");
        for (StructField f : fields) {
            s.add(f.name() + ":" + f.dataType().catalogString());
        }
        return s.toString();
    }

    @Override
    public String sql() {
        StringJoiner s = new StringJoiner(", ", "STRUCT<", ">");
        for (StructField f : fields) {
            s.add(f.sql());
        }
        return s.toString();
    }

    /** Spark's form: {@code StructType(StructField(id,IntegerType,true),StructField(s,StringType,true))}. */
    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(",", "StructType(", ")");
        for (StructField f : fields) {
            s.add(f.toString());
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof StructType s && s.hash == hash && Arrays.equals(s.fields, fields);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
