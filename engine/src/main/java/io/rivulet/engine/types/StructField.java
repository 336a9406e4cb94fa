package io.rivulet.engine.types;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One named field of a {@link StructType}: Spark's {@code StructField} without general metadata (a comment is
 * the one piece of metadata kept, as DDL's {@code COMMENT '...'}).
 * <p>
 * Immutable and thread-safe; equal when name, type, nullability and comment are.
 *
 * @param name     the field's name, case kept; not null (may be empty, as in Spark).
 * @param dataType the field's type; not null.
 * @param nullable whether the field may hold null.
 * @param comment  the field's comment, or null for none.
 */
public record StructField(String name, DataType dataType, boolean nullable, String comment) {
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-zA-Z0-9_]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code name} or {@code dataType} is null.
     */
    public StructField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
    }

    /**
     * A field without comment.
     *
     * @param name     the field's name; not null.
     * @param dataType the field's type; not null.
     * @param nullable whether the field may hold null.
     */
    public StructField(String name, DataType dataType, boolean nullable) {
        this(name, dataType, nullable, null);
    }

    /**
     * A nullable field without comment (Spark's default).
     *
     * @param name     the field's name; not null.
     * @param dataType the field's type; not null.
     */
    public StructField(String name, DataType dataType) {
        this(name, dataType, true, null);
    }

    /**
     * @param newComment the comment; null removes it.
     * @return this field with the given comment.
     */
    public StructField withComment(String newComment) {
        return new StructField(name, dataType, nullable, newComment);
    }

    /**
     * @return the comment, if any (Spark's {@code getComment()}).
     */
    public Optional<String> getComment() {
        return Optional.ofNullable(comment);
    }

    /**
     * The field in DDL form, as Spark's {@code StructField.toDDL}: {@code id INT NOT NULL COMMENT 'key'}; the name
     * is back-quoted when it is not a plain identifier.
     *
     * @return the DDL of this field.
     */
    public String toDDL() {
        return quoteIfNeeded(name) + " " + dataType.sql() + nullAndComment();
    }

    /**
     * The field as it appears inside {@code STRUCT<...>}: {@code id: INT NOT NULL}.
     *
     * @return the SQL of this field.
     */
    public String sql() {
        return quoteIfNeeded(name) + ": " + dataType.sql() + nullAndComment();
    }

    private String nullAndComment() {
        String notNull = nullable ? "" : " NOT NULL";
        return comment == null ? notNull : notNull + " COMMENT '" + escapeSingleQuoted(comment) + "'";
    }

    /** Spark's form: {@code StructField(id,IntegerType,true)}. */
    @Override
    public String toString() {
        return "StructField(" + name + "," + dataType + "," + nullable + ")";
    }

    void buildFormattedString(String prefix, StringBuilder out) {
        out.append(prefix).append("-- ").append(escapeMetaCharacters(name)).append(": ").append(dataType.typeName())
            .append(" (nullable = ").append(nullable).append(")\n");
        dataType.buildFormattedString(prefix + "    |", out);
    }

    /**
     * Back-quotes a name unless it is a plain identifier (letters, digits, underscores, not all digits) that is
     * not one of the grammar's reserved words, doubling back-quotes inside; as Spark's {@code quoteIfNeeded}.
     */
    static String quoteIfNeeded(String name) {
        if (PLAIN_NAME.matcher(name).matches() && !DIGITS.matcher(name).matches()
            && !name.equalsIgnoreCase("not") && !name.equalsIgnoreCase("null")) {
            return name;
        }
        return "`" + name.replace("`", "``") + "`";
    }

    private static String escapeSingleQuoted(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    private static String escapeMetaCharacters(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
            .replace("\f", "\\f").replace("\b", "\\b").replace("\u000B", "\\v").replace("\u0007", "\\a");
    }
}
