package io.rivulet.kafka;

import io.rivulet.engine.DataStreamWriter;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.Stream;
import io.rivulet.engine.StreamingQuery;
import io.rivulet.kafka.internal.GroupMember;
import io.rivulet.kafka.internal.TaskAssignor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
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
 * topic. With {@link KafkaSource#subscribe} the topics must have the same partition count
 * (co-partitioned). With {@link KafkaSource#subscribePattern} the topics the pattern matches may differ:
 * there are as many tasks as the largest has partitions, task {@code p} reads partition {@code p} of
 * each topic that has one, and a matching topic created while the group runs is picked up without a
 * restart (its partitions join the tasks of their numbers, or become new tasks), as Kafka's pattern
 * subscription does. {@link KafkaSource#assign} is refused: there is no group to divide or move fixed
 * partitions. Each task runs as a Rivulet query
 * of its own, built by the given {@link TaskQuery} over a source that reads just the task's partitions,
 * named {@code <name>-task-<p>}, with its checkpoint under {@code <root>/task-<p>/checkpoint}: its source
 * offsets, its keyed state, its commit log. An instance joins consumer group {@code rivulet-<name>} on the
 * first subscribed topic, or on the pattern with a task assignor (it reads no record through it); the
 * group assigns partition {@code p} (every partition numbered {@code p}) to one instance, which starts
 * task {@code p} from its checkpoint. On a rebalance (an instance joins, leaves, or
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
 * <p><b>Topics of a pattern with different partition counts</b> are co-partitioned only up to the smaller
 * count: a key's records land in partition {@code murmur2(key) % count} of each topic, so the same key in
 * two topics of different counts reaches two tasks. Keyed state keyed by the Kafka key is then complete
 * per (key, topic), not per key: keep state that must see a key across topics on topics of one count.
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
    private static final String INITIAL_TASKS_FILE = "pattern-tasks-at-creation";
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
     *     partition count), or {@link KafkaSource#subscribePattern} (every matching topic, now and later;
     *     tasks = the largest partition count); its other settings (starting offsets, deserializers,
     *     {@code kafka.} configs, {@code partitionDiscoveryInterval}) apply to every task
     * @param checkpointRoot the directory holding every task's checkpoint, the same on every instance (a
     *     filesystem they all see, with working file locks); created if missing
     * @param query builds a task's query
     * @param <K> Kafka key type
     * @param <V> Kafka value type
     * @return the configuration; {@link #start()} joins the group
     * @throws IllegalArgumentException if the name is not of that form, or the source uses {@code assign}
     *     (or sets none of the three)
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
        if (source.settings().subscribe == null && source.settings().subscribePattern == null) {
            throw new IllegalArgumentException("scale-out source " + source.description() + " must subscribe(topics...) or "
                + "subscribePattern(regex): the instances divide the subscribed partitions through the consumer group and "
                + "take over a dead instance's. 'assign' names fixed partitions with no group to divide them or to move "
                + "them on failure: subscribe to their topics instead, or run the assigned source in one query of its own "
                + "(rivulet.readStream(source) with a checkpointLocation)");
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
     * Over a {@code subscribePattern} the group needs its own task assignor (every partition numbered
     * {@code p} to the owner of task {@code p}), hence the classic protocol: {@link #start()} refuses
     * {@code group.protocol=consumer} and another {@code partition.assignment.strategy}; its
     * {@code metadata.max.age.ms}, how soon it sees a new matching topic, defaults to the source's
     * {@code partitionDiscoveryInterval}.
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
     * Lists the tasks (a metadata request): one per partition number of the subscribed topics. Over a
     * pattern, the tasks of the topics that match now (a snapshot: topics created later add tasks, and
     * partitions to the tasks of their numbers); empty if none matches yet.
     *
     * @return the tasks, by id
     * @throws IllegalStateException if a subscribed topic is missing or the topics' partition counts differ
     */
    public List<ScaleOutTask> tasks() {
        if (source.settings().subscribePattern != null) {
            Map<Integer, List<TopicPartition>> byTask = new TreeMap<>();
            for (TopicPartition partition : source.listMatchingPartitions()) {
                byTask.computeIfAbsent(partition.partition(), p -> new ArrayList<>()).add(partition);
            }
            List<ScaleOutTask> tasks = new ArrayList<>(byTask.size());
            byTask.forEach((p, partitions) -> tasks.add(task(p, partitions)));
            return List.copyOf(tasks);
        }
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
            tasks.add(task(p, partitions));
        }
        return List.copyOf(tasks);
    }

    private ScaleOutTask task(int id, List<TopicPartition> partitions) {
        Path dir = checkpointRoot.resolve("task-" + id);
        return new ScaleOutTask(id, partitions, name + "-task-" + id, dir.resolve("checkpoint"), dir.resolve("staging"));
    }

    /**
     * Joins the group: lists the tasks, checks them against the checkpoint root (a root written for another
     * query name or another subscription, other topics, another partition count or another pattern, is
     * refused), and starts the member thread, which runs the tasks the group assigns to this instance.
     * Over a pattern that matches no topic yet, the instance joins and waits for one.
     *
     * @return this JVM's instance, active
     * @throws IllegalStateException if the topics are missing or not co-partitioned, or the root belongs to
     *     another query or subscription
     * @throws IllegalArgumentException over a pattern, for {@code group.protocol=consumer} or another
     *     {@code partition.assignment.strategy} (the group needs its task assignor)
     */
    public ScaleOutInstance start() {
        String pattern = source.settings().subscribePattern;
        List<ScaleOutTask> tasks = tasks();
        checkRoot(pattern != null ? "subscribePattern=" + pattern
            : "topics=" + String.join(",", source.settings().subscribe) + "\ntasks=" + tasks.size());
        Map<String, Object> configs = new LinkedHashMap<>(source.settings().consumerConfigs());
        configs.keySet().removeIf(key -> key.equals(ConsumerConfig.ISOLATION_LEVEL_CONFIG)
            || key.equals(ConsumerConfig.CLIENT_ID_CONFIG) || key.equals(ConsumerConfig.GROUP_ID_CONFIG));
        configs.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        if (pattern != null) {
            configs.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, String.valueOf(source.settings().partitionDiscoveryIntervalMs()));
            checkPatternGroupConfigs();
            configs.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, TaskAssignor.class.getName());
        }
        configs.putAll(groupConfigs);
        if ("classic".equalsIgnoreCase(String.valueOf(configs.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
            configs.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        configs.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId() + "-member-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Integer> counts = new TreeMap<>();
        for (ScaleOutTask task : tasks) {
            for (TopicPartition partition : task.partitions()) {
                counts.merge(partition.topic(), 1, Integer::sum);
            }
        }
        GroupMember member;
        if (pattern != null) {
            Map<String, Integer> verifyCounts = new ConcurrentHashMap<>(counts);
            int initialTasks = initialTasks(tasks.size());
            member = new GroupMember(name, groupId(), null, Pattern.compile(pattern), counts, configs,
                (id, partitions) -> startPatternTask(id, partitions, id >= initialTasks, verifyCounts),
                startRetryInterval.toNanos());
        } else {
            String lead = tasks.get(0).partitions().get(0).topic();
            member = new GroupMember(name, groupId(), List.of(lead), null, Map.of(lead, tasks.size()), configs,
                (id, partitions) -> startTask(tasks.get(id), rivulet.readStream(source.forTask(tasks.get(id).partitions())),
                    topic -> tasks.size()), startRetryInterval.toNanos());
        }
        member.start();
        return member;
    }

    private void checkPatternGroupConfigs() {
        Object protocol = groupConfigs.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        if (protocol != null && !"classic".equalsIgnoreCase(protocol.toString())) {
            throw new IllegalArgumentException("scale-out query '" + name + "': option group.protocol=" + protocol + " is not "
                + "supported with subscribePattern: the group assigns whole tasks (partition p of every matching topic to one "
                + "instance) with its own assignor, which only the classic protocol runs; leave group.protocol unset");
        }
        Object strategy = groupConfigs.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        if (strategy != null && !TaskAssignor.class.getName().equals(strategy.toString())) {
            throw new IllegalArgumentException("scale-out query '" + name + "': option partition.assignment.strategy=" + strategy
                + " is not supported with subscribePattern: the group's own assignor gives partition p of every matching "
                + "topic to the one instance running task p; leave partition.assignment.strategy unset");
        }
    }

    private StreamingQuery startPatternTask(int id, List<TopicPartition> assigned, boolean added, Map<String, Integer> counts) {
        // The group hands a member only the topics its own subscription lists, which may lag the cluster's;
        // plan every matching topic's partition too, so that a task restarted elsewhere plans no fewer
        // source partitions than its checkpoint holds.
        Set<TopicPartition> plan = new LinkedHashSet<>(assigned);
        try {
            for (TopicPartition partition : source.listMatchingPartitions()) {
                if (partition.partition() == id) {
                    plan.add(partition);
                }
            }
        } catch (RuntimeException e) {
            // A metadata hiccup: the assigned partitions are a plan, and the source's discovery adds the rest.
        }
        List<TopicPartition> partitions = new ArrayList<>(plan);
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        ScaleOutTask task = task(id, partitions);
        return startTask(task, rivulet.readStream(source.forPatternTask(id, partitions, added)),
            topic -> counts.computeIfAbsent(topic, this::partitionCount));
    }

    /** Slow path of {@link #verifyKeyPartitioning} over a pattern: the partition count of a topic first seen. */
    private int partitionCount(String topic) {
        Map<String, Object> configs = source.settings().consumerConfigs();
        configs.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId() + "-metadata-" + UUID.randomUUID().toString().substring(0, 8));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("scale-out query '" + name + "': topic '" + topic + "' has no partitions");
            }
            return infos.size();
        }
    }

    private StreamingQuery startTask(ScaleOutTask task, Stream<ConsumerRecord<K, V>> input, ToIntFunction<String> partitionCount) {
        Stream<ConsumerRecord<K, V>> records = input;
        Serializer<K> keys = keyCheck;
        if (keys != null) {
            records = records.map(record -> checkPartition(keys, record, partitionCount.applyAsInt(record.topic())));
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

    /**
     * Over a pattern: how many tasks there were when the root was created (recorded then). A task beyond
     * them appeared with a topic created later, and its first start reads from the earliest offsets, as a
     * running task reads the partitions of a new topic: {@code startingOffsets} is for the input that
     * existed when the query was first started, and a topic created later is read whole.
     */
    private int initialTasks(int listed) {
        Path file = checkpointRoot.resolve(INITIAL_TASKS_FILE);
        try {
            if (!Files.exists(file)) {
                Path temporary = checkpointRoot.resolve(INITIAL_TASKS_FILE + "." + UUID.randomUUID() + ".tmp");
                Files.writeString(temporary, listed + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, file);
                } catch (FileAlreadyExistsException e) {
                    Files.delete(temporary);
                }
            }
            return Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot use scale-out checkpoint root " + checkpointRoot + ": " + file
                + " must hold the task count the root was created with", e);
        }
    }

    /**
     * Records the root's query on first start; refuses a root written for another query or subscription
     * (other topics or partition count, another pattern, a pattern instead of topics or the reverse).
     */
    private void checkRoot(String subscription) {
        String expected = "name=" + name + "\n" + subscription + "\n";
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
                    + "]: one root serves one query and one subscription (its tasks' state and offsets belong to those topics "
                    + "and partitions, and a changed partition count moves keys between partitions, so the state cannot "
                    + "follow); use a new checkpoint root");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use scale-out checkpoint root " + checkpointRoot, e);
        }
    }
}
