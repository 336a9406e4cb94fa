package io.rivulet.engine.sink;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

import java.lang.reflect.Array;
import io.rivulet.operators.window.Window;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders rows as Spark's {@code Dataset.showString} does: a boxed table with a header. A Java
 * record becomes one column per component (rows of another class than the first row's show whole in
 * the first column); any other value is one column named {@code value}.
 *
 * <p>Spark's rules, kept here exactly: every column is at least 3 wide; widths count full-width
 * (CJK) characters as two; with truncation, cells longer than 20 characters are cut to 17 and
 * {@code ...} and every cell (the header too) is right-aligned, without it cells are left-aligned;
 * control characters are escaped ({@code \n} shows as {@code \\n}) so a cell stays on one line.
 * Values show as Spark's {@code ToPrettyString} shows them: {@code NULL} for null, byte arrays in
 * hex ({@code [01 0A FF]}), arrays and collections as {@code [a, b]}, maps as {@code {k -> v}},
 * nested records as {@code {a, b}}, decimals without exponent.
 *
 * <p>Thread-safe.
 */
final class TableFormat {
    private static final int TRUNCATE_AT = 20;
    private static final int MINIMUM_COLUMN_WIDTH = 3;
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();

    private TableFormat() {
    }

    /**
     * Formats rows.
     *
     * @param rows the rows to show, none {@code null}
     * @param truncate whether cells longer than 20 characters are cut to 17 and {@code ...}, and
     *     cells right-aligned
     * @return the table, lines ending in {@code \n}
     */
    static String format(List<?> rows, boolean truncate) {
        if (!rows.isEmpty() && rows.get(0) instanceof Row row && row.schema() != null) {
            return formatRows(rows, row.schema(), truncate);
        }
        return format(rows, rows.isEmpty() ? null : rows.get(0).getClass(), truncate);
    }

