package io.rivulet.kafka.internal;

import io.rivulet.bench.jmh.BenchmarkDefaults;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;

/**
 * What the exactly-once Kafka sink's writer pays per record to hand it to its publisher: {@code offer} into the
 * {@link OneToOneRecordRing} (8192 slots, as the sink's) while another thread drains it, as the publisher does.
 * {@code baseline} is an offer into a ring nobody drains (always refused after it fills: the cost of the full
 * check alone). In its own package because the ring is internal to the Kafka module.
 */
@State(Scope.Group)
public class RecordHandOffBenchmark extends BenchmarkDefaults {
    private final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("out", "k".getBytes(StandardCharsets.UTF_8),
        "v".getBytes(StandardCharsets.UTF_8));
    private final OneToOneRecordRing ring = new OneToOneRecordRing(8192);
    private final OneToOneRecordRing undrained = new OneToOneRecordRing(8192);

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public boolean offer() {
        return ring.offer(record, 0, -1);
    }

    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    public ProducerRecord<byte[], byte[]> drain() {
        return ring.isEmpty() ? null : ring.poll();
    }

    @Benchmark
    @Group("baseline")
    public boolean refusedOffer() {
        return undrained.offer(record, 0, -1);
    }
}
