package io.rivulet.engine.source.file;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.sql.internal.formats.RowFormatOptions;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The settings of one {@link FileSource}, validated one by one as they are set and together by
 * {@link #validate()} when a query opens the source. Internal: users set them through
 * {@link FileSource}'s methods or {@code option(name, value)} with Spark's names.
 *
 * <p>Mutable only while a {@code FileSource} builds its copy; never changed once the copy is made.
 */
final class FileSourceOptions {
    static final long DEFAULT_MAX_FILE_AGE_MS = Duration.ofDays(7).toMillis();
    static final long DEFAULT_LISTING_INTERVAL_MS = 1_000;
    static final long DEFAULT_FILE_SETTLE_MS = 1_000;

    int maxFilesPerTrigger;
    long maxBytesPerTrigger;
    boolean latestFirst;
    long maxFileAgeMs = DEFAULT_MAX_FILE_AGE_MS;
    boolean fileNameOnly;
    CleanSource cleanSource = CleanSource.OFF;
    Path sourceArchiveDir;
    String pathGlobFilter;
    boolean recursiveFileLookup;
    long listingIntervalMs = DEFAULT_LISTING_INTERVAL_MS;
    long fileSettleMs = DEFAULT_FILE_SETTLE_MS;
    ParseMode mode;
    boolean header;
    String sep = ",";
    char quote = '"';
    char escape = '\\';
    String nullValue = "";
    Character comment;
    /** The row options of a {@code json}/{@code csv} source with a schema: canonical name → value. */
    Map<String, String> rowOptions = new LinkedHashMap<>();

    FileSourceOptions copy() {
        FileSourceOptions copy = new FileSourceOptions();
        copy.maxFilesPerTrigger = maxFilesPerTrigger;
        copy.maxBytesPerTrigger = maxBytesPerTrigger;
        copy.latestFirst = latestFirst;
        copy.maxFileAgeMs = maxFileAgeMs;
        copy.fileNameOnly = fileNameOnly;
        copy.cleanSource = cleanSource;
        copy.sourceArchiveDir = sourceArchiveDir;
        copy.pathGlobFilter = pathGlobFilter;
        copy.recursiveFileLookup = recursiveFileLookup;
        copy.listingIntervalMs = listingIntervalMs;
        copy.fileSettleMs = fileSettleMs;
        copy.mode = mode;
        copy.header = header;
        copy.sep = sep;
        copy.quote = quote;
        copy.escape = escape;
        copy.nullValue = nullValue;
        copy.comment = comment;
        copy.rowOptions = new LinkedHashMap<>(rowOptions);
        return copy;
    }

    /**
     * Spark's rule: with {@code latestFirst} and a per-trigger cap, {@code maxFileAge} is ignored, since
     * old files that were never read would otherwise be forgotten.
     *
     * @return the age, relative to the newest file seen, below which files are forgotten and ignored
     */
    long effectiveMaxFileAgeMs() {
        return latestFirst && (maxFilesPerTrigger > 0 || maxBytesPerTrigger > 0) ? Long.MAX_VALUE : maxFileAgeMs;
    }

    /** @return matches file names against {@code pathGlobFilter}, or {@code null} for every name */
    PathMatcher nameMatcher() {
        return pathGlobFilter == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + pathGlobFilter);
    }

    /**
     * The rules between options, checked when a query opens the source.
     *
     * @param directory the source's directory, absolute and normalised
     * @param format the source's format, for messages
     * @throws IllegalArgumentException naming the options and the rule
     */
    void validate(Path directory, String format) {
        if (maxFilesPerTrigger > 0 && maxBytesPerTrigger > 0) {
            throw new IllegalArgumentException("options 'maxFilesPerTrigger' and 'maxBytesPerTrigger' of the " + format
                + " file source can't both be set at the same time (as in Spark): choose one");
        }
        if (cleanSource == CleanSource.ARCHIVE) {
            if (sourceArchiveDir == null) {
                throw new IllegalArgumentException("option 'cleanSource' of the " + format
                    + " file source is 'archive': set 'sourceArchiveDir' too");
            }
            Path archive = sourceArchiveDir.toAbsolutePath().normalize();
            if (archive.startsWith(directory)) {
                throw new IllegalArgumentException("option 'sourceArchiveDir' (" + archive + ") of the " + format
                    + " file source must not be the source directory or under it (" + directory
                    + "): archived files would be read again");
            }
        } else if (sourceArchiveDir != null) {
            throw new IllegalArgumentException("option 'sourceArchiveDir' of the " + format
                + " file source is set but 'cleanSource' is '" + cleanSource.name().toLowerCase(Locale.ROOT)
                + "': set cleanSource to 'archive' or drop sourceArchiveDir");
        }
    }

    /**
     * The option table, Spark's names, case-insensitive.
     *
     * @param format the source's format, naming the owner in errors
     * @param csv whether the csv options apply
     * @param modes whether the format's lines can be malformed, so {@code mode} applies
     * @param rows whether the format decodes rows of a schema, so the row options apply
     * @return the table
     */
    Options table(String format, boolean csv, boolean modes, boolean rows) {
        Options table = new Options("file source '" + format + "'")
            .add("maxFilesPerTrigger", v -> maxFilesPerTrigger = Options.positive("maxFilesPerTrigger", Options.parseInt(v)))
            .add("maxBytesPerTrigger", v -> maxBytesPerTrigger = Options.positive("maxBytesPerTrigger", parseBytes(v)))
            .add("latestFirst", v -> latestFirst = Options.parseBoolean(v))
            .add("maxFileAge", v -> maxFileAgeMs = positiveMs("maxFileAge", Options.parseDuration(v, "ms")))
            .add("fileNameOnly", v -> fileNameOnly = Options.parseBoolean(v))
            .add("cleanSource", v -> cleanSource = parseEnum(CleanSource.class, "cleanSource", v))
            .add("sourceArchiveDir", v -> sourceArchiveDir = Path.of(v))
            .add("pathGlobFilter", v -> pathGlobFilter = glob(v))
            .add("recursiveFileLookup", v -> recursiveFileLookup = Options.parseBoolean(v))
            .add("listingInterval", v -> listingIntervalMs = positiveMs("listingInterval", Options.parseDuration(v, "ms")))
            .add("fileSettleTime", v -> fileSettleMs = nonNegativeMs("fileSettleTime", Options.parseDuration(v, "ms")));
        if (modes) {
            table.add("mode", v -> mode = parseEnum(ParseMode.class, "mode", v));
        }
        if (csv) {
            table.add("header", v -> header = Options.parseBoolean(v))
                .add("sep", v -> sep = separator("sep", v))
                .add("delimiter", v -> sep = separator("delimiter", v))
                .add("quote", v -> quote = oneChar("quote", v))
                .add("escape", v -> escape = oneChar("escape", v))
                .add("nullValue", v -> nullValue = v)
                .add("comment", v -> comment = v.isEmpty() ? null : oneChar("comment", v));
        }
        if (rows) {
            RowFormatOptions.declare(table, csv, rowOptions);
        }
        return table;
    }

    static long positiveMs(String name, Duration value) {
        return Options.positive(name, value).toMillis();
    }

    static long nonNegativeMs(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or more, got " + value);
        }
        return value.toMillis();
    }

    static String glob(String pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("pathGlobFilter must not be empty");
        }
        FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        return pattern;
    }

    /** Spark's separator text: {@code \\t} is a tab, {@code \\u0001} a code unit (values are trimmed, so a real tab can't be given). */
    static String separator(String name, String value) {
        if (value.equals("\\t")) {
            return "\t";
        }
        if (value.length() == 6 && value.startsWith("\\u")) {
            return String.valueOf((char) Integer.parseInt(value.substring(2), 16));
        }
        return nonEmpty(name, value);
    }

    static String nonEmpty(String name, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    static char oneChar(String name, String value) {
        if (value.length() != 1) {
            throw new IllegalArgumentException(name + " must be one character, got '" + value + "'");
        }
        return value.charAt(0);
    }

    /** Bytes as Spark writes sizes: a whole number with an optional unit b, k/kb, m/mb, g/gb (binary). */
    static long parseBytes(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < lower.length() && Character.isDigit(lower.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("expected a size such as 1048576, 512k or 10m, got '" + text + "'");
        }
        long amount = Options.parseLong(lower.substring(0, end));
        String unit = lower.substring(end).trim();
        int shift = switch (unit) {
            case "", "b" -> 0;
            case "k", "kb" -> 10;
            case "m", "mb" -> 20;
            case "g", "gb" -> 30;
            default -> throw new IllegalArgumentException("unknown size unit '" + unit + "' in '" + text + "'; allowed: b, k, m, g");
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return amount << shift;
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String name, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(name + " must be one of " + allowed + " (any case), got '" + value + "'");
    }

    /** Applies {@code change} to a copy; for the fluent setters. */
    FileSourceOptions with(Consumer<FileSourceOptions> change) {
        FileSourceOptions copy = copy();
        change.accept(copy);
        return copy;
    }
}
