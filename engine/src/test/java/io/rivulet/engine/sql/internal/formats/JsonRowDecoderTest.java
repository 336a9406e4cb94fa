package io.rivulet.engine.sql.internal.formats;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Each case names the Spark rule (JacksonParser / FailureSafeParser, Spark 3.x+) it pins. */
class JsonRowDecoderTest {
    private static final StructType TRADE = StructType.fromDDL(
        "symbol STRING, qty BIGINT, price DOUBLE, venue INT, ts TIMESTAMP, buy BOOLEAN");
    private static final StructType TRADE_CORRUPT = StructType.fromDDL(
        "symbol STRING, qty BIGINT, price DOUBLE, _corrupt_record STRING");

    private static Row decode(StructType schema, String line, String... options) throws Exception {
        return decoder(schema, options).decode(pad(line), 3, line.getBytes(StandardCharsets.UTF_8).length);
    }

    private static JsonRowDecoder decoder(StructType schema, String... options) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return JsonRowDecoder.create(schema, map);
    }

    /** The line inside a larger buffer, as the file source gives it. */
    private static byte[] pad(String line) {
        byte[] text = line.getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[text.length + 6];
        Arrays.fill(buffer, (byte) '{');
        System.arraycopy(text, 0, buffer, 3, text.length);
        return buffer;
    }

    private static BadRecordException bad(StructType schema, String line, String... options) {
        try {
            decode(schema, line, options);
        } catch (BadRecordException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("line was not rejected: " + line);
    }

    @Test
    void shouldDecodeEveryColumnOfTheSixColumnSchema() throws Exception {
        Row row = decode(TRADE, "{\"symbol\":\"AAPL\",\"qty\":12,\"price\":101.5,\"venue\":3,"
            + "\"ts\":\"2023-11-14T22:13:20.123Z\",\"buy\":true}");
        assertThat(row.getString(0)).isEqualTo("AAPL");
        assertThat(row.getLong(1)).isEqualTo(12);
        assertThat(row.getDouble(2)).isEqualTo(101.5);
        assertThat(row.getInt(3)).isEqualTo(3);
        assertThat(row.getTimestamp(4)).isEqualTo(Instant.parse("2023-11-14T22:13:20.123Z"));
        assertThat(row.getBoolean(5)).isTrue();
    }

    @Test
    void shouldMatchFieldsByNameInAnyOrderIgnoringUnknownAndNullingMissing() throws Exception {
        // Spark: fields by exact name; unknown fields dropped; missing fields null.
        Row row = decode(TRADE, "{\"buy\":false,\"extra\":{\"a\":[1,2]},\"venue\":7,\"symbol\":\"X\"}");
        assertThat(row.getBoolean(5)).isFalse();
        assertThat(row.getInt(3)).isEqualTo(7);
        assertThat(row.getString(0)).isEqualTo("X");
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.isNullAt(4)).isTrue();
        assertThat(decode(TRADE, "{\"Symbol\":\"X\"}").isNullAt(0)).as("names are case-sensitive").isTrue();
    }

    @Test
    void shouldKeepTheLastValueOfARepeatedField() throws Exception {
        // Spark: row.update per occurrence, so the last wins (null included).
        assertThat(decode(TRADE, "{\"qty\":1,\"qty\":2}").getLong(1)).isEqualTo(2);
        assertThat(decode(TRADE, "{\"qty\":1,\"qty\":null}").isNullAt(1)).isTrue();
    }

    @Test
    void shouldReadJsonNullAsNull() throws Exception {
        Row row = decode(TRADE, "{\"symbol\":null,\"qty\":null,\"price\":null,\"venue\":null,\"ts\":null,\"buy\":null}");
        for (int i = 0; i < 6; i++) {
            assertThat(row.isNullAt(i)).isTrue();
        }
    }

    @Test
    void shouldSkipABlankLine() throws Exception {
        // Spark: a null first token (blank input) gives no row.
        assertThat(decode(TRADE, "   ")).isNull();
        assertThat(decode(TRADE, "")).isNull();
    }

    @Test
    void shouldConvertNumbersAsSparkDoes() throws Exception {
        StructType schema = StructType.fromDDL("d DOUBLE, f FLOAT, s SMALLINT, b TINYINT, dec DECIMAL(6,2)");
        Row row = decode(schema, "{\"d\":3,\"f\":1.25,\"s\":-7,\"b\":5,\"dec\":1.005}");
        assertThat(row.getDouble(0)).isEqualTo(3.0);              // VALUE_NUMBER_INT into double
        assertThat(row.getFloat(1)).isEqualTo(1.25f);
        assertThat(row.getShort(2)).isEqualTo((short) -7);
        assertThat(row.getByte(3)).isEqualTo((byte) 5);
        assertThat(row.getDecimal(4)).isEqualTo(new BigDecimal("1.01")); // Decimal(v, p, s): HALF_UP to the scale
        // Decimal from a string, commas dropped (ExprUtils.getDecimalParser, US locale).
        assertThat(decode(schema, "{\"dec\":\"1,234.5\"}").getDecimal(4)).isEqualTo(new BigDecimal("1234.50"));
        // NaN / Infinity from strings (allowNonNumericNumbers, default true) and unquoted.
        assertThat(decode(schema, "{\"d\":\"NaN\",\"f\":\"-Infinity\"}").getDouble(0)).isNaN();
        assertThat(decode(schema, "{\"d\":\"+INF\"}").getDouble(0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(decode(schema, "{\"d\":NaN}").getDouble(0)).isNaN();
    }

    @Test
    void shouldRejectNumbersThatOverflowTheirColumn() {
        // Spark: parser.getIntValue / getLongValue throw on overflow; Decimal precision overflow throws.
        StructType schema = StructType.fromDDL("i INT, l BIGINT, dec DECIMAL(3,1)");
        assertThat(bad(schema, "{\"i\":2147483648}").getCause().getMessage()).contains("out of range");
        assertThat(bad(schema, "{\"l\":92233720368547758070}")).isNotNull();
        assertThat(bad(schema, "{\"dec\":123.4}").getMessage()).contains("decimal(3,1)");
        assertThat(bad(schema, "{\"i\":1.5}").getMessage()).contains("VALUE_NUMBER_FLOAT").contains("INT");
    }

    @Test
    void shouldMakeTheRecordCorruptWhenAStringIsGivenForANumber() {
        // Spark 3+: a type mismatch is malformed (CANNOT_PARSE_JSON_FIELD), with a partial result in PERMISSIVE.
        BadRecordException e = bad(TRADE_CORRUPT, "{\"symbol\":\"A\",\"qty\":\"12\",\"price\":2.5}");
        assertThat(e.getMessage()).isEqualTo("Cannot parse the field name 'qty' and the value 12 of the JSON token"
            + " type VALUE_STRING to target Spark data type BIGINT");
        Row row = e.corruptRow();
        assertThat(row.getString(0)).isEqualTo("A");
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.getDouble(2)).isEqualTo(2.5);
        assertThat(row.getString(3)).isEqualTo("{\"symbol\":\"A\",\"qty\":\"12\",\"price\":2.5}");
    }

    @Test
    void shouldRejectAnEmptyStringForANonStringType() {
        // SPARK-25040: empty strings are malformed except for string and binary.
        assertThat(bad(TRADE, "{\"venue\":\"\"}").getMessage()).contains("Failed to parse an empty string for data type INT");
    }

    @Test
    void shouldNullEveryFieldOfATruncatedLineAndKeepTheRawLine() {
        // Spark: a syntax error has no partial result: all fields null, the raw line in the corrupt column.
        BadRecordException e = bad(TRADE_CORRUPT, "{\"symbol\":\"A\",\"qty\":1");
        Row row = e.corruptRow();
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.getString(3)).isEqualTo("{\"symbol\":\"A\",\"qty\":1");
        assertThat(bad(TRADE_CORRUPT, "{\"symbol\": oops}").corruptRow().getString(3)).isEqualTo("{\"symbol\": oops}");
    }

    @Test
    void shouldGiveThePartialRowWithoutACorruptColumn() {
        // FailureSafeParser: no corrupt column → the partial result (or all nulls) as it is.
        Row row = bad(TRADE, "{\"symbol\":\"A\",\"qty\":true}").corruptRow();
        assertThat(row.size()).isEqualTo(6);
        assertThat(row.getString(0)).isEqualTo("A");
        assertThat(row.isNullAt(1)).isTrue();
    }

    @Test
    void shouldUseTheConfiguredCorruptColumnAndIgnoreAJsonFieldOfThatName() throws Exception {
        StructType schema = StructType.fromDDL("a INT, bad STRING");
        // The corrupt column is not parsed from the JSON (actualSchema excludes it).
        assertThat(decode(schema, "{\"a\":1,\"bad\":\"x\"}", "columnNameOfCorruptRecord", "bad").isNullAt(1)).isTrue();
        assertThat(bad(schema, "{\"a\":", "columnNameOfCorruptRecord", "bad").corruptRow().getString(1)).isEqualTo("{\"a\":");
        // With the default name the column is an ordinary field.
        assertThat(decode(schema, "{\"a\":1,\"bad\":\"x\"}").getString(1)).isEqualTo("x");
    }

    @Test
    void shouldRejectACorruptColumnThatIsNotAString() {
        assertThatThrownBy(() -> decoder(StructType.fromDDL("a INT, _corrupt_record INT")))
            .hasMessageContaining("The field for corrupt records must be string type and nullable");
    }

    @Test
    void shouldReadANonStringValueIntoAStringColumnAsItsJsonText() throws Exception {
        // Spark: any other token into a string column is the value's JSON text.
        StructType schema = StructType.fromDDL("s STRING, t STRING, u STRING");
        Row row = decode(schema, "{\"s\":{\"a\": [1, true]},\"t\":42,\"u\":false}");
        assertThat(row.getString(0)).isEqualTo("{\"a\":[1,true]}");
        assertThat(row.getString(1)).isEqualTo("42");
        assertThat(row.getString(2)).isEqualTo("false");
    }

    @Test
    void shouldDecodeNestedStructsArraysAndMaps() throws Exception {
        StructType schema = StructType.fromDDL(
            "user STRUCT<id: BIGINT, name: STRING>, tags ARRAY<STRING>, scores MAP<STRING, INT>, "
                + "points ARRAY<STRUCT<x: DOUBLE>>, when ARRAY<TIMESTAMP>");
        Row row = decode(schema, "{\"user\":{\"name\":\"ann\",\"id\":7},\"tags\":[\"a\",null,\"b\"],"
            + "\"scores\":{\"m\":1,\"n\":null},\"points\":[{\"x\":1.5},{}],\"when\":[\"2020-01-01\"]}");
        assertThat(row.getStruct(0).getLong(0)).isEqualTo(7);
        assertThat(row.getStruct(0).getString(1)).isEqualTo("ann");
        assertThat(row.<String>getList(1)).containsExactly("a", null, "b");
        Map<String, Integer> scores = row.getMap(2);
        assertThat(scores).containsEntry("m", 1).containsEntry("n", null);
        List<Row> points = row.getList(3);
        assertThat(points.get(0).getDouble(0)).isEqualTo(1.5);
        assertThat(points.get(1).isNullAt(0)).isTrue();
        assertThat(row.<Instant>getList(4)).containsExactly(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void shouldNullTheWholeNestedFieldWhenAValueInsideItFails() {
        // Spark: a non-root struct has no partial result; its root field becomes null, the others stay.
        StructType schema = StructType.fromDDL("a STRUCT<x: INT, y: INT>, b INT");
        Row row = bad(schema, "{\"a\":{\"x\":\"no\",\"y\":2},\"b\":3}").corruptRow();
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.getInt(1)).as("parsing resumes after the failed value").isEqualTo(3);
    }

    @Test
    void shouldRejectAMismatchedContainer() {
        StructType schema = StructType.fromDDL("tags ARRAY<STRING>, b INT");
        Row row = bad(schema, "{\"tags\":\"x\",\"b\":1}").corruptRow();
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.getInt(1)).isEqualTo(1);
        assertThatThrownBy(() -> decoder(StructType.fromDDL("m MAP<INT, STRING>"))).hasMessageContaining("MAP<STRING");
    }

    @Test
    void shouldGiveOneRowPerElementOfATopLevelArray() throws Exception {
        // SPARK-3308: a top-level array of objects is one row per element; an empty array no row.
        JsonRowDecoder decoder = decoder(TRADE);
        String line = "[{\"symbol\":\"A\"},{\"symbol\":\"B\"}]";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        assertThat(decoder.decode(bytes, 0, bytes.length).getString(0)).isEqualTo("A");
        assertThat(decoder.nextRowOfLine().getString(0)).isEqualTo("B");
        assertThat(decoder.nextRowOfLine()).isNull();
        assertThat(decode(TRADE, "[]")).isNull();
        assertThat(bad(TRADE, "[{\"symbol\":\"A\"},null]").getMessage()).contains("Root converter returned null");
    }

    @Test
    void shouldRejectAScalarOrNullLine() {
        // Spark: a root scalar fails conversion, a root null is "Root converter returned null".
        assertThat(bad(TRADE, "42").getMessage()).contains("not an object");
        assertThat(bad(TRADE, "null").getMessage()).contains("Root converter returned null");
    }

    @Test
    void shouldIgnoreAnythingAfterTheFirstValueOnTheLine() throws Exception {
        // Spark's JacksonParser.parse reads one root value and does not look further.
        assertThat(decode(TRADE, "{\"venue\":1} trailing").getInt(3)).isEqualTo(1);
    }

    @Test
    void shouldParseTimestampsByDefaultShapeFormatOrEpochSeconds() throws Exception {
        StructType schema = StructType.fromDDL("ts TIMESTAMP, d DATE");
        // Default (stringToTimestamp): space or T, optional seconds and fraction, zone or the timeZone option.
        assertThat(decode(schema, "{\"ts\":\"2023-01-02 03:04:05.123456\"}").getTimestamp(0))
            .isEqualTo(Instant.parse("2023-01-02T03:04:05.123456Z"));
        assertThat(decode(schema, "{\"ts\":\"2023-01-02T03:04+02:00\"}").getTimestamp(0))
            .isEqualTo(Instant.parse("2023-01-02T01:04:00Z"));
        assertThat(decode(schema, "{\"ts\":\"2023-01-02T03:04:05\"}", "timeZone", "Europe/Paris").getTimestamp(0))
            .isEqualTo(Instant.parse("2023-01-02T02:04:05Z"));
        assertThat(decode(schema, "{\"ts\":\"2023-01-02 03:04:05 UTC\"}").getTimestamp(0))
            .isEqualTo(Instant.parse("2023-01-02T03:04:05Z"));
        // A JSON integer is epoch seconds.
        assertThat(decode(schema, "{\"ts\":1700000000}").getTimestamp(0)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        // With a format, that format only (no fallback unless enableDateTimeParsingFallback).
        assertThat(decode(schema, "{\"ts\":\"02/01/2023 03:04\"}", "timestampFormat", "dd/MM/yyyy HH:mm").getTimestamp(0))
            .isEqualTo(Instant.parse("2023-01-02T03:04:00Z"));
        assertThat(bad(schema, "{\"ts\":\"2023-01-02 03:04\"}", "timestampFormat", "dd/MM/yyyy HH:mm")).isNotNull();
        assertThat(decode(schema, "{\"ts\":\"2023-01-02 03:04\"}", "timestampFormat", "dd/MM/yyyy HH:mm",
            "enableDateTimeParsingFallback", "true").getTimestamp(0)).isEqualTo(Instant.parse("2023-01-02T03:04:00Z"));
        assertThat(bad(schema, "{\"ts\":\"yesterday\"}").getMessage()).contains("not a valid timestamp");
        assertThat(bad(schema, "{\"ts\":\"2023-02-30\"}")).isNotNull();
        // Dates: stringToDate shape, or the dateFormat.
        assertThat(decode(schema, "{\"d\":\"2024-2-29T10:00\"}").getDate(1)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(decode(schema, "{\"d\":\"29.02.2024\"}", "dateFormat", "dd.MM.yyyy").getDate(1))
            .isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(bad(schema, "{\"d\":20240229}").getMessage()).contains("VALUE_NUMBER_INT");
    }

    @Test
    void shouldApplyJacksonReadFeaturesFromSparkOptions() throws Exception {
        StructType schema = StructType.fromDDL("a INT, s STRING");
        assertThat(decode(schema, "{'s':'x'}").getString(1)).isEqualTo("x");                    // allowSingleQuotes=true
        assertThat(bad(schema, "{'s':'x'}", "allowSingleQuotes", "false")).isNotNull();
        assertThat(bad(schema, "{a:1}")).isNotNull();                                          // allowUnquotedFieldNames=false
        assertThat(decode(schema, "{a:1}", "allowUnquotedFieldNames", "true").getInt(0)).isEqualTo(1);
        assertThat(bad(schema, "{\"a\":01}")).isNotNull();                                     // allowNumericLeadingZeros=false
        assertThat(decode(schema, "{\"a\":01}", "allowNumericLeadingZeros", "true").getInt(0)).isEqualTo(1);
        assertThat(decode(schema, "{/* c */\"a\":1}", "allowComments", "true").getInt(0)).isEqualTo(1);
        assertThat(bad(schema, "{\"s\":NaN}".replace("s", "a").replace("a\":NaN", "a\":1,\"s\":NaN"),
            "allowNonNumericNumbers", "false")).isNotNull();
    }

    @Test
    void shouldDecodeBinaryFromBase64() throws Exception {
        Row row = decode(StructType.fromDDL("b BINARY"), "{\"b\":\"AQID\"}");
        assertThat(row.getBinary(0)).containsExactly(1, 2, 3);
    }

    /** A line's outcome as text: the row, or "bad:" and the row PERMISSIVE emits, with the first error's message. */
    private static String outcome(JsonRowDecoder decoder, String line) {
        byte[] bytes = pad(line);
        try {
            Row row = decoder.decode(bytes, 3, line.getBytes(StandardCharsets.UTF_8).length);
            StringBuilder all = new StringBuilder(String.valueOf(row));
            for (Row more = decoder.nextRowOfLine(); more != null; more = decoder.nextRowOfLine()) {
                all.append(" + ").append(more);
            }
            return all.toString();
        } catch (BadRecordException e) {
            return "bad:" + e.corruptRow() + " " + e.getMessage();
        }
    }

    @Test
    void shouldDecodeEveryLineOfASequenceAsAFreshDecoderWouldWhateverCameBefore() {
        // One decoder reuses one parser from line to line: a malformed, truncated or odd line must leave nothing
        // behind, and must be reported exactly as the blocking parser reports it.
        String[] lines = {
            "{\"symbol\":\"A\",\"qty\":1,\"price\":1.5}",
            "{\"symbol\":\"B\",\"qty\":2",
            "{\"symbol\":\"C\",\"qty\":3}",
            "42",
            "tru",
            "   ",
            "{\"qty\":4} trailing",
            "{\"qty\":5}",
            "{\"symbol\":{\"x\":[1,true]},\"qty\":6}",
            "[{\"symbol\":\"D\"},{\"symbol\":\"E\",\"qty\":7}]",
            "[{\"symbol\":\"F\"},",
            "{\"qty\":tru",
            "{\"unknown\":{\"deep\":[1,{\"x\":2}]},\"qty\":8}",
            "{\"qty\":\"nine\",\"price\":9.5}",
            "{'symbol':'G','qty':10}",
            "null",
            "{\"qty\":11}",
        };
        JsonRowDecoder shared = decoder(TRADE_CORRUPT);
        for (String line : lines) {
            assertThat(outcome(shared, line)).as(line).isEqualTo(outcome(decoder(TRADE_CORRUPT), line));
        }
        assertThat(outcome(shared, "{\"qty\":11}")).isEqualTo("[null,11,null,null]");
    }

    @Test
    void shouldRejectALineThatEndsRightAfterAFieldNameInsteadOfLoopingForever() {
        // The reused non-blocking parser leaves its current token at the last name when the line ends after it; the
        // decoder looped on that name. Preemptive timeout: a regression hangs, it cannot fail otherwise.
        for (String line : new String[] {"{\"x\"", "{\"qty\"", "{\"qty\":1,\"x\"", "{\"qty\":1,\"symbol\"", "{\"\""}) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertThat(bad(TRADE_CORRUPT, line).corruptRow().getString(3)).isEqualTo(line);
            }, line);
        }
    }

    @Test
    void shouldDecodeLineAfterLineAcrossParserRenewals() throws Exception {
        JsonRowDecoder decoder = decoder(TRADE);
        long sum = 0;
        long expected = 0;
        for (int i = 0; i < JsonRowDecoder.LINES_PER_PARSER * 2 + 7; i++) {
            String line = "{\"symbol\":\"S" + i + "\",\"qty\":" + i + ",\"unknown" + i + "\":" + i + "}";
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            Row row = decoder.decode(bytes, 0, bytes.length);
            assertThat(row.getString(0)).isEqualTo("S" + i);
            sum += row.getLong(1);
            expected += i;
        }
        assertThat(sum).isEqualTo(expected);
    }
}