    /**
     * Formats structured rows under their schema's column names (Spark's {@code show} of a DataFrame).
     *
     * @param rows the rows, each a {@link Row} of {@code schema} (others show whole in the first column)
     * @param schema the columns
     * @param truncate as {@link #format(List, boolean)}
     * @return the table, lines ending in {@code \n}
     */
    static String formatRows(List<?> rows, StructType schema, boolean truncate) {
        List<String> header = new ArrayList<>();
        for (String name : schema.fieldNames()) {
            header.add(escape(name));
        }
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header);
        for (Object row : rows) {
            List<String> cells = new ArrayList<>(header.size());
            if (row instanceof Row values && values.size() == header.size()) {
                for (int i = 0; i < values.size(); i++) {
                    cells.add(cell(values.get(i), truncate));
                }
            } else {
                cells.add(cell(row, truncate));
                while (cells.size() < header.size()) {
                    cells.add("");
                }
            }
            lines.add(cells);
        }
        return table(lines, truncate);
    }

    /**
     * Formats a table without rows, as Spark shows an empty result: the header between rules.
     *
     * @param rowType the class of the rows the table would have, or {@code null} (one column, {@code value})
     * @return the table, lines ending in {@code \n}
     */
    static String formatEmpty(Class<?> rowType) {
        return format(List.of(), rowType, true);
    }

    private static String format(List<?> rows, Class<?> rowType, boolean truncate) {
        RecordComponent[] columns = rowType == null ? null : components(rowType);
        List<String> header = new ArrayList<>();
        if (columns == null) {
            header.add("value");
        } else {
            for (RecordComponent column : columns) {
                header.add(escape(column.getName()));
            }
        }
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header);
        for (Object row : rows) {
            lines.add(cells(row, rowType, columns, header.size(), truncate));
        }
        return table(lines, truncate);
    }

    private static String table(List<List<String>> lines, boolean truncate) {
        List<String> header = lines.get(0);
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(Math.max(widths[c], MINIMUM_COLUMN_WIDTH), halfWidth(line.get(c)));
            }
        }
        StringBuilder separator = new StringBuilder("+");
        for (int c = 0; c < widths.length; c++) {
            separator.append("-".repeat(widths[c])).append(c == widths.length - 1 ? "" : "+");
        }
        separator.append("+\n");

        StringBuilder out = new StringBuilder();
        out.append(separator);
        appendLine(out, header, widths, truncate);
        out.append(separator);
        for (int l = 1; l < lines.size(); l++) {
            appendLine(out, lines.get(l), widths, truncate);
        }
        out.append(separator);
        return out.toString();
    }

    private static List<String> cells(Object row, Class<?> rowType, RecordComponent[] columns, int width, boolean truncate) {
        List<String> cells = new ArrayList<>(width);
        if (columns == null || row.getClass() != rowType) {
            cells.add(cell(row, truncate));
            while (cells.size() < width) {
                cells.add("");
            }
            return cells;
        }
        for (RecordComponent column : columns) {
            cells.add(cell(componentValue(row, column), truncate));
        }
        return cells;
    }

    private static String cell(Object value, boolean truncate) {
        String text = escape(display(value));
        if (truncate && text.length() > TRUNCATE_AT) {
            return text.substring(0, TRUNCATE_AT - 3) + "...";
        }
        return text;
    }

    /** Spark's timestamp display: UTC, seconds, and the fraction only when it is not zero. */
    private static final DateTimeFormatter SPARK_TIMESTAMP = new DateTimeFormatterBuilder()
        .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
        .optionalEnd().toFormatter().withZone(ZoneOffset.UTC);

    private static String timestamp(long epochMs) {
        return SPARK_TIMESTAMP.format(Instant.ofEpochMilli(epochMs));
    }

    /** How Spark's {@code ToPrettyString} shows a value. */
    static String display(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof byte[] bytes) {
            StringBuilder hex = new StringBuilder(bytes.length * 3 + 2).append('[');
            for (int i = 0; i < bytes.length; i++) {
                hex.append(i == 0 ? "" : " ").append(Character.toUpperCase(Character.forDigit((bytes[i] >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(bytes[i] & 0xF, 16)));
            }
            return hex.append(']').toString();
        }
        if (value.getClass().isArray()) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                text.append(i == 0 ? "" : ", ").append(display(Array.get(value, i)));
            }
            return text.append(']').toString();
        }
        if (value instanceof Iterable<?> elements) {
            StringBuilder text = new StringBuilder("[");
            String comma = "";
            for (Object element : elements) {
                text.append(comma).append(display(element));
                comma = ", ";
            }
            return text.append(']').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder text = new StringBuilder("{");
            String comma = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                text.append(comma).append(display(entry.getKey())).append(" -> ").append(display(entry.getValue()));
                comma = ", ";
            }
            return text.append('}').toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Window window) {
            // Spark shows a window struct as its two timestamps: {2024-01-01 00:00:00, 2024-01-01 00:00:10}.
            return "{" + timestamp(window.startMs()) + ", " + timestamp(window.endMs()) + "}";
        }
        if (value instanceof Instant instant) {
            return SPARK_TIMESTAMP.format(instant);
        }
        if (value instanceof Row row) {
            // A nested struct, as Spark shows it: {a, b}.
            StringBuilder text = new StringBuilder("{");
            for (int i = 0; i < row.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(display(row.get(i)));
            }
            return text.append('}').toString();
        }
        RecordComponent[] components = components(value.getClass());
        if (components != null) {
            StringBuilder text = new StringBuilder("{");
            for (int i = 0; i < components.length; i++) {
                text.append(i == 0 ? "" : ", ").append(display(componentValue(value, components[i])));
            }
            return text.append('}').toString();
        }
        return String.valueOf(value);
    }

    private static Object componentValue(Object record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "<" + e.getClass().getSimpleName() + ">";
        }
    }

    private static RecordComponent[] components(Class<?> type) {
        if (!type.isRecord()) {
            return null;
        }
        return COMPONENTS.computeIfAbsent(type, t -> {
            RecordComponent[] components = t.getRecordComponents();
            for (RecordComponent component : components) {
                try {
                    // Records are often private nested classes of the application.
                    component.getAccessor().setAccessible(true);
                } catch (RuntimeException notOpen) {
                    // A module that does not open the record: public accessors still work.
                }
            }
            return components;
        });
    }

    /** Spark's {@code escapeMetaCharacters}: control characters as their escapes. */
    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\f' -> "\\f";
                case '\b' -> "\\b";
                case '\u000B' -> "\\v";
                case '\u0007' -> "\\a";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    /** Spark's {@code Utils.stringHalfWidth}: columns a string takes, full-width characters two each. */
    static int halfWidth(String text) {
        int width = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (isFullWidth(text.charAt(i))) {
                width++;
            }
        }
        return width;
    }

    private static boolean isFullWidth(char c) {
        return (c >= '\u1100' && c <= '\u115F')
            || (c >= '\u2E80' && c <= '\uA4CF')
            || (c >= '\uAC00' && c <= '\uD7A3')
            || (c >= '\uF900' && c <= '\uFAFF')
            || (c >= '\uFE10' && c <= '\uFE19')
            || (c >= '\uFE30' && c <= '\uFE6F')
            || (c >= '\uFF00' && c <= '\uFF60')
            || (c >= '\uFFE0' && c <= '\uFFE6');
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] widths, boolean rightAlign) {
        // Spark's mkString("|", "|", "|\n"): a table without columns still shows "||".
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - halfWidth(cell));
            out.append(rightAlign ? pad + cell : cell + pad).append(c == widths.length - 1 ? "" : "|");
        }
        out.append("|\n");
    }
}
