package io.rivulet.engine.sink;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.source.Sources;
import io.rivulet.operators.KeyValue;
import io.rivulet.operators.OutputMode;
import io.rivulet.operators.window.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expected texts follow Spark's {@code Dataset.showString} as the console sink prints it:
 * three separator lines around the header, columns at least 3 wide, cells cut to 17 characters and
 * {@code ...} when longer than 20, right-aligned when truncating and left-aligned otherwise,
 * {@code NULL} for nulls, control characters escaped, full-width characters two columns wide, and
 * {@code only showing top N rows} when there were more; {@code println} adds the blank line.
 */
@ExtendWith(NoLeakedThreads.class)
class ConsoleSinkTest {
    private static final String HEADER_RULE = "-------------------------------------------\n";

    record Trade(String symbol, long qty, double price) {
    }

    record Point(int x) {
    }

    record Pair(String left, Object right) {
    }

    record Nothing() {
    }

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static String batch(long epochId) {
        return HEADER_RULE + "Batch: " + epochId + "\n" + HEADER_RULE;
    }

    /** Prints micro-batch {@code epochId} (a restarted query's first) with the rows, through one writer. */
    private <T> String print(ConsoleSink<T> sink, long epochId, List<T> rows) throws Exception {
        ConsoleSink<T> printing = sink.printTo(stream);
        printing.open("query", 1, OutputMode.APPEND, true);
        SinkWriter<T> writer = printing.createWriter(0);
        for (T row : rows) {
            writer.write(row);
        }
        writer.endEpoch(epochId);
        printing.commit(epochId);
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintBatchHeaderAndRightAlignedColumnPerRecordComponent() throws Exception {
        String text = print(Sinks.console(), 3, List.of(new Trade("AAPL", 100, 1.5), new Trade("MSFT", 7, 300.25)));

        assertThat(text).isEqualTo(batch(3)
            + "+------+---+------+\n"
            + "|symbol|qty| price|\n"
            + "+------+---+------+\n"
            + "|  AAPL|100|   1.5|\n"
            + "|  MSFT|  7|300.25|\n"
            + "+------+---+------+\n"
            + "\n");
    }

    @Test
    void shouldLeftAlignCellsWhenNotTruncating() throws Exception {
        String text = print(Sinks.<Trade>console().truncate(false), 0,
            List.of(new Trade("AAPL", 100, 1.5), new Trade("MSFT", 7, 300.25)));

        assertThat(text).isEqualTo(batch(0)
            + "+------+---+------+\n"
            + "|symbol|qty|price |\n"
            + "+------+---+------+\n"
            + "|AAPL  |100|1.5   |\n"
            + "|MSFT  |7  |300.25|\n"
            + "+------+---+------+\n"
            + "\n");
    }

    @Test
    void shouldShowOtherTypesInOneValueColumn() throws Exception {
        String text = print(Sinks.console(), 0, List.of("a", "bb"));

        assertThat(text).isEqualTo(batch(0)
            + "+-----+\n"
            + "|value|\n"
            + "+-----+\n"
            + "|    a|\n"
            + "|   bb|\n"
            + "+-----+\n"
            + "\n");
    }

    @Test
    void shouldPadColumnsToAtLeastThreeCharacters() throws Exception {
        String text = print(Sinks.console(), 0, List.of(new Point(1), new Point(-5)));

        assertThat(text).isEqualTo(batch(0)
            + "+---+\n"
            + "|  x|\n"
            + "+---+\n"
            + "|  1|\n"
            + "| -5|\n"
            + "+---+\n"
            + "\n");
    }

    @Test
    void shouldCutCellsLongerThanTwentyCharactersToSeventeenAndEllipsis() throws Exception {
        String twenty = "abcdefghijklmnopqrst";
        String twentyOne = twenty + "u";

        String text = print(Sinks.console(), 0, List.of(twenty, twentyOne));

        assertThat(text).isEqualTo(batch(0)
            + "+--------------------+\n"
            + "|               value|\n"
            + "+--------------------+\n"
            + "|abcdefghijklmnopqrst|\n"
            + "|abcdefghijklmnopq...|\n"
            + "+--------------------+\n"
            + "\n");
    }

    @Test
    void shouldKeepLongCellsWholeWhenNotTruncating() throws Exception {
        String text = print(Sinks.<String>console().truncate(false), 0, List.of("abcdefghijklmnopqrstuvwxyz", "a"));

        assertThat(text).isEqualTo(batch(0)
            + "+--------------------------+\n"
            + "|value                     |\n"
            + "+--------------------------+\n"
            + "|abcdefghijklmnopqrstuvwxyz|\n"
            + "|a                         |\n"
            + "+--------------------------+\n"
            + "\n");
    }

    @Test
    void shouldShowOnlyNumRowsAndSayOnlyShowingTopNRowsLikeSpark() throws Exception {
        String text = print(Sinks.<Integer>console().numRows(2), 0, List.of(1, 2, 3, 4, 5));

        assertThat(text).isEqualTo(batch(0)
            + "+-----+\n"
            + "|value|\n"
            + "+-----+\n"
            + "|    1|\n"
            + "|    2|\n"
            + "+-----+\n"
            + "only showing top 2 rows\n"
            + "\n");
    }

    @Test
    void shouldSayRowInTheSingularWhenShowingOneRow() throws Exception {
        String text = print(Sinks.<Integer>console().numRows(1), 0, List.of(1, 2));

        assertThat(text).endsWith("|    1|\n+-----+\nonly showing top 1 row\n\n");
    }

    @Test
    void shouldPrintNoFooterWhenAllRowsFit() throws Exception {
        String text = print(Sinks.<Integer>console().numRows(3), 0, List.of(1, 2, 3));

        assertThat(text).endsWith("|    3|\n+-----+\n\n").doesNotContain("only showing");
    }

    @Test
    void shouldPrintEveryMicroBatchEmptyOnesIncludedWithConsecutiveNumbersAndTheLastHeader() throws Exception {
        ConsoleSink<Point> sink = Sinks.<Point>console().printTo(stream);
        sink.open("query", 1, OutputMode.APPEND, true);
        SinkWriter<Point> writer = sink.createWriter(0);
        writer.endEpoch(0);
        sink.commit(0);
        writer.write(new Point(7));
        writer.endEpoch(1);
        sink.commit(1);
        writer.endEpoch(2);
        sink.commit(2);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(
            batch(0) + "+-----+\n|value|\n+-----+\n+-----+\n\n"
            + batch(1) + "+---+\n|  x|\n+---+\n|  7|\n+---+\n\n"
            + batch(2) + "+---+\n|  x|\n+---+\n+---+\n\n");
    }

    @Test
    void shouldNumberOnlyTheContinuousEpochsThatPrintConsecutively() throws Exception {
        ConsoleSink<String> sink = Sinks.<String>console().printTo(stream);
        sink.open("query", 1, OutputMode.APPEND, false);
        SinkWriter<String> writer = sink.createWriter(0);
        for (long epoch = 0; epoch < 6; epoch++) {
            if (epoch % 2 == 1) {
                writer.write("e" + epoch);
            }
            writer.endEpoch(epoch);
            sink.commit(epoch);
        }

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains(batch(0) + "+-----+\n|value|\n+-----+\n|   e1|")
            .contains(batch(1) + "+-----+\n|value|\n+-----+\n|   e3|")
            .contains(batch(2) + "+-----+\n|value|\n+-----+\n|   e5|")
            .doesNotContain("Batch: 3");
    }

    @Test
    void shouldShowEachKeyOnceWithItsLastValueInAnUpdateModeEpoch() throws Exception {
        ConsoleSink<Object> sink = Sinks.console().printTo(stream);
        sink.open("query", 2, OutputMode.UPDATE, false);
        SinkWriter<Object> first = sink.createWriter(0);
        SinkWriter<Object> second = sink.createWriter(1);
        first.write(new KeyValue<>("a", 1L));
        second.write(new KeyValue<>("b", 1L));
        first.write(new KeyValue<>("c", 1L));
        first.write(new KeyValue<>("a", 2L));
        first.write(new KeyValue<>("a", 3L));
        first.endEpoch(0);
        second.endEpoch(0);
        sink.commit(0);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(batch(0)
            + "+---+-----+\n"
            + "|key|value|\n"
            + "+---+-----+\n"
            + "|  a|    3|\n"
            + "|  c|    1|\n"
            + "|  b|    1|\n"
            + "+---+-----+\n"
            + "\n");
    }

    @Test
    void shouldPrintNothingForAnEmptyContinuousEpoch() throws Exception {
        ConsoleSink<String> sink = Sinks.<String>console().printTo(stream);
        sink.open("query", 2);
        SinkWriter<String> first = sink.createWriter(0);
        SinkWriter<String> second = sink.createWriter(1);

        first.endEpoch(0);
        second.endEpoch(0);
        sink.commit(0);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldShowRowsOfAllWritersWriterByWriter() throws Exception {
        ConsoleSink<String> sink = Sinks.<String>console().numRows(3).printTo(stream);
        sink.open("query", 2);
        SinkWriter<String> first = sink.createWriter(0);
        SinkWriter<String> second = sink.createWriter(1);

        second.write("c");
        first.write("a");
        second.write("d");
        first.write("b");
        first.endEpoch(0);
        second.endEpoch(0);
        sink.commit(0);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(batch(0)
            + "+-----+\n"
            + "|value|\n"
            + "+-----+\n"
            + "|    a|\n"
            + "|    b|\n"
            + "|    c|\n"
            + "+-----+\n"
            + "only showing top 3 rows\n"
            + "\n");
    }

    @Test
    void shouldShowNullComponentsAsUpperCaseNullLikeSpark() throws Exception {
        String text = print(Sinks.console(), 0, List.of(new Pair("a", null)));

        assertThat(text).contains("|left|right|\n").contains("|   a| NULL|\n");
    }

    @Test
    void shouldEscapeControlCharactersSoTheTableStaysIntact() throws Exception {
        String text = print(Sinks.console(), 0, List.of("tab\there", "two\nlines"));

        assertThat(text).isEqualTo(batch(0)
            + "+----------+\n"
            + "|     value|\n"
            + "+----------+\n"
            + "| tab\\there|\n"
            + "|two\\nlines|\n"
            + "+----------+\n"
            + "\n");
    }

    @Test
    void shouldCountFullWidthCharactersAsTwoColumns() throws Exception {
        String text = print(Sinks.console(), 0, List.of("日本語", "abc"));

        assertThat(text).isEqualTo(batch(0)
            + "+------+\n"
            + "| value|\n"
            + "+------+\n"
            + "|日本語|\n"
            + "|   abc|\n"
            + "+------+\n"
            + "\n");
    }

    @Test
    void shouldRenderNestedValuesAsSparkDoes() throws Exception {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", null);
        List<Object> rows = List.of(
            new int[] {1, 2, 3},
            new byte[] {1, 10, -1},
            Arrays.asList("x", null),
            map,
            new Pair("p", new Point(4)),
            new BigDecimal("1E+3"));

        String text = print(Sinks.console().truncate(false), 0, rows);

        assertThat(text).isEqualTo(batch(0)
            + "+-------------------+\n"
            + "|value              |\n"
            + "+-------------------+\n"
            + "|[1, 2, 3]          |\n"
            + "|[01 0A FF]         |\n"
            + "|[x, NULL]          |\n"
            + "|{a -> 1, b -> NULL}|\n"
            + "|{p, {4}}           |\n"
            + "|1000               |\n"
            + "+-------------------+\n"
            + "\n");
    }

    @Test
    void shouldDrawAnEmptyTableForARecordWithoutComponents() throws Exception {
        String text = print(Sinks.console(), 0, List.of(new Nothing()));

        assertThat(text).isEqualTo(batch(0) + "++\n||\n++\n||\n++\n\n");
    }

    @Test
    void shouldPrintEachBatchOfARealQuery() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(Sources.of("a", "b", "c"))
                .writeStream(Sinks.<String>console().printTo(stream))
                .start();
            query.awaitTermination();
        }

        assertThat(printed.toString(StandardCharsets.UTF_8).replaceAll("Batch: \\d+", "Batch: N")).isEqualTo(
            HEADER_RULE + "Batch: N\n" + HEADER_RULE
                + "+-----+\n"
                + "|value|\n"
                + "+-----+\n"
                + "|    a|\n"
                + "|    b|\n"
                + "|    c|\n"
                + "+-----+\n"
                + "\n");
    }

