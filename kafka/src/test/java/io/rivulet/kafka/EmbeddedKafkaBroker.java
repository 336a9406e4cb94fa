package io.rivulet.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker for tests: the official KRaft server ({@code kafka_2.13},
 * {@code kafka-server} from Maven Central) started in this JVM, combined broker and controller, on
 * loopback with free ports, its log in a fresh temporary directory deleted by {@link #close()}. No
 * Docker, nothing installed: the test class path is enough.
 *
 * <p>Start-up formats the storage (what {@code kafka-storage.sh format} does) and starts
 * {@link KafkaRaftServer}; it takes about 1–2 s. Internal topics get one partition and replication 1
 * so the first group or transaction does not create 50 partitions. The broker logs through SLF4J with
 * no binding on the class path, so it prints nothing.
 *
 * <p>Thread-safe: the helpers each open and close their own client.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static EmbeddedKafkaBroker shared;

    private final Path directory;
    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(Path directory, KafkaRaftServer server, String bootstrapServers) {
        this.directory = directory;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats a temporary log directory and starts the broker; returns once it accepts clients.
     *
     * @return the running broker
     * @throws Exception if it does not start
     */
    public static EmbeddedKafkaBroker start() throws Exception {
        return start(0);
    }

    /**
     * Formats a temporary log directory and starts the broker with its PLAINTEXT listener on the given
     * loopback port (the controller listener on a free one); returns once it accepts clients.
     *
     * @param port the broker's port on 127.0.0.1, 1–65535, or 0 for a free port
     * @return the running broker
     * @throws IllegalArgumentException if {@code port} is outside 0–65535
     * @throws Exception if it does not start (e.g. the port is taken)
     */
    public static EmbeddedKafkaBroker start(int port) throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (a free port) or 1-65535, was " + port);
        }
        Path directory = Files.createTempDirectory("rivulet-kafka-");
        String logDir = directory.resolve("log").toString();
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir);
        props.put("num.partitions", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Scale-out tests let a killed instance's session expire in about a second.
        props.put("group.min.session.timeout.ms", "500");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        props.put("auto.create.topics.enable", "false");
        props.put("controller.quorum.election.timeout.ms", "1000");
        props.put("controller.quorum.fetch.timeout.ms", "2000");
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        new Formatter()
            .setPrintStream(silent)
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setClusterId(Uuid.randomUuid().toString())
            .setNodeId(1)
            .setControllerListenerName("CONTROLLER")
            .setMetadataLogDirectory(logDir)
            .setDirectories(List.of(logDir))
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .run();

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(directory, server, "127.0.0.1:" + brokerPort);
        broker.awaitReady();
        return broker;
    }

    /**
     * The broker every test class of this JVM shares: started on first use (start-up is the costly part,
     * seconds on a busy machine), stopped and deleted when the JVM exits. Tests keep apart by topic name.
     *
     * @return the shared running broker
     */
    public static synchronized EmbeddedKafkaBroker shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded Kafka broker", e);
            }
            EmbeddedKafkaBroker broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));
        }
        return shared;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the embedded Kafka broker did not come up within 30 s", e);
                    }
                }
                Thread.sleep(20);
            }
        }
    }

    /** @return {@code host:port} of the broker's PLAINTEXT listener on loopback */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** @return a new admin client for this broker; the caller closes it */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"));
    }

    /**
     * Creates a topic and waits until it exists.
     *
     * @param name the topic
     * @param partitions its partition count, at least 1
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with topic configs (e.g. {@code retention.ms}) and waits until it exists.
     *
     * @param name the topic
     * @param partitions its partition count, at least 1
     * @param configs topic-level configs
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
            // createTopics completes on the controller; wait until the broker's metadata serves every partition
            // with a leader, or a client that asks at once may be told the topic does not exist.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!served(admin, name, partitions)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " not served by the broker within 30 s");
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    private static boolean served(Admin admin, String name, int partitions) {
        try {
            var description = admin.describeTopics(List.of(name)).allTopicNames().get(5, TimeUnit.SECONDS).get(name);
            return description.partitions().size() == partitions
                && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Writes records (key and value as UTF-8 strings, {@code null} allowed) to one partition and waits
     * until they are acknowledged.
     *
     * @param topic the topic
     * @param partition its partition
     * @param timestampMs the records' timestamp, or -1 for the producer's clock
     * @param keyValues key, value, key, value, ...
     */
    public void produce(String topic, int partition, long timestampMs, String... keyValues) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < keyValues.length; i += 2) {
                producer.send(new ProducerRecord<>(topic, partition, timestampMs < 0 ? null : timestampMs,
                    bytes(keyValues[i]), bytes(keyValues[i + 1])));
            }
            producer.flush();
        }
    }

    /** @return a new idempotent byte-array producer for this broker; the caller closes it */
    public KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void awaitNoTransactionEnding() {
        try (Admin admin = admin()) {
            ListTransactionsOptions ending = new ListTransactionsOptions()
                .filterStates(List.of(TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.listTransactions(ending).all().get(30, TimeUnit.SECONDS).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("transactions still ending after 30 s");
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for ending transactions", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the broker's transactions", e);
        }
    }

    /**
     * Waits (at most 30 s) until a {@code read_uncommitted} consumer, which also sees the records of open
     * transactions, has read {@code count} records of a topic from its start.
     *
     * @param topic the topic
     * @param count how many records to wait for
     * @return the first {@code count} records read, partition by partition in offset order
     * @throws IllegalStateException if fewer arrived within 30 s
     */
    public List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = fromStart(topic, "read_uncommitted")) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read " + records.size() + " records of " + topic + " uncommitted, not "
                        + count + ", within 30 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
            return records.subList(0, count);
        }
    }

    /**
     * Reads every record of a topic from its start to its current end, as a {@code read_committed}
     * consumer does (aborted and open transactions are not visible). A producer's {@code commitTransaction}
     * returns once its coordinator has logged the commit, before the commit markers reach the partitions;
     * so the read first waits (at most 30 s) until no transaction is between those two points.
     *
     * @param topic the topic
     * @return the records, partition by partition in offset order
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        awaitNoTransactionEnding();
        try (KafkaConsumer<byte[], byte[]> consumer = fromStart(topic, "read_committed")) {
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
            return records;
        }
    }

    /** A consumer of every partition of {@code topic}, at its start, with {@code isolationLevel}; the caller closes it. */
    private KafkaConsumer<byte[], byte[]> fromStart(String topic, String isolationLevel) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
