package io.rivulet.engine.sql.internal.formats;

import io.rivulet.engine.internal.Options;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * The row options of the {@code json} and {@code csv} file sources, Spark's names: the one place they are
 * declared, validated and read. A file source keeps their raw values in a map (canonical name → value) and
 * builds its decoder from it.
 * <p>
 * Inference options ({@code primitivesAsString}, {@code prefersDecimal}, {@code dropFieldIfAllNull},
 * {@code samplingRatio}, {@code inferSchema}, {@code preferDate}) are accepted and have no effect, as in Spark
 * when a schema is given. {@code multiLine} may only be false, {@code encoding}/{@code charset} only UTF-8.
 */
public final class RowFormatOptions {
    /** Spark's default corrupt-record column. */
    public static final String DEFAULT_CORRUPT_COLUMN = "_corrupt_record";

    private RowFormatOptions() {
    }

    /**
     * Declares the row options of a format in a source's option table; each setter validates its value, then
     * stores it under its canonical name.
     *
     * @param table the source's table.
     * @param csv   true for {@code csv}, false for {@code json}.
     * @param into  where the values go.
     */
    public static void declare(Options table, boolean csv, Map<String, String> into) {
        common(table, into);
        if (csv) {
            text(table, into, "emptyValue");
            text(table, into, "nanValue");
            text(table, into, "positiveInf");
            text(table, into, "negativeInf");
            bool(table, into, "ignoreLeadingWhiteSpace");
            bool(table, into, "ignoreTrailingWhiteSpace");
            bool(table, into, "enforceSchema");
            bool(table, into, "inferSchema");
            bool(table, into, "preferDate");
            table.add("maxColumns", v -> into.put("maxColumns", String.valueOf(Options.positive("maxColumns", Options.parseInt(v)))));
            table.add("maxCharsPerColumn", v -> {
                int n = Options.parseInt(v);
                if (n == 0 || n < -1) {
                    throw new IllegalArgumentException("maxCharsPerColumn must be positive or -1 (no limit), got " + n);
                }
                into.put("maxCharsPerColumn", String.valueOf(n));
            });
            table.add("charToEscapeQuoteEscaping", v -> {
                if (v.length() != 1) {
                    throw new IllegalArgumentException("charToEscapeQuoteEscaping must be one character, got '" + v + "'");
                }
                into.put("charToEscapeQuoteEscaping", v);
            });
        } else {
            for (String name : new String[] {"allowComments", "allowUnquotedFieldNames", "allowSingleQuotes",
                "allowNumericLeadingZeros", "allowNonNumericNumbers", "allowBackslashEscapingAnyCharacter",
                "allowUnquotedControlChars", "primitivesAsString", "prefersDecimal", "dropFieldIfAllNull"}) {
                bool(table, into, name);
            }
        }
    }

    private static void common(Options table, Map<String, String> into) {
        table.add("columnNameOfCorruptRecord", v -> into.put("columnNameOfCorruptRecord", FileOptionsCheck.nonEmpty("columnNameOfCorruptRecord", v)));
        table.add("timestampFormat", v -> {
            DateTimes.formatter("timestampFormat", v);
            into.put("timestampFormat", v);
        });
        table.add("dateFormat", v -> {
            DateTimes.formatter("dateFormat", v);
            into.put("dateFormat", v);
        });
        table.add("timeZone", v -> {
            zone(v);
            into.put("timeZone", v);
        });
        bool(table, into, "enableDateTimeParsingFallback");
        table.add("samplingRatio", v -> into.put("samplingRatio", v));
        table.add("multiLine", v -> {
            if (Options.parseBoolean(v)) {
                throw new IllegalArgumentException("multiLine=true is not supported: the file source reads one record per line");
            }
            into.put("multiLine", v);
        });
        for (String name : new String[] {"encoding", "charset"}) {
            table.add(name, v -> {
                String lower = v.toLowerCase(Locale.ROOT).replace("-", "");
                if (!lower.equals("utf8")) {
                    throw new IllegalArgumentException(name + " '" + v + "' is not supported: files are read as UTF-8");
                }
                into.put(name, v);
            });
        }
    }

    private static void bool(Options table, Map<String, String> into, String name) {
        table.add(name, v -> into.put(name, String.valueOf(Options.parseBoolean(v))));
    }

    private static void text(Options table, Map<String, String> into, String name) {
        table.add(name, v -> into.put(name, v));
    }

    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timeZone '" + id + "' is not a zone id (e.g. UTC, +02:00, Europe/Paris): "
                + e.getMessage(), e);
        }
    }

    static boolean flag(Map<String, String> options, String name, boolean otherwise) {
        String v = options.get(name);
        return v == null ? otherwise : Boolean.parseBoolean(v);
    }

    static String corruptColumn(Map<String, String> options) {
        return options.getOrDefault("columnNameOfCorruptRecord", DEFAULT_CORRUPT_COLUMN);
    }

    static DateTimes dateTimes(Map<String, String> options) {
        String fallback = options.get("enableDateTimeParsingFallback");
        String zone = options.get("timeZone");
        return new DateTimes(zone == null ? ZoneOffset.UTC : zone(zone), options.get("timestampFormat"),
            options.get("dateFormat"), fallback == null ? null : Boolean.valueOf(fallback));
    }

    /** Small checks shared by the setters. */
    static final class FileOptionsCheck {
        private FileOptionsCheck() {
        }

        static String nonEmpty(String name, String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return value;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
