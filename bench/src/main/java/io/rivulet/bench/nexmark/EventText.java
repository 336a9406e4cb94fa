package io.rivulet.bench.nexmark;

import java.nio.charset.StandardCharsets;

/**
 * Random strings and prices of the NEXMark generator, following Beam's {@code StringsGenerator},
 * {@code PriceGenerator} and {@code PersonGenerator} (value lists, lengths, draw order), plus the
 * bid channels and URLs of the Flink NEXMark suite made deterministic.
 *
 * <p>Stateless apart from the lazily filled channel URL table, whose racy initialisation is benign
 * (every thread computes the same immutable string); thread-safe.
 */
final class EventText {
    /** Shortest random string, before trimming. */
    private static final int MIN_STRING_LENGTH = 3;
    /** One random character in this many is a separator (space in Beam). */
    private static final int SEPARATOR_ONE_IN = 13;
    /** Characters drawn from one random int by the exact-length strings: log26(2^31). */
    private static final int CHARS_PER_INT = 6;

    static final String[] US_STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    static final String[] US_CITIES = {
        "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle",
        "Kent", "Cheyenne"};
    static final String[] FIRST_NAMES = {
        "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
    static final String[] LAST_NAMES = {
        "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};

    /** A bid uses one of the hot channels with probability {@code 1 - 1/HOT_CHANNELS_RATIO}. */
    static final int HOT_CHANNELS_RATIO = 2;
    /** Number of ordinary channels, {@code channel-0 .. channel-9999}. */
    static final int CHANNELS_NUMBER = 10_000;
    static final String[] HOT_CHANNELS = {"Google", "Facebook", "Baidu", "Apple"};
    /** One ordinary channel URL in this many carries no {@code channel_id} parameter. */
    private static final int URL_WITHOUT_CHANNEL_ID_ONE_IN = 10;

    private static final String[] CHANNEL_NAMES = new String[CHANNELS_NUMBER];
    private static final String[] CHANNEL_URLS = new String[CHANNELS_NUMBER];
    private static final String[] HOT_CHANNEL_URLS = new String[HOT_CHANNELS.length];

    static {
        for (int i = 0; i < HOT_CHANNELS.length; i++) {
            HOT_CHANNEL_URLS[i] = baseUrl(new SeededRandom(-1L - i));
        }
    }

    private EventText() {
    }

    /** Beam's {@code nextString}: 3 to {@code maxLength - 1} characters, trimmed of spaces. */
    static String nextString(final SeededRandom random, final int maxLength) {
        return nextString(random, maxLength, ' ');
    }

    /**
     * {@link #nextString(SeededRandom, int)} with {@code separator} for the space. All characters
     * are ASCII, so strings are built as ISO-8859-1 bytes: one copy, no compaction pass.
     */
    static String nextString(final SeededRandom random, final int maxLength, final char separator) {
        int length = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
        final byte[] chars = new byte[length];
        for (int i = 0; i < length; i++) {
            chars[i] = random.nextInt(SEPARATOR_ONE_IN) == 0 ? (byte) separator : (byte) ('a' + random.nextInt(26));
        }
        int start = 0;
        while (start < length && chars[start] == ' ') {
            start++;
        }
        while (length > start && chars[length - 1] == ' ') {
            length--;
        }
        return new String(chars, start, length - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * Beam's {@code nextExactString}: six characters per random int, {@code 'a' + r % 26}. As in
     * Beam the remainder may be negative, so characters range over {@code 'H'..'z'}.
     */
    static String nextExactString(final SeededRandom random, final int length) {
        final byte[] chars = new byte[length];
        int r = 0;
        int left = 0;
        for (int i = 0; i < length; i++) {
            if (left == 0) {
                r = random.nextInt();
                left = CHARS_PER_INT;
            }
            chars[i] = (byte) ('a' + r % 26);
            r /= 26;
            left--;
        }
        return new String(chars, StandardCharsets.ISO_8859_1);
    }

    /**
     * Beam's {@code nextExtra}: padding whose length is uniform in
     * {@code [d - round(0.2 d), d + round(0.2 d))} with {@code d = desiredAverageSize - currentSize},
     * or empty when the event is already larger than the average.
     */
    static String nextExtra(final SeededRandom random, final int currentSize, final int desiredAverageSize) {
        if (currentSize > desiredAverageSize) {
            return "";
        }
        final int desired = desiredAverageSize - currentSize;
        final int delta = (int) Math.round(desired * 0.2);
        final int size = desired - delta + (delta == 0 ? 0 : random.nextInt(2 * delta));
        return nextExactString(random, size);
    }

    /** Beam's {@code nextPrice}: {@code 10^(6u)} dollars in cents, log-uniform in [100, 10^8]. */
    static long nextPrice(final SeededRandom random) {
        return Math.round(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0);
    }

    /** Beam's {@code LongGenerator.nextLong}: uniform in {@code [0, n)}, skewed for huge n. */
    static long nextLong(final SeededRandom random, final long n) {
        if (n < Integer.MAX_VALUE) {
            return random.nextInt((int) n);
        }
        return Math.abs(random.nextLong() % n);
    }

    static String nextPersonName(final SeededRandom random) {
        final String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
        return first + ' ' + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
    }

    static String nextEmail(final SeededRandom random) {
        final String user = nextString(random, 7);
        return user + '@' + nextString(random, 5) + ".com";
    }

    /** Four groups of four zero-padded digits separated by single spaces. */
    static String nextCreditCard(final SeededRandom random) {
        final byte[] chars = new byte[19];
        int pos = 0;
        for (int group = 0; group < 4; group++) {
            if (group > 0) {
                chars[pos++] = ' ';
            }
            int digits = random.nextInt(10_000);
            for (int i = 3; i >= 0; i--) {
                chars[pos + i] = (byte) ('0' + digits % 10);
                digits /= 10;
            }
            pos += 4;
        }
        return new String(chars, StandardCharsets.ISO_8859_1);
    }

    static String nextUsCity(final SeededRandom random) {
        return US_CITIES[random.nextInt(US_CITIES.length)];
    }

    static String nextUsState(final SeededRandom random) {
        return US_STATES[random.nextInt(US_STATES.length)];
    }

    static String hotChannel(final int index) {
        return HOT_CHANNELS[index];
    }

    static String hotChannelUrl(final int index) {
        return HOT_CHANNEL_URLS[index];
    }

    static String channel(final int channelNumber) {
        String name = CHANNEL_NAMES[channelNumber];
        if (name == null) {
            name = "channel-" + channelNumber;
            CHANNEL_NAMES[channelNumber] = name;
        }
        return name;
    }

    /**
     * The URL of an ordinary channel: seeded by the channel number, so the same in every run
     * (the Flink suite draws it from an unseeded random once per process).
     */
    static String channelUrl(final int channelNumber) {
        String url = CHANNEL_URLS[channelNumber];
        if (url == null) {
            final SeededRandom random = new SeededRandom(channelNumber);
            url = baseUrl(random);
            if (random.nextInt(URL_WITHOUT_CHANNEL_ID_ONE_IN) > 0) {
                url = url + "&channel_id=" + Math.abs(Integer.reverse(channelNumber));
            }
            CHANNEL_URLS[channelNumber] = url;
        }
        return url;
    }

    private static String baseUrl(final SeededRandom random) {
        final String a = nextString(random, 5, '_');
        final String b = nextString(random, 5, '_');
        final String c = nextString(random, 5, '_');
        return "https://www.nexmark.com/" + a + '/' + b + '/' + c + "/item.htm?query=1";
    }
}
