package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Encoders;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;
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
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The structured-shape examples' queries, run into a memory sink and checked against the counts computed directly. */
class StructuredExamplesTest {
    private static final String[] LINES = {"the quick brown fox", "jumps over the lazy dog", "the dog barks", "a fox runs",
        "streams never end"};

    @Test
    void shouldCountWordsTypedIntoASocketInTheStructuredShape() throws Exception {
        try (ServerSocket netcat = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> lines = rivulet.readStream().format("socket").option("host", "127.0.0.1")
                .option("port", netcat.getLocalPort()).option("reconnect", false).load();
            StreamingQuery query = StructuredSocketWordCountMain.wordCounts(lines).writeStream().format("memory")
                .queryName("counts").outputMode("complete").start();
            try (Socket client = netcat.accept();
                 Writer typed = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                typed.write("apache spark\napache hadoop spark\r\n");
            }
            query.awaitTermination();
            assertThat(rivulet.table("counts")).extracting(Row::toString)
                .containsExactlyInAnyOrder("[apache,2]", "[spark,2]", "[hadoop,1]");
        }
    }

    @Test
    void shouldCountWordsPerTenSecondWindowOnceTheWatermarkPassesInTheStructuredShape() throws Exception {
        StructType rateSchema = StructType.fromDDL("timestamp TIMESTAMP, value BIGINT");
        long t0 = 1_700_000_000_000L;
        for (boolean sliding : new boolean[] {false, true}) {
            MemoryStream<Row> rate = Sources.memoryStream("rate");
            Map<String, Long> expected = new TreeMap<>();
            for (long v = 0; v < 400; v++) {
                long tsMs = t0 + v * 50;   // 20 rows a second for 20 s, as the rate source
                rate.addData(Row.of(rateSchema, Instant.ofEpochMilli(tsMs), v));
                for (String word : LINES[(int) (v % LINES.length)].split(" ")) {
                    long lastStart = tsMs - Math.floorMod(tsMs, sliding ? 5_000 : 10_000);
                    for (long start = lastStart; start > tsMs - 10_000; start -= sliding ? 5_000 : 10_000) {
                        expected.merge(Instant.ofEpochMilli(start) + " " + word, 1L, Long::sum);
                    }
                }
            }
            rate.end();
            try (Rivulet rivulet = Rivulet.create()) {
                Dataset<Row> counts = StructuredWindowedWordCountMain.windowedCounts(
                    rivulet.readStream().memoryStream(rate, Encoders.row(rateSchema)), sliding);
                counts.writeStream().format("memory").queryName("windows").outputMode("append").start().awaitTermination();
                Map<String, Long> actual = new TreeMap<>();
                for (Row row : rivulet.table("windows")) {
                    assertThat(actual.put(row.getStruct(0).getTimestamp(0) + " " + row.getString(1), row.getLong(2)))
                        .as("each window and word once").isNull();
                }
                // At the end of the input every window is closed and emitted once, with its full count.
                assertThat(actual).as(sliding ? "sliding" : "tumbling").isEqualTo(expected);
            }
        }
    }

    @Test
    void shouldCountTweetWordsAndTweetsPerWindowFromJsonFilesWithASchema(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tweets-0.json"), String.join("\n",
            "{\"creation_time\":\"2024-01-01 10:00:30\",\"tweet_text\":\"spark streaming rocks\"}",
            "{\"creation_time\":\"2024-01-01 10:02:10\",\"tweet_text\":\"streaming with rivulet\"}", ""));
        Files.writeString(dir.resolve("tweets-1.json"), String.join("\n",
            "{\"creation_time\":\"2024-01-01 10:04:50\",\"tweet_text\":\"spark\"}",
            "{\"creation_time\":\"2024-01-01 10:01:00\",\"tweet_text\":\"late spark\"}", ""));
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> tweets = StructuredTweetsMain.tweets(rivulet.readStream().schema(StructuredTweetsMain.SCHEMA)
                .option("fileSettleTime", "0s").json(dir.toString()));
            StructuredTweetsMain.wordCount(tweets).writeStream().format("memory").queryName("words")
                .outputMode("complete").trigger(Trigger.availableNow()).start().awaitTermination();
            assertThat(rivulet.table("words")).extracting(Row::toString).containsExactly(
                "[spark,3]", "[streaming,2]", "[late,1]", "[rivulet,1]", "[rocks,1]", "[with,1]");

            Dataset<Row> again = StructuredTweetsMain.tweets(rivulet.readStream().schema(StructuredTweetsMain.SCHEMA)
                .option("fileSettleTime", "0s").option("maxFilesPerTrigger", 1).json(dir.toString()));
            StreamingQuery windows = StructuredTweetsMain.tweetsPerWindow(again).writeStream().format("memory")
                .queryName("windows").outputMode("update").trigger(Trigger.processingTime(Duration.ofHours(1))).start();
            windows.processAllAvailable();
            windows.stop();
            Map<String, Long> latest = new HashMap<>();
            for (Row row : rivulet.table("windows")) {
                latest.put(row.getStruct(0).getTimestamp(0).toString().substring(11, 16), row.getLong(1));
            }
            // After the first file the watermark is 10:02:10 - 1 min = 10:01:10: the tweet of 10:01:00 is behind it, but
            // its windows (starting 09:57 to 10:01) end after it, so it still counts in each.
            Map<String, Long> expected = new HashMap<>(Map.of("09:56", 1L, "09:57", 2L, "09:58", 3L, "09:59", 3L,
                "10:00", 4L, "10:01", 3L, "10:02", 2L, "10:03", 1L, "10:04", 1L));
            assertThat(latest).isEqualTo(expected);
        }
    }
}
