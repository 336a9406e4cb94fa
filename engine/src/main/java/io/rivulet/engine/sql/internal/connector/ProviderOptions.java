package io.rivulet.engine.sql.internal.connector;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The options of one format, checked once: every given name must be one the format knows (Spark ignores
 * unknown options; Rivulet rejects them, so a misspelt option cannot go unnoticed), required ones must be
 * there. Names are matched without regard to case. Immutable.
 */
public final class ProviderOptions {
    private final String owner;
    private final Map<String, String> values;

    private ProviderOptions(String owner, Map<String, String> values) {
        this.owner = owner;
        this.values = values;
    }

    /**
     * @param owner e.g. {@code source 'rate'}
     * @param given the options given (keys any case)
     * @param known the options the format takes, as documented
     * @return the checked options
     * @throws IllegalArgumentException naming an unknown option and listing the known ones
     */
    public static ProviderOptions check(String owner, Map<String, String> given, Set<String> known) {
        Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> lower = new LinkedHashSet<>();
        for (String name : known) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        for (Map.Entry<String, String> option : given.entrySet()) {
            if (!lower.contains(option.getKey().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown option '" + option.getKey() + "' for " + owner
                    + "; allowed options: " + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
            values.put(option.getKey(), option.getValue());
        }
        return new ProviderOptions(owner, Collections.unmodifiableMap(values));
    }

    /**
     * @param name an option
     * @return its value, or {@code null}
     */
    public String get(String name) {
        return values.get(name);
    }

    /**
     * @param name a required option
     * @param message the error if it is missing (Spark's wording where Spark has one)
     * @return its value
     * @throws IllegalArgumentException with {@code message} if it is missing or blank
     */
    public String required(String name, String message) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(message);
        }
        return value;
    }

    /**
     * @return every option given, keys case-insensitive
     */
    public Map<String, String> all() {
        return values;
    }

    /**
     * @return what the options belong to
     */
    public String owner() {
        return owner;
    }
}
