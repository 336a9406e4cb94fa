package io.rivulet.engine.sql.internal.formats;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * Spark's text-to-timestamp and text-to-date rules for the {@code json} and {@code csv} sources, on a char range
 * so the common case allocates nothing.
 * <p>
 * Without a format (Spark's default), a timestamp is Spark's {@code stringToTimestamp} shape:
 * {@code yyyy[-[m]m[-[d]d]][( |T)[h]h:[m]m[:[s]s[.fraction]]][zone]}, fraction up to 9 digits (kept to the
 * microsecond, truncated), zone {@code Z}, {@code +hh[:mm]}/{@code +hhmm} or a zone id ({@code UTC},
 * {@code Europe/Paris}, with an optional space before it); without a zone the {@code timeZone} option's zone
 * applies. A date is Spark's {@code stringToDate}: {@code yyyy[-[m]m[-[d]d]]}, then optionally a space or
 * {@code T} and anything. With a format, {@link DateTimeFormatter} patterns (which Spark 3's datetime patterns
 * follow; {@code y} is read as {@code u}, as Spark does) with fields the pattern lacks defaulting to
 * 1970-01-01T00:00 in the option's zone; a failure falls back to the default shape only with
 * {@code enableDateTimeParsingFallback}.
 * <p>
 * Immutable and thread-safe.
 */
public final class DateTimes {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final int[] POWERS = {100_000, 10_000, 1_000, 100, 10, 1};

    private final ZoneId zone;
    private final int zoneOffsetSeconds;
    private final boolean zoneIsOffset;
    private final DateTimeFormatter timestampFormat;
    private final DateTimeFormatter dateFormat;
    private final boolean fallback;

    /**
     * @param zone            zone of a timestamp that names none.
     * @param timestampFormat pattern, or null for Spark's default shape.
     * @param dateFormat      pattern, or null for Spark's default shape.
     * @param fallback        Spark's {@code enableDateTimeParsingFallback}: null means Spark's default (fall
     *                        back only when no format is set).
     * @throws IllegalArgumentException naming the option whose pattern is invalid.
     */
    public DateTimes(ZoneId zone, String timestampFormat, String dateFormat, Boolean fallback) {
        this.zone = zone;
        this.zoneIsOffset = zone instanceof ZoneOffset;
        this.zoneOffsetSeconds = zone instanceof ZoneOffset o ? o.getTotalSeconds() : 0;
        this.timestampFormat = timestampFormat == null ? null : formatter("timestampFormat", timestampFormat);
        this.dateFormat = dateFormat == null ? null : formatter("dateFormat", dateFormat);
        this.fallback = fallback != null && fallback;
    }

    /**
     * @param option  the option, for the message.
     * @param pattern a datetime pattern.
     * @return the strict formatter, {@code y} read as proleptic year.
     * @throws IllegalArgumentException if the pattern is invalid.
     */
    static DateTimeFormatter formatter(String option, String pattern) {
        StringBuilder converted = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            converted.append(!quoted && c == 'y' ? 'u' : c);
        }
        try {
            return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(converted.toString())
                .toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + pattern + "' is not a valid datetime pattern: "
                + e.getMessage(), e);
        }
    }

    /**
     * @param c   chars.
     * @param off start.
     * @param len length.
     * @return microseconds since the epoch.
     * @throws DateTimeException if the text is not a timestamp.
     */
    public long timestampMicros(char[] c, int off, int len) {
        if (timestampFormat == null) {
            return defaultTimestamp(c, off, len);
        }
        String text = new String(c, off, len);
        try {
            return patternTimestamp(text);
        } catch (DateTimeException e) {
            if (!fallback) {
                throw e;
            }
            return defaultTimestamp(c, off, len);
        }
    }

    /**
     * @param c   chars.
     * @param off start.
     * @param len length.
     * @return days since 1970-01-01.
     * @throws DateTimeException if the text is not a date.
     */
    public int dateDays(char[] c, int off, int len) {
        if (dateFormat == null) {
            return defaultDate(c, off, len);
        }
        try {
            TemporalAccessor t = dateFormat.parse(new String(c, off, len));
            return Math.toIntExact(daysFromCivil(field(t, ChronoField.YEAR, 1970), field(t, ChronoField.MONTH_OF_YEAR, 1),
                field(t, ChronoField.DAY_OF_MONTH, 1)));
        } catch (DateTimeException e) {
            if (fallback) {
                return defaultDate(c, off, len);
            }
            throw e;
        }
    }

    private long patternTimestamp(String text) {
        TemporalAccessor t = timestampFormat.parse(text);
        LocalDateTime local = LocalDateTime.of(field(t, ChronoField.YEAR, 1970), field(t, ChronoField.MONTH_OF_YEAR, 1),
            field(t, ChronoField.DAY_OF_MONTH, 1), field(t, ChronoField.HOUR_OF_DAY, 0),
            field(t, ChronoField.MINUTE_OF_HOUR, 0), field(t, ChronoField.SECOND_OF_MINUTE, 0),
            field(t, ChronoField.NANO_OF_SECOND, 0));
        ZoneId parsed = t.query(TemporalQueries.zone());
        ZonedDateTime at = ZonedDateTime.of(local, parsed != null ? parsed : zone);
        return Math.addExact(Math.multiplyExact(at.toEpochSecond(), MICROS_PER_SECOND), at.getNano() / 1000);
    }

    private static int field(TemporalAccessor t, ChronoField field, int otherwise) {
        return t.isSupported(field) ? t.get(field) : otherwise;
    }

    /** What {@link #fastTimestamp} returns for text it leaves to the general parser. */
    private static final long NOT_FAST = Long.MIN_VALUE;

    private long defaultTimestamp(char[] c, int from, int length) {
        long fast = fastTimestamp(c, from, length);
        return fast != NOT_FAST ? fast : shapeTimestamp(c, from, length);
    }

    /**
     * The common shape, fixed width: {@code yyyy-MM-dd(T| )HH:mm:ss[.f{1,9}][Z]}, nothing around it, in a zone that
     * is an offset unless the text ends in {@code Z}. Gives what {@link #shapeTimestamp} gives for such text.
     *
     * @return microseconds since the epoch, or {@link #NOT_FAST} for any other text (valid or not)
     */
    private long fastTimestamp(char[] c, int o, int length) {
        if (length < 19 || length > 30 || c[o + 4] != '-' || c[o + 7] != '-' || (c[o + 10] != 'T' && c[o + 10] != ' ')
            || c[o + 13] != ':' || c[o + 16] != ':') {
            return NOT_FAST;
        }
        int year = twoDigits(c, o) * 100 + twoDigits(c, o + 2);
        int month = twoDigits(c, o + 5);
        int day = twoDigits(c, o + 8);
        int hour = twoDigits(c, o + 11);
        int minute = twoDigits(c, o + 14);
        int second = twoDigits(c, o + 17);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
            || day > lengthOfMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
            return NOT_FAST;
        }
        int end = o + length;
        int i = o + 19;
        int micros = 0;
        if (i < end && c[i] == '.') {
            int f = ++i;
            while (i < end && isDigit(c[i]) && i - f < 9) {
                if (i - f < 6) {
                    micros += (c[i] - '0') * POWERS[i - f];
                }
                i++;
            }
            if (i == f) {
                return NOT_FAST;
            }
        }
        long localSeconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        if (i == end) {
            return zoneIsOffset ? (localSeconds - zoneOffsetSeconds) * MICROS_PER_SECOND + micros : NOT_FAST;
        }
        return c[i] == 'Z' && i + 1 == end ? localSeconds * MICROS_PER_SECOND + micros : NOT_FAST;
    }

    /** @return the two digits at {@code i} as a number, or a negative number if either is not a digit. */
    private static int twoDigits(char[] c, int i) {
        int tens = c[i] - '0';
        int ones = c[i + 1] - '0';
        return (tens | ones | (9 - tens) | (9 - ones)) < 0 ? -1 : tens * 10 + ones;
    }

    /**
     * Spark's default timestamp shape, any of its forms (the general parser behind {@link #fastTimestamp}).
     *
     * @throws DateTimeException if the text is not a timestamp
     */
    long shapeTimestamp(char[] c, int from, int length) {
        int end = from + length;
        int i = from;
        while (i < end && c[i] <= ' ') {
            i++;
        }
        while (end > i && c[end - 1] <= ' ') {
            end--;
        }
        int start = i;
        boolean negative = i < end && c[i] == '-';
        if (i < end && (c[i] == '-' || c[i] == '+')) {
            i++;
        }
        int digitsFrom = i;
        long year = 0;
        while (i < end && isDigit(c[i]) && i - digitsFrom < 7) {
            year = year * 10 + (c[i++] - '0');
        }
        if (i - digitsFrom < 4 || i - digitsFrom > 6) {
            throw invalid("timestamp", c, start, end);
        }
        int month = 1;
        int day = 1;
        if (i < end && c[i] == '-') {
            int m = i + 1;
            month = 0;
            i = m;
            while (i < end && isDigit(c[i]) && i - m < 2) {
                month = month * 10 + (c[i++] - '0');
            }
            if (i == m) {
                throw invalid("timestamp", c, start, end);
            }
            if (i < end && c[i] == '-') {
                int d = i + 1;
                day = 0;
                i = d;
                while (i < end && isDigit(c[i]) && i - d < 2) {
                    day = day * 10 + (c[i++] - '0');
                }
                if (i == d) {
                    throw invalid("timestamp", c, start, end);
                }
            }
        }
        int y = (int) (negative ? -year : year);
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(y, month)) {
            throw invalid("timestamp", c, start, end);
        }
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micros = 0;
        if (i < end) {
            if (c[i] != ' ' && c[i] != 'T') {
                throw invalid("timestamp", c, start, end);
            }
            i++;
            if (i < end) {
                int h = i;
                while (i < end && isDigit(c[i]) && i - h < 2) {
                    hour = hour * 10 + (c[i++] - '0');
                }
                if (i == h || i >= end || c[i] != ':') {
                    throw invalid("timestamp", c, start, end);
                }
                int mi = ++i;
                while (i < end && isDigit(c[i]) && i - mi < 2) {
                    minute = minute * 10 + (c[i++] - '0');
                }
                if (i == mi) {
                    throw invalid("timestamp", c, start, end);
                }
                if (i < end && c[i] == ':') {
                    int s = ++i;
                    while (i < end && isDigit(c[i]) && i - s < 2) {
                        second = second * 10 + (c[i++] - '0');
                    }
                    if (i == s) {
                        throw invalid("timestamp", c, start, end);
                    }
                    if (i < end && c[i] == '.') {
                        int f = ++i;
                        while (i < end && isDigit(c[i]) && i - f < 9) {
                            if (i - f < 6) {
                                micros += (c[i] - '0') * POWERS[i - f];
                            }
                            i++;
                        }
                        if (i == f) {
                            throw invalid("timestamp", c, start, end);
                        }
                    }
                }
                if (hour > 23 || minute > 59 || second > 59) {
                    throw invalid("timestamp", c, start, end);
                }
            }
        }
        long localSeconds = daysFromCivil(y, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        if (i == end) {
            if (zoneIsOffset) {
                return (localSeconds - zoneOffsetSeconds) * MICROS_PER_SECOND + micros;
            }
            return zoned(y, month, day, hour, minute, second, micros, zone);
        }
        if (c[i] == ' ') {
            i++;
        }
        if (i == end) {
            throw invalid("timestamp", c, start, end);
        }
        int offset;
        if (c[i] == 'Z' && i + 1 == end) {
            offset = 0;
        } else if (c[i] == '+' || c[i] == '-') {
            offset = offsetSeconds(c, i, end, start);
        } else {
            ZoneId named;
            try {
                named = ZoneId.of(new String(c, i, end - i), ZoneId.SHORT_IDS);
            } catch (DateTimeException e) {
                throw invalid("timestamp", c, start, end);
            }
            if (!(named instanceof ZoneOffset)) {
                return zoned(y, month, day, hour, minute, second, micros, named);
            }
            offset = ((ZoneOffset) named).getTotalSeconds();
        }
        return (localSeconds - offset) * MICROS_PER_SECOND + micros;
    }

    private static long zoned(int y, int month, int day, int hour, int minute, int second, int micros, ZoneId zone) {
        long epochSecond = LocalDateTime.of(y, month, day, hour, minute, second).atZone(zone).toEpochSecond();
        return epochSecond * MICROS_PER_SECOND + micros;
    }

    private static int offsetSeconds(char[] c, int i, int end, int start) {
        int sign = c[i] == '-' ? -1 : 1;
        i++;
        int h = 0;
        int from = i;
        while (i < end && isDigit(c[i]) && i - from < 2) {
            h = h * 10 + (c[i++] - '0');
        }
        if (i == from) {
            throw invalid("timestamp", c, start, end);
        }
        int m = 0;
        if (i < end && c[i] == ':') {
            i++;
        }
        int mFrom = i;
        while (i < end && isDigit(c[i]) && i - mFrom < 2) {
            m = m * 10 + (c[i++] - '0');
        }
        if (i != end || (i != mFrom && i - mFrom != 2) || h > 18 || m > 59) {
            throw invalid("timestamp", c, start, end);
        }
        return sign * (h * 3600 + m * 60);
    }

    private static int defaultDate(char[] c, int from, int length) {
        int end = from + length;
        int i = from;
        while (i < end && c[i] <= ' ') {
            i++;
        }
        while (end > i && c[end - 1] <= ' ') {
            end--;
        }
        int start = i;
        boolean negative = i < end && c[i] == '-';
        if (i < end && (c[i] == '-' || c[i] == '+')) {
            i++;
        }
        int digitsFrom = i;
        long year = 0;
        while (i < end && isDigit(c[i]) && i - digitsFrom < 7) {
            year = year * 10 + (c[i++] - '0');
        }
        if (i - digitsFrom < 4 || i - digitsFrom > 6) {
            throw invalid("date", c, start, end);
        }
        int month = 1;
        int day = 1;
        if (i < end && c[i] == '-') {
            int m = ++i;
            month = 0;
            while (i < end && isDigit(c[i]) && i - m < 2) {
                month = month * 10 + (c[i++] - '0');
            }
            if (i == m) {
                throw invalid("date", c, start, end);
            }
            if (i < end && c[i] == '-') {
                int d = ++i;
                day = 0;
                while (i < end && isDigit(c[i]) && i - d < 2) {
                    day = day * 10 + (c[i++] - '0');
                }
                if (i == d) {
                    throw invalid("date", c, start, end);
                }
            }
        }
        if (i < end && c[i] != ' ' && c[i] != 'T') {
            throw invalid("date", c, start, end);
        }
        int y = (int) (negative ? -year : year);
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(y, month)) {
            throw invalid("date", c, start, end);
        }
        return (int) daysFromCivil(y, month, day);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-from-days inverse). */
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static DateTimeException invalid(String what, char[] c, int start, int end) {
        return new DateTimeException("Text '" + new String(c, start, end - start) + "' is not a valid " + what
            + " (expected yyyy-MM-dd" + ("date".equals(what) ? "" : "[ |T]HH:mm[:ss[.SSSSSS]][zone]")
            + " or set the " + what + "Format option)");
    }
}
