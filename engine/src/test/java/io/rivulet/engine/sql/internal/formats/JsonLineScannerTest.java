package io.rivulet.engine.sql.internal.formats;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte scanner ({@link JsonLineScanner}) against the Jackson path it shortcuts: on every line, random or mangled,
 * a decoder with the scanner gives exactly the rows (doubles bit for bit) and errors a decoder without it gives, and
 * the common flat line takes the scanner.
 */
class JsonLineScannerTest {
    private static final StructType TRADE = StructType.fromDDL(
        "symbol STRING, qty BIGINT, price DOUBLE, venue INT, ts TIMESTAMP, buy BOOLEAN");
    private static final StructType TRADE_CORRUPT = StructType.fromDDL(
        "symbol STRING, qty BIGINT, price DOUBLE, d DATE, _corrupt_record STRING");
    private static final StructType MIXED = StructType.fromDDL(
        "a INT, s STRING, f FLOAT, tags ARRAY<STRING>, u STRUCT<x: INT>, n DECIMAL(6,2), t TIMESTAMP");
    /** Repeated names, a name raw bytes cannot spell, non-ASCII names. */
    private static final StructType ODD_NAMES = new StructType()
        .add("a", DataTypes.IntegerType)
        .add("a", DataTypes.StringType)
        .add("é", DataTypes.StringType)
        .add("q\"", DataTypes.LongType)
        .add("\uD83D\uDE00", DataTypes.DoubleType)
        .add("", DataTypes.BooleanType);

    private static final String[] NAMES = {
        "symbol", "qty", "price", "venue", "ts", "buy", "d", "_corrupt_record", "a", "s", "f", "tags", "u", "n", "t",
        "é", "q\\\"", "\uD83D\uDE00", "", "extra", "Symbol", "sym\\u0062ol", "qty ", "x", "prénom", "\\\"",
    };

