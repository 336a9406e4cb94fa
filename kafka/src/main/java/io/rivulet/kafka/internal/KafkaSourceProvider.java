package io.rivulet.kafka.internal;

import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.types.StructType;
import io.rivulet.kafka.KafkaRows;
import io.rivulet.kafka.KafkaSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code readStream().format("kafka")}: Spark's Kafka source ({@link KafkaSource} over bytes), rows of
 * {@link KafkaRows#SCHEMA} (with {@code headers} when {@code includeHeaders} is true). Options as in
 * Spark: {@code kafka.bootstrap.servers} (required), exactly one of {@code subscribe},
 * {@code subscribePattern}, {@code assign}; {@code startingOffsets}, {@code startingTimestamp},
 * {@code endingOffsets}, {@code maxOffsetsPerTrigger}, {@code minOffsetsPerTrigger}, {@code maxTriggerDelay},
 * {@code minPartitions}, {@code kafkaConsumer.pollTimeoutMs}, {@code failOnDataLoss}, {@code includeHeaders},
 * Rivulet's {@code numPartitions} and {@code partitionDiscoveryInterval}, and {@code kafka.*} passed to the consumer. Anything else is refused,
 * naming the known options. Stateless.
 */
public final class KafkaSourceProvider implements SourceProvider {
    private static final Set<String> OPTIONS = Set.of("kafka.bootstrap.servers", "subscribe", "subscribePattern", "assign",
        "startingOffsets", "startingTimestamp", "endingOffsets", "maxOffsetsPerTrigger", "failOnDataLoss",
        "includeHeaders", "numPartitions", "minPartitions", "minOffsetsPerTrigger", "maxTriggerDelay",
        "kafkaConsumer.pollTimeoutMs", "partitionDiscoveryInterval", "kafka.*");

    /** Needed by {@link java.util.ServiceLoader}. */
    public KafkaSourceProvider() {
    }

    @Override
    public String shortName() {
        return "kafka";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        if (userSchema != null) {
            throw new IllegalArgumentException("source 'kafka' does not support a user-specified schema: its rows are "
                + KafkaRows.SCHEMA.simpleString());
        }
        Map<String, String> given = KafkaOptions.check("source 'kafka'", options, OPTIONS);
        String bootstrap = given.get("kafka.bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka "
                + "consumer");
        }
        KafkaSource<byte[], byte[]> source = KafkaSource.bytes(bootstrap);
        boolean headers = false;
        for (Map.Entry<String, String> option : given.entrySet()) {
            String name = option.getKey();
            String value = option.getValue();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "kafka.bootstrap.servers" -> { }
                case "subscribe" -> source = source.subscribe(value.split(","));
                case "subscribepattern" -> source = source.subscribePattern(value.trim());
                case "assign" -> source = source.assign(value);
                case "startingoffsets" -> source = source.startingOffsets(value);
                case "startingtimestamp" -> source = source.startingTimestamp(KafkaOptions.parseLong(name, value));
                case "endingoffsets" -> source = source.endingOffsets(value);
                case "maxoffsetspertrigger" -> source = source.maxOffsetsPerTrigger(KafkaOptions.parseLong(name, value));
                case "failondataloss" -> source = source.failOnDataLoss(KafkaOptions.parseBoolean(name, value));
                case "includeheaders" -> {
                    headers = KafkaOptions.parseBoolean(name, value);
                    source = source.includeHeaders(headers);
                }
                case "minoffsetspertrigger" -> source = source.minOffsetsPerTrigger(KafkaOptions.parseLong(name, value));
                case "maxtriggerdelay" -> source = source.maxTriggerDelay(KafkaOptions.parseDuration(name, value));
                case "minpartitions" -> source = source.minPartitions((int) KafkaOptions.parseLong(name, value));
                case "kafkaconsumer.polltimeoutms" ->
                    source = source.pollTimeout(Duration.ofMillis(KafkaOptions.parseLong(name, value)));
                case "partitiondiscoveryinterval" ->
                    source = source.partitionDiscoveryInterval(KafkaOptions.parseDuration(name, value));
                case "numpartitions" -> source = source.numPartitions((int) KafkaOptions.parseLong(name, value));
                default -> source = source.option(name.substring("kafka.".length()), value);
            }
        }
        boolean withHeaders = headers;
        return ConnectorSource.<ConsumerRecord<byte[], byte[]>>of(source,
            withHeaders ? KafkaRows.SCHEMA_WITH_HEADERS : KafkaRows.SCHEMA, record -> KafkaRows.row(record, withHeaders));
    }
}
