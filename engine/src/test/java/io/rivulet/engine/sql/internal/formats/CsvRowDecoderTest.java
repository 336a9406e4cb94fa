package io.rivulet.engine.sql.internal.formats;

import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each case names the Spark rule (UnivocityParser with CSVOptions' univocity settings, Spark 3.x+) it pins. */
class CsvRowDecoderTest {
    private static final StructType TRADE = StructType.fromDDL(
        "symbol STRING, qty BIGINT, price DOUBLE, venue INT, ts TIMESTAMP, buy BOOLEAN");
    private static final StructType ABC = StructType.fromDDL("a STRING, b STRING, c STRING");

    private static CsvRowDecoder decoder(StructType schema, String... options) {
        Map<String, String> map = new HashMap<>();
        String sep = ",";
        char quote = '"';
        char escape = '\\';
        String nullValue = "";
        Character comment = null;
        for (int i = 0; i < options.length; i += 2) {
            switch (options[i]) {
                case "sep" -> sep = options[i + 1];
                case "quote" -> quote = options[i + 1].charAt(0);
                case "escape" -> escape = options[i + 1].charAt(0);
                case "nullValue" -> nullValue = options[i + 1];
                case "comment" -> comment = options[i + 1].charAt(0);
                default -> map.put(options[i], options[i + 1]);
            }
        }
        return CsvRowDecoder.create(schema, sep, quote, escape, nullValue, comment, map);
    }

    private static Row decode(StructType schema, String line, String... options) throws Exception {
        byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        return decoder(schema, options).decode(bytes, 2, bytes.length - 4);
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

    private static String values(Row row) {
        return row.toString();
    }

    @Test
    void shouldDecodeEveryColumnOfTheSixColumnSchema() throws Exception {
        Row row = decode(TRADE, "AAPL,12,101.5,3,2023-11-14T22:13:20.123Z,TRUE");
        assertThat(row.getString(0)).isEqualTo("AAPL");
        assertThat(row.getLong(1)).isEqualTo(12);
        assertThat(row.getDouble(2)).isEqualTo(101.5);
        assertThat(row.getInt(3)).isEqualTo(3);
        assertThat(row.getTimestamp(4)).isEqualTo(Instant.parse("2023-11-14T22:13:20.123Z"));
        assertThat(row.getBoolean(5)).as("Scala toBoolean: any case").isTrue();
    }

    @Test
    void shouldReadEmptyValuesAsNullByDefault() throws Exception {
        // nullValue "" and emptyValue "": an empty unquoted and an empty quoted token are both null.
        assertThat(values(decode(ABC, "x,,\"\""))).isEqualTo("[x,null,null]");
    }

    @Test
    void shouldTellNullValueFromEmptyValueWhenSet() throws Exception {
        // univocity: empty unquoted → nullValue, empty quoted → emptyValue; then datum == nullValue → null.
        Row row = decode(ABC, "NULL,,\"\"", "nullValue", "NULL");
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.getString(2)).isEqualTo("");
        assertThat(decode(ABC, "a,\"\",c", "emptyValue", "EMPTY").getString(1)).isEqualTo("EMPTY");
    }

    @Test
    void shouldHandleQuotesEscapesAndSeparatorsInsideQuotes() throws Exception {
        assertThat(values(decode(ABC, "\"a,b\",\"say \\\"hi\\\"\",c"))).isEqualTo("[a,b,say \"hi\",c]");
        // escape equal to quote: RFC 4180 doubled quotes.
        assertThat(decode(ABC, "\"x \"\"y\"\"\",b,c", "escape", "\"").getString(0)).isEqualTo("x \"y\"");
        // a quote inside an unquoted value is literal.
        assertThat(decode(ABC, "ab\"c,d,e").getString(0)).isEqualTo("ab\"c");
        // STOP_AT_DELIMITER: text after a closing quote is kept with the quote, to the separator.
        assertThat(decode(ABC, "\"ab\"cd,e,f").getString(0)).isEqualTo("ab\"cd");
        // a custom quote and a multi-character separator.
        assertThat(values(decode(ABC, "'a||b'||c||d", "quote", "'", "sep", "||"))).isEqualTo("[a||b,c,d]");
    }

    @Test
    void shouldKeepWhitespaceUnlessTold() throws Exception {
        // Spark's read defaults: ignoreLeadingWhiteSpace = ignoreTrailingWhiteSpace = false.
        assertThat(decode(ABC, " a , b ,c").getString(0)).isEqualTo(" a ");
        Row trimmed = decode(ABC, " a , \"b\" ,c", "ignoreLeadingWhiteSpace", "true", "ignoreTrailingWhiteSpace", "true");
        assertThat(values(trimmed)).isEqualTo("[a,b,c]");
        assertThat(bad(TRADE, "A, 1,1.0,1,2020-01-01,true")).as("Long.parseLong(\" 1\") fails").isNotNull();
    }

    @Test
    void shouldNullMissingTokensAndDropExtraOnesButMarkTheLineMalformed() {
        // UnivocityParser: tokens.length != schema length is a BadRecordException with a partial result.
        BadRecordException few = bad(ABC, "x,y");
        assertThat(few.getMessage()).contains("2 tokens for 3 columns");
        assertThat(values(few.corruptRow())).isEqualTo("[x,y,null]");
        BadRecordException many = bad(ABC, "x,y,z,w");
        assertThat(values(many.corruptRow())).isEqualTo("[x,y,z]");
    }

    @Test
    void shouldPutTheRawLineInTheCorruptColumn() {
        StructType schema = StructType.fromDDL("a INT, b INT, _corrupt_record STRING");
        Row row = bad(schema, "1,two").corruptRow();
        assertThat(row.getInt(0)).isEqualTo(1);
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.getString(2)).isEqualTo("1,two");
        // The corrupt column takes no token: two tokens fit the two other columns.
        StructType custom = StructType.fromDDL("a INT, raw STRING, b INT");
        assertThat(bad(custom, "1,x", "columnNameOfCorruptRecord", "raw").corruptRow().getString(1)).isEqualTo("1,x");
    }

    @Test
    void shouldConvertNumbersBooleansDecimalsAsSparkDoes() throws Exception {
        StructType schema = StructType.fromDDL("i INT, d DOUBLE, f FLOAT, dec DECIMAL(8,2), b BOOLEAN, s SMALLINT");
        Row row = decode(schema, "+7,1e3,Inf,\"1,234.567\",false,-3");
        assertThat(row.getInt(0)).isEqualTo(7);
        assertThat(row.getDouble(1)).isEqualTo(1000.0);
        assertThat(row.getFloat(2)).isEqualTo(Float.POSITIVE_INFINITY);             // positiveInf default "Inf"
        assertThat(row.getDecimal(3)).isEqualTo(new BigDecimal("1234.57"));          // commas dropped, HALF_UP
        assertThat(decode(schema, "1,NaN,-Inf,1,true,1").getDouble(1)).isNaN();
        assertThat(decode(schema, "1,nope,-,1,true,1", "nanValue", "nope", "negativeInf", "-").getFloat(2))
            .isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(bad(schema, "2147483648,1,1,1,true,1").getMessage()).contains("2147483648");  // int overflow
        assertThat(bad(schema, "1,1,1,1,yes,1").getMessage()).contains("yes");
        assertThat(bad(schema, "1,1,1,1234567.1,true,1").getMessage()).contains("decimal(8,2)");
        assertThat(bad(schema, "1.5,1,1,1,true,1").corruptRow().getDouble(1)).as("other columns still converted").isEqualTo(1.0);
    }

    @Test
    void shouldParseTimestampsAndDatesWithAndWithoutFormat() throws Exception {
        StructType schema = StructType.fromDDL("ts TIMESTAMP, d DATE");
        assertThat(decode(schema, "2023-01-02 03:04:05,2024-02-29").getTimestamp(0)).isEqualTo(Instant.parse("2023-01-02T03:04:05Z"));
        assertThat(decode(schema, "2023-01-02 03:04:05,2024-02-29").getDate(1)).isEqualTo(LocalDate.of(2024, 2, 29));
        Row formatted = decode(schema, "02/01/2023 03:04,29.02.2024", "timestampFormat", "dd/MM/yyyy HH:mm",
            "dateFormat", "dd.MM.yyyy", "timeZone", "+01:00");
        assertThat(formatted.getTimestamp(0)).isEqualTo(Instant.parse("2023-01-02T02:04:00Z"));
        assertThat(formatted.getDate(1)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(bad(schema, "2023-13-01,2024-01-01")).isNotNull();
    }

    @Test
    void shouldSkipBlankAndCommentLines() throws Exception {
        // CSVExprUtils.filterCommentAndEmpty.
        assertThat(decode(ABC, "  ")).isNull();
        assertThat(decode(ABC, "#a,b,c", "comment", "#")).isNull();
        assertThat(decode(ABC, "#a,b,c")).as("no comment marker by default").isNotNull();
    }

    @Test
    void shouldDecodeNonAsciiText() throws Exception {
        assertThat(values(decode(ABC, "é,\"ü,ß\",日本"))).isEqualTo("[é,ü,ß,日本]");
    }

    @Test
    void shouldRejectTooManyColumnsBeyondMaxColumns() {
        assertThat(bad(ABC, "1,2,3,4,5", "maxColumns", "4").getMessage()).contains("maxColumns (4)");
    }

    @Test
    void shouldRejectNestedAndBinaryColumnsWithSparksMessage() {
        assertThatThrownBy(() -> decoder(StructType.fromDDL("id INT, tags ARRAY<STRING>")))
            .hasMessageStartingWith("CSV data source does not support array<string> data type");
        assertThatThrownBy(() -> decoder(StructType.fromDDL("m MAP<STRING, INT>")))
            .hasMessageStartingWith("CSV data source does not support map<string,int> data type");
        assertThatThrownBy(() -> decoder(StructType.fromDDL("s STRUCT<a: INT>")))
            .hasMessageStartingWith("CSV data source does not support struct<a:int> data type");
    }

    @Test
    void shouldSplitAHeaderLine() {
        byte[] header = "a,\"b\",c".getBytes(StandardCharsets.UTF_8);
        assertThat(decoder(ABC).headerNames(header, 0, header.length)).containsExactly("a", "b", "c");
    }
}
