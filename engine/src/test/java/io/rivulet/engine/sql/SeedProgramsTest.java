package io.rivulet.engine.sql;

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

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.rivulet.engine.sql.functions.asc;
import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.desc;
import static io.rivulet.engine.sql.functions.explode;
import static io.rivulet.engine.sql.functions.from_json;
import static io.rivulet.engine.sql.functions.split;
import static io.rivulet.engine.sql.functions.sum;
import static io.rivulet.engine.sql.functions.to_timestamp;
import static io.rivulet.engine.sql.functions.window;
import static io.rivulet.engine.types.DataTypes.IntegerType;
import static io.rivulet.engine.types.DataTypes.StringType;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's acceptance: the seeds' structured programs (the course notes in {@code /work/shared/seeds}: the
 * slides' socket word count, windowed word count with a watermark and file source with a schema, the tweets
 * lab's pipeline, the "top 10 most traded stocks") written line by line in the structured API, as the seeds
 * write them in Scala/Python, run through the engine into a memory sink (or the seed's own sink) and checked
 * against the result computed by hand.
 */
@ExtendWith(NoLeakedThreads.class)
class SeedProgramsTest {
    @TempDir
    Path root;

    @Test
    void shouldCountTheWordsOfASocketsLinesAsTheSlidesQuery() throws Exception {
        try (ServerSocket netcat = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Rivulet rivulet = Rivulet.create()) {
            // val lines = spark.readStream.format("socket").option("host", "localhost").option("port", 9999).load()
            Dataset<Row> lines = rivulet.readStream().format("socket")
                .option("host", "127.0.0.1")
                .option("port", netcat.getLocalPort())
                .option("reconnect", false)         // the input ends when netcat closes: the test can await the end
                .load();
            // val words = lines.select(split(col("value"), " ").as("word"))   (the slide omits explode)
            Dataset<Row> words = lines.select(explode(split(col("value"), " ")).as("word"));
            // val wordCounts = words.groupBy("word").count()
            Dataset<Row> wordCounts = words.groupBy("word").count();
            // val query = wordCounts.writeStream.format("console").outputMode("complete").start()
            StreamingQuery query = wordCounts.writeStream().format("memory").queryName("wordCounts")
                .outputMode("complete").start();
            try (Socket client = netcat.accept();
                 Writer typed = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                typed.write("apache spark\napache hadoop spark\nrivulet\n");
            }
            // query.awaitTermination()
            query.awaitTermination();
            assertThat(rivulet.table("wordCounts")).extracting(Row::toString)
                .containsExactlyInAnyOrder("[apache,2]", "[spark,2]", "[hadoop,1]", "[rivulet,1]");
        }
    }

    private static final StructType WORDS = StructType.fromDDL("timestamp TIMESTAMP, word STRING");

    private static Row word(String hhmm, String word) {
        return Row.of(WORDS, Instant.parse("2024-01-01T" + hhmm + ":00Z"), word);
    }

    @Test
    void shouldCountWordsPerSlidingWindowWithAWatermarkDroppingTooLateWordsAsTheSlidesQuery() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            MemoryStream<Row> input = Sources.memoryStream("words");
            // words = ... // streaming DataFrame of schema { timestamp: Timestamp, word: String }
            Dataset<Row> words = rivulet.readStream().memoryStream(input, Encoders.row(WORDS));
            // windowedCounts = words.withWatermark("timestamp", "10 minutes")
            //     .groupBy(window($"timestamp", "10 minutes", "5 minutes"), $"word").count()
            Dataset<Row> windowedCounts = words.withWatermark("timestamp", "10 minutes")
                .groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word")).count();
            StreamingQuery query = windowedCounts.writeStream().format("memory").queryName("windowedCounts")
                .outputMode("update").trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            // The programming guide's example: each batch updates the windows its words fall in.
            input.addData(word("12:07", "dog"), word("12:08", "owl"));
            query.processAllAvailable();
            assertThat(newRows(rivulet, "windowedCounts", 0)).containsExactlyInAnyOrder(
                "12:00-12:10 dog 1", "12:05-12:15 dog 1", "12:00-12:10 owl 1", "12:05-12:15 owl 1");
            input.addData(word("12:14", "dog"), word("12:09", "cat"));
            query.processAllAvailable();
            assertThat(newRows(rivulet, "windowedCounts", 4)).containsExactlyInAnyOrder(
                "12:05-12:15 dog 2", "12:10-12:20 dog 1", "12:00-12:10 cat 1", "12:05-12:15 cat 1");
            // The watermark is now 12:14 - 10 min = 12:04: dog at 12:08 is late but its windows are still open.
            input.addData(word("12:15", "cat"), word("12:08", "dog"), word("12:13", "owl"), word("12:21", "owl"));
            query.processAllAvailable();
            assertThat(newRows(rivulet, "windowedCounts", 8)).containsExactlyInAnyOrder(
                "12:10-12:20 cat 1", "12:15-12:25 cat 1", "12:00-12:10 dog 2", "12:05-12:15 dog 3",
                "12:05-12:15 owl 2", "12:10-12:20 owl 1", "12:15-12:25 owl 1", "12:20-12:30 owl 1");
            // The watermark is now 12:21 - 10 min = 12:11: donkey at 12:04 falls only in windows that ended by then.
            input.addData(word("12:04", "donkey"), word("12:17", "owl"));
            query.processAllAvailable();
            assertThat(newRows(rivulet, "windowedCounts", 16)).containsExactlyInAnyOrder(
                "12:10-12:20 owl 2", "12:15-12:25 owl 2");
            assertThat(query.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark()).isPositive();
            query.stop();
        }
    }

    /** The rows the memory table gained after its first {@code from}, as "hh:mm-hh:mm word count". */
    private static List<String> newRows(Rivulet rivulet, String table, int from) {
        List<Row> rows = rivulet.table(table);
        List<String> added = new ArrayList<>();
        for (Row row : rows.subList(from, rows.size())) {
            Row window = row.getStruct(0);
            added.add(hhmm(window.getTimestamp(0)) + "-" + hhmm(window.getTimestamp(1)) + " " + row.getString(1) + " "
                + row.getLong(2));
        }
        return added;
    }

    private static String hhmm(Instant time) {
        return time.toString().substring(11, 16);
    }

    @Test
    void shouldReadJsonFilesWithTheSlidesFileSchemaAndWriteThemToFilesWithACheckpoint() throws Exception {
        Path inputDirectoryOfJsonFiles = Files.createDirectories(root.resolve("in"));
        Files.writeString(inputDirectoryOfJsonFiles.resolve("part-0.json"), "{\"key\":1,\"value\":10}\n{\"key\":2,\"value\":20}\n");
        Files.writeString(inputDirectoryOfJsonFiles.resolve("part-1.json"), "{\"key\":3,\"value\":30,\"extra\":true}\n{\"key\":4}\n");
        Path outputDir = root.resolve("out");
        Path checkpointDir = root.resolve("checkpoint");
        try (Rivulet rivulet = Rivulet.create()) {
            // val fileSchema = new StructType().add("key", IntegerType).add("value", IntegerType)
            StructType fileSchema = new StructType()
                .add("key", IntegerType)
                .add("value", IntegerType);
            // val inputDF = spark.readStream.format("json").schema(fileSchema).load(inputDirectoryOfJsonFiles)
            Dataset<Row> inputDF = rivulet.readStream()
                .format("json")
                .schema(fileSchema)
                .option("fileSettleTime", "0s")      // Rivulet's rule for files still being written: these are complete
                .load(inputDirectoryOfJsonFiles.toString());
            // val resultDF = ...
            Dataset<Row> resultDF = inputDF.where("value IS NOT NULL").withColumn("double", col("value").multiply(2));
            // val streamingQuery = resultDF.writeStream.format("parquet").option("path", outputDir)
            //   .option("checkpointLocation", checkpointDir).start()          (json here: Rivulet has no parquet)
            StreamingQuery streamingQuery = resultDF
                .writeStream()
                .format("json")
                .option("path", outputDir.toString())
                .option("checkpointLocation", checkpointDir.toString())
                .trigger(Trigger.availableNow())
                .start();
            streamingQuery.awaitTermination();
        }
        assertThat(FileSink.committedLines(outputDir)).containsExactlyInAnyOrder(
            "{\"key\":1,\"value\":10,\"double\":20}", "{\"key\":2,\"value\":20,\"double\":40}",
            "{\"key\":3,\"value\":30,\"double\":60}");
    }

    /** The slides' {@code case class Call(action: String, time: Timestamp, id: Int)}. */
    public record Call(String action, Instant time, int id) {
    }

    @Test
    void shouldSelectProjectAndGroupCallsFromJsonLogsWithBothApisAsTheSlidesBasicOperations() throws Exception {
        Path logs = Files.createDirectories(root.resolve("logs"));
        Files.writeString(logs.resolve("calls.json"), String.join("\n",
            "{\"action\":\"open\",\"time\":\"2024-01-01T10:00:00Z\",\"id\":7}",
            "{\"action\":\"close\",\"time\":\"2024-01-01T10:00:01Z\",\"id\":11}",
            "{\"action\":\"open\",\"time\":\"2024-01-01T10:00:02Z\",\"id\":12}", ""));
        try (Rivulet rivulet = Rivulet.create()) {
            // val df: DataFrame = spark.readStream.json("s3://logs")        (a streaming file source needs a schema)
            Dataset<Row> df = rivulet.readStream().schema("action STRING, time TIMESTAMP, id INT")
                .option("fileSettleTime", "0s").json(logs.toString());
            // val ds: Dataset[Call] = df.as[Call]
            Dataset<Call> ds = df.as(Call.class);
            // df.select("action").where("id > 10")   // using untyped APIs
            // `id` resolves below the projection, as Spark's ResolveMissingReferences resolves it.
            df.select("action").where("id > 10")
                .writeStream().format("memory").queryName("untyped").trigger(Trigger.availableNow()).start().awaitTermination();
            // ds.filter(_.id > 10).map(_.action)     // using typed APIs
            ds.filter((FilterFunction<Call>) c -> c.id() > 10).map(Call::action, Encoders.STRING())
                .writeStream().format("memory").queryName("typed").trigger(Trigger.availableNow()).start().awaitTermination();
            // df.groupBy("action")                   // using untyped API
            df.groupBy("action").count()
                .writeStream().format("memory").queryName("actions").outputMode("complete").trigger(Trigger.availableNow())
                .start().awaitTermination();
            assertThat(rivulet.table("untyped")).extracting(Row::toString).containsExactly("[close]", "[open]");
            assertThat(rivulet.table("typed")).extracting(Row::toString).containsExactly("[close]", "[open]");
            assertThat(rivulet.table("actions")).extracting(Row::toString).containsExactlyInAnyOrder("[open,2]", "[close,1]");
        }
    }

    @Test
    void shouldCountTweetWordsAndTweetsPerWindowFromJsonFilesAsTheTweetsLab() throws Exception {
        Path tweetsDir = Files.createDirectories(root.resolve("tweets"));
        Files.writeString(tweetsDir.resolve("tweets-0.json"), String.join("\n",
            "{\"creation_time\":\"2024-01-01 10:00:30\",\"tweet_text\":\"spark streaming rocks\"}",
            "{\"creation_time\":\"2024-01-01 10:02:10\",\"tweet_text\":\"streaming with rivulet\"}",
            "{\"creation_time\":\"2024-01-01 10:04:50\",\"tweet_text\":\"spark\"}", ""));
        try (Rivulet rivulet = Rivulet.create()) {
            // schema = t.StructType([t.StructField("creation_time", t.StringType(), True),
            //                        t.StructField("tweet_text", t.StringType(), False)])
            StructType schema = new StructType()
                .add("creation_time", StringType, true)
                .add("tweet_text", StringType, false);
            // The lab reads Kafka: streaming_in.selectExpr("CAST(value AS STRING)") has one JSON document per row,
            // as the text source's lines here; the rest is the lab's line by line.
            Dataset<Row> streamingIn = rivulet.readStream().format("text").option("fileSettleTime", "0s")
                .load(tweetsDir.toString());
            // recent_tweets = streaming_in.selectExpr("CAST(value AS STRING)")
            Dataset<Row> recentTweets = streamingIn.selectExpr("CAST(value AS STRING)");
            // recent_tweets = recent_tweets.select(f.from_json(f.col("value"), schema).alias("data")).select("data.*")
            recentTweets = recentTweets.select(from_json(col("value"), schema).alias("data")).select("data.*");
            // recent_tweets = recent_tweets.withColumn("creation_time", f.to_timestamp("creation_time"))
            recentTweets = recentTweets.withColumn("creation_time", to_timestamp(col("creation_time")));
            // wordcount = recent_tweets.withColumn('word', f.explode(f.split(f.col('tweet_text'), ' ')))
            //     .groupBy('word').count().sort('count', ascending=False)
            Dataset<Row> wordcount = recentTweets.withColumn("word", explode(split(col("tweet_text"), " ")))
                .groupBy("word").count().sort(desc("count"), asc("word"));
            // query_console = wordcount.writeStream.format("console").outputMode("complete").start()
            wordcount.writeStream().format("memory").queryName("wordcount").outputMode("complete")
                .trigger(Trigger.availableNow()).start().awaitTermination();
            // query_event_time = recent_tweets.withWatermark("creation_time", "1 minutes")
            //     .groupBy(f.window(f.col("creation_time"), "5 minutes", "1 minutes")).count()
            //     .writeStream.queryName("tweets_per_window").format("console").outputMode("update").start()
            recentTweets.withWatermark("creation_time", "1 minutes")
                .groupBy(window(col("creation_time"), "5 minutes", "1 minutes")).count()
                .writeStream().queryName("tweets_per_window").format("memory").outputMode("update")
                .trigger(Trigger.availableNow()).start().awaitTermination();

            assertThat(rivulet.table("wordcount")).extracting(Row::toString)
                .containsExactly("[spark,2]", "[streaming,2]", "[rivulet,1]", "[rocks,1]", "[with,1]");
            Map<String, Long> perWindow = new HashMap<>();
            for (Row row : rivulet.table("tweets_per_window")) {
                perWindow.put(hhmm(row.getStruct(0).getTimestamp(0)), row.getLong(1));
            }
            // 10:00:30 is in the windows starting 09:56..10:00; 10:02:10 in 09:58..10:02; 10:04:50 in 10:00..10:04.
            assertThat(perWindow).containsExactlyInAnyOrderEntriesOf(Map.of("09:56", 1L, "09:57", 1L, "09:58", 2L,
                "09:59", 2L, "10:00", 3L, "10:01", 2L, "10:02", 2L, "10:03", 1L, "10:04", 1L));
        }
    }

    private static final StructType TRADES = StructType.fromDDL("symbol STRING, qty BIGINT, ts TIMESTAMP");

    @Test
    void shouldRankTheTenMostTradedStocksSinceTheStartInCompleteMode() throws Exception {
        String[] symbols = {"AAPL", "MSFT", "GOOG", "AMZN", "TSLA", "META", "NVDA", "XOM", "JPM", "V", "KO", "PEP",
            "INTC", "AMD", "IBM"};
        MemoryStream<Row> input = Sources.memoryStream("trades");
        Map<String, Long> volume = new HashMap<>();
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> trades = rivulet.readStream().memoryStream(input, Encoders.row(TRADES));
            // The seeds' "top 10 most traded stocks": shares traded per symbol, ranked, the first 10.
            Dataset<Row> top10 = trades.groupBy("symbol").agg(sum("qty").as("volume"))
                .orderBy(desc("volume"), asc("symbol")).limit(10);
            StreamingQuery query = top10.writeStream().format("memory").queryName("top10").outputMode("complete")
                .trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            for (int batch = 0; batch < 3; batch++) {
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String symbol = symbols[(i * 7 + batch * 3) % symbols.length];
                    long qty = (i * 31L + batch * 17L) % 97 + 1;
                    volume.merge(symbol, qty, Long::sum);
                    rows.add(Row.of(TRADES, symbol, qty, Instant.ofEpochSecond(1_700_000_000L + batch * 60L + i)));
                }
                input.addData(rows);
                query.processAllAvailable();
                List<String> expected = volume.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(10).map(e -> "[" + e.getKey() + "," + e.getValue() + "]").toList();
                assertThat(rivulet.table("top10")).extracting(Row::toString).as("batch " + batch).containsExactlyElementsOf(expected);
            }
            query.stop();
        }
    }
}
