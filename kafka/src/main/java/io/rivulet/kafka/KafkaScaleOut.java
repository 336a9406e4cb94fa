package io.rivulet.kafka;

import io.rivulet.engine.DataStreamWriter;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.kafka.internal.GroupMember;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs one query on several JVMs or machines that divide a topic's partitions among them through Kafka's
 * consumer-group protocol, as Kafka Streams instances do. Every instance is started with the same name,
 * source and query, and the same checkpoint root on a filesystem they all see:
 *
 * <pre>{@code
 * ScaleOutInstance instance = KafkaScaleOut.of(rivulet, "word-counts",
 *         KafkaSource.of(servers, StringDeserializer::new, StringDeserializer::new).subscribe("words"),
 *         Path.of("/shared/word-counts"),
 *         (records, task) -> records
 *             .keyBy("word", ConsumerRecord::key).count()
 *             .writeStream(KafkaSink.<KeyValue<String, Long>>of(servers, kv -> new ProducerRecord<>("counts",
 *                     bytes(kv.key()), bytes(kv.key() + "=" + kv.value())))
 *                 .exactlyOnce(task.stagingDirectory()))
 *             .outputMode("update")
 *             .trigger(Trigger.continuous(Duration.ofMillis(100))))
 *     .start();
 * }</pre>
 *
 * <p><b>Tasks.</b> The unit of work is a {@link ScaleOutTask}: partition {@code p} of every subscribed
 * topic (the topics must have the same partition count: co-partitioned). Each task runs as a Rivulet query
 * of its own, built by the given {@link TaskQuery} over a source that reads just the task's partitions,
 * named {@code <name>-task-<p>}, with its checkpoint under {@code <root>/task-<p>/checkpoint}: its source
 * offsets, its keyed state, its commit log. An instance joins consumer group {@code rivulet-<name>} on the
 * first subscribed topic (it reads no record through it); the group assigns partition {@code p} to one
 * instance, which starts task {@code p} from its checkpoint. On a rebalance (an instance joins, leaves, or
 * dies and its session times out) a revoked task is stopped before the partition moves (its epoch
 * commits, its checkpoint lock is released) and its new owner restores it from the same checkpoint. An
 * exactly-once {@link KafkaSink} given {@link ScaleOutTask#stagingDirectory()} keeps exactly-once across
 * the move: its {@code transactional.id}s derive from the task's query name, so the new owner fences the
 * old one's producers and publishes or drops what it staged, as after a restart.
 *
 * <p><b>Keyed state must be partitioned as Kafka partitions the input.</b> A task holds the state of the
 * keys that occur in its partitions only. That is the whole state of a key only if every record of the key
 * is in the same partition number: key the state by the Kafka record key (or a function of it) and have
 * the producers partition by that key with Kafka's default partitioner, the same in every subscribed
 * topic. State keyed by anything else (a field of the value) must first be repartitioned through a topic
 * keyed by it, read by a second scale-out query. {@link #verifyKeyPartitioning} checks the first half of
 * the rule at run time; see {@code docs/scale-out.md}.
 *
 * <p>Immutable: setters return copies. {@link #start()} may be called once per JVM per name.
 *
 * @param <K> Kafka key type
 * @param <V> Kafka value type
 */
public final class KafkaScaleOut<K, V> {
    /** How long a task whose checkpoint another owner still holds waits before it tries again. */
    public static final Duration DEFAULT_START_RETRY_INTERVAL = Duration.ofMillis(200);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String GROUP_FILE = "scale-out.properties";
    /** Group-consumer configs the group sets itself. */
    private static final Set<String> OWN_CONFIGS = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);

    private final Rivulet rivulet;
    private final String name;
    private final KafkaSource<K, V> source;
    private final Path checkpointRoot;
    private final TaskQuery<K, V> query;
    private final Map<String, Object> groupConfigs;
    private final Serializer<K> keyCheck;
    private final Duration startRetryInterval;

    /**
     * Builds the query of one task. Called on the instance's group thread each time the instance takes
     * the task (first start, and after every move). An exactly-once {@link KafkaSink} must get the task's
     * own {@link ScaleOutTask#stagingDirectory()} and keep its default {@code transactionalIdPrefix} (or
     * one that includes the task id): tasks sharing either would settle each other's epochs.
     *
     * @param <K> Kafka key type
     * @param <V> Kafka value type
     */
    @FunctionalInterface
    public interface TaskQuery<K, V> {
        /**
         * @param records the task's records: a stream over its partitions only (one source partition per topic)
         * @param task the task: its id, partitions and directories
         * @return the query, not started, its query name and checkpoint location unset (the group sets them)
         */
        DataStreamWriter<?> build(Stream<ConsumerRecord<K, V>> records, ScaleOutTask task);
    }

    private KafkaScaleOut(Rivulet rivulet, String name, KafkaSource<K, V> source, Path checkpointRoot, TaskQuery<K, V> query,
                          Map<String, Object> groupConfigs, Serializer<K> keyCheck, Duration startRetryInterval) {
        this.rivulet = rivulet;
        this.name = name;
        this.source = source;
        this.checkpointRoot = checkpointRoot;
        this.query = query;
        this.groupConfigs = groupConfigs;
        this.keyCheck = keyCheck;
        this.startRetryInterval = startRetryInterval;
    }

    /**
     * A scale-out query.
     *
     * @param rivulet the engine the tasks run on
     * @param name the query's name, the same on every instance: letters, digits, {@code .}, {@code _}, {@code -};
     *     the consumer group is {@code rivulet-<name>} and task {@code p}'s query {@code <name>-task-<p>}
     * @param source what to read: {@link KafkaSource#subscribe} to one or more co-partitioned topics (same
     *     partition count); its other settings (starting offsets, deserializers, {@code kafka.} configs)
     *     apply to every task
     * @param checkpointRoot the directory holding every task's checkpoint, the same on every instance (a
     *     filesystem they all see, with working file locks); created if missing
     * @param query builds a task's query
     * @param <K> Kafka key type
     * @param <V> Kafka value type
     * @return the configuration; {@link #start()} joins the group
     * @throws IllegalArgumentException if the name is not of that form, or the source uses {@code assign}
     *     or {@code subscribePattern}
     */
    public static <K, V> KafkaScaleOut<K, V> of(Rivulet rivulet, String name, KafkaSource<K, V> source, Path checkpointRoot,
                                                TaskQuery<K, V> query) {
        Objects.requireNonNull(rivulet, "rivulet");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(checkpointRoot, "checkpointRoot");
        Objects.requireNonNull(query, "query");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("scale-out name must be letters, digits, '.', '_' or '-' (it names the "
                + "consumer group, the task queries and their transactional ids), got '" + name + "'");
        }
        if (source.settings().subscribe == null) {
            throw new IllegalArgumentException("scale-out source " + source.description() + " must subscribe to topics "
                + "(subscribe(...)): the group divides their partitions; assign and subscribePattern cannot be divided");
        }
        return new KafkaScaleOut<>(rivulet, name, source, checkpointRoot.toAbsolutePath().normalize(), query, Map.of(), null,
            DEFAULT_START_RETRY_INTERVAL);
    }

    /**
     * A config of the group-membership consumer (not the task sources'; use {@link KafkaSource#option} for
     * those), e.g. {@code session.timeout.ms} (how long a dead instance keeps its tasks),
     * {@code heartbeat.interval.ms}, {@code group.instance.id} (static membership), {@code group.protocol},
     * {@code partition.assignment.strategy}. Defaults: {@code group.protocol=classic} with the cooperative
     * sticky assignor (only moved tasks stop). Security configs given to the source apply here too.
     *
     * @param config the consumer config
     * @param value its value
     * @return a copy with the config
     * @throws IllegalArgumentException for {@code group.id}, the deserializers and {@code enable.auto.commit}
     */
    public KafkaScaleOut<K, V> option(String config, String value) {
        Objects.requireNonNull(config, "config");
        if (OWN_CONFIGS.contains(config)) {
            throw new IllegalArgumentException("scale-out option '" + config + "' is set by the group itself (group.id is "
                + "rivulet-<name>)");
        }
        Map<String, Object> copy = new LinkedHashMap<>(groupConfigs);
        copy.put(config, Objects.requireNonNull(value, "value"));
        return new KafkaScaleOut<>(rivulet, name, source, checkpointRoot, query, Map.copyOf(copy), keyCheck, startRetryInterval);
    }

    /**
     * Checks, for every record, that its partition is the one Kafka's default partitioner gives its key
     * ({@code murmur2(serialized key) % partitions}): the precondition for keyed state keyed by the Kafka
     * key to be complete in each task. A record with another partition, or without key, fails its task's
     * query, and so the instance, naming the record. Costs one serialization and hash per record: use it
     * while validating a deployment, or always when the producers are not under your control.
     *
     * @param keySerializer the serializer the producers use for keys; thread-safe (Kafka's built-in ones are)
     * @return a copy with the check
     */
    public KafkaScaleOut<K, V> verifyKeyPartitioning(Serializer<K> keySerializer) {
        return new KafkaScaleOut<>(rivulet, name, source, checkpointRoot, query, groupConfigs,
            Objects.requireNonNull(keySerializer, "keySerializer"), startRetryInterval);
    }

    /**
     * @param interval how long a task waits before trying again to open a checkpoint its previous owner
     *     still holds (default {@link #DEFAULT_START_RETRY_INTERVAL}); positive
     * @return a copy with the interval
     */
    public KafkaScaleOut<K, V> startRetryInterval(Duration interval) {
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("startRetryInterval must be positive, got " + interval);
        }
        return new KafkaScaleOut<>(rivulet, name, source, checkpointRoot, query, groupConfigs, keyCheck, interval);
    }

    /** @return the consumer group the instances share */
    public String groupId() {
        return "rivulet-" + name;
    }

    /**
     * Lists the tasks (a metadata request): one per partition number of the subscribed topics.
     *
     * @return the tasks, by id
     * @throws IllegalStateException if a topic is missing or the topics' partition counts differ
     */
    public List<ScaleOutTask> tasks() {
        List<String> topics = source.settings().subscribe;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String topic : topics) {
            counts.put(topic, 0);
        }
        for (TopicPartition partition : source.kafkaPartitions()) {
            counts.merge(partition.topic(), 1, Integer::sum);
        }
        int taskCount = counts.get(topics.get(0));
        for (Map.Entry<String, Integer> topic : counts.entrySet()) {
            if (topic.getValue() != taskCount) {
                throw new IllegalStateException("scale-out query '" + name + "': the subscribed topics are not "
                    + "co-partitioned (partitions per topic: " + counts + "); task p reads partition p of each, so every "
                    + "topic needs the same partition count");
            }
        }
        List<ScaleOutTask> tasks = new ArrayList<>(taskCount);
        for (int p = 0; p < taskCount; p++) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                partitions.add(new TopicPartition(topic, p));
            }
            Path dir = checkpointRoot.resolve("task-" + p);
            tasks.add(new ScaleOutTask(p, partitions, name + "-task-" + p, dir.resolve("checkpoint"), dir.resolve("staging")));
        }
        return List.copyOf(tasks);
    }

    /**
     * Joins the group: lists the tasks, checks them against the checkpoint root (a root written for another
     * query name, other topics or another partition count is refused), and starts the member thread, which
     * runs the tasks the group assigns to this instance.
     *
     * @return this JVM's instance, active
     * @throws IllegalStateException if the topics are missing or not co-partitioned, or the root belongs to
     *     another query or partition count
     */
    public ScaleOutInstance start() {
        List<ScaleOutTask> tasks = tasks();
        checkRoot(tasks.size());
        Map<String, Object> configs = new LinkedHashMap<>(source.settings().consumerConfigs());
        configs.keySet().removeIf(key -> key.equals(ConsumerConfig.ISOLATION_LEVEL_CONFIG)
            || key.equals(ConsumerConfig.CLIENT_ID_CONFIG) || key.equals(ConsumerConfig.GROUP_ID_CONFIG));
        configs.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        configs.putAll(groupConfigs);
        if ("classic".equalsIgnoreCase(String.valueOf(configs.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
            configs.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        configs.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId() + "-member-" + UUID.randomUUID().toString().substring(0, 8));
        GroupMember member = new GroupMember(name, groupId(), tasks.get(0).partitions().get(0).topic(), tasks.size(), configs,
            id -> startTask(tasks.get(id), tasks.size()), startRetryInterval.toNanos());
        member.start();
        return member;
    }

    private StreamingQuery startTask(ScaleOutTask task, int partitionCount) {
        Stream<ConsumerRecord<K, V>> records = rivulet.readStream(source.forTask(task.partitions()));
        Serializer<K> keys = keyCheck;
        if (keys != null) {
            records = records.map(record -> checkPartition(keys, record, partitionCount));
        }
        DataStreamWriter<?> writer = Objects.requireNonNull(query.build(records, task), "the task query returned null");
        return writer.queryName(task.queryName()).checkpointLocation(task.checkpointLocation()).start();
    }

    private static <K, V> ConsumerRecord<K, V> checkPartition(Serializer<K> keys, ConsumerRecord<K, V> record, int partitions) {
        byte[] key = record.key() == null ? null : keys.serialize(record.topic(), record.headers(), record.key());
        if (key == null) {
            throw new IllegalStateException("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + " has no key: keyed state cannot follow the Kafka partitioning (verifyKeyPartitioning)");
        }
        int expected = Utils.toPositive(Utils.murmur2(key)) % partitions;
        if (expected != record.partition()) {
            throw new IllegalStateException("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + " is in partition " + record.partition() + " but Kafka's default partitioner puts its key in partition "
                + expected + ": state keyed by the Kafka key would be split between tasks. Produce with the default "
                + "partitioner (or repartition through a topic); see docs/scale-out.md");
        }
        return record;
    }

    /** Records the root's query on first start; refuses a root written for another query, topics or partition count. */
    private void checkRoot(int taskCount) {
        String expected = "name=" + name + "\ntopics=" + String.join(",", source.settings().subscribe) + "\ntasks=" + taskCount
            + "\n";
        Path file = checkpointRoot.resolve(GROUP_FILE);
        try {
            Files.createDirectories(checkpointRoot);
            if (!Files.exists(file)) {
                Path temporary = checkpointRoot.resolve(GROUP_FILE + "." + UUID.randomUUID() + ".tmp");
                Files.writeString(temporary, expected, StandardCharsets.UTF_8);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
            String stored = Files.readString(file, StandardCharsets.UTF_8);
            if (!stored.equals(expected)) {
                throw new IllegalStateException("scale-out query '" + name + "': checkpoint root " + checkpointRoot
                    + " was written for [" + stored.strip().replace('\n', ' ') + "], not for [" + expected.strip().replace('\n', ' ')
                    + "]: one root serves one query, and a changed partition count moves keys between partitions, so the "
                    + "tasks' state cannot follow; use a new checkpoint root");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use scale-out checkpoint root " + checkpointRoot, e);
        }
    }
}
