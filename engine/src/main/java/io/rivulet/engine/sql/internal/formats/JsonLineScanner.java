package io.rivulet.engine.sql.internal.formats;

import com.fasterxml.jackson.core.io.NumberInput;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.internal.RowKind;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link JsonRowDecoder}: one JSON line's bytes decoded straight into a row of a flat schema, without
 * a tokenizer. Field names are compared as bytes with the schema's (the schema order first), numbers are read from
 * the bytes without a {@code String}, strings are decoded only for string, timestamp and date columns, and an unknown
 * field's value is skipped (still checked to be JSON).
 * <p>
 * <b>It decodes only what it can decode exactly as the Jackson path does, and declines the rest.</b> {@link #scan}
 * returns {@code null} ("not mine") for any line outside the strict JSON it reads, and {@link JsonRowDecoder} then
 * decodes that line by its Jackson path, which gives Spark's rows and errors. Declined: a line that is not one object
 * ending the line (blank, an array of rows, a scalar, trailing text), any syntax error or truncation, what only a
 * lenient Jackson option reads (single quotes, comments, unquoted names, leading zeros, {@code NaN}, control
 * characters, unknown escapes), an escaped field name, invalid or non-shortest UTF-8, a value that does not convert
 * (a string for a number, a float for an integer, an integer out of range, a bad timestamp: Jackson's path reports
 * them), a non-string value for a string column (its JSON text), and a non-null value for a column whose type the
 * scanner does not read (float, smallint, tinyint, decimal, binary, arrays, maps, structs). Nothing the scanner
 * accepts is read differently: a repeated field's last value wins, a missing field is null, the corrupt-record column
 * is never read from the JSON, an integer read into a double is {@code (double) long} as Jackson converts it, and a
 * decimal fraction is rounded correctly (exact for up to 15 digits and powers of ten up to 22, Jackson's own fast
 * double parser otherwise), as Jackson's is. {@code JsonLineScannerTest} checks this against the Jackson path on random and mangled
 * lines.
 * <p>
 * Not thread-safe: one per decoder (it keeps a char buffer); the {@link Plan} is shared.
 */
final class JsonLineScanner {
    /** Returned by the scanning steps when the line is not the scanner's; never a valid index. */
    private static final int DECLINE = -1;
    /** Nesting the skipper follows inside an unknown field before it declines (Jackson's own limit is far above). */
    private static final int MAX_DEPTH = 64;
    /** Characters of a number the scanner reads (Jackson's limit, 1 000, is far above). */
    private static final int MAX_NUMBER_LENGTH = 100;
    /** Bytes of a string the scanner reads (Jackson's limit, 20 M, is far above). */
    private static final int MAX_STRING_LENGTH = 1 << 20;
    /** Significant digits a double is exact from by one multiplication or division by a power of ten. */
    private static final int MAX_EXACT_DIGITS = 15;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    };
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private final Plan plan;
    private final DateTimes dateTimes;
    private char[] chars = new char[64];
    /** The last integer read by {@link #integer}. */
    private long integer;
    /** The last number read by {@link #number}. */
    private double number;
    /** The last string read by {@link #string}. */
    private String string;
    /** Chars of the last text decoded into {@link #chars} by {@link #text}. */
    private int textLength;

    JsonLineScanner(Plan plan, DateTimes dateTimes) {
        this.plan = plan;
        this.dateTimes = dateTimes;
    }

    /**
     * @param b      the buffer.
     * @param offset the line's start.
     * @param length its length in bytes.
     * @return the line's row, or null when the line is not the scanner's (the Jackson path decodes it).
     */
    PackedRow scan(byte[] b, int offset, int length) {
        int end = offset + length;
        int i = whitespace(b, offset, end);
        if (i >= end || b[i] != '{') {
            return null;
        }
        i = whitespace(b, i + 1, end);
        if (i >= end) {
            return null;
        }
        Plan p = plan;
        PackedRow row = p.template.copy();
        if (b[i] == '}') {
            i++;
        } else {
            int k = 0;
            while (true) {
                if (b[i] != '"') {
                    return null;
                }
                int nameStart = i + 1;
                int pos;
                int nameEnd;
                byte[] expected = k < p.parsedCount ? p.names[k] : null;
                if (expected != null && startsWithName(b, nameStart, end, expected)) {
                    pos = p.order[k];
                    nameEnd = nameStart + expected.length;
                } else {
                    nameEnd = nameEnd(b, nameStart, end);
                    if (nameEnd < 0) {
                        return null;
                    }
                    pos = p.lookup(b, nameStart, nameEnd);
                }
                i = whitespace(b, nameEnd + 1, end);
                if (i >= end || b[i] != ':') {
                    return null;
                }
                i = whitespace(b, i + 1, end);
                if (i >= end) {
                    return null;
                }
                if (pos < 0) {
                    i = skipValue(b, i, end, 1);
                } else {
                    i = readValue(b, i, end, p.kinds[pos], row, pos);
                    k = p.nextExpected[pos];
                }
                if (i < 0) {
                    return null;
                }
                i = whitespace(b, i, end);
                if (i >= end) {
                    return null;
                }
                byte c = b[i];
                if (c == '}') {
                    i++;
                    break;
                }
                if (c != ',') {
                    return null;
                }
                i = whitespace(b, i + 1, end);
                if (i >= end) {
                    return null;
                }
            }
        }
        return whitespace(b, i, end) == end ? row : null;
    }

    /** @return the first index from {@code i} that is not JSON whitespace (space, tab, CR, LF), or {@code end}. */
    private static int whitespace(byte[] b, int i, int end) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
            i++;
        }
        return end;
    }

    /** Whether the bytes at {@code i} are {@code name} and a closing quote (names hold no quote or backslash). */
    private static boolean startsWithName(byte[] b, int i, int end, byte[] name) {
        int n = name.length;
        if (i + n >= end || b[i + n] != '"') {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (b[i + j] != name[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the index of a field name's closing quote, or {@link #DECLINE} for an escaped, unterminated or
     *     invalid name.
     */
    private static int nameEnd(byte[] b, int i, int end) {
        int limit = Math.min(end, i + MAX_STRING_LENGTH);
        while (i < limit) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                return DECLINE;
            }
            if (c < 0) {
                int n = utf8Length(b, i, end);
                if (n < 0) {
                    return DECLINE;
                }
                i += n;
            } else {
                i++;
            }
        }
        return DECLINE;
    }

    /** Reads one value into field {@code pos}; @return the index after it, or {@link #DECLINE}. */
    private int readValue(byte[] b, int i, int end, byte kind, PackedRow row, int pos) {
        byte c = b[i];
        if (c == 'n') {
            if (!literal(b, i, end, NULL)) {
                return DECLINE;
            }
            row.setNull(pos);
            return i + NULL.length;
        }
        switch (kind) {
            case RowKind.STRING -> {
                if (c != '"' || (i = string(b, i + 1, end)) < 0) {
                    return DECLINE;
                }
                row.setString(pos, string);
                return i;
            }
            case RowKind.LONG -> {
                if ((i = integer(b, i, end)) < 0) {
                    return DECLINE;
                }
                row.setLong(pos, integer);
                return i;
            }
            case RowKind.INT -> {
                if ((i = integer(b, i, end)) < 0 || integer != (int) integer) {
                    return DECLINE;
                }
                row.setInt(pos, (int) integer);
                return i;
            }
            case RowKind.DOUBLE -> {
                if ((i = number(b, i, end)) < 0) {
                    return DECLINE;
                }
                row.setDouble(pos, number);
                return i;
            }
            case RowKind.BOOLEAN -> {
                if (c == 't' && literal(b, i, end, TRUE)) {
                    row.setBoolean(pos, true);
                    return i + TRUE.length;
                }
                if (c == 'f' && literal(b, i, end, FALSE)) {
                    row.setBoolean(pos, false);
                    return i + FALSE.length;
                }
                return DECLINE;
            }
            case RowKind.TIMESTAMP -> {
                if (c == '"') {
                    if ((i = text(b, i + 1, end)) < 0 || textLength == 0) {
                        return DECLINE;
                    }
                    try {
                        row.setTimestampMicros(pos, dateTimes.timestampMicros(chars, 0, textLength));
                    } catch (RuntimeException notATimestamp) {
                        return DECLINE;
                    }
                    return i;
                }
                if ((i = integer(b, i, end)) < 0) {
                    return DECLINE;
                }
                row.setTimestampMicros(pos, integer * 1_000_000L);
                return i;
            }
            case RowKind.DATE -> {
                if (c != '"' || (i = text(b, i + 1, end)) < 0 || textLength == 0) {
                    return DECLINE;
                }
                try {
                    row.setDateDays(pos, dateTimes.dateDays(chars, 0, textLength));
                } catch (RuntimeException notADate) {
                    return DECLINE;
                }
                return i;
            }
            default -> {
                return DECLINE;
            }
        }
    }

    private static boolean literal(byte[] b, int i, int end, byte[] word) {
        if (i + word.length > end) {
            return false;
        }
        for (int j = 1; j < word.length; j++) {
            if (b[i + j] != word[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A JSON integer of at most 18 digits (no fraction, no exponent) into {@link #integer}.
     *
     * @return the index after it, or {@link #DECLINE}.
     */
    private int integer(byte[] b, int i, int end) {
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end) {
            return DECLINE;
        }
        int c = b[i] - '0';
        if (c < 0 || c > 9) {
            return DECLINE;
        }
        long value = c;
        i++;
        if (c == 0) {
            if (i < end && isDigit(b[i])) {
                return DECLINE;
            }
        } else {
            int last = Math.min(end, i + 17);
            while (i < last && (c = b[i] - '0') >= 0 && c <= 9) {
                value = value * 10 + c;
                i++;
            }
        }
        if (i < end) {
            byte next = b[i];
            if (isDigit(next) || next == '.' || next == 'e' || next == 'E') {
                return DECLINE;
            }
        }
        integer = negative ? -value : value;
        return i;
    }

    /**
     * Any JSON number into {@link #number}, as Jackson's {@code getDoubleValue} gives it.
     *
     * @return the index after it, or {@link #DECLINE}.
     */
    private int number(byte[] b, int i, int end) {
        int start = i;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end || !isDigit(b[i])) {
            return DECLINE;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean integral = true;
        if (b[i] == '0') {
            i++;
            if (i < end && isDigit(b[i])) {
                return DECLINE;
            }
        } else {
            while (i < end && isDigit(b[i])) {
                if (digits < 19) {
                    mantissa = mantissa * 10 + (b[i] - '0');
                    digits++;
                } else {
                    exponent++;
                    digits++;
                }
                i++;
            }
        }
        if (i < end && b[i] == '.') {
            integral = false;
            int fraction = ++i;
            while (i < end && isDigit(b[i])) {
                if (mantissa == 0 && b[i] == '0') {
                    exponent--;
                } else if (digits < 19) {
                    mantissa = mantissa * 10 + (b[i] - '0');
                    digits++;
                    exponent--;
                } else {
                    digits++;
                }
                i++;
            }
            if (i == fraction) {
                return DECLINE;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            integral = false;
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int from = i;
            int e = 0;
            while (i < end && isDigit(b[i])) {
                e = Math.min(e * 10 + (b[i] - '0'), 100_000);
                i++;
            }
            if (i == from) {
                return DECLINE;
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i - start > MAX_NUMBER_LENGTH) {
            return DECLINE;
        }
        if (integral && digits <= 18) {
            // Jackson reads an integer token as a long and converts it.
            number = (double) (negative ? -mantissa : mantissa);
        } else if (mantissa == 0) {
            number = negative ? -0.0 : 0.0;
        } else if (!integral && digits <= MAX_EXACT_DIGITS && exponent >= -22 && exponent <= 22) {
            // Both operands exact, so one IEEE operation rounds correctly (Clinger's fast path).
            double value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
            number = negative ? -value : value;
        } else {
            // Jackson's own parser of doubles (USE_FAST_DOUBLE_PARSER), over the number's chars: no String.
            int n = i - start;
            char[] out = chars.length >= n ? chars : (chars = new char[Math.max(n, chars.length * 2)]);
            for (int j = 0; j < n; j++) {
                out[j] = (char) b[start + j];
            }
            number = NumberInput.parseDouble(out, 0, n, true);
        }
        return i;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * A string's contents (after its opening quote) into {@link #string}.
     *
     * @return the index after the closing quote, or {@link #DECLINE}.
     */
    private int string(byte[] b, int i, int end) {
        int start = i;
        int limit = Math.min(end, i + MAX_STRING_LENGTH);
        while (i < limit) {
            byte c = b[i];
            if (c == '"') {
                string = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
                return i + 1;
            }
            if (c < 0x20 || c == '\\') {
                break;
            }
            i++;
        }
        i = text(b, start, end);
        if (i >= 0) {
            string = new String(chars, 0, textLength);
        }
        return i;
    }

    /**
     * A string's contents (after its opening quote) decoded into {@link #chars}: escapes and UTF-8.
     *
     * @return the index after the closing quote, or {@link #DECLINE}.
     */
    private int text(byte[] b, int i, int end) {
        int limit = Math.min(end, i + MAX_STRING_LENGTH);
        char[] out = chars;
        int n = 0;
        while (i < limit) {
            if (n + 2 > out.length) {
                out = chars = Arrays.copyOf(out, out.length * 2);
            }
            byte c = b[i];
            if (c == '"') {
                textLength = n;
                return i + 1;
            }
            if (c >= 0x20 && c != '\\') {
                out[n++] = (char) c;
                i++;
            } else if (c == '\\') {
                if (i + 1 >= limit) {
                    return DECLINE;
                }
                int escaped = unescape(b, i + 1, limit);
                if (escaped < 0) {
                    return DECLINE;
                }
                out[n++] = (char) escaped;
                i += b[i + 1] == 'u' ? 6 : 2;
            } else if (c < 0) {
                int length = utf8Length(b, i, end);
                if (length < 0) {
                    return DECLINE;
                }
                int cp = utf8CodePoint(b, i, length);
                if (cp >= 0x10000) {
                    out[n++] = Character.highSurrogate(cp);
                    out[n++] = Character.lowSurrogate(cp);
                } else {
                    out[n++] = (char) cp;
                }
                i += length;
            } else {
                return DECLINE;
            }
        }
        return DECLINE;
    }

    /** @return the char of the escape whose letter is at {@code i}, or {@link #DECLINE}. */
    private static int unescape(byte[] b, int i, int limit) {
        switch (b[i]) {
            case '"':
                return '"';
            case '\\':
                return '\\';
            case '/':
                return '/';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (i + 4 >= limit) {
                    return DECLINE;
                }
                int value = 0;
                for (int j = 1; j <= 4; j++) {
                    int h = Character.digit(b[i + j], 16);
                    if (h < 0) {
                        return DECLINE;
                    }
                    value = value << 4 | h;
                }
                return value;
            default:
                return DECLINE;
        }
    }

    /**
     * @return the length of the well-formed UTF-8 sequence of a non-ASCII char at {@code i} (RFC 3629: shortest
     *     form, no surrogates, at most U+10FFFF), or {@link #DECLINE}.
     */
    private static int utf8Length(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        int n;
        int low = 0x80;
        int high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) {
                low = 0xA0;
            } else if (c == 0xED) {
                high = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) {
                low = 0x90;
            } else if (c == 0xF4) {
                high = 0x8F;
            }
        } else {
            return DECLINE;
        }
        if (i + n > end) {
            return DECLINE;
        }
        int second = b[i + 1] & 0xFF;
        if (second < low || second > high) {
            return DECLINE;
        }
        for (int j = 2; j < n; j++) {
            if ((b[i + j] & 0xC0) != 0x80) {
                return DECLINE;
            }
        }
        return n;
    }

    private static int utf8CodePoint(byte[] b, int i, int n) {
        int c = b[i] & 0xFF;
        int cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        for (int j = 1; j < n; j++) {
            cp = cp << 6 | (b[i + j] & 0x3F);
        }
        return cp;
    }

    /**
     * Skips one JSON value (an unknown field's), checking it is strict JSON.
     *
     * @return the index after it, or {@link #DECLINE}.
     */
    private int skipValue(byte[] b, int i, int end, int depth) {
        byte c = b[i];
        switch (c) {
            case '"':
                return skipString(b, i + 1, end);
            case '{':
                return depth >= MAX_DEPTH ? DECLINE : skipObject(b, i + 1, end, depth + 1);
            case '[':
                return depth >= MAX_DEPTH ? DECLINE : skipArray(b, i + 1, end, depth + 1);
            case 't':
                return literal(b, i, end, TRUE) ? i + TRUE.length : DECLINE;
            case 'f':
                return literal(b, i, end, FALSE) ? i + FALSE.length : DECLINE;
            case 'n':
                return literal(b, i, end, NULL) ? i + NULL.length : DECLINE;
            default:
                return c == '-' || isDigit(c) ? number(b, i, end) : DECLINE;
        }
    }

    private int skipObject(byte[] b, int i, int end, int depth) {
        i = whitespace(b, i, end);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (i < end) {
            if (b[i] != '"' || (i = nameEnd(b, i + 1, end)) < 0) {
                return DECLINE;
            }
            i = whitespace(b, i + 1, end);
            if (i >= end || b[i] != ':') {
                return DECLINE;
            }
            i = whitespace(b, i + 1, end);
            if (i >= end || (i = skipValue(b, i, end, depth)) < 0) {
                return DECLINE;
            }
            i = whitespace(b, i, end);
            if (i >= end) {
                return DECLINE;
            }
            if (b[i] == '}') {
                return i + 1;
            }
            if (b[i] != ',') {
                return DECLINE;
            }
            i = whitespace(b, i + 1, end);
        }
        return DECLINE;
    }

    private int skipArray(byte[] b, int i, int end, int depth) {
        i = whitespace(b, i, end);
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        while (i < end) {
            if ((i = skipValue(b, i, end, depth)) < 0) {
                return DECLINE;
            }
            i = whitespace(b, i, end);
            if (i >= end) {
                return DECLINE;
            }
            if (b[i] == ']') {
                return i + 1;
            }
            if (b[i] != ',') {
                return DECLINE;
            }
            i = whitespace(b, i + 1, end);
        }
        return DECLINE;
    }

    /** @return the index after a string's closing quote (the string checked, not decoded), or {@link #DECLINE}. */
    private static int skipString(byte[] b, int i, int end) {
        int limit = Math.min(end, i + MAX_STRING_LENGTH);
        while (i < limit) {
            byte c = b[i];
            if (c == '"') {
                return i + 1;
            }
            if (c >= 0x20 && c != '\\') {
                i++;
            } else if (c == '\\') {
                if (i + 1 >= limit || unescape(b, i + 1, limit) < 0) {
                    return DECLINE;
                }
                i += b[i + 1] == 'u' ? 6 : 2;
            } else if (c < 0) {
                int length = utf8Length(b, i, end);
                if (length < 0) {
                    return DECLINE;
                }
                i += length;
            } else {
                return DECLINE;
            }
        }
        return DECLINE;
    }

    // -----------------------------------------------------------------------------------------------------------

    /** A flat schema compiled for the scanner: immutable, shared by every decoder of a source. */
    static final class Plan {
        final PackedRow template;
        final byte[] kinds;
        /** Parsed fields' names in schema order (the corrupt column left out) as UTF-8; null for a name no raw bytes
         *  can spell (a quote, backslash, control char or lone surrogate needs an escape: declined). */
        final byte[][] names;
        final int[] order;
        final int[] nextExpected;
        final int parsedCount;
        /** Open addressing: the position of each distinct name (its first field), {@code -1} empty. */
        private final int[] table;
        private final byte[][] tableNames;

        /**
         * @param schema       the root schema.
         * @param corruptIndex the corrupt-record column (never read from the JSON), or -1.
         */
        Plan(StructType schema, int corruptIndex) {
            int n = schema.size();
            this.template = new PackedRow(schema);
            this.kinds = new byte[n];
            int parsed = n - (corruptIndex >= 0 ? 1 : 0);
            this.parsedCount = parsed;
            this.names = new byte[parsed][];
            this.order = new int[parsed];
            this.nextExpected = new int[n];
            int size = Integer.highestOneBit(Math.max(8, parsed * 4) - 1) << 1;
            this.table = new int[size];
            this.tableNames = new byte[size][];
            Arrays.fill(table, -1);
            int k = 0;
            for (int i = 0; i < n; i++) {
                StructField f = schema.apply(i);
                kinds[i] = RowKind.of(f.dataType());
                if (i == corruptIndex) {
                    continue;
                }
                byte[] name = rawName(f.name());
                names[k] = name;
                order[k] = i;
                nextExpected[i] = k + 1;
                k++;
                if (name != null) {
                    int slot = hash(name, 0, name.length) & (size - 1);
                    while (table[slot] >= 0 && !Arrays.equals(tableNames[slot], name)) {
                        slot = (slot + 1) & (size - 1);
                    }
                    if (table[slot] < 0) {
                        table[slot] = i;
                        tableNames[slot] = name;
                    }
                }
            }
        }

        /** @return a name's UTF-8 bytes, or null when raw JSON bytes cannot spell it (it needs escapes). */
        private static byte[] rawName(String name) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20) {
                    return null;
                }
            }
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            return new String(bytes, StandardCharsets.UTF_8).equals(name) ? bytes : null;
        }

        private static int hash(byte[] b, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + b[i];
            }
            return h ^ (h >>> 16);
        }

        /** @return the position of the first field named by {@code b[from, to)}, or -1 for an unknown name. */
        int lookup(byte[] b, int from, int to) {
            int mask = table.length - 1;
            int slot = hash(b, from, to) & mask;
            while (table[slot] >= 0) {
                if (Arrays.equals(tableNames[slot], 0, tableNames[slot].length, b, from, to)) {
                    return table[slot];
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }
    }
}
