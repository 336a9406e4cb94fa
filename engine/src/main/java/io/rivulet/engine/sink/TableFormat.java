package io.rivulet.engine.sink;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders rows as Spark's {@code Dataset.show} does: a boxed table with a header. A Java record
 * becomes one column per component; any other value is one column named {@code value}.
 *
 * <p>Thread-safe.
 */
final class TableFormat {
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();

    private TableFormat() {
    }

    /**
     * Formats rows.
     *
     * @param rows the rows to show
     * @param truncate whether cells longer than 20 characters are cut to 17 and {@code ...}
     * @return the table, lines ending in {@code \n}
     */
    static String format(List<?> rows, boolean truncate) {
        List<String> header = rows.isEmpty() ? List.of("value") : columns(rows.get(0));
        List<List<String>> cells = new ArrayList<>();
        for (Object row : rows) {
            cells.add(cells(row, truncate, header.size()));
        }
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, header.get(c).length());
            for (List<String> line : cells) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        String separator = separator(widths);
        out.append(separator);
        appendLine(out, header, widths, truncate);
        out.append(separator);
        for (List<String> line : cells) {
            appendLine(out, line, widths, truncate);
        }
        out.append(separator);
        return out.toString();
    }

    private static List<String> columns(Object row) {
        RecordComponent[] components = components(row.getClass());
        if (components == null) {
            return List.of("value");
        }
        List<String> names = new ArrayList<>(components.length);
        for (RecordComponent component : components) {
            names.add(component.getName());
        }
        return names;
    }

    private static List<String> cells(Object row, boolean truncate, int width) {
        RecordComponent[] components = components(row.getClass());
        List<String> cells = new ArrayList<>(width);
        if (components == null || components.length != width) {
            cells.add(cell(row, truncate));
            while (cells.size() < width) {
                cells.add("");
            }
            return cells;
        }
        for (RecordComponent component : components) {
            try {
                cells.add(cell(component.getAccessor().invoke(row), truncate));
            } catch (ReflectiveOperationException e) {
                cells.add("<" + e.getClass().getSimpleName() + ">");
            }
        }
        return cells;
    }

    private static RecordComponent[] components(Class<?> type) {
        if (!type.isRecord()) {
            return null;
        }
        return COMPONENTS.computeIfAbsent(type, t -> {
            RecordComponent[] components = t.getRecordComponents();
            for (RecordComponent component : components) {
                component.getAccessor().setAccessible(true);
            }
            return components;
        });
    }

    private static String cell(Object value, boolean truncate) {
        String text = String.valueOf(value);
        if (truncate && text.length() > 20) {
            return text.substring(0, 17) + "...";
        }
        return text;
    }

    private static String separator(int[] widths) {
        StringBuilder line = new StringBuilder("+");
        for (int width : widths) {
            line.append("-".repeat(width)).append('+');
        }
        return line.append('\n').toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells, int[] widths, boolean rightAlign) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(rightAlign ? pad + cell : cell + pad).append('|');
        }
        out.append('\n');
    }
}
