package io.rivulet.engine.sql.internal.formats;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The fixed-width fast path of Spark's default timestamp shape gives what the general parser gives. */
class DateTimesTest {
    private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(2, 30), ZoneId.of("Europe/Paris"));

    /** The general parser's answer: its value, or the class of what it throws. */
    private static Object general(DateTimes times, String text) {
        try {
            return times.shapeTimestamp(text.toCharArray(), 0, text.length());
        } catch (DateTimeException e) {
            return e.getClass();
        }
    }

    private static Object timestamp(DateTimes times, String text) {
        char[] padded = ("##" + text + "##").toCharArray();
        try {
            return times.timestampMicros(padded, 2, text.length());
        } catch (DateTimeException e) {
            return e.getClass();
        }
    }

    @Test
    void shouldParseTheCommonShapeAsTheGeneralParserDoesInEveryZone() {
        SplittableRandom random = new SplittableRandom(13);
        DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
        for (ZoneId zone : ZONES) {
            DateTimes times = new DateTimes(zone, null, null, null);
            for (int n = 0; n < 20_000; n++) {
                LocalDateTime local = LocalDateTime.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    random.nextInt(1_000_000_000), ZoneOffset.UTC);
                String text = local.format(seconds);
                if (random.nextBoolean()) {
                    text = text.replace('T', ' ');
                }
                int fraction = random.nextInt(11);
                if (fraction > 0) {
                    text += "." + String.format("%09d", local.getNano()).substring(0, Math.min(fraction, 9))
                        + (fraction == 10 ? "7" : "");
                }
                if (random.nextInt(3) == 0) {
                    text += "Z";
                }
                assertThat(timestamp(times, text)).as(zone + " " + text).isEqualTo(general(times, text));
                if (text.endsWith("Z") && fraction <= 9) {
                    Instant instant = local.toInstant(ZoneOffset.UTC);
                    assertThat(timestamp(times, text)).as(text)
                        .isEqualTo(instant.getEpochSecond() * 1_000_000L + micros(instant.getNano(), fraction));
                }
            }
        }
    }

    /** The microseconds the first {@code digits} digits of a fraction of {@code nanos} hold (the rest dropped). */
    private static long micros(int nanos, int digits) {
        long unit = 1;
        for (int i = Math.min(digits, 6); i < 6; i++) {
            unit *= 10;
        }
        long micros = nanos / 1_000;
        return micros - micros % unit;
    }

    @Test
    void shouldLeaveWhatIsNotTheCommonShapeToTheGeneralParser() {
        DateTimes times = new DateTimes(ZoneOffset.UTC, null, null, null);
        for (String text : List.of("2024-13-01T00:00:00", "2023-02-29T00:00:00", "2024-02-29T00:00:00", "2024-04-31 10:00:00",
            "2024-01-01T24:00:00", "2024-01-01T23:60:00", "2024-01-01T23:59:60", "2024-01-01T10:00:00.", "2024-01-01T10:00:00.1234567891",
            "2024-01-01T10:00:00+02:00", "2024-01-01T10:00:00 UTC", " 2024-01-01T10:00:00", "2024-01-01T10:00:00 ", "2024-1-01T10:00:00",
            "2024-01-01T10:00:0a", "2024-01-01X10:00:00", "+2024-01-01T10:00:00Z", "2024-01-01T10:00:00ZZ", "12024-01-01T10:00:00")) {
            assertThat(timestamp(times, text)).as(text).isEqualTo(general(times, text));
        }
        assertThat(catchThrowable(() -> times.timestampMicros("2024-13-01T00:00:00".toCharArray(), 0, 19)))
            .isInstanceOf(DateTimeException.class);
    }
}
