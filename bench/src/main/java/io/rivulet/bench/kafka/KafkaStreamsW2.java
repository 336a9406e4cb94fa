package io.rivulet.bench.kafka;

import io.rivulet.bench.workload.Trade;
import io.rivulet.bench.workload.WorkloadSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * W2 on Kafka Streams, the topology a Kafka Streams user writes: {@code groupByKey -> windowedBy(1 s tumbling, 500 ms
 * grace) -> aggregate(count, sum qty) -> suppress(untilWindowCloses) -> to(output)}, windowing by the record
 * timestamp (the trade's event time), {@code processing.guarantee=exactly_once_v2}. The window store is Kafka Streams'
 * in-memory one (Rivulet keeps its state in memory too), logged to its changelog topic as Kafka Streams does by default;
 * one stream thread per input partition. Output records are {@link TradeRecords}' results. Stateless helper.
 */
final class KafkaStreamsW2 {
    private KafkaStreamsW2() {
    }

    /**
     * @param servers bootstrap servers
     * @param applicationId the application id (its consumer group and internal topics' prefix)
     * @param in input topic
     * @param out output topic
     * @param threads stream threads
     * @param commitIntervalMs {@code commit.interval.ms} (100 is the exactly-once default)
     * @param stateDir Kafka Streams' state directory
     * @return the application, not started
     */
    static KafkaStreams create(String servers, String applicationId, String in, String out, int threads,
                               long commitIntervalMs, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.Integer(), tradeSerde()).withName("trades"))
            .groupByKey(Grouped.with(Serdes.Integer(), tradeSerde()))
            .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(WorkloadSpec.WINDOW_MS),
                Duration.ofMillis(WorkloadSpec.WATERMARK_LAG_MS)))
            .aggregate(() -> new long[2], (symbol, trade, acc) -> {
                acc[0]++;
                acc[1] += trade.qty();
                return acc;
            }, Materialized.<Integer, long[]>as(Stores.inMemoryWindowStore("w2-store",
                    Duration.ofMillis(WorkloadSpec.WINDOW_MS + WorkloadSpec.WATERMARK_LAG_MS),
                    Duration.ofMillis(WorkloadSpec.WINDOW_MS), false))
                .withKeySerde(Serdes.Integer()).withValueSerde(countSumSerde()))
            .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
            .toStream()
            .map((window, acc) -> KeyValue.pair(window.key(), TradeRecords.result(window.window().end(), acc[0], acc[1])))
            .to(out, Produced.with(Serdes.Integer(), Serdes.ByteArray()));
        Topology topology = builder.build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        // The same client tuning as Rivulet's source and sink (KafkaWindowMain.CONSUMER_TUNING).
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), KafkaWindowMain.MAX_POLL_RECORDS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
            KafkaWindowMain.MAX_PARTITION_FETCH_BYTES);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "0");
        return new KafkaStreams(topology, props);
    }

    private static Serde<Trade> tradeSerde() {
        Serializer<Trade> serializer = (topic, trade) -> TradeRecords.value(trade);
        Deserializer<Trade> deserializer = new TradeRecords.TradeDeserializer();
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static Serde<long[]> countSumSerde() {
        Serializer<long[]> serializer = (topic, acc) -> ByteBuffer.allocate(16).putLong(acc[0]).putLong(acc[1]).array();
        Deserializer<long[]> deserializer = (topic, data) -> {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            return new long[] {buffer.getLong(), buffer.getLong()};
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
