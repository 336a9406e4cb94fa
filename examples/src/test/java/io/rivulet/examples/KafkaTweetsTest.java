package io.rivulet.examples;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.Encoders;
import io.rivulet.engine.sql.Row;
import io.rivulet.kafka.KafkaRows;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka-tweets example's query over rows of {@code format("kafka")}'s shape, checked against counts made by hand. */
class KafkaTweetsTest {
    private static Row kafkaRow(long offset, String json) {
        return Row.of(KafkaRows.SCHEMA, null, json.getBytes(StandardCharsets.UTF_8), "tweets", 0, offset,
            Instant.ofEpochMilli(offset), 0);
    }

    @Test
    void shouldCountHashtagsPerMinuteWindowAndWriteThemAsKafkaKeyAndValue() throws Exception {
        MemoryStream<Row> kafka = Sources.memoryStream("kafka");
        kafka.addData(kafkaRow(0, "{\"creation_time\":\"2024-01-01 10:00:30\",\"tweet_text\":\"#Spark streaming #kafka\"}"));
        kafka.addData(kafkaRow(1, "{\"creation_time\":\"2024-01-01 10:00:50\",\"tweet_text\":\"more #spark\"}"));
        kafka.addData(kafkaRow(2, "{\"creation_time\":\"2024-01-01 10:01:10\",\"tweet_text\":\"#kafka only\"}"));
        // Moves the watermark past 10:02 (10:03:30 - 1 minute): the first two windows close.
        kafka.addData(kafkaRow(3, "{\"creation_time\":\"2024-01-01 10:03:30\",\"tweet_text\":\"no tags\"}"));
        kafka.end();
        try (Rivulet rivulet = Rivulet.create()) {
            KafkaTweetsMain.toKafkaRecords(KafkaTweetsMain.hashtagCounts(KafkaTweetsMain.tweets(
                    rivulet.readStream().memoryStream(kafka, Encoders.row(KafkaRows.SCHEMA)))))
                .writeStream().format("memory").queryName("hashtags").outputMode("append").start().awaitTermination();
            assertThat(rivulet.table("hashtags")).extracting(Row::toString).containsExactlyInAnyOrder(
                "[#spark,2024-01-01 10:00:00 #spark 2]", "[#kafka,2024-01-01 10:00:00 #kafka 1]",
                "[#kafka,2024-01-01 10:01:00 #kafka 1]");
        }
    }
}
