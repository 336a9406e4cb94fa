package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static io.rivulet.engine.sql.functions.asc;
import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.desc;
import static io.rivulet.engine.sql.functions.explode;
import static io.rivulet.engine.sql.functions.split;
import static io.rivulet.engine.sql.functions.to_timestamp;
import static io.rivulet.engine.sql.functions.window;
import static io.rivulet.engine.types.DataTypes.StringType;

/**
 * The course's tweets lab (Structured Streaming with Kafka, event time, windows, watermarks) over JSON-lines files
 * until the Kafka connector lands: the same pipeline, with {@code readStream().schema(schema).json(dir)} in place of
 * {@code readStream().format("kafka")...selectExpr("CAST(value AS STRING)").select(from_json(col("value"), schema))}.
 * Two queries, as the lab's two cells:
 * <ul>
 *   <li>{@code words} (default): the words of every tweet counted, sorted by count, printed whole each batch
 *       (complete mode);</li>
 *   <li>{@code windows}: tweets per 5-minute window sliding every minute, with a 1-minute watermark, the windows
 *       that changed printed each batch (update mode).</li>
 * </ul>
 * Without a directory argument it makes a temporary one and writes a file of generated tweets into it every second
 * (written aside and moved in, so a file is never read half-written); with one, it reads the files that appear there
 * ({@code {"creation_time":"2024-01-01 10:00:30","tweet_text":"..."}} per line).
 *
 * <p>Arguments: {@code words} or {@code windows}, seconds to run (default 20), a directory (default: generated).
 */
public final class StructuredTweetsMain {
    /** The lab's schema: {@code StructType([StructField("creation_time", StringType(), True), ...])}. */
    public static final StructType SCHEMA = new StructType()
        .add("creation_time", StringType, true)
        .add("tweet_text", StringType, false);

    private static final String[] WORDS = {"spark", "streaming", "rivulet", "kafka", "window", "watermark", "late",
        "data", "json", "files"};
    private static final DateTimeFormatter CREATION_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private StructuredTweetsMain() {
    }

    /**
     * @param args optional query ({@code words} or {@code windows}), seconds and directory
     * @throws Exception if the directory cannot be made or written, or the query fails
     */
    public static void main(String[] args) throws Exception {
        boolean windows = args.length > 0 && args[0].equals("windows");
        if (args.length > 0 && !windows && !args[0].equals("words")) {
            throw new IllegalArgumentException("query must be 'words' or 'windows', got '" + args[0] + "'");
        }
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 20;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("rivulet-tweets");
        Thread generator = null;
        if (args.length <= 2) {
            generator = new Thread(() -> generate(dir), "tweet-generator");
            generator.setDaemon(true);
            generator.start();
            System.out.println("structured-tweets: writing a file of generated tweets into " + dir + " every second");
        }
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> tweets = tweets(rivulet.readStream().schema(SCHEMA).json(dir.toString()));
            StreamingQuery query = windows
                ? tweetsPerWindow(tweets).writeStream().queryName("tweets_per_window").format("console")
                    .option("truncate", false).outputMode("update").start()
                : wordCount(tweets).writeStream().queryName("tweet_words").format("console").outputMode("complete").start();
            Run.until(query, Duration.ofSeconds(seconds));
        } finally {
            if (generator != null) {
                generator.interrupt();
            }
        }
    }

    /**
     * The lab's conversion: {@code creation_time} from a string to a timestamp.
     *
     * @param raw rows of {@link #SCHEMA}
     * @return {@code creation_time TIMESTAMP, tweet_text STRING}
     */
    public static Dataset<Row> tweets(Dataset<Row> raw) {
        return raw.withColumn("creation_time", to_timestamp(col("creation_time")));
    }

    /**
     * The lab's word count, sorted by count (ties by word).
     *
     * @param tweets the tweets
     * @return {@code word STRING, count BIGINT}, most frequent first; complete mode
     */
    public static Dataset<Row> wordCount(Dataset<Row> tweets) {
        return tweets.withColumn("word", explode(split(col("tweet_text"), " ")))
            .groupBy("word")
            .count()
            .sort(desc("count"), asc("word"));
    }

    /**
     * The lab's tweets per event-time window, with a watermark.
     *
     * @param tweets the tweets
     * @return {@code window STRUCT<start, end>, count BIGINT}; update or append mode
     */
    public static Dataset<Row> tweetsPerWindow(Dataset<Row> tweets) {
        return tweets.withWatermark("creation_time", "1 minutes")
            .groupBy(window(col("creation_time"), "5 minutes", "1 minutes"))
            .count();
    }

    /** Writes a file of 50 tweets a second into {@code dir}, event times up to 90 s behind the clock, until interrupted. */
    private static void generate(Path dir) {
        SplittableRandom random = new SplittableRandom(42);
        try {
            for (int file = 0; !Thread.currentThread().isInterrupted(); file++) {
                StringBuilder lines = new StringBuilder();
                LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
                for (int i = 0; i < 50; i++) {
                    StringBuilder text = new StringBuilder();
                    for (int w = 1 + random.nextInt(5); w > 0; w--) {
                        text.append(text.length() == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                    }
                    lines.append("{\"creation_time\":\"").append(now.minusSeconds(random.nextInt(90)).format(CREATION_TIME))
                        .append("\",\"tweet_text\":\"").append(text).append("\"}\n");
                }
                Path aside = dir.resolveSibling(dir.getFileName() + "-" + file + ".tmp");
                Files.writeString(aside, lines, StandardCharsets.UTF_8);
                Files.move(aside, dir.resolve("tweets-" + file + ".json"), StandardCopyOption.ATOMIC_MOVE);
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("tweet generator stopped: " + e);
        }
    }
}
