package io.rivulet.kafka.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the options of {@code format("kafka")}: names are matched without regard to case; a name
 * starting with {@code kafka.} is a Kafka client config passed through; anything else unknown is refused,
 * naming the known options (Spark ignores unknown options; Rivulet does not, so a misspelt one shows).
 * Stateless.
 */
final class KafkaOptions {
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

    static boolean parseBoolean(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("option '" + name + "' must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
