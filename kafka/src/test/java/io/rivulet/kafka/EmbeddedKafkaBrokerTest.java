package io.rivulet.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The test harness itself: a real broker on loopback that takes records and serves them back. */
class EmbeddedKafkaBrokerTest {
    @Test
    void shouldServeProducedRecordsBackFromARealBroker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        broker.createTopic("harness", 2);
        broker.produce("harness", 1, 1000, "k1", "v1", "k2", "v2");
        List<ConsumerRecord<byte[], byte[]>> records = broker.readCommitted("harness");
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("v1", "v2");
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(1);
        assertThat(records).extracting(ConsumerRecord::timestamp).containsOnly(1000L);
    }
}
