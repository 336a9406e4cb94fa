package io.rivulet.engine.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation of settings, and the string options of sources and sinks ({@code option("numRows",
 * "20")}), as Spark takes them: names are case-insensitive, an unknown name or a bad value fails at
 * once with a message naming the option, its owner and what is allowed.
 *
 * <p>An instance is a table of the options one builder accepts. Not thread-safe; owned by that
 * builder.
 */
public final class Options {
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*([a-zA-Z]*)\\s*");

    private final String owner;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private record Entry(String name, Consumer<String> setter) {
    }

    /**
     * @param owner what the options belong to, e.g. {@code source 'rate'}
     */
    public Options(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * Declares an option.
     *
     * @param name the option's name as documented
     * @param setter parses and applies a value; throws {@link IllegalArgumentException} on a bad one
     * @return this
     */
    public Options add(String name, Consumer<String> setter) {
        entries.put(name.toLowerCase(Locale.ROOT), new Entry(name, setter));
        return this;
    }

    /** @return the declared options' names as documented, in declaration order */
    public List<String> names() {
        return entries.values().stream().map(Entry::name).toList();
    }

    /**
     * Applies an option.
     *
     * @param name the option's name (any case)
     * @param value its value
     * @throws IllegalArgumentException if the name is unknown or the value is invalid
     */
    public void set(String name, String value) {
        Objects.requireNonNull(name, "option name");
        Entry entry = entries.get(name.toLowerCase(Locale.ROOT));
        if (entry == null) {
            throw new IllegalArgumentException("unknown option '" + name + "' for " + owner + "; allowed options: "
                + String.join(", ", entries.values().stream().map(Entry::name).toList()));
        }
        if (value == null) {
            throw new IllegalArgumentException("option '" + entry.name() + "' of " + owner + " must have a value, got null");
        }
        try {
            entry.setter().accept(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option '" + entry.name() + "' of " + owner + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param text a whole number
     * @return its value
     * @throws IllegalArgumentException if it is not a whole number
     */
    public static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
        }
    }

    /**
     * @param text a whole number that fits an int
     * @return its value
     * @throws IllegalArgumentException if it is not an int
     */
    public static int parseInt(String text) {
        long value = parseLong(text);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected a number up to " + Integer.MAX_VALUE + ", got '" + text + "'");
        }
        return (int) value;
    }

    /**
     * @param text {@code true} or {@code false}, any case
     * @return its value
     * @throws IllegalArgumentException otherwise
     */
    public static boolean parseBoolean(String text) {
        if ("true".equalsIgnoreCase(text)) {
            return true;
        }
        if ("false".equalsIgnoreCase(text)) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false, got '" + text + "'");
    }

    /**
     * Parses a duration as Spark writes them: a whole number with an optional unit ({@code ns},
     * {@code us}, {@code ms}, {@code s}, {@code m}/{@code min}, {@code h}, {@code d}, or their long
     * forms such as {@code seconds}); no unit means {@code defaultUnit}.
     *
     * @param text e.g. {@code 5s}, {@code 100 ms}, {@code 10}
     * @param defaultUnit unit of a bare number, e.g. {@code "s"}
     * @return the duration
     * @throws IllegalArgumentException if the text is not a duration
     */
    public static Duration parseDuration(String text, String defaultUnit) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 5s, 100ms or 2 minutes, got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2).isEmpty() ? defaultUnit : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ns", "nanosecond", "nanoseconds" -> Duration.ofNanos(amount);
            case "us", "microsecond", "microseconds" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
            case "ms", "millisecond", "milliseconds" -> Duration.ofMillis(amount);
            case "s", "sec", "second", "seconds" -> Duration.ofSeconds(amount);
            case "m", "min", "minute", "minutes" -> Duration.ofMinutes(amount);
            case "h", "hour", "hours" -> Duration.ofHours(amount);
            case "d", "day", "days" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown time unit '" + m.group(2) + "' in '" + text
                + "'; allowed: ns, us, ms, s, m, h, d");
        };
    }

    /**
     * @param name the setting
     * @param value its value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value >= 1}
     */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    /**
     * @param name the setting
     * @param value its value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value >= 0}
     */
    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /**
     * @param name the setting
     * @param value its value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value >= 1}
     */
    public static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    /**
     * @param name the setting
     * @param value its value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value} is positive
     */
    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * @param name the setting
     * @param value its value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value} is a power of two, at least 2
     */
    public static int powerOfTwo(String name, int value) {
        if (value < 2 || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(name + " must be a power of two >= 2, got " + value);
        }
        return value;
    }
}
