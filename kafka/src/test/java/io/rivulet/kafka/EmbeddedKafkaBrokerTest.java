package io.rivulet.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerTest {
    @Test
    void shouldServeProducedRecordsBackFromARealBroker() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            System.out.println("broker up in " + (System.nanoTime() - started) / 1_000_000 + " ms at " + broker.bootstrapServers());
            broker.createTopic("t", 2);
            broker.produce("t", 1, 1000, "k1", "v1", "k2", "v2");
            List<ConsumerRecord<byte[], byte[]>> records = broker.readCommitted("t");
            assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("v1", "v2");
            assertThat(records).extracting(ConsumerRecord::partition).containsOnly(1);
        }
    }
}
