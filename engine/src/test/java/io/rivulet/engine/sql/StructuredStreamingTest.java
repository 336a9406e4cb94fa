package io.rivulet.engine.sql;

import io.rivulet.engine.Conditions;
import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.FileSink;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The structured entry points end to end: each built-in format read and written by a small query, the
 * provider registry, and the errors a user meets before a query starts.
 */
@ExtendWith(NoLeakedThreads.class)
class StructuredStreamingTest {
    private static final StructType WORDS = StructType.fromDDL("word STRING, n INT");
    private static final StructType EVENTS = StructType.fromDDL("ts TIMESTAMP, word STRING");

    /** A record with a wider field ({@code long n}) than the column ({@code int}): an up-cast. */
    public record Word(String word, long n) {
    }

    /** A record whose field is narrower than the column: a lossy cast. */
    public record Narrow(String word, short n) {
    }

    /** A record with a field no column has. */
    public record Priced(String word, double price) {
    }

    @TempDir
    Path root;

    private static MemoryStream<Row> words(String name, Object... wordThenN) {
        MemoryStream<Row> stream = Sources.memoryStream(name);
        for (int i = 0; i < wordThenN.length; i += 2) {
            stream.addData(Row.of(WORDS, wordThenN[i], wordThenN[i + 1]));
        }
        stream.end();
        return stream;
    }

