package io.rivulet.examples;

import io.rivulet.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link KafkaTweetsMain} as {@code bin/example KafkaTweets} runs it, against a real broker (the kafka module's). */
class KafkaTweetsBrokerTest {
    @Test
    void shouldWriteEachClosedWindowsHashtagCountsToTheOutputTopicOnceCommitted(@TempDir Path state) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        broker.createTopic("lab-tweets", 2);
        broker.createTopic("lab-hashtags", 1);
        broker.produce("lab-tweets", 0, -1,
            "1", "{\"creation_time\":\"2024-01-01 10:00:30\",\"tweet_text\":\"#Spark streaming #kafka\"}",
            "2", "{\"creation_time\":\"2024-01-01 10:00:50\",\"tweet_text\":\"more #spark\"}");
        broker.produce("lab-tweets", 1, -1,
            "3", "{\"creation_time\":\"2024-01-01 10:01:10\",\"tweet_text\":\"#kafka only\"}");
        // Each Kafka partition moves its own watermark: both past 10:02 (10:03:30 - 1 minute) close the first two windows.
        broker.produce("lab-tweets", 0, -1, "4", "{\"creation_time\":\"2024-01-01 10:03:30\",\"tweet_text\":\"no tags\"}");
        broker.produce("lab-tweets", 1, -1, "5", "{\"creation_time\":\"2024-01-01 10:03:30\",\"tweet_text\":\"none\"}");
        System.setProperty("rivulet.example.state", state.toString());
        try {
            KafkaTweetsMain.main(new String[] {broker.bootstrapServers(), "8", "lab-tweets", "lab-hashtags"});
        } finally {
            System.clearProperty("rivulet.example.state");
        }
        List<String> written = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : broker.readCommitted("lab-hashtags")) {
            written.add(new String(record.key(), StandardCharsets.UTF_8) + "=" + new String(record.value(), StandardCharsets.UTF_8));
        }
        assertThat(written).containsExactlyInAnyOrder("#spark=2024-01-01 10:00:00 #spark 2",
            "#kafka=2024-01-01 10:00:00 #kafka 1", "#kafka=2024-01-01 10:01:00 #kafka 1");
    }
}
