package io.rivulet.kafka.internal;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceContext.ReadMode;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.kafka.EmbeddedKafkaBroker;
import io.rivulet.kafka.KafkaSource;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Continuous processing's partition discovery runs on a thread of its own: a {@link KafkaSourceReader}
 * driven by hand on the test's thread (standing for its source task) goes on reading and writing its
 * position while the discovery's metadata request does not answer, takes the partitions found once it
 * does, and fails with a discovery failure that names the subscription. Real broker.
 */
class PartitionDiscoveryTest {
    private static final EmbeddedKafkaBroker BROKER = EmbeddedKafkaBroker.shared();
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    /** A metadata consumer whose listing waits for the test's go-ahead, noting the threads that ask. */
    private static final class GatedConsumer extends KafkaConsumer<byte[], byte[]> {
        final Set<Thread> listingThreads = new CopyOnWriteArraySet<>();
        final CountDownLatch listing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GatedConsumer(Map<String, Object> configs) {
            super(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
            listingThreads.add(Thread.currentThread());
            listing.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the listing");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return super.listTopics(timeout);
        }
    }

    /** A source partition's context on the test's thread. */
    private static SourceContext context(String query) {
        return new SourceContext() {
            @Override
            public int partition() {
                return 0;
            }

            @Override
            public int numPartitions() {
                return 1;
            }

            @Override
            public String queryName() {
                return query;
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long epochMillis() {
                return System.currentTimeMillis();
            }
        };
    }

    /** Collects {@code topic/partition/offset=value} per record. */
    private static final class Collected implements SourceOutput<ConsumerRecord<String, String>> {
        final List<String> rows = new ArrayList<>();

        @Override
        public void emit(ConsumerRecord<String, String> record) {
            rows.add(record.topic() + "/" + record.partition() + "/" + record.offset() + "=" + record.value());
        }

        @Override
        public void emitWatermark(long watermarkMs) {
        }
    }

    private static KafkaSource<String, String> pattern(String pattern) {
        return KafkaSource.of(BROKER.bootstrapServers(), StringDeserializer::new, StringDeserializer::new)
            .subscribePattern(pattern).startingOffsets("earliest").partitionDiscoveryInterval(Duration.ofMillis(20));
    }

    private static Map<String, Object> consumerConfigs(KafkaSource<?, ?> source) {
        Map<String, Object> configs = source.settings().consumerConfigs();
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return configs;
    }

    private static KafkaSourceReader<String, String> reader(KafkaSource<String, String> source, String query,
                                                            KafkaSourceRun run) {
        run.opened();
        return new KafkaSourceReader<>(run, source.kafkaPartitions(), new StringDeserializer(), new StringDeserializer(),
            context(query));
    }

    /** Polls on the calling thread (the reader's owner) until {@code done}. */
    private static void pollUntil(KafkaSourceReader<String, String> reader, Collected out, String what, BooleanSupplier done)
        throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NS;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            if (reader.poll(out, 100) == 0) {
                Thread.sleep(1);
            }
        }
    }

    private static Map<TopicPartition, Long> position(KafkaSourceReader<String, String> reader) {
        SnapshotOutput out = new SnapshotOutput();
        reader.writePosition(out);
        SnapshotInput in = out.asInput();
        assertThat(in.readByte()).isEqualTo((byte) KafkaSourceRun.POSITION_VERSION);
        Map<TopicPartition, Long> position = new TreeMap<>(
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (int i = in.readVarInt(); i > 0; i--) {
            position.put(new TopicPartition(in.readString(), in.readInt()), in.readLong());
        }
        return position;
    }

    @Test
    void shouldReadAndWritePositionsWhileTheDiscoveryWaitsForMetadataAndTakeTheNewTopicOnceItAnswers() throws Exception {
        BROKER.createTopic("dstall-a", 1);
        BROKER.produce("dstall-a", 0, -1, "k", "a0");
        KafkaSource<String, String> source = pattern("dstall-.*");
        List<GatedConsumer> clients = new CopyOnWriteArrayList<>();
        KafkaSourceRun run = new KafkaSourceRun(source.description(), "dstall", source.settings(), source.kafkaPartitions(),
            1, ReadMode.CONTINUOUS, () -> { }, () -> {
                GatedConsumer client = new GatedConsumer(consumerConfigs(source));
                clients.add(client);
                return client;
            });
        KafkaSourceReader<String, String> reader = reader(source, "dstall", run);
        Collected out = new Collected();
        try {
            pollUntil(reader, out, "the first record", () -> out.rows.size() == 1);
            pollUntil(reader, out, "the discovery's first listing", () -> !clients.isEmpty() && clients.get(0).listing.getCount() == 0);
            GatedConsumer client = clients.get(0);

            // The listing hangs: records still flow and the position follows them.
            BROKER.createTopic("dstall-b", 1);
            BROKER.produce("dstall-b", 0, -1, "k", "b0");
            BROKER.produce("dstall-a", 0, -1, "k", "a1", "k", "a2");
            pollUntil(reader, out, "the records written during the hang", () -> out.rows.size() == 3);
            assertThat(client.release.getCount()).as("the listing still waits").isEqualTo(1);
            assertThat(position(reader)).containsExactly(Map.entry(new TopicPartition("dstall-a", 0), 3L));
            assertThat(client.listingThreads).as("the listing ran off the reader's thread").isNotEmpty()
                .doesNotContain(Thread.currentThread());

            client.release.countDown();
            pollUntil(reader, out, "the new topic's record", () -> out.rows.size() == 4);
            assertThat(out.rows).containsExactly("dstall-a/0/0=a0", "dstall-a/0/1=a1", "dstall-a/0/2=a2", "dstall-b/0/0=b0");
            assertThat(position(reader)).containsExactly(Map.entry(new TopicPartition("dstall-a", 0), 3L),
                Map.entry(new TopicPartition("dstall-b", 0), 1L));
        } finally {
            clients.forEach(c -> c.release.countDown());
            reader.close();
        }
    }

    @Test
    void shouldFailThePollNamingTheSubscriptionWhenTheDiscoveryFails() throws Exception {
        BROKER.createTopic("dfail-a", 1);
        KafkaSource<String, String> source = pattern("dfail-.*");
        KafkaSourceRun run = new KafkaSourceRun(source.description(), "dfail", source.settings(), source.kafkaPartitions(),
            1, ReadMode.CONTINUOUS, () -> { }, () -> new KafkaConsumer<byte[], byte[]>(consumerConfigs(source),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
                @Override
                public Map<String, List<PartitionInfo>> listTopics(Duration timeout) {
                    throw new TimeoutException("Timeout expired while fetching topic metadata");
                }
            });
        KafkaSourceReader<String, String> reader = reader(source, "dfail", run);
        Collected out = new Collected();
        try {
            assertThatThrownBy(() -> pollUntil(reader, out, "the discovery's failure", () -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka[subscribePattern=dfail-.*]: partition discovery")
                .hasMessageContaining("Timeout expired while fetching topic metadata");
        } finally {
            reader.close();
        }
    }
}
