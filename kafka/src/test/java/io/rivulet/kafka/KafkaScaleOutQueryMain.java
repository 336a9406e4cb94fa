package io.rivulet.kafka;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Trigger;
import io.rivulet.operators.KeyValue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One instance of the scale-out query the scale-out tests run: a running count per Kafka key (keyed state,
 * keyed by the Kafka key as the co-partitioning rule asks), each update written as {@code key=count} to the
 * output topic with an exactly-once {@link KafkaSink}, 20 ms epochs. Every record of key {@code k} adds one
 * output row, so a {@code read_committed} consumer must see {@code k=1 .. k=n} each exactly once: a lost
 * state restarts a count at 1 (a duplicate), a replayed record repeats a count, a lost one leaves a gap.
 *
 * <p>As a {@code main} (child JVM of {@link KafkaScaleOutKillTest}) it runs until its standard input ends,
 * then leaves the group and exits 0. Arguments: name, bootstrap servers, input topic, output topic, checkpoint
 * root, and optionally a pause in microseconds every 20 records (so a kill lands mid-work).
 */
public final class KafkaScaleOutQueryMain {
    private KafkaScaleOutQueryMain() {
    }

    /**
     * @param rivulet the engine
     * @param name the scale-out query's name (its group is {@code rivulet-<name>})
     * @param servers bootstrap servers
     * @param input the input topic
     * @param output the output topic
     * @param root the shared checkpoint root
     * @param pauseMicros a pause every 20 records per source thread, 0 for none
     * @return the scale-out query, not started; session timeout 3 s so a dead instance's tasks move quickly (and a busy machine does not expire live members)
     */
    static KafkaScaleOut<String, String> counts(Rivulet rivulet, String name, String servers, String input, String output, Path root,
                                                long pauseMicros) {
        KafkaSource<String, String> source = KafkaSource.of(servers, StringDeserializer::new, StringDeserializer::new)
            .subscribe(input).startingOffsets("earliest");
        return counts(rivulet, name, servers, source, output, root, pauseMicros);
    }

    /**
     * The same query over any subscription (a pattern).
     *
     * @param rivulet the engine
     * @param name the scale-out query's name
     * @param servers bootstrap servers of the output
     * @param source the input, subscribed
     * @param output the output topic
     * @param root the shared checkpoint root
     * @param pauseMicros a pause every 20 records per source thread, 0 for none
     * @return the scale-out query, not started
     */
    static KafkaScaleOut<String, String> counts(Rivulet rivulet, String name, String servers, KafkaSource<String, String> source,
                                                String output, Path root, long pauseMicros) {
        return KafkaScaleOut.of(rivulet, name, source, root, (records, task) -> {
                long[] read = new long[1];
                return records
                    .map(record -> {
                        if (pauseMicros > 0 && ++read[0] % 20 == 0) {
                            LockSupport.parkNanos(pauseMicros * 1_000);
                        }
                        return record;
                    })
                    .keyBy("kafkaKey", ConsumerRecord::key)
                    .count()
                    .writeStream(KafkaSink.<KeyValue<String, Long>>of(servers, kv -> new ProducerRecord<>(output,
                            bytes(kv.key()), bytes(kv.key() + "=" + kv.value())))
                        .exactlyOnce(task.stagingDirectory()))
                    .outputMode("update")
                    .trigger(Trigger.continuous(Duration.ofMillis(20)));
            })
            .verifyKeyPartitioning(new StringSerializer())
            .option("session.timeout.ms", "3000")
            .option("heartbeat.interval.ms", "500")
            .startRetryInterval(Duration.ofMillis(50));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        long pauseMicros = args.length > 5 ? Long.parseLong(args[5]) : 0;
        try (Rivulet rivulet = Rivulet.create();
             ScaleOutInstance instance = counts(rivulet, args[0], args[1], args[2], args[3], Path.of(args[4]), pauseMicros).start()) {
            while (System.in.read() >= 0) {
                if (!instance.isActive()) {
                    break;
                }
            }
            if (instance.failure().isPresent()) {
                instance.failure().get().printStackTrace();
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