    @Test
    void shouldWriteAMemoryStreamToAMemoryTableReadBackByQueryName() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.readStream().memoryStream(words("in", "a", 1, "b", 2, "c", 3), Encoders.row(WORDS));
            StreamingQuery query = df.filter(row -> row.getInt(1) != 2)
                .writeStream().format("memory").queryName("words").outputMode("append").start();
            query.awaitTermination();
            assertThat(rivulet.table("words")).extracting(Row::toString).containsExactly("[a,1]", "[c,3]");
            assertThatThrownBy(() -> rivulet.table("nope")).hasMessageContaining("`nope` cannot be found")
                .hasMessageContaining("[words]");
        }
    }

    @Test
    void shouldConvertRowsToRecordsByNameWithSparksUpCastsAndBackToRows() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.readStream().memoryStream(words("in", "a", 1, "b", 2), Encoders.row(WORDS));
            Dataset<Word> typed = df.as(Word.class);
            assertThat(typed.schema().toDDL()).isEqualTo("word STRING,n BIGINT NOT NULL");
            Dataset<Row> doubled = typed.map(w -> new Word(w.word() + w.word(), w.n() * 2), Encoders.record(Word.class)).toDF();
            doubled.writeStream().format("memory").queryName("doubled").start().awaitTermination();
            assertThat(rivulet.table("doubled")).extracting(Row::toString).containsExactly("[aa,2]", "[bb,4]");
            assertThat(rivulet.table("doubled").get(0).<Long>getAs("n")).isEqualTo(2L);
        }
    }

    @Test
    void shouldRejectALossyOrUnresolvableAsConversionBeforeStart() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.readStream().memoryStream(Sources.memoryStream("in"), Encoders.row(
                StructType.fromDDL("word STRING, n BIGINT")));
            assertThatThrownBy(() -> df.as(Narrow.class)).hasMessage("[CANNOT_UP_CAST_DATATYPE] Cannot up cast n from"
                + " \"BIGINT\" to \"SMALLINT\".\nThe type path of the target object is:\n- field (class: \"short\", name: \"n\")\n"
                + "- root class: \"" + Narrow.class.getName() + "\"\nYou can either add an explicit cast to the input data or"
                + " choose a higher precision type of the field in the target object");
            assertThatThrownBy(() -> df.as(Priced.class)).hasMessage("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or"
                + " function parameter with name `price` cannot be resolved. Did you mean one of the following? [`word`, `n`].");
        }
    }

    @Test
    void shouldRenameColumnsAndUnionByPosition() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> left = rivulet.readStream().memoryStream(words("l", "a", 1), Encoders.row(WORDS));
            Dataset<Row> right = rivulet.readStream().memoryStream(words("r", "b", 2), Encoders.row(WORDS)).toDF("w", "count");
            assertThat(right.columns()).containsExactly("w", "count");
            Dataset<Row> both = left.union(right);
            assertThat(both.columns()).containsExactly("word", "n");
            both.writeStream().format("memory").queryName("both").start().awaitTermination();
            assertThat(rivulet.table("both")).extracting(Row::toString).containsExactlyInAnyOrder("[a,1]", "[b,2]");
            assertThatThrownBy(() -> left.toDF("only")).hasMessageStartingWith("The number of columns doesn't match.");
        }
    }

    @Test
    void shouldRejectAUnionOfDifferentShapesWithSparksErrors() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> words = rivulet.readStream().memoryStream(Sources.memoryStream("a"), Encoders.row(WORDS));
            Dataset<Row> three = rivulet.readStream().memoryStream(Sources.memoryStream("b"),
                Encoders.row(StructType.fromDDL("a STRING, b INT, c INT")));
            Dataset<Row> swapped = rivulet.readStream().memoryStream(Sources.memoryStream("c"),
                Encoders.row(StructType.fromDDL("n INT, word STRING")));
            assertThatThrownBy(() -> words.union(three)).hasMessage("[NUM_COLUMNS_MISMATCH] UNION can only be performed on"
                + " inputs with the same number of columns, but the first input has 2 columns and the second input has 3 columns.");
            assertThatThrownBy(() -> words.union(swapped)).hasMessage("[INCOMPATIBLE_COLUMN_TYPE] UNION can only be"
                + " performed on tables with compatible column types. The 1st column of the second table is \"INT\" type"
                + " which is not compatible with \"STRING\" at the same column of the first table.");
        }
    }

    @Test
    void shouldAcceptAWatermarkOnlyOnATimestampColumnWithASparkInterval() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> rate = rivulet.readStream().format("rate").load();
            assertThat(rate.withWatermark("TIMESTAMP", "10 seconds").schema()).isEqualTo(rate.schema());
            assertThatThrownBy(() -> rate.withWatermark("value", "10 seconds")).hasMessage("[EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE]"
                + " The event time `value` has the invalid type \"BIGINT\", but expected \"TIMESTAMP\".");
            assertThatThrownBy(() -> rate.withWatermark("ts", "10 seconds")).hasMessageContaining("`ts` cannot be resolved")
                .hasMessageContaining("[`timestamp`, `value`]");
            assertThatThrownBy(() -> rate.withWatermark("timestamp", "10 parsecs")).hasMessageContaining("invalid unit 'parsecs'");
        }
    }

    @Test
    void shouldPrintTheSchemaTreeColumnsAndTypesAsSpark() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> rate = rivulet.readStream().format("RATE").option("rowsPerSecond", 5).load();
            String printed = captured(rate::printSchema);
            assertThat(printed).isEqualTo("root\n |-- timestamp: timestamp (nullable = true)\n"
                + " |-- value: long (nullable = true)\n\n");
            assertThat(rate.dtypes()).extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly("timestamp=TimestampType", "value=LongType");
            assertThat(rate.isStreaming()).isTrue();
            assertThat(rate).hasToString("[timestamp: timestamp, value: bigint]");
        }
    }

    @Test
    void shouldExplainTheFusedStagesAndPartitions() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> rate = rivulet.readStream().format("rate").option("numPartitions", 2).load();
            Dataset<Row> even = rate.filter(row -> row.getLong(1) % 2 == 0);
            assertThat(even.explainString(false)).isEqualTo("== Physical Plan ==\n"
                + "*(1) filter\n"
                + "+- *(1) map\n"
                + "   +- *(1) source rate[rowsPerSecond=1, numPartitions=2, rampUpTime=0s] [2 partitions]\n");
            assertThat(even.explainString(true)).startsWith("== Logical Plan ==\nfilter\n+- map\n");
        }
    }

    @Test
    void shouldReadTheRateSourceAsSparksRowsOnTheEnginesClock() throws Exception {
        long startMs = 1_700_000_000_000L;
        AtomicLong nanos = new AtomicLong();
        try (Rivulet rivulet = Rivulet.builder().clocks(() -> nanos.addAndGet(1_000_000), () -> startMs).build()) {
            StreamingQuery query = rivulet.readStream().format("rate").option("rowsPerSecond", 10L).load()
                .writeStream().format("memory").queryName("rates").start();
            Conditions.await("five rate rows", () -> rivulet.table("rates").size() >= 5);
            query.stop();
            List<Row> rows = rivulet.table("rates");
            for (int i = 0; i < 5; i++) {
                assertThat(rows.get(i).getLong(1)).isEqualTo(i);
                assertThat(rows.get(i).getTimestamp(0)).isEqualTo(Instant.ofEpochMilli(startMs + 100L * (i + 1)));
            }
        }
    }

    @Test
    void shouldReadLinesFromASocketAsValueRows() throws Exception {
        try (ServerSocket server = new ServerSocket(0); Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream().format("socket").option("host", "localhost")
                .option("port", server.getLocalPort()).option("reconnect", false).load()
                .writeStream().format("memory").queryName("lines").start();
            try (Socket client = server.accept();
                 Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                out.write("hello\nworld\n");
            }
            query.awaitTermination();
            assertThat(rivulet.table("lines")).extracting(Row::toString).containsExactly("[hello]", "[world]");
            assertThat(rivulet.table("lines").get(0).schema().toDDL()).isEqualTo("value STRING");
        }
    }

    @Test
    void shouldReadTextFilesAndWriteJsonCsvAndTextFilesExactlyOnce() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        Files.writeString(in.resolve("a.txt"), "one\ntwo\n");
        try (Rivulet rivulet = Rivulet.create()) {
            for (String format : List.of("json", "csv", "text")) {
                Dataset<Row> lines = rivulet.readStream().option("fileSettleTime", "0s").text(in.toString());
                Dataset<Row> out = format.equals("text") ? lines
                    : lines.map(row -> Row.of(WORDS, row.getString(0), row.getString(0).length()), Encoders.row(WORDS));
                out.writeStream().format(format).trigger(Trigger.availableNow())
                    .option("checkpointLocation", root.resolve("cp-" + format).toString())
                    .start(root.resolve("out-" + format).toString()).awaitTermination();
            }
        }
        assertThat(FileSink.committedLines(root.resolve("out-json")))
            .containsExactly("{\"word\":\"one\",\"n\":3}", "{\"word\":\"two\",\"n\":3}");
        assertThat(FileSink.committedLines(root.resolve("out-csv"))).containsExactly("one,3", "two,3");
        assertThat(FileSink.committedLines(root.resolve("out-text"))).containsExactly("one", "two");
    }

    @Test
    void shouldReadJsonAndCsvFilesAsRowsOfTheSchemaKeepingMalformedLinesInTheCorruptRecordColumn() throws Exception {
        Path json = Files.createDirectories(root.resolve("json"));
        Files.writeString(json.resolve("a.json"), "{\"word\":\"one\",\"n\":1}\n{\"word\":\"two\",\"n\":\n{\"n\":3}\n");
        Path csv = Files.createDirectories(root.resolve("csv"));
        Files.writeString(csv.resolve("a.csv"), "word;n\nthree;3\nfour;x\n");
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream().schema("word STRING, n INT, _corrupt_record STRING").option("fileSettleTime", "0s")
                .json(json.toString())
                .writeStream().format("memory").queryName("json").trigger(Trigger.availableNow()).start().awaitTermination();
            rivulet.readStream().format("csv").schema(WORDS).option("fileSettleTime", "0s").option("header", "true")
                .option("sep", ";").option("mode", "DROPMALFORMED").load(csv.toString())
                .writeStream().format("memory").queryName("csv").trigger(Trigger.availableNow()).start().awaitTermination();
            // Spark's PERMISSIVE mode: a truncated line is all nulls with the raw line kept; a missing field is null.
            assertThat(rivulet.table("json")).extracting(Row::toString).containsExactly("[one,1,null]",
                "[null,null,{\"word\":\"two\",\"n\":]", "[null,3,null]");
            // DROPMALFORMED: the line whose n is not an int is dropped.
            assertThat(rivulet.table("csv")).extracting(Row::toString).containsExactly("[three,3]");
        }
    }

    @Test
    void shouldRoundTripRowsThroughAJournal() throws Exception {
        Path journal = root.resolve("journal");
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Row> in = Sources.memoryStream("in");
            StructType values = StructType.fromDDL("value BIGINT");
            in.addData(Row.of(values, 7L), Row.of(values, 8L));
            in.end();
            rivulet.readStream().memoryStream(in, Encoders.row(values)).writeStream().format("journal")
                .option("path", journal.toString()).start().awaitTermination();
            rivulet.readStream().format("journal").option("path", journal.toString()).option("codec", "long")
                .option("bounded", true).load().writeStream().format("memory").queryName("back").start().awaitTermination();
            assertThat(rivulet.table("back")).extracting(Row::toString).containsExactly("[7]", "[8]");
        }
    }

    @Test
    void shouldPrintBatchesToTheConsoleUnderTheSchemasColumns() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> df = rivulet.readStream().memoryStream(words("in", "a", 1), Encoders.row(WORDS));
            String printed = captured(() -> {
                try {
                    df.writeStream().format("console").option("NUMROWS", 5).start().awaitTermination();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(printed).contains("+----+---+\n|word|  n|\n+----+---+\n|   a|  1|\n+----+---+\n");
        }
    }

    @Test
    void shouldCallForeachBatchForEveryMicroBatchSparkRunsEmptyOnesIncludedAndForNoOtherTrigger() throws Exception {
        MemoryStream<Row> input = Sources.memoryStream("events");
        Map<Long, String> calls = new ConcurrentSkipListMap<>();
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream().memoryStream(input, Encoders.row(EVENTS))
                .withWatermark("ts", "0 seconds").groupBy(window(col("ts"), "10 seconds"), col("word")).count()
                .writeStream().outputMode("append").trigger(Trigger.processingTime(Duration.ofHours(1)))
                .foreachBatch((rows, id) -> calls.put(id, rows.toString())).start();
            query.processAllAvailable();
            assertThat(calls).as("no data, no state to advance: no batch, no call").isEmpty();
            input.addData(Row.of(EVENTS, Instant.ofEpochSecond(1), "a"));
            query.processAllAvailable();
            // Batch 0 reads the row (its window stays open); the watermark moved to 1 s: no-data batch 1 runs.
            assertThat(calls).containsExactly(Map.entry(0L, "[]"), Map.entry(1L, "[]"));
            input.addData(Row.of(EVENTS, Instant.ofEpochSecond(25), "b"));
            query.processAllAvailable();
            query.processAllAvailable();
            query.stop();
            assertThat(calls).as("batch 3 is the no-data batch that closes [0 s, 10 s)").containsExactly(
                Map.entry(0L, "[]"), Map.entry(1L, "[]"), Map.entry(2L, "[]"),
                Map.entry(3L, "[[[1970-01-01T00:00:00Z,1970-01-01T00:00:10Z],a,1]]"));
        }
    }

    @Test
    void shouldHandForeachAndForeachBatchTheTypedElements() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            List<String> batches = Collections.synchronizedList(new ArrayList<>());
            rivulet.readStream().memoryStream(words("in", "a", 1, "b", 2), Encoders.row(WORDS)).as(Word.class)
                .writeStream().foreachBatch((rows, id) -> {
                    if (!rows.isEmpty()) {
                        batches.add(rows.toString());
                    }
                }).trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(String.join("", batches)).contains("Word[word=a, n=1]").contains("Word[word=b, n=2]");
        }
    }

    @Test
    void shouldFindAConnectorRegisteredInMetaInfServices() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            rivulet.readStream().format("Counting-Test").option("count", 3).load()
                .writeStream().format("memory").queryName("counted").start().awaitTermination();
            assertThat(rivulet.table("counted")).extracting(Row::toString).containsExactly("[0]", "[1]", "[2]");
            assertThatThrownBy(() -> rivulet.readStream().format("kafka").load())
                .hasMessageStartingWith("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: kafka. Known source formats:"
                    + " counting-test, csv, journal, json, rate, socket, text");
        }
    }

    @Test
    void shouldRejectBadReaderAndWriterSettingsNamingTheRule() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> rivulet.readStream().format("rate").option("rowsPerSec", 5).load())
                .hasMessage("unknown option 'rowsPerSec' for source 'rate'; allowed options: numPartitions, rampUpTime,"
                    + " rowsPerSecond");
            assertThatThrownBy(() -> rivulet.readStream().format("socket").option("port", 9999).load())
                .hasMessage("Set a host to read from with option(\"host\", ...).");
            assertThatThrownBy(() -> rivulet.readStream().json(root.toString())).hasMessageStartingWith(
                "Schema must be specified when creating a streaming source DataFrame. If some files already exist");
            assertThatThrownBy(() -> rivulet.readStream().schema("id INT").option("mood", "PERMISSIVE").csv(root.toString()))
                .hasMessageContaining("unknown option 'mood'").hasMessageContaining("columnNameOfCorruptRecord");
            assertThatThrownBy(() -> rivulet.readStream().format("text").load()).hasMessage("'path' is not specified");
            assertThatThrownBy(() -> rivulet.readStream().option("wholetext", true).text(root.toString()))
                .hasMessageContaining("'wholetext' of source 'text' is not supported");
            assertThatThrownBy(() -> rivulet.readStream().format("rate").schema("x INT").load())
                .hasMessage("The rate source does not support a user-specified schema.");
            assertThatThrownBy(() -> rivulet.readStream().load()).hasMessageStartingWith("no format given");

            Dataset<Row> rate = rivulet.readStream().format("rate").load();
            assertThatThrownBy(() -> rate.writeStream().format("memory").start())
                .hasMessage("queryName must be specified for memory sink");
            assertThatThrownBy(() -> rate.writeStream().format("console").option("numRow", 5).start())
                .hasMessage("unknown option 'numRow' for sink 'console'; allowed options: numRows, truncate");
            assertThatThrownBy(() -> rate.writeStream().format("parquet").start())
                .hasMessageStartingWith("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: parquet. Known sink formats:"
                    + " console, csv, journal, json, memory, text");
            assertThatThrownBy(() -> rate.writeStream().format("text").start("x"))
                .hasMessage("Text data source supports only a single column, and you have 2 columns.");
            assertThatThrownBy(() -> rate.writeStream().outputMode("replace")).hasMessageContaining("allowed: append, update, complete");
            assertThatThrownBy(() -> rate.writeStream().option("checkpointlocation", " "))
                .hasMessageContaining("checkpointLocation must not be blank");
            assertThatThrownBy(() -> rate.writeStream().partitionBy("value"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("partitionBy(value) is not supported");
            assertThatThrownBy(() -> rate.writeStream().toTable("t"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("no table catalog");
        }
    }

    private static String captured(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
