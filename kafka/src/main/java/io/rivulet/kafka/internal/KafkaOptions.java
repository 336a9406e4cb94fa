package io.rivulet.kafka.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the options of {@code format("kafka")}: names are matched without regard to case; a name
 * starting with {@code kafka.} is a Kafka client config passed through; anything else unknown is refused,
 * naming the known options (Spark ignores unknown options; Rivulet does not, so a misspelt one shows).
 * Stateless.
 */
final class KafkaOptions {
    private static final Pattern TIME = Pattern.compile("(\\d+)\\s*(us|ms|s|m|min|h|d|)");

    private KafkaOptions() {
    }

    /**
     * @param owner e.g. {@code source 'kafka'}
     * @param given the options as given
     * @param known the documented names; {@code kafka.*} stands for the pass-through
     * @return the options, names as given
     * @throws IllegalArgumentException for an unknown option
     */
    static Map<String, String> check(String owner, Map<String, String> given, Set<String> known) {
        Set<String> lower = new TreeSet<>();
        known.forEach(k -> lower.add(k.toLowerCase(Locale.ROOT)));
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> option : given.entrySet()) {
            String name = option.getKey().toLowerCase(Locale.ROOT);
            boolean passThrough = name.startsWith("kafka.") && name.length() > "kafka.".length();
            if (!lower.contains(name) && !passThrough) {
                throw new IllegalArgumentException("unknown option '" + option.getKey() + "' for " + owner
                    + "; allowed options: " + String.join(", ", new TreeSet<>(known)));
            }
            checked.put(option.getKey(), option.getValue());
        }
        return checked;
    }

    static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + name + "' must be an integer, got '" + value + "'");
        }
    }

    /**
     * Spark's time strings: a number with a unit ({@code us}, {@code ms}, {@code s}, {@code m} or
     * {@code min}, {@code h}, {@code d}); a bare number is milliseconds.
     */
    static Duration parseDuration(String name, String value) {
        Matcher m = TIME.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("option '" + name + "' must be a duration such as 15m, 30s or 500ms, got '"
                + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        return switch (unit) {
            case "us" -> Duration.ofNanos(n * 1_000);
            case "", "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static boolean parseBoolean(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("option '" + name + "' must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
