package io.rivulet.kafka.internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The exactly-once Kafka sink's epoch markers: one record per writer transaction, in the transaction, to a
 * compacted marker topic the sink owns (or the user names), so that after a crash the newest committed
 * marker of a writer says which epoch Kafka last committed for it.
 *
 * <pre>
 *   topic   &lt;prefix&gt;-epochs (default), cleanup.policy=compact, created with 1 partition if absent
 *   record  partition 0, key = the writer's transactional id (&lt;prefix&gt;-&lt;writer&gt;, UTF-8),
 *           value = the epoch (decimal, UTF-8)
 * </pre>
 *
 * <p>Every marker goes to partition 0, whatever the topic's partition count: a writer's markers stay in one
 * partition even if partitions are added, and recovery reads one partition. The key is the transactional id,
 * unique per writer of every query (two queries must not share a prefix), so compaction keeps the newest
 * marker of each writer and several queries may share one marker topic.
 *
 * <p>{@link #open} checks the topic once per run (creating it if absent and allowed) and compares its
 * topic id with the one the staging directory recorded ({@value #STATE_FILE}): a marker topic deleted or
 * re-created since, or a different one named, has lost the markers of epochs the staging directory may
 * still hold, and {@link #checkNotLost} refuses to guess which of those Kafka committed.
 *
 * <p>Not thread-safe; owned by the query's commit thread ({@code open}, recovery, close); the publishers'
 * threads only call {@link #marker}, the writers' {@link #isOpen}.
 */
final class EpochMarkers implements AutoCloseable {
    static final String STATE_FILE = "epoch-marker-topic.properties";
    /** Offsets read per step backward from the end of the marker partition. */
    static final int CHUNK_OFFSETS = 512;
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final String topic;
    private final boolean named;
    private final Map<String, Object> clientConfigs;
    private final TopicPartition partition;
    private Admin admin;
    /** Set once {@link #open} checked the topic; read by writers' task threads. */
    private volatile String topicId;
    /** Whether this run created the topic (the broker's metadata may lag behind the controller). */
    private boolean created;
    /** Why the markers of earlier runs are gone, or {@code null}. */
    private String lost;

    /**
     * @param directory the staging directory, where the marker topic's id is recorded
     * @param topic the marker topic
     * @param named whether the user named the topic (then the error on a missing one says so)
     * @param producerConfigs the sink's producer configs: bootstrap servers and security settings are used
     */
    EpochMarkers(Path directory, String topic, boolean named, Map<String, Object> producerConfigs) {
        if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("the Kafka sink's epoch marker topic '" + topic + "' is not a legal topic "
                + "name (1-249 letters, digits, '.', '_' or '-')" + (named ? "" : "; it is <transactionalIdPrefix>-epochs: "
                + "set epochMarkerTopic"));
        }
        this.directory = directory;
        this.topic = topic;
        this.named = named;
        this.partition = new TopicPartition(topic, 0);
        this.clientConfigs = new HashMap<>();
        clientConfigs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, producerConfigs.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        for (Map.Entry<String, Object> config : producerConfigs.entrySet()) {
            if (config.getKey().startsWith("security.") || config.getKey().startsWith("sasl.")
                || config.getKey().startsWith("ssl.")) {
                clientConfigs.put(config.getKey(), config.getValue());
            }
        }
    }

    /** @return whether {@link #open} checked the topic */
    boolean isOpen() {
        return topicId != null;
    }

    /** @return the marker topic */
    String topic() {
        return topic;
    }

    /**
     * @param transactionalId the writer's transactional id
     * @param epochId the newest epoch of the transaction
     * @return the marker record of that transaction
     */
    ProducerRecord<byte[], byte[]> marker(String transactionalId, long epochId) {
        return new ProducerRecord<>(topic, 0, transactionalId.getBytes(StandardCharsets.UTF_8),
            Long.toString(epochId).getBytes(StandardCharsets.UTF_8));
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(clientConfigs);
        }
        return admin;
    }

    /**
     * Makes sure the marker topic exists (creating it, compacted, one partition, if absent) and is compacted,
     * and compares its id with the one the staging directory recorded. Idempotent.
     *
     * @param anythingStaged whether the staging directory holds staged epochs (else the id is recorded now)
     * @throws IllegalStateException naming the topic and the remedy if it is missing and cannot be created,
     *     or is not compacted
     */
    void open(boolean anythingStaged) throws Exception {
        if (topicId != null) {
            return;
        }
        TopicDescription description = describe();
        if (description == null) {
            create();
            description = describe();
            if (description == null) {
                throw new IllegalStateException("the Kafka sink's epoch marker topic '" + topic + "' was created but is "
                    + "not visible within " + TIMEOUT.toSeconds() + " s");
            }
        }
        Config config = admin().describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic))).all()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().iterator().next();
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null ? ""
            : config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalStateException("the Kafka sink's epoch marker topic '" + topic + "' has cleanup.policy="
                + policy + ": it must include compact, or retention deletes the markers that tell a restarted query "
                + "which epochs Kafka committed (kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                + " --add-config cleanup.policy=compact)");
        }
        topicId = description.topicId().toString();
        lost = lostSince(readState());
        if (!anythingStaged) {
            record();
        }
    }

    private TopicDescription describe() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return admin().describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("the Kafka sink cannot describe its epoch marker topic '" + topic + "': "
                        + e.getCause().getMessage(), e.getCause());
                }
                if (!created || System.nanoTime() > deadline) {
                    return null;
                }
                // Created by us a moment ago: the controller has it, this broker's metadata not yet.
                Thread.sleep(20);
            }
        }
    }

    private void create() throws Exception {
        NewTopic spec = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            // Compaction never touches the active segment: a small one keeps the partition near one record per writer.
            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024)));
        try {
            admin().createTopics(List.of(spec)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("the Kafka sink's epoch marker topic '" + topic + "' does not exist and "
                    + "cannot be created: " + e.getCause().getMessage() + ". Create it (cleanup.policy=compact; one "
                    + "partition is enough) or " + (named ? "name another existing one with" : "name an existing one with")
                    + " the option epochMarkerTopic", e.getCause());
            }
        }
        created = true;
    }

    /** @return {@code topic=... topicId=...} as recorded, or {@code null} if never recorded (first run, or an earlier version) */
    private Map<String, String> readState() throws IOException {
        Path file = directory.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Map<String, String> state = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                state.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return state;
    }

    private String lostSince(Map<String, String> state) {
        if (state == null) {
            return null;
        }
        String wasTopic = state.get("topic");
        String wasId = state.get("topicId");
        if (topic.equals(wasTopic) && topicId.equals(wasId)) {
            return null;
        }
        if (topic.equals(wasTopic)) {
            return "the epoch marker topic '" + topic + "' was deleted and re-created since the staging directory "
                + "recorded it (topic id " + wasId + ", now " + topicId + ")";
        }
        return "the staging directory's epochs were marked in topic '" + wasTopic + "', and the sink now marks them in '"
            + topic + "'";
    }

    /** Records the marker topic's name and id in the staging directory (written aside, forced, renamed). */
    void record() throws IOException {
        Path file = directory.resolve(STATE_FILE);
        Path aside = directory.resolve("." + STATE_FILE + ".tmp");
        byte[] content = ("topic=" + topic + "\ntopicId=" + topicId + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(aside, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        lost = null;
    }

    /**
     * @param inDoubt the staged files whose commit only a marker can tell, if any
     * @throws IllegalStateException if the markers of those epochs are gone (see the class comment)
     */
    void checkNotLost(List<Path> inDoubt) {
        if (lost != null && !inDoubt.isEmpty()) {
            throw new IllegalStateException(lost + ": it cannot tell whether Kafka committed the staged epochs "
                + inDoubt.stream().map(p -> p.getFileName().toString()).toList() + " in " + directory + ". Delete those "
                + "files to drop them (an epoch that was not committed is then lost), or delete " + directory.resolve(STATE_FILE)
                + " to publish them again (an epoch that was committed is then seen twice)");
        }
    }

    /**
     * The newest committed marker of each writer asked for, read backward from the end of the marker partition
     * {@value #CHUNK_OFFSETS} offsets at a time with a {@code read_committed} consumer, until each is found or
     * the partition's start is reached. Call after the writers' producers fenced the dead run (no transaction of
     * theirs is open), so the last stable offset reaches their last marker; it is waited for, since a live query
     * sharing the topic may hold it back for a moment.
     *
     * @param transactionalIds the writers' transactional ids
     * @return the newest marked epoch by transactional id; writers without a marker are absent
     */
    Map<String, Long> newest(Set<String> transactionalIds) throws Exception {
        Map<String, Long> found = new HashMap<>();
        long highWatermark = offset(OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
        long stable = offset(OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (stable < highWatermark) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kafka sink's epoch marker partition " + partition + " has a transaction "
                    + "open below offset " + highWatermark + " for more than " + TIMEOUT.toSeconds() + " s (last stable "
                    + "offset " + stable + "): another producer writes markers there");
            }
            Thread.sleep(20);
            stable = offset(OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
        }
        long earliest = offset(OffsetSpec.earliest(), IsolationLevel.READ_COMMITTED);
        Map<String, Object> configs = new HashMap<>(clientConfigs);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            long end = stable;
            while (end > earliest && found.size() < transactionalIds.size()) {
                long start = Math.max(earliest, end - CHUNK_OFFSETS);
                Map<String, Long> chunk = new HashMap<>();
                consumer.seek(partition, start);
                while (consumer.position(partition) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Kafka sink could not read its epoch marker partition "
                            + partition + " up to offset " + end + " within " + TIMEOUT.toSeconds() + " s");
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        if (record.offset() >= end || record.key() == null || record.value() == null) {
                            continue;
                        }
                        String id = new String(record.key(), StandardCharsets.UTF_8);
                        if (transactionalIds.contains(id) && !found.containsKey(id)) {
                            chunk.merge(id, Long.parseLong(new String(record.value(), StandardCharsets.UTF_8)), Math::max);
                        }
                    }
                }
                found.putAll(chunk);
                end = start;
            }
        }
        return found;
    }

    private long offset(OffsetSpec spec, IsolationLevel isolation) throws Exception {
        return admin().listOffsets(Map.of(partition, spec), new ListOffsetsOptions(isolation)).partitionResult(partition)
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
    }

    /**
     * The marker of a sink from before epoch markers were records: the epoch as the offset of consumer group
     * {@code transactionalId}, committed with {@code sendOffsetsToTransaction}. Read for a writer the marker
     * topic has no marker of, so that a query checkpointed by that version recovers after the upgrade.
     *
     * @param transactionalId the writer's transactional id (the old marker's group)
     * @return the newest epoch that group holds, or -1
     */
    long legacyGroupMarker(String transactionalId) throws Exception {
        long epoch = -1;
        // requireStable: a marker whose transaction is still completing is waited for, never read as absent.
        Map<TopicPartition, OffsetAndMetadata> offsets = admin().listConsumerGroupOffsets(transactionalId,
                new ListConsumerGroupOffsetsOptions().requireStable(true))
            .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (OffsetAndMetadata offset : offsets.values()) {
            if (offset != null) {
                epoch = Math.max(epoch, offset.offset());
            }
        }
        return epoch;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
