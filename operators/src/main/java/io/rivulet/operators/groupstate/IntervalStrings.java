package io.rivulet.operators.groupstate;

import java.util.Locale;

/**
 * Parses Spark's interval strings ({@code "10 seconds"}, {@code "1 hour 30 minutes"},
 * {@code "interval 2 days"}) into milliseconds, for the {@code String} overloads of
 * {@link GroupState#setTimeoutDuration(String)} and {@link GroupState#setTimeoutTimestamp(long, String)}.
 *
 * <p>Grammar, case-insensitive, whitespace-separated: an optional leading {@code interval}, then one
 * or more pairs of a number and a unit. A number is an optional sign, digits and, for {@code second}
 * and smaller units, an optional fraction. Units, singular or plural: {@code year} (12 months),
 * {@code month} (31 days, as Spark converts a month to a duration), {@code week}, {@code day},
 * {@code hour}, {@code minute}, {@code second}, {@code millisecond}, {@code microsecond} (below a
 * millisecond is truncated, as Spark does). Pairs add up; a unit may repeat.
 *
 * <p>Errors follow Spark's wording: {@code Error parsing '<input>' to interval, <reason>} for a string
 * that is not an interval, {@code Provided duration (<input>) is negative} for a negative total.
 *
 * <p>Stateless and thread-safe.
 */
public final class IntervalStrings {
    private static final long MICROS_PER_MS = 1_000;
    private static final long MICROS_PER_SECOND = 1_000_000;
    private static final long MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;
    private static final String[] UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "millisecond",
        "microsecond"};
    private static final long[] UNIT_MICROS = {372 * MICROS_PER_DAY, 31 * MICROS_PER_DAY, 7 * MICROS_PER_DAY,
        MICROS_PER_DAY, 3_600 * MICROS_PER_SECOND, 60 * MICROS_PER_SECOND, MICROS_PER_SECOND, MICROS_PER_MS, 1};
    /** Units from this index on take a fraction ({@code 1.5 seconds}). */
    private static final int FIRST_FRACTIONAL_UNIT = 6;

    private IntervalStrings() {
    }

    /**
     * @param input an interval string, e.g. {@code "10 seconds"}
     * @return its duration in milliseconds (sub-millisecond parts truncated), {@code >= 0}
     * @throws IllegalArgumentException if {@code input} is {@code null}, not an interval string (the
     *     message names the input and what is wrong), negative in total, or overflows a {@code long} of
     *     microseconds
     */
    public static long parseDurationMs(String input) {
        if (input == null) {
            throw new IllegalArgumentException("Error parsing 'null' to interval, interval string cannot be null");
        }
        String[] tokens = input.trim().toLowerCase(Locale.ROOT).split("\\s+");
        int i = 0;
        if (tokens.length > 0 && tokens[0].equals("interval")) {
            i = 1;
        }
        if (tokens.length == 0 || tokens[0].isEmpty() || i == tokens.length) {
            throw error(input, "at least one time unit should be given for an interval, e.g. '10 seconds'");
        }
        long totalMicros = 0;
        for (; i < tokens.length; i += 2) {
            String number = tokens[i];
            if (i + 1 == tokens.length) {
                throw error(input, "expect a unit name after '" + number + "' but hit EOL");
            }
            int unit = unitOf(tokens[i + 1]);
            if (unit < 0) {
                throw error(input, "invalid unit '" + tokens[i + 1] + "' (units: year, month, week, day, hour, minute,"
                    + " second, millisecond, microsecond)");
            }
            try {
                totalMicros = Math.addExact(totalMicros, micros(input, number, unit));
            } catch (ArithmeticException e) {
                throw error(input, "the interval overflows a long of microseconds");
            }
        }
        if (totalMicros < 0) {
            throw new IllegalArgumentException("Provided duration (" + input + ") is negative");
        }
        return totalMicros / MICROS_PER_MS;
    }

    private static int unitOf(String name) {
        String singular = name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(singular)) {
                return u;
            }
        }
        return -1;
    }

    /** One pair's microseconds: the number (sign, digits, optional fraction) times the unit. */
    private static long micros(String input, String number, int unit) {
        int dot = number.indexOf('.');
        String whole = dot < 0 ? number : number.substring(0, dot);
        String fraction = dot < 0 ? "" : number.substring(dot + 1);
        boolean negative = whole.startsWith("-");
        if (negative || whole.startsWith("+")) {
            whole = whole.substring(1);
        }
        if ((whole.isEmpty() && fraction.isEmpty()) || !digits(whole) || !digits(fraction)) {
            throw error(input, "unrecognized number '" + number + "'");
        }
        if (dot >= 0 && unit < FIRST_FRACTIONAL_UNIT) {
            throw error(input, "invalid value '" + number + "': a fraction is allowed only for second and smaller units");
        }
        long unitMicros = UNIT_MICROS[unit];
        long micros = whole.isEmpty() ? 0 : Math.multiplyExact(parse(input, whole), unitMicros);
        if (!fraction.isEmpty()) {
            // Digits beyond the unit's microsecond resolution are dropped: 1.0000005 seconds is 1 000 000 micros.
            long scale = unitMicros;
            for (int d = 0; d < fraction.length() && scale > 1; d++) {
                scale /= 10;
                micros = Math.addExact(micros, (fraction.charAt(d) - '0') * scale);
            }
        }
        return negative ? -micros : micros;
    }

    private static long parse(String input, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error(input, "the number '" + digits + "' overflows a long");
        }
    }

    private static boolean digits(String s) {
        for (int c = 0; c < s.length(); c++) {
            if (s.charAt(c) < '0' || s.charAt(c) > '9') {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException error(String input, String reason) {
        return new IllegalArgumentException("Error parsing '" + input + "' to interval, " + reason);
    }
}
