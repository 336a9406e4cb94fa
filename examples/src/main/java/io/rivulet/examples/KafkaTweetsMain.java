package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.sql.Dataset;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.StructType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.SplittableRandom;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.explode;
import static io.rivulet.engine.sql.functions.from_json;
import static io.rivulet.engine.sql.functions.lower;
import static io.rivulet.engine.sql.functions.split;
import static io.rivulet.engine.sql.functions.to_timestamp;
import static io.rivulet.engine.sql.functions.window;
import static io.rivulet.engine.types.DataTypes.StringType;

/**
 * The course's Kafka-tweets lab on Rivulet: tweets read from a Kafka topic with {@code format("kafka")}, the
 * value cast to a string and parsed as JSON with the lab's schema, hashtags counted per one-minute event-time
 * window with a one-minute watermark, and each closed window's counts written back to Kafka exactly once
 * (one transaction per epoch; {@code read_committed} consumers see each row once, even across a crash and
 * restart from the checkpoint).
 *
 * <pre>{@code
 * spark.readStream.format("kafka").option("kafka.bootstrap.servers", servers).option("subscribe", "tweets").load()
 *   .selectExpr("CAST(value AS STRING)")
 *   .select(from_json(col("value"), schema).alias("tweet")).select("tweet.*")
 * }</pre>
 *
 * <p>Arguments: the brokers' {@code host:port}, then optionally seconds to run (default 60), the input and output
 * topics (default {@code tweets} and {@code hashtag-counts}, both must exist) and {@code --produce}: also write 100
 * generated tweets a second into the input topic, event times up to 90 s behind the clock. The state (checkpoint
 * and the sink's staging) goes to a temporary directory unless {@code -Drivulet.example.state=DIR} names one; a
 * run given the same directory goes on where the last one stopped.
 *
 * <pre>
 *   bin/example KafkaTweets localhost:9092 60 tweets hashtag-counts --produce
 *   kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic hashtag-counts \
 *       --isolation-level read_committed --property print.key=true
 * </pre>
 */
public final class KafkaTweetsMain {
    /** The lab's schema: {@code StructType([StructField("creation_time", StringType(), True), ...])}. */
    public static final StructType SCHEMA = new StructType()
        .add("creation_time", StringType, true)
        .add("tweet_text", StringType, true);

    private static final String[] WORDS = {"spark", "#streaming", "rivulet", "#kafka", "window", "#watermark", "late",
        "#data", "json", "#exactlyonce"};
    private static final DateTimeFormatter CREATION_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private KafkaTweetsMain() {
    }

    /**
     * @param args brokers, then optionally seconds, input topic, output topic, {@code --produce}
     * @throws Exception if the query fails or the state directory cannot be made
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: KafkaTweets <host:port> [seconds] [input-topic] [output-topic] [--produce]");
            System.exit(2);
        }
        String servers = args[0];
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 60;
        String input = args.length > 2 && !args[2].startsWith("--") ? args[2] : "tweets";
        String output = args.length > 3 && !args[3].startsWith("--") ? args[3] : "hashtag-counts";
        boolean produce = args[args.length - 1].equals("--produce");
        String stateDir = System.getProperty("rivulet.example.state");
        Path state = stateDir != null ? Path.of(stateDir) : Files.createTempDirectory("rivulet-kafka-tweets");
        Thread producer = null;
        if (produce) {
            producer = new Thread(() -> produceTweets(servers, input), "tweet-producer");
            producer.setDaemon(true);
            producer.start();
        }
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> kafka = rivulet.readStream().format("kafka")
                .option("kafka.bootstrap.servers", servers)
                .option("subscribe", input)
                .option("startingOffsets", "earliest")
                .load();
            StreamingQuery query = toKafkaRecords(hashtagCounts(tweets(kafka))).writeStream().format("kafka")
                .option("kafka.bootstrap.servers", servers)
                .option("topic", output)
                .option("stagingLocation", state.resolve("staging").toString())
                .option("checkpointLocation", state.resolve("checkpoint").toString())
                .queryName("kafka_tweets")
                .outputMode("append")
                .start();
            System.out.println("kafka-tweets: " + input + " -> " + output + " on " + servers + ", state in " + state);
            Run.until(query, Duration.ofSeconds(seconds));
        } finally {
            if (producer != null) {
                producer.interrupt();
            }
        }
    }

    /**
     * The lab's parsing: Kafka rows' {@code value} as a string, parsed as JSON with {@link #SCHEMA}, the
     * creation time made a timestamp.
     *
     * @param kafka rows of {@code format("kafka")}
     * @return {@code creation_time TIMESTAMP, tweet_text STRING}
     */
    public static Dataset<Row> tweets(Dataset<Row> kafka) {
        return kafka.selectExpr("CAST(value AS STRING) AS value")
            .select(from_json(col("value"), SCHEMA).alias("tweet"))
            .select("tweet.*")
            .withColumn("creation_time", to_timestamp(col("creation_time")));
    }

    /**
     * Hashtags (words starting with {@code #}, lower-cased) counted per one-minute event-time window, with a
     * one-minute watermark.
     *
     * @param tweets the tweets
     * @return {@code window STRUCT<start, end>, hashtag STRING, count BIGINT}; append mode emits each window once,
     *     when the watermark passes its end
     */
    public static Dataset<Row> hashtagCounts(Dataset<Row> tweets) {
        return tweets.withWatermark("creation_time", "1 minute")
            .withColumn("hashtag", explode(split(lower(col("tweet_text")), " ")))
            .filter(col("hashtag").startsWith("#"))
            .groupBy(window(col("creation_time"), "1 minute"), col("hashtag"))
            .count();
    }

    /**
     * The rows the Kafka sink writes: the hashtag as key, {@code <window start> <hashtag> <count>} as value.
     *
     * @param counts the output of {@link #hashtagCounts}
     * @return {@code key STRING, value STRING}
     */
    public static Dataset<Row> toKafkaRecords(Dataset<Row> counts) {
        return counts.selectExpr("hashtag AS key",
            "concat(CAST(window.start AS STRING), ' ', hashtag, ' ', CAST(count AS STRING)) AS value");
    }

    /** Writes 100 generated tweets a second into {@code topic} until interrupted. */
    private static void produceTweets(String servers, String topic) {
        SplittableRandom random = new SplittableRandom(42);
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(configs, new StringSerializer(),
            new StringSerializer())) {
            while (!Thread.currentThread().isInterrupted()) {
                LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
                for (int i = 0; i < 100; i++) {
                    StringBuilder text = new StringBuilder();
                    for (int w = 1 + random.nextInt(5); w > 0; w--) {
                        text.append(text.length() == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                    }
                    producer.send(new ProducerRecord<>(topic, "{\"creation_time\":\""
                        + now.minusSeconds(random.nextInt(90)).format(CREATION_TIME) + "\",\"tweet_text\":\"" + text + "\"}"));
                }
                producer.flush();
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("tweet producer stopped: " + e);
        }
    }
}
