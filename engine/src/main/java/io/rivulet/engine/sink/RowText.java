package io.rivulet.engine.sink;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructField;

import java.lang.reflect.Array;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records as lines of text: JSON objects and CSV rows. Java records are written by component (their
 * accessors are looked up once per class); structured rows ({@link Row}) by field, as Spark's JSON and
 * CSV writers write a DataFrame (JSON leaves null fields out; timestamps are
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} in UTC). Stateless and thread-safe.
 */
final class RowText {
    private static final ConcurrentHashMap<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();
    private static final DateTimeFormatter SPARK_TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private RowText() {
    }

    /**
     * @param value a record, map, collection, array, number, boolean, string or other value
     * @return it as one line of JSON
     */
    static String json(Object value) {
        StringBuilder out = new StringBuilder(64);
        appendJson(value, out);
        return out.toString();
    }

    /**
     * @param value a record (one column per component) or a single value (one column)
     * @return it as one CSV line, RFC 4180 quoting
     */
    static String csv(Object value) {
        StringBuilder out = new StringBuilder(64);
        if (value instanceof Row row) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendCsv(row.isNullAt(i) ? null : sparkText(row.get(i)), out);
            }
        } else if (value instanceof Record record) {
            RecordComponent[] components = components(record.getClass());
            for (int i = 0; i < components.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendCsv(read(record, components[i]), out);
            }
        } else {
            appendCsv(value, out);
        }
        return out.toString();
    }

    private static void appendCsv(Object value, StringBuilder out) {
        if (value == null) {
            return;
        }
        String text = String.valueOf(value);
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
            || text.indexOf('\r') >= 0;
        if (!quote) {
            out.append(text);
            return;
        }
        out.append('"').append(text.replace("\"", "\"\"")).append('"');
    }

    private static void appendJson(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number number) {
            appendNumber(number, out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Row row && row.schema() != null) {
            // Spark's JSON writer: fields by name, null fields left out (ignoreNullFields=true).
            out.append('{');
            StructField[] fields = row.schema().fields();
            boolean first = true;
            for (int i = 0; i < fields.length; i++) {
                if (row.isNullAt(i)) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(fields[i].name(), out);
                out.append(':');
                appendJson(sparkText(row.get(i)), out);
            }
            out.append('}');
        } else if (value instanceof Row row) {
            List<Object> values = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                values.add(row.get(i));
            }
            appendJson(values, out);
        } else if (value instanceof Record record) {
            out.append('{');
            RecordComponent[] components = components(record.getClass());
            for (int i = 0; i < components.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendString(components[i].getName(), out);
                out.append(':');
                appendJson(read(record, components[i]), out);
            }
            out.append('}');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(String.valueOf(entry.getKey()), out);
                out.append(':');
                appendJson(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Iterable<?> iterable) {
            out.append('[');
            boolean first = true;
            for (Object element : iterable) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendJson(element, out);
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            out.append('[');
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendJson(Array.get(value, i), out);
            }
            out.append(']');
        } else {
            // Strings, characters, enums, temporal values (ISO-8601 by toString) and anything else.
            appendString(value.toString(), out);
        }
    }

    /** Timestamps as Spark's JSON and CSV writers print them by default (UTC, milliseconds); the rest as they are. */
    private static Object sparkText(Object value) {
        if (value instanceof Instant instant) {
            return SPARK_TIMESTAMP.format(instant);
        }
        return value;
    }

    private static void appendNumber(Number number, StringBuilder out) {
        if (number instanceof Double d && (d.isNaN() || d.isInfinite())) {
            appendString(d.toString(), out);
        } else if (number instanceof Float f && (f.isNaN() || f.isInfinite())) {
            appendString(f.toString(), out);
        } else {
            out.append(number);
        }
    }

    private static void appendString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static RecordComponent[] components(Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, t -> {
            RecordComponent[] components = t.getRecordComponents();
            for (RecordComponent component : components) {
                component.getAccessor().setAccessible(true);
            }
            return components;
        });
    }

    private static Object read(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read component " + component.getName() + " of "
                + record.getClass().getName() + ": " + e.getMessage(), e);
        }
    }
}
