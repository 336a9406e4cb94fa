package io.rivulet.kafka;

import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.kafka.internal.KafkaSourceRuns;
import io.rivulet.kafka.internal.PartitionOffsets;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Spark's Kafka source, typed: the records of Kafka topics as {@link ConsumerRecord}s whose key and
 * value went through the given deserializers. Used with {@code rivulet.readStream(source)}; the
 * structured API's {@code format("kafka")} builds one over bytes.
 *
 * <pre>{@code
 * KafkaSource<ConsumerRecord<String, String>> source = KafkaSource
 *     .of("127.0.0.1:9092", new StringDeserializer(), new StringDeserializer())
 *     .subscribe("tweets")
 *     .startingOffsets("earliest");
 * }</pre>
 *
 * <p><b>Partitions.</b> The Kafka partitions the source reads ({@link #subscribe}, {@link #subscribePattern}
 * or {@link #assign}, exactly one of them) are listed once, in topic and partition order, when a query
 * first plans the source; Rivulet source partition {@code p} of {@code n} reads the listed partitions
 * {@code p, p + n, ...} in continuous mode. By default {@code n} is the number of Kafka partitions
 * (or {@link #minPartitions}, if larger): one Rivulet partition, with its own task, watermark and position,
 * per Kafka partition. In micro-batch modes the source plans each batch as Spark does (latest offsets,
 * {@link #maxOffsetsPerTrigger}, {@link #minPartitions}) and hands each Rivulet partition its share of
 * the batch's offset ranges; each batch lists the subscription's partitions again, and a partition
 * added since the last batch is read from its earliest offset (Spark's rule). A restart from a
 * checkpoint taken over fewer partitions reads the new ones from their earliest offsets too.
 *
 * <p><b>Positions.</b> A reader's position is the next offset of each Kafka partition it reads: it is
 * what goes into each checkpoint, so a query restarted from its checkpoint location goes on with the
 * record after the last one of the restored epoch, each record once. The start ({@link #startingOffsets},
 * {@link #startingTimestamp}) applies to a first start only. No consumer group is used
 * and nothing is committed to Kafka.
 *
 * <p><b>Watermarks.</b> The source emits none; {@code withWatermark} on the stream it feeds makes one per
 * Rivulet partition, hence per Kafka partition by default, and the query's {@code idleInputTimeout} keeps
 * an idle partition from holding the stage's watermark back.
 *
 * <p>Immutable and thread-safe: every setter returns a validated copy. The deserializers are created per
 * reader from the given suppliers.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaSource<K, V> implements Source<ConsumerRecord<K, V>> {
    /** Spark's default {@code maxTriggerDelay}: 15 minutes. */
    public static final long DEFAULT_MAX_TRIGGER_DELAY_MS = 15 * 60_000L;
    /** Spark's default {@code kafkaConsumer.pollTimeoutMs} (its {@code spark.network.timeout}): 120 s. */
    public static final long DEFAULT_POLL_TIMEOUT_MS = 120_000L;
    /** How often a continuous reader looks for partitions added to its subscription by default: 10 s. */
    public static final long DEFAULT_PARTITION_DISCOVERY_INTERVAL_MS = 10_000L;
    /** Consumer configs the source sets itself; a {@code kafka.} option naming one is refused. */
    private static final Set<String> OWN_CONFIGS = Set.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "interceptor.classes");

    private final Settings settings;
    private final Supplier<? extends Deserializer<K>> keys;
    private final Supplier<? extends Deserializer<V>> values;
    private volatile List<TopicPartition> resolved;
    private final KafkaSourceRuns runs = new KafkaSourceRuns();

    /** The validated settings; one object so copies stay cheap. */
    public static final class Settings implements Cloneable {
        String bootstrapServers;
        List<String> subscribe;
        String subscribePattern;
        List<TopicPartition> assign;
        String startingOffsets = "latest";
        Map<TopicPartition, Long> startingOffsetsJson;
        long startingTimestampMs = -1;
        String endingOffsets;
        Map<TopicPartition, Long> endingOffsetsJson;
        long maxOffsetsPerTrigger = Long.MAX_VALUE;
        long minOffsetsPerTrigger;
        long maxTriggerDelayMs = DEFAULT_MAX_TRIGGER_DELAY_MS;
        int minPartitions;
        long pollTimeoutMs = DEFAULT_POLL_TIMEOUT_MS;
        long partitionDiscoveryIntervalMs = DEFAULT_PARTITION_DISCOVERY_INTERVAL_MS;
        boolean failOnDataLoss = true;
        boolean includeHeaders;
        int numPartitions;
        int taskPartition = -1;
        Map<String, Object> consumerConfigs = new LinkedHashMap<>();

        Settings copy() {
            try {
                Settings copy = (Settings) super.clone();
                copy.consumerConfigs = new LinkedHashMap<>(consumerConfigs);
                return copy;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** @return {@code latest}, {@code earliest}, or {@code null} when JSON offsets or a timestamp are set */
        public String startingOffsets() {
            return startingOffsetsJson == null && startingTimestampMs < 0 ? startingOffsets : null;
        }

        /** @return per-partition starting offsets from JSON, or {@code null} */
        public Map<TopicPartition, Long> startingOffsetsJson() {
            return startingOffsetsJson;
        }

        /** @return the starting timestamp in epoch ms, or -1 */
        public long startingTimestampMs() {
            return startingTimestampMs;
        }

        /** @return {@code latest}, or {@code null} when unbounded or JSON */
        public String endingOffsets() {
            return endingOffsets;
        }

        /** @return per-partition ending offsets (exclusive), or {@code null} */
        public Map<TopicPartition, Long> endingOffsetsJson() {
            return endingOffsetsJson;
        }

        /** @return whether a lost offset range fails the query */
        public boolean failOnDataLoss() {
            return failOnDataLoss;
        }

        /** @return {@code assign}'s partitions, or {@code null} when the source subscribes */
        public List<TopicPartition> assignment() {
            return assign;
        }

        /** @return {@code subscribe}'s topics, or {@code null} */
        public List<String> topics() {
            return subscribe;
        }

        /** @return {@code subscribePattern} compiled, or {@code null} */
        public Pattern pattern() {
            return subscribePattern == null ? null : Pattern.compile(subscribePattern);
        }

        /**
         * @return for the source of a {@link KafkaScaleOut} task over a {@code subscribePattern}: the only
         *     partition number it reads in every matching topic (present and future); {@code -1} otherwise
         */
        public int taskPartition() {
            return taskPartition;
        }

        /** @return Spark's {@code maxOffsetsPerTrigger}; {@link Long#MAX_VALUE} for none */
        public long maxOffsetsPerTrigger() {
            return maxOffsetsPerTrigger;
        }

        /** @return Spark's {@code minOffsetsPerTrigger}; 0 for none */
        public long minOffsetsPerTrigger() {
            return minOffsetsPerTrigger;
        }

        /** @return Spark's {@code maxTriggerDelay}, ms */
        public long maxTriggerDelayMs() {
            return maxTriggerDelayMs;
        }

        /** @return Spark's {@code minPartitions}; 0 for none */
        public int minPartitions() {
            return minPartitions;
        }

        /** @return Spark's {@code kafkaConsumer.pollTimeoutMs} */
        public long pollTimeoutMs() {
            return pollTimeoutMs;
        }

        /** @return how often a continuous reader lists the subscription's partitions, ms */
        public long partitionDiscoveryIntervalMs() {
            return partitionDiscoveryIntervalMs;
        }

        /** @return the consumer configs: bootstrap servers and the {@code kafka.} pass-through */
        public Map<String, Object> consumerConfigs() {
            Map<String, Object> configs = new LinkedHashMap<>(consumerConfigs);
            configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return configs;
        }
    }

    private KafkaSource(Settings settings, Supplier<? extends Deserializer<K>> keys, Supplier<? extends Deserializer<V>> values) {
        this.settings = settings;
        this.keys = keys;
        this.values = values;
    }

    /**
     * A source of records with raw key and value bytes (what {@code format("kafka")} reads).
     *
     * @param bootstrapServers Kafka's {@code bootstrap.servers}, e.g. {@code host1:9092,host2:9092}
     * @return the source; set one of subscribe, subscribePattern or assign before starting a query
     */
    public static KafkaSource<byte[], byte[]> bytes(String bootstrapServers) {
        return of(bootstrapServers, ByteArrayDeserializer::new, ByteArrayDeserializer::new);
    }

    /**
     * A source whose keys and values go through the given deserializers (each reader gets its own pair).
     *
     * @param bootstrapServers Kafka's {@code bootstrap.servers}
     * @param keys makes the key deserializer, e.g. {@code StringDeserializer::new}
     * @param values makes the value deserializer
     * @param <K> key type
     * @param <V> value type
     * @return the source
     */
    public static <K, V> KafkaSource<K, V> of(String bootstrapServers, Supplier<? extends Deserializer<K>> keys,
                                              Supplier<? extends Deserializer<V>> values) {
        Settings settings = new Settings();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers must be set (host:port[,host:port...])");
        }
        settings.bootstrapServers = bootstrapServers;
        return new KafkaSource<>(settings, Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(values, "values"));
    }

    private KafkaSource<K, V> with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new KafkaSource<>(copy, keys, values);
    }

    private void oneStrategy(String option) {
        if (settings.subscribe != null || settings.subscribePattern != null || settings.assign != null) {
            throw new IllegalArgumentException("option '" + option + "': only one of assign, subscribe, subscribePattern "
                + "may be set");
        }
    }

    /**
     * @param topics the topics to read, every partition of each
     * @return a copy reading them
     * @throws IllegalArgumentException if empty, or another of assign/subscribe/subscribePattern is set
     */
    public KafkaSource<K, V> subscribe(String... topics) {
        oneStrategy("subscribe");
        List<String> list = new ArrayList<>();
        for (String topic : topics) {
            if (topic != null && !topic.isBlank()) {
                list.add(topic.trim());
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("option 'subscribe' names no topic");
        }
        return with(s -> s.subscribe = List.copyOf(list));
    }

    /**
     * @param regex a Java regular expression; every partition of every topic whose whole name matches is read
     * @return a copy reading them
     */
    public KafkaSource<K, V> subscribePattern(String regex) {
        oneStrategy("subscribePattern");
        Pattern.compile(Objects.requireNonNull(regex, "subscribePattern"));
        return with(s -> s.subscribePattern = regex);
    }

    /**
     * @param partitions the partitions to read
     * @return a copy reading exactly them
     */
    public KafkaSource<K, V> assign(List<TopicPartition> partitions) {
        oneStrategy("assign");
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("option 'assign' names no partition");
        }
        return with(s -> s.assign = List.copyOf(partitions));
    }

    /**
     * Spark's {@code assign} option.
     *
     * @param json e.g. {@code {"topicA":[0,1],"topicB":[2,4]}}
     * @return a copy reading exactly those partitions
     */
    public KafkaSource<K, V> assign(String json) {
        return assign(PartitionOffsets.partitions("assign", json));
    }

    /**
     * Where a first start reads from (a restart goes on from its checkpoint): {@code earliest},
     * {@code latest} (the default, as in Spark's streaming queries) or JSON such as
     * {@code {"topicA":{"0":23,"1":-2}}} with -2 for earliest and -1 for latest; a partition the JSON
     * leaves out starts at latest.
     *
     * @param offsets the starting offsets
     * @return a copy starting there
     */
    public KafkaSource<K, V> startingOffsets(String offsets) {
        String value = Objects.requireNonNull(offsets, "startingOffsets").trim();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("earliest") || lower.equals("latest")) {
            return with(s -> {
                s.startingOffsets = lower;
                s.startingOffsetsJson = null;
            });
        }
        Map<TopicPartition, Long> json = PartitionOffsets.offsets("startingOffsets", value, true, true);
        return with(s -> s.startingOffsetsJson = json);
    }

    /**
     * Spark's {@code startingTimestamp}: a first start reads each partition from its first record with a
     * timestamp at or after this one (its end if there is none). Takes precedence over startingOffsets.
     *
     * @param timestampMs epoch milliseconds, at least 0
     * @return a copy starting there
     */
    public KafkaSource<K, V> startingTimestamp(long timestampMs) {
        if (timestampMs < 0) {
            throw new IllegalArgumentException("startingTimestamp must be an epoch-ms timestamp >= 0, got " + timestampMs);
        }
        return with(s -> s.startingTimestampMs = timestampMs);
    }

    /**
     * Makes the source bounded (Spark's {@code endingOffsets}): each partition ends before this offset,
     * {@code latest} (the end offsets when the query starts) or JSON such as {@code {"topicA":{"0":50,"1":-1}}}
     * (-1 = latest; earliest is not allowed). A partition the JSON leaves out is read to its latest offset.
     * The query ends when every partition reached its end.
     *
     * @param offsets the ending offsets (exclusive)
     * @return a bounded copy
     */
    public KafkaSource<K, V> endingOffsets(String offsets) {
        String value = Objects.requireNonNull(offsets, "endingOffsets").trim();
        if (value.equalsIgnoreCase("latest")) {
            return with(s -> {
                s.endingOffsets = "latest";
                s.endingOffsetsJson = null;
            });
        }
        if (value.equalsIgnoreCase("earliest")) {
            throw new IllegalArgumentException("endingOffsets cannot be 'earliest'; use 'latest' or JSON offsets");
        }
        Map<TopicPartition, Long> json = PartitionOffsets.offsets("endingOffsets", value, true, false);
        return with(s -> {
            s.endingOffsets = null;
            s.endingOffsetsJson = json;
        });
    }

    /**
     * Spark's {@code maxOffsetsPerTrigger}: the most offsets a micro-batch reads over all the source's
     * Kafka partitions, shared out in proportion to what each partition has available, as Spark does:
     * a partition's share {@code max * available / totalAvailable} is rounded down, or up to 1 when
     * below 1 (a small partition is not starved), so the batch's total is at most {@code max} except
     * when more partitions have records than that leaves room for. {@code Trigger.processingTime} and
     * {@code Trigger.availableNow} obey it; {@code Trigger.once} ignores it, as in Spark, and so does
     * continuous processing.
     *
     * @param max at least 1
     * @return a copy with the cap
     */
    public KafkaSource<K, V> maxOffsetsPerTrigger(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxOffsetsPerTrigger must be at least 1, got " + max);
        }
        return with(s -> s.maxOffsetsPerTrigger = max);
    }

    /**
     * Spark's {@code minOffsetsPerTrigger}: a {@code Trigger.processingTime} trigger with fewer new
     * offsets than this over all partitions runs no batch, unless {@link #maxTriggerDelay} has passed
     * since the last batch (the first trigger always runs). Ignored by {@code once}, {@code availableNow}
     * and continuous processing.
     *
     * @param min at least 1
     * @return a copy with the floor
     */
    public KafkaSource<K, V> minOffsetsPerTrigger(long min) {
        if (min < 1) {
            throw new IllegalArgumentException("minOffsetsPerTrigger must be at least 1, got " + min);
        }
        return with(s -> s.minOffsetsPerTrigger = min);
    }

    /**
     * Spark's {@code maxTriggerDelay} (default 15 minutes): with {@link #minOffsetsPerTrigger}, the longest
     * a trigger waits, on the engine's clock, before running a batch with fewer offsets.
     *
     * @param delay positive
     * @return a copy with the delay
     */
    public KafkaSource<K, V> maxTriggerDelay(Duration delay) {
        if (delay == null || delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("maxTriggerDelay must be positive, got " + delay);
        }
        return with(s -> s.maxTriggerDelayMs = delay.toMillis());
    }

    /**
     * Spark's {@code minPartitions}, for micro-batch triggers: when a batch has records in fewer Kafka
     * partitions than this, its larger offset ranges are split into pieces (Spark's
     * {@code KafkaOffsetRangeCalculator}: about {@code min} ranges in all, a range of {@code n} offsets
     * of a {@code total} being cut into {@code round(n / total * min)} equal pieces unless that is 1),
     * and the source has {@code max(min, Kafka partitions)} Rivulet partitions to read them (unless
     * {@link #numPartitions} fixes the count). Rivulet runs a micro-batch's partitions on one thread: the
     * split changes which source partition reads which records (their watermarks, their order), not the
     * speed. Continuous processing reads each Kafka partition with one reader and refuses the option
     * when the query starts.
     *
     * @param min at least 1
     * @return a copy with the setting
     */
    public KafkaSource<K, V> minPartitions(int min) {
        if (min < 1) {
            throw new IllegalArgumentException("minPartitions must be at least 1, got " + min);
        }
        return with(s -> s.minPartitions = min);
    }

    /**
     * Spark's {@code kafkaConsumer.pollTimeoutMs} (default 120 s): in micro-batch modes, how long a reader
     * waits for records of its planned offset range without any arriving before the query fails.
     *
     * @param timeout positive
     * @return a copy with the timeout
     */
    public KafkaSource<K, V> pollTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("kafkaConsumer.pollTimeoutMs must be positive, got " + timeout);
        }
        return with(s -> s.pollTimeoutMs = timeout.toMillis());
    }

    /**
     * How often, in continuous processing, the query lists the partitions of its {@code subscribe} or
     * {@code subscribePattern} subscription (a metadata request) to take partitions and topics added
     * while it runs. The listing and the new partitions' offset look-ups run on one thread per query run,
     * with a consumer of its own, never on a source task's thread; the reader whose index is
     * {@code floorMod(topic.hashCode() * 31 + partition, numPartitions)} takes a new partition at its next
     * poll and reads it from its earliest offset, as Spark does. A failed listing fails the query.
     * Micro-batches list the partitions at every batch instead. Default 10 s.
     *
     * @param interval positive
     * @return a copy with the interval
     */
    public KafkaSource<K, V> partitionDiscoveryInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("partitionDiscoveryInterval must be positive, got " + interval);
        }
        return with(s -> s.partitionDiscoveryIntervalMs = interval.toMillis());
    }

    /**
     * Spark's {@code failOnDataLoss} (default {@code true}): whether the query fails when the offset it
     * must read next is no longer in Kafka (deleted by retention, or the topic recreated). With
     * {@code false} the partition goes on from its earliest offset and the loss is logged.
     *
     * @param fail whether to fail
     * @return a copy with the rule
     */
    public KafkaSource<K, V> failOnDataLoss(boolean fail) {
        return with(s -> s.failOnDataLoss = fail);
    }

    /**
     * Spark's {@code includeHeaders} (default {@code false}): whether {@code format("kafka")} rows carry a
     * {@code headers} column. Typed records always carry their headers.
     *
     * @param include whether rows carry headers
     * @return a copy with the setting
     */
    public KafkaSource<K, V> includeHeaders(boolean include) {
        return with(s -> s.includeHeaders = include);
    }

    /**
     * Fixes the number of Rivulet partitions (source tasks) the Kafka partitions are spread over.
     *
     * @param partitions at least 1; 0 (the default) means one per Kafka partition
     * @return a copy with the count
     */
    public KafkaSource<K, V> numPartitions(int partitions) {
        if (partitions < 0) {
            throw new IllegalArgumentException("numPartitions must be at least 1 (or 0 for one per Kafka partition), got "
                + partitions);
        }
        return with(s -> s.numPartitions = partitions);
    }

    /**
     * A Kafka consumer config passed through (Spark's {@code kafka.*} options without the prefix), e.g.
     * {@code isolation.level}, {@code security.protocol}, {@code max.poll.records}.
     *
     * @param name the consumer config
     * @param value its value
     * @return a copy with the config
     * @throws IllegalArgumentException for configs the source sets itself (deserializers, auto commit,
     *     {@code auto.offset.reset}: use startingOffsets/failOnDataLoss)
     */
    public KafkaSource<K, V> option(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (OWN_CONFIGS.contains(name)) {
            throw new IllegalArgumentException("Kafka option 'kafka." + name + "' is not supported: the source sets it "
                + "itself (use startingOffsets and failOnDataLoss instead of auto.offset.reset)");
        }
        if (name.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            return with(s -> s.bootstrapServers = value);
        }
        return with(s -> s.consumerConfigs.put(name, value));
    }

    /**
     * The source of one scale-out task: the same settings and deserializers, reading exactly
     * {@code partitions} (one Rivulet source partition each) instead of the subscribed topics.
     *
     * @param partitions the task's partitions
     * @return a copy assigned to them
     */
    KafkaSource<K, V> forTask(List<TopicPartition> partitions) {
        return with(s -> {
            s.subscribe = null;
            s.subscribePattern = null;
            s.assign = List.copyOf(partitions);
            s.numPartitions = 0;
        });
    }

    /**
     * The source of one scale-out task over a {@code subscribePattern}: the same settings and
     * deserializers, reading partition {@code partition} of every topic the pattern matches, now and
     * later (the readers' partition discovery takes a matching topic created while the task runs).
     *
     * @param partition the task's partition number
     * @param assigned the partitions the group assigned to the task: the plan (one source partition each)
     * @param fromEarliest whether a first start reads from the earliest offsets whatever the start options
     *     say (a task that appeared after the group was created: its topic is new, as Spark reads new partitions)
     * @return a copy reading them
     */
    KafkaSource<K, V> forPatternTask(int partition, List<TopicPartition> assigned, boolean fromEarliest) {
        KafkaSource<K, V> task = with(s -> {
            s.taskPartition = partition;
            s.numPartitions = 0;
            if (fromEarliest) {
                s.startingOffsets = "earliest";
                s.startingOffsetsJson = null;
                s.startingTimestampMs = -1;
            }
        });
        task.resolved = sorted(assigned);
        return task;
    }

    /** @return the validated settings (read-only view for the runtime's reader) */
    public Settings settings() {
        return settings;
    }

    @Override
    public String description() {
        String what = settings.subscribe != null ? "subscribe=" + String.join(",", settings.subscribe)
            : settings.subscribePattern != null ? "subscribePattern=" + settings.subscribePattern
                + (settings.taskPartition >= 0 ? ", partition " + settings.taskPartition : "")
            : settings.assign != null ? "assign=" + settings.assign : "no topics";
        return "kafka[" + what + "]";
    }

    /**
     * Lists the Kafka partitions on the first call (a metadata request to the cluster), then returns
     * the same count for this source object.
     */
    @Override
    public int numPartitions() {
        List<TopicPartition> partitions = kafkaPartitions();
        return settings.numPartitions > 0 ? settings.numPartitions
            : Math.max(1, Math.max(partitions.size(), settings.minPartitions));
    }

    @Override
    public boolean isReplayable() {
        return true;
    }

    /**
     * Opens a partition's reader. Continuous processing: source partition {@code p} of {@code n} reads the
     * listed Kafka partitions {@code p, p + n, ...}. Micro-batches: the source plans each batch's offset
     * ranges (every partition of the subscription, including partitions added since the query started)
     * and each source partition reads its share. Maximum records per trigger are the source's own
     * business ({@link #maxOffsetsPerTrigger}), so {@link #maxRecordsPerTrigger()} stays unlimited.
     *
     * @throws IllegalArgumentException for {@link #minPartitions} in continuous mode
     */
    @Override
    public SourceReader<ConsumerRecord<K, V>> open(SourceContext context) {
        return runs.open(description(), settings, kafkaPartitions(), keys.get(), values.get(), context);
    }

    /**
     * @return the Kafka partitions this source reads, in topic and partition order, listed once
     * @throws IllegalStateException if no strategy is set, or no partition matches
     */
    public List<TopicPartition> kafkaPartitions() {
        List<TopicPartition> partitions = resolved;
        if (partitions == null) {
            synchronized (this) {
                if (resolved == null) {
                    resolved = listPartitions(false);
                }
                partitions = resolved;
            }
        }
        return partitions;
    }

    /**
     * Lists the partitions from the cluster now (not cached), for a scale-out group over a pattern.
     *
     * @return the partitions of every matching topic, in topic and partition order; empty if none matches yet
     */
    List<TopicPartition> listMatchingPartitions() {
        return listPartitions(true);
    }

    private List<TopicPartition> listPartitions(boolean allowNoMatch) {
        if (settings.assign != null) {
            return sorted(settings.assign);
        }
        if (settings.subscribe == null && settings.subscribePattern == null) {
            throw new IllegalStateException(description() + ": one of the options 'assign', 'subscribe' or "
                + "'subscribePattern' must be set");
        }
        Map<String, Object> configs = settings.consumerConfigs();
        configs.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            if (settings.subscribe != null) {
                for (String topic : settings.subscribe) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                    if (infos == null || infos.isEmpty()) {
                        throw new IllegalStateException(description() + ": topic '" + topic + "' does not exist");
                    }
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            } else {
                Pattern pattern = Pattern.compile(settings.subscribePattern);
                for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(Duration.ofSeconds(30)).entrySet()) {
                    if (pattern.matcher(topic.getKey()).matches()) {
                        for (PartitionInfo p : topic.getValue()) {
                            if (settings.taskPartition < 0 || p.partition() == settings.taskPartition) {
                                partitions.add(new TopicPartition(p.topic(), p.partition()));
                            }
                        }
                    }
                }
                if (partitions.isEmpty() && !allowNoMatch) {
                    throw new IllegalStateException(description() + ": no topic matches the pattern");
                }
            }
            return sorted(partitions);
        }
    }

    private static List<TopicPartition> sorted(List<TopicPartition> partitions) {
        List<TopicPartition> copy = new ArrayList<>(new LinkedHashSet<>(partitions));
        copy.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return List.copyOf(copy);
    }
}
