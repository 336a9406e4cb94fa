package io.rivulet.bench.kafka;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.kafka.EmbeddedKafkaBroker;
import io.rivulet.kafka.KafkaSink;
import io.rivulet.kafka.KafkaSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Kafka end to end, flat out: {@code N} records pre-loaded into a topic of {@code P} partitions, then a query
 * {@code KafkaSource -> map (value + 1) -> KafkaSink} reads them from earliest to the end offsets of its start
 * ({@code endingOffsets=latest}, so it ends by itself) and writes them to an output topic, once with the
 * exactly-once sink (a transaction per writer and epoch, staged on local disk) and once at-least-once (the
 * idempotent producer). The figure is {@code N} over the time from {@code start()} to the query's end, which
 * includes the last epoch's commit: every record is in Kafka, committed, when the clock stops. Each run's
 * output is then read back with {@code read_committed} and must hold {@code i + 1} exactly once for every
 * input {@code i}, or the run fails. The broker runs in this JVM (one machine, loopback): it competes with
 * the query for the cores.
 *
 * <p>Arguments: records (default 1 000 000), partitions (default 4), modes ({@code eos,alo}), epoch ms (default 100).
 */
public final class KafkaThroughputMain {
    private KafkaThroughputMain() {
    }

    /**
     * @param args records, partitions, modes, epoch ms
     * @throws Exception if the broker does not start, a query fails or an output is wrong
     */
    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String[] modes = (args.length > 2 ? args[2] : "eos,alo").split(",");
        long epochMs = args.length > 3 ? Long.parseLong(args[3]) : 100;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            System.out.printf("kafka throughput: %,d records, %d partitions, %d ms epochs, broker in this JVM at %s%n",
                records, partitions, epochMs, broker.bootstrapServers());
            int run = 0;
            for (String mode : modes) {
                boolean exactlyOnce = switch (mode.trim()) {
                    case "eos" -> true;
                    case "alo" -> false;
                    default -> throw new IllegalArgumentException("mode must be eos or alo, got '" + mode + "'");
                };
                String in = "bench-in-" + run;
                String out = "bench-out-" + run;
                run++;
                broker.createTopic(in, partitions);
                broker.createTopic(out, partitions);
                long loadNs = load(broker.bootstrapServers(), in, records);
                double seconds = query(broker.bootstrapServers(), in, out, exactlyOnce, epochMs);
                check(broker.bootstrapServers(), out, partitions, records);
                System.out.printf("%-3s  %,12.0f records/s  (%,d in %.2f s; loading the input took %.2f s; output checked)%n",
                    mode.trim(), records / seconds, records, seconds, loadNs / 1e9);
            }
        }
    }

    /** Writes values {@code 0 .. records-1} round-robin over the partitions; returns the time it took, ns. */
    private static long load(String servers, String topic, int records) {
        long start = System.nanoTime();
        Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(configs, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, null, Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
            }
            producer.flush();
        }
        return System.nanoTime() - start;
    }

    /** Runs the query to its end; returns seconds from start to end. */
    private static double query(String servers, String in, String out, boolean exactlyOnce, long epochMs) throws Exception {
        Path state = Files.createTempDirectory("rivulet-kafka-bench");
        KafkaSource<byte[], byte[]> source = KafkaSource.bytes(servers).subscribe(in).startingOffsets("earliest")
            .endingOffsets("latest");
        KafkaSink<ProducerRecord<byte[], byte[]>> sink = KafkaSink.of(servers, r -> r);
        if (exactlyOnce) {
            sink = sink.exactlyOnce(state.resolve("staging"));
        }
        try (Rivulet rivulet = Rivulet.create()) {
            long start = System.nanoTime();
            StreamingQuery query = rivulet.readStream(source)
                .map(r -> new ProducerRecord<byte[], byte[]>(out, r.key(), plusOne(r.value())))
                .writeStream(sink).queryName("kafka-bench-" + in).checkpointLocation(state.resolve("checkpoint"))
                .trigger(Trigger.continuous(Duration.ofMillis(epochMs))).start();
            if (!query.awaitTermination(600_000)) {
                query.stop();
                throw new IllegalStateException("the query did not finish within 10 minutes");
            }
            long end = System.nanoTime();
            if (query.exception().isPresent()) {
                throw new IllegalStateException("the query failed", query.exception().get());
            }
            return (end - start) / 1e9;
        }
    }

    private static byte[] plusOne(byte[] value) {
        long v = 0;
        for (byte b : value) {
            v = v * 10 + (b - '0');
        }
        return Long.toString(v + 1).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the output with read_committed: each of {@code 1 .. records} once, nothing else. */
    private static void check(String servers, String topic, int partitions, int records) {
        Map<String, Object> configs = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        BitSet seen = new BitSet(records + 1);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!caughtUp(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    int v = Integer.parseInt(new String(record.value(), StandardCharsets.US_ASCII));
                    if (v < 1 || v > records || seen.get(v)) {
                        throw new IllegalStateException("output record " + v + " is " + (seen.get(v) ? "a duplicate" : "unexpected"));
                    }
                    seen.set(v);
                    count++;
                }
            }
        }
        if (count != records) {
            throw new IllegalStateException("the output holds " + count + " records, expected " + records);
        }
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