    private static JsonRowDecoder decoder(StructType schema, boolean scanner, String... options) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return JsonRowDecoder.create(schema, map, scanner);
    }

    /** A line's outcome: its rows (doubles and floats as bits), or the row PERMISSIVE emits and the message. */
    private static String outcome(JsonRowDecoder decoder, byte[] line) {
        byte[] buffer = new byte[line.length + 4];
        Arrays.fill(buffer, (byte) '"');
        System.arraycopy(line, 0, buffer, 2, line.length);
        try {
            Row row = decoder.decode(buffer, 2, line.length);
            StringBuilder all = new StringBuilder(describe(row));
            for (Row more = decoder.nextRowOfLine(); more != null; more = decoder.nextRowOfLine()) {
                all.append(" + ").append(describe(more));
            }
            return all.toString();
        } catch (BadRecordException e) {
            return "bad:" + describe(e.corruptRow()) + " " + e.getMessage();
        }
    }

    private static String describe(Row row) {
        if (row == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < row.size(); i++) {
            Object v = row.isNullAt(i) ? null : row.get(i);
            if (v instanceof Double d) {
                out.append(d).append('#').append(Long.toHexString(Double.doubleToRawLongBits(d)));
            } else if (v instanceof Float f) {
                out.append(f).append('#').append(Integer.toHexString(Float.floatToRawIntBits(f)));
            } else if (v instanceof Row nested) {
                out.append(describe(nested));
            } else {
                out.append(v);
            }
            out.append(i + 1 < row.size() ? "," : "]");
        }
        return row.size() == 0 ? "[]" : out.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes the lines with and without the scanner, one decoder each for the whole sequence. */
    private static long compare(StructType schema, byte[][] lines, String... options) {
        JsonRowDecoder fast = decoder(schema, true, options);
        JsonRowDecoder reference = decoder(schema, false, options);
        for (byte[] line : lines) {
            String expected = outcome(reference, line);
            assertThat(outcome(fast, line)).as(new String(line, StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        assertThat(reference.linesScanned()).isZero();
        return fast.linesScanned();
    }

    @Test
    void shouldScanTheCommonFlatLineWithoutJackson() throws Exception {
        JsonRowDecoder decoder = decoder(TRADE, true);
        byte[] line = utf8("{\"symbol\":\"AAPL\",\"qty\":12,\"price\":101.5,\"venue\":3,"
            + "\"ts\":\"2023-11-14T22:13:20.123Z\",\"buy\":true}");
        Row row = decoder.decode(line, 0, line.length);
        assertThat(decoder.linesScanned()).isEqualTo(1);
        assertThat(row.getString(0)).isEqualTo("AAPL");
        assertThat(row.getLong(1)).isEqualTo(12);
        assertThat(row.getDouble(2)).isEqualTo(101.5);
        assertThat(row.getInt(3)).isEqualTo(3);
        assertThat(row.getTimestampMicros(4)).isEqualTo(1_700_000_000_123_000L);
        assertThat(row.getBoolean(5)).isTrue();
        byte[] spaced = utf8(" {\t\"buy\" : false ,\r\n \"other\": {\"k\": [1, -2.5e3, \"x\\\"\", null, {}]}, \"venue\":-7 } ");
        Row other = decoder.decode(spaced, 0, spaced.length);
        assertThat(decoder.linesScanned()).as("any order, unknown nested fields skipped, whitespace").isEqualTo(2);
        assertThat(other.getBoolean(5)).isFalse();
        assertThat(other.getInt(3)).isEqualTo(-7);
        assertThat(other.isNullAt(0)).isTrue();
    }

    @Test
    void shouldDecodeEscapesAndUnicodeInStringsOnTheFastPath() throws Exception {
        JsonRowDecoder decoder = decoder(TRADE, true);
        byte[] line = utf8("{\"symbol\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\uD83D\\uDE00 é😀\"}");
        Row row = decoder.decode(line, 0, line.length);
        assertThat(decoder.linesScanned()).isEqualTo(1);
        assertThat(row.getString(0)).isEqualTo("a\"b\\c/d\né😀 é😀");
    }

    @Test
    void shouldKeepTheLastValueOfARepeatedKeyAndNeverReadTheCorruptColumnOnTheFastPath() throws Exception {
        // Spark: row.update per occurrence, so the last wins; the corrupt column is not in the parsed schema.
        JsonRowDecoder decoder = decoder(TRADE_CORRUPT, true);
        byte[] line = utf8("{\"qty\":1,\"symbol\":\"x\",\"qty\":2,\"symbol\":null,\"_corrupt_record\":\"y\"}");
        Row row = decoder.decode(line, 0, line.length);
        assertThat(decoder.linesScanned()).isEqualTo(1);
        assertThat(row.getLong(1)).isEqualTo(2);
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.isNullAt(4)).isTrue();
    }

    @Test
    void shouldLeaveToJacksonWhatOnlyJacksonReadsAndGiveItsRowsAndErrors() {
        String[] lines = {
            "{\"qty\":\"12\"}", "{\"venue\":2147483648}", "{\"qty\":1.0}", "{\"qty\":1e2}", "{\"price\":\"NaN\"}",
            "{\"price\":NaN}", "{\"symbol\":12}", "{\"symbol\":{\"a\":1}}", "{'symbol':'x'}", "{\"qty\":01}",
            "{\"ts\":\"yesterday\"}", "{\"ts\":\"\"}", "{\"ts\":1.5}", "{\"qty\":1", "{\"qty\":1,}", "[{\"qty\":1}]",
            "{\"qty\":1} x", "{\"sym\\u0062ol\":\"x\"}", "{\"symbol\":\"\t\"}", "{\"symbol\":\"\\x\"}", "", " ", "null",
            "{\"qty\":12345678901234567890}", "{\"qty\":-}", "{\"buy\":tru}", "{\"buy\":truex}", "{\"qty\":1 2}",
        };
        byte[][] bytes = new byte[lines.length + 2][];
        for (int i = 0; i < lines.length; i++) {
            bytes[i] = utf8(lines[i]);
        }
        bytes[lines.length] = new byte[] {'{', '"', 's', 'y', 'm', 'b', 'o', 'l', '"', ':', '"', (byte) 0xC3, '"', '}'};
        bytes[lines.length + 1] = new byte[] {'{', '"', 's', 'y', 'm', 'b', 'o', 'l', '"', ':', '"', (byte) 0xED,
            (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertThat(compare(TRADE, bytes)).as("none of these is the scanner's").isZero();
    }

    @Test
    void shouldReadNumbersIntoADoubleColumnBitForBitAsJacksonDoes() {
        SplittableRandom random = new SplittableRandom(11);
        byte[][] lines = new byte[40_000][];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = utf8("{\"price\":" + number(random) + "}");
        }
        long scanned = compare(TRADE, lines);
        assertThat(scanned).as("most numbers are the scanner's").isGreaterThan(lines.length / 2);
    }

    @Test
    void shouldGiveTheJacksonPathsRowsAndErrorsOnRandomAndMangledLines() {
        Object[][] cases = {
            {TRADE, new String[0]},
            {TRADE_CORRUPT, new String[0]},
            {MIXED, new String[] {"timeZone", "Europe/Paris"}},
            {ODD_NAMES, new String[0]},
            {TRADE, new String[] {"allowSingleQuotes", "false", "allowNonNumericNumbers", "false"}},
            {TRADE_CORRUPT, new String[] {"timestampFormat", "yyyy-MM-dd HH:mm", "dateFormat", "dd.MM.yyyy"}},
        };
        long seed = 1;
        for (Object[] c : cases) {
            StructType schema = (StructType) c[0];
            SplittableRandom random = new SplittableRandom(seed++);
            byte[][] lines = new byte[8_000][];
            for (int i = 0; i < lines.length; i++) {
                byte[] line = utf8(line(random));
                lines[i] = random.nextInt(3) == 0 ? mangle(line, random) : line;
            }
            long scanned = compare(schema, lines, (String[]) c[1]);
            assertThat(scanned).as("the scanner took part for " + schema.simpleString()).isGreaterThan(lines.length / 20);
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Generators

    private static String line(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        int shape = random.nextInt(40);
        if (shape == 0) {
            return "[" + object(random, 0) + (random.nextBoolean() ? "," + object(random, 0) : "") + "]";
        }
        if (shape == 1) {
            return value(random, 0);
        }
        out.append(ws(random)).append(object(random, 0)).append(ws(random));
        if (shape == 2) {
            out.append(random.nextBoolean() ? "x" : "{}");
        }
        return out.toString();
    }

    private static String object(SplittableRandom random, int depth) {
        StringBuilder out = new StringBuilder("{").append(ws(random));
        int fields = random.nextInt(depth == 0 ? 9 : 4);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                out.append(ws(random)).append(',').append(ws(random));
            }
            out.append('"').append(NAMES[random.nextInt(NAMES.length)]).append('"').append(ws(random)).append(':')
                .append(ws(random)).append(value(random, depth + 1));
        }
        return out.append(ws(random)).append('}').toString();
    }

    private static String ws(SplittableRandom random) {
        return switch (random.nextInt(24)) {
            case 0 -> " ";
            case 1 -> "\t";
            case 2 -> "\r\n";
            case 3 -> "  ";
            case 4 -> "\u000B";
            case 5 -> "\u00A0";
            default -> "";
        };
    }

    private static String value(SplittableRandom random, int depth) {
        switch (random.nextInt(depth > 3 ? 16 : 19)) {
            case 0, 1, 2:
                return string(random);
            case 3, 4, 5:
                return number(random);
            case 6:
                return random.nextBoolean() ? "true" : "false";
            case 7:
                return "null";
            case 8:
                return new String[] {"tru", "nul", "NaN", "-Infinity", "Infinity", "truex", "nulll", "'x'"}[random.nextInt(8)];
            case 9, 10:
                return '"' + timestamp(random) + '"';
            case 11:
                return "\"" + (2000 + random.nextInt(30)) + "-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10) + "\"";
            case 12:
                return Long.toString(random.nextLong(-2_000_000_000L, 2_000_000_000L));
            case 13:
                return "\"" + new String[] {"NaN", "+INF", "-Infinity", "12", "", "1,234.5", "true"}[random.nextInt(7)] + "\"";
            case 14:
                return random.nextInt(20) == 0 ? "[".repeat(70) + "]".repeat(70) : "[]";
            case 15:
                return random.nextInt(10) == 0 ? "{\"x\":1,}" : "{}";
            case 16:
                return object(random, depth);
            default: {
                StringBuilder out = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    out.append(i > 0 ? "," : "").append(ws(random)).append(value(random, depth + 1));
                }
                return out.append(']').toString();
            }
        }
    }

    private static String timestamp(SplittableRandom random) {
        String date = (1990 + random.nextInt(60)) + "-" + two(1 + random.nextInt(12)) + "-" + two(1 + random.nextInt(31));
        return switch (random.nextInt(6)) {
            case 0 -> date;
            case 1 -> date + "T" + two(random.nextInt(25)) + ":" + two(random.nextInt(60)) + ":" + two(random.nextInt(61)) + "Z";
            case 2 -> date + " " + two(random.nextInt(24)) + ":" + two(random.nextInt(60)) + "." + random.nextInt(1_000_000);
            case 3 -> date + "T" + two(random.nextInt(24)) + ":" + two(random.nextInt(60)) + "+02:00";
            case 4 -> two(1 + random.nextInt(28)) + "." + two(1 + random.nextInt(12)) + ".2024";
            default -> "soon";
        };
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String string(SplittableRandom random) {
        StringBuilder out = new StringBuilder("\"");
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(30);
            switch (kind) {
                case 0 -> out.append("\\\"");
                case 1 -> out.append("\\\\");
                case 2 -> out.append("\\/");
                case 3 -> out.append("\\n\\t\\b\\f\\r");
                case 4 -> out.append(String.format("\\u%04x", random.nextInt(0x10000)));
                case 5 -> out.append(String.format("\\u%04X", 0xD800 + random.nextInt(0x800)));
                case 6 -> out.append("é");
                case 7 -> out.append("😀");
                case 8 -> out.append((char) (0x800 + random.nextInt(0xD000)));
                case 9 -> out.append(random.nextInt(10) == 0 ? "\\x" : "\\u12");
                case 10 -> out.append(random.nextInt(10) == 0 ? "\u0001" : "\u007F");
                default -> out.append((char) ('!' + random.nextInt(94)));
            }
        }
        return out.append('"').toString();
    }

    private static String number(SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        if (random.nextInt(3) == 0) {
            out.append('-');
        }
        switch (random.nextInt(12)) {
            case 0 -> out.append('0');
            case 1 -> out.append(random.nextInt(1000));
            case 2 -> out.append(Long.toString(random.nextLong() & Long.MAX_VALUE));
            case 3 -> out.append(digits(random, 1 + random.nextInt(25)));
            case 4 -> out.append(random.nextInt(1000)).append('.').append(random.nextInt(100));
            case 5 -> out.append(digits(random, 1 + random.nextInt(8))).append('.').append(digits(random, 1 + random.nextInt(20)));
            case 6 -> out.append(digits(random, 1 + random.nextInt(5))).append(random.nextBoolean() ? 'e' : 'E')
                .append(new String[] {"", "+", "-"}[random.nextInt(3)]).append(random.nextInt(40));
            case 7 -> out.append("0.").append("0".repeat(random.nextInt(8))).append(digits(random, 1 + random.nextInt(17)))
                .append(random.nextBoolean() ? "e" + (random.nextInt(700) - 350) : "");
            case 8 -> out.append(Double.toString(Double.longBitsToDouble(random.nextLong())).replace("Infinity", "1e999"));
            case 9 -> out.append(new String[] {"1.", ".5", "01", "1e", "1e+", "-", "00", "0.0", "1.0e0", "2e-400", "1e400"}[random.nextInt(11)]);
            case 10 -> out.append(random.nextInt(100)).append('.').append(random.nextInt(100)).append("0".repeat(random.nextInt(4)));
            default -> out.append(100 + random.nextInt(100_000) / 100.0);
        }
        return out.toString();
    }

    private static String digits(SplittableRandom random, int n) {
        StringBuilder out = new StringBuilder();
        out.append((char) ('1' + random.nextInt(9)));
        for (int i = 1; i < n; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    private static final byte[] NOISE = utf8("\"{}[],:\\ 0 9 e . - a n t\u0000\u001F");

    /** Truncates, drops, inserts or replaces bytes, or breaks a UTF-8 sequence. */
    private static byte[] mangle(byte[] line, SplittableRandom random) {
        if (line.length == 0) {
            return line;
        }
        int at = random.nextInt(line.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(6)) {
            case 0 -> out.write(line, 0, at);
            case 1 -> {
                out.write(line, 0, at);
                out.write(line, at + 1, line.length - at - 1);
            }
            case 2 -> {
                out.write(line, 0, at);
                out.write(NOISE[random.nextInt(NOISE.length)]);
                out.write(line, at, line.length - at);
            }
            case 3 -> {
                out.write(line, 0, at);
                out.write(NOISE[random.nextInt(NOISE.length)]);
                out.write(line, at + 1, line.length - at - 1);
            }
            case 4 -> {
                out.write(line, 0, at);
                byte[][] bad = {{(byte) 0xC3}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xFF}};
                out.writeBytes(bad[random.nextInt(bad.length)]);
                out.write(line, at, line.length - at);
            }
            default -> {
                out.write(line, 0, at);
                out.write(line, at, line.length - at);
                out.write(line, 0, Math.min(line.length, random.nextInt(8)));
            }
        }
        return out.toByteArray();
    }
}