    @Test
    void shouldServeOneQueryAtATime() throws Exception {
        ConsoleSink<String> sink = Sinks.<String>console().printTo(stream);
        sink.open("first", 1);

        assertThatThrownBy(() -> sink.open("second", 1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("sink console[numRows=20, truncate=true] is already used by query 'first'");

        sink.close();
        sink.open("second", 1);
        SinkWriter<String> writer = sink.createWriter(0);
        writer.write("again");
        writer.endEpoch(0);
        sink.commit(0);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("|again|");
    }

    @Test
    void shouldAcceptOptionNamesInAnyCase() {
        ConsoleSink<Object> sink = Sinks.console().option("NUMROWS", "5").option("Truncate", "false");

        assertThat(sink.description()).isEqualTo("console[numRows=5, truncate=false]");
    }

    @Test
    void shouldRejectUnknownOptionsAndBadValuesNamingTheOption() {
        assertThatThrownBy(() -> Sinks.console().option("rows", "5"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown option 'rows' for sink 'console'; allowed options: numRows, truncate");
        assertThatThrownBy(() -> Sinks.console().option("numRows", "0"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("option 'numRows' of sink 'console': numRows must be >= 1, got 0");
        assertThatThrownBy(() -> Sinks.console().option("truncate", "maybe"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("option 'truncate' of sink 'console': expected true or false, got 'maybe'");
    }

    @Test
    void shouldShowWindowsAndInstantsAsSparkShowsTimestamps() {
        assertThat(TableFormat.display(new Window(1_704_067_200_000L, 1_704_067_210_000L)))
            .isEqualTo("{2024-01-01 00:00:00, 2024-01-01 00:00:10}");
        assertThat(TableFormat.display(Instant.ofEpochMilli(1_704_067_200_123L))).isEqualTo("2024-01-01 00:00:00.123");
    }
}
