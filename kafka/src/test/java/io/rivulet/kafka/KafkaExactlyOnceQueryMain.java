package io.rivulet.kafka;

import io.rivulet.engine.Rivulet;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.engine.Trigger;
import io.rivulet.engine.sink.ForwardingSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The query {@link KafkaExactlyOnceKillTest} kills: Kafka to Kafka, exactly once. It reads the input
 * topic from its earliest offset to the end offsets it finds at start (every run finds the same ones:
 * the input is written before the first run), upper-cases each value and writes it to the output topic
 * with an exactly-once {@link KafkaSink}, with a checkpoint every 10 ms epoch. It reads slowly on purpose
 * (a 2 ms pause every 20 records), and the sink's commit waits 20 ms before and after publishing, so that
 * kills land mid-epoch, mid-checkpoint, between a checkpoint and its commit (recovery must publish the
 * staged epoch) and between the Kafka commit and the commit log (recovery must recognise it). Exits 0
 * when the input is done.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, checkpoint directory, staging directory.
 */
public final class KafkaExactlyOnceQueryMain {
    private KafkaExactlyOnceQueryMain() {
    }

    /** Delegates to a sink, widening the commit's window for the kills. */
    private static final class SlowCommits<T> extends ForwardingSink<T, T> {
        SlowCommits(Sink<T> sink) {
            super(sink);
        }

        @Override
        public SinkWriter<T> createWriter(int writerIndex) {
            return delegate.createWriter(writerIndex);
        }

        @Override
        public void commit(long epochId) throws Exception {
            LockSupport.parkNanos(20_000_000);
            delegate.commit(epochId);
            LockSupport.parkNanos(20_000_000);
        }
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        Path checkpoints = Path.of(args[3]);
        Path staging = Path.of(args[4]);
        long[] read = new long[1];
        try (Rivulet rivulet = Rivulet.create()) {
            StreamingQuery query = rivulet.readStream(KafkaSource.of(bootstrap, StringDeserializer::new, StringDeserializer::new)
                    .subscribe(input).startingOffsets("earliest").endingOffsets("latest").option("isolation.level", "read_committed"))
                .map(record -> {
                    if (++read[0] % 20 == 0) {
                        LockSupport.parkNanos(2_000_000);
                    }
                    return record.key() + "=" + record.value().toUpperCase(Locale.ROOT);
                })
                .writeStream(new SlowCommits<>(KafkaSink.<String>of(bootstrap,
                    line -> new ProducerRecord<>(output, line.getBytes(StandardCharsets.UTF_8))).exactlyOnce(staging)))
                .queryName("kafka-killed")
                .trigger(Trigger.continuous(Duration.ofMillis(10)))
                .checkpointLocation(checkpoints)
                .start();
            query.awaitTermination();
        }
        System.exit(0);
    }
}
