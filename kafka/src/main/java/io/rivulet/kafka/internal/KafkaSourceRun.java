package io.rivulet.kafka.internal;

import io.rivulet.engine.source.SourceContext.ReadMode;
import io.rivulet.kafka.KafkaSource;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the readers of one {@link KafkaSource} share within one run of one query: the positions the
 * restored checkpoint holds, pooled from every reader (so that a restart over a grown partition set
 * or another reader count finds each Kafka partition's offset wherever it was saved), and, in
 * micro-batch modes, the batch planner: Spark's {@code latestOffset} and {@code planInputPartitions}.
 *
 * <p>A micro-batch is planned when source partition 0 asks for its share at the start of a trigger:
 * the partitions are listed again ({@code subscribe}/{@code subscribePattern}: partitions added since
 * the last batch start at their earliest offset, as in Spark), the latest offsets fetched, the batch
 * cut by {@code minOffsetsPerTrigger}/{@code maxTriggerDelay} and {@code maxOffsetsPerTrigger}
 * ({@link OffsetRanges#rateLimit}), {@code Trigger.availableNow} bounded by the latest offsets of its
 * first batch, and the ranges split by {@code minPartitions} and handed to the source partitions.
 * In continuous processing over an unbounded subscription, the run's {@link PartitionDiscovery} finds
 * the partitions added while the query runs, on a thread of its own.
 *
 * <p>Thread-safety: the restored pool is filled on the query's starting thread while the readers open
 * and only read afterwards (concurrently, by continuous readers and the discovery thread); the
 * discovery is thread-safe; everything else is used by the micro-batch driver's thread only.
 */
final class KafkaSourceRun {
    private static final System.Logger LOG = System.getLogger(KafkaSourceRun.class.getName());
    /** Position layout: version 2 = count, then topic, partition, next offset per Kafka partition. */
    static final int POSITION_VERSION = 2;
    private static final int POSITION_VERSION_STRIDED = 1;
    private static final Comparator<TopicPartition> ORDER =
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final String description;
    private final String queryName;
    private final KafkaSource.Settings settings;
    private final List<TopicPartition> planned;
    private final Set<TopicPartition> plannedSet;
    private final int readers;
    private final ReadMode mode;
    private final Map<TopicPartition, Long> restored = new ConcurrentHashMap<>();
    private volatile boolean restoring;
    private int open;
    private final Runnable onDone;
    /** Continuous processing over an unbounded subscription: finds added partitions; {@code null} otherwise. */
    private final PartitionDiscovery discovery;

    // Micro-batch planning, on the driver's thread.
    private KafkaConsumer<byte[], byte[]> metadata;
    /** Each Kafka partition's next offset, as of the last completed (or cut) batch. */
    private final TreeMap<TopicPartition, Long> next = new TreeMap<>(ORDER);
    /** Bounded (endingOffsets) or availableNow: where each partition stops; {@code null} otherwise. */
    private Map<TopicPartition, Long> stops;
    private List<KafkaOffsetRange> planRanges = List.of();
    private List<List<KafkaOffsetRange>> shares;
    private boolean[] taken;
    private long lastTriggerMs;
    private boolean ended;

    KafkaSourceRun(String description, String queryName, KafkaSource.Settings settings, List<TopicPartition> planned,
                   int readers, ReadMode mode, Runnable onDone) {
        this(description, queryName, settings, planned, readers, mode, onDone, null);
    }

    /**
     * @param discoveryClients makes the partition discovery's metadata consumer (on the discovery thread);
     *     {@code null} for a {@link KafkaConsumer} of the source's settings
     */
    KafkaSourceRun(String description, String queryName, KafkaSource.Settings settings, List<TopicPartition> planned,
                   int readers, ReadMode mode, Runnable onDone, Supplier<? extends Consumer<?, ?>> discoveryClients) {
        this.onDone = onDone;
        this.description = description;
        this.queryName = queryName;
        this.settings = settings;
        this.planned = planned;
        this.plannedSet = Set.copyOf(planned);
        this.readers = readers;
        this.mode = mode;
        this.discovery = mode == ReadMode.CONTINUOUS && settings.assignment() == null && !bounded()
            ? new PartitionDiscovery(this, readers, settings.partitionDiscoveryIntervalMs(),
                "rivulet-" + queryName + "-kafka-discovery",
                discoveryClients != null ? discoveryClients : () -> metadataConsumer("discovery"))
            : null;
    }

    ReadMode mode() {
        return mode;
    }

    String description() {
        return description;
    }

    KafkaSource.Settings settings() {
        return settings;
    }

    synchronized void opened() {
        open++;
    }

    /**
     * The partition discovery of continuous readers over an unbounded {@code subscribe}/{@code subscribePattern}.
     *
     * @return the discovery, or {@code null} when the run's partitions are fixed
     */
    PartitionDiscovery discovery() {
        return discovery;
    }

    /**
     * One of the run's readers closed; the last one ends the run (its planner's consumer closes, its
     * discovery thread ends).
     */
    void readerClosed() {
        synchronized (this) {
            if (--open > 0) {
                return;
            }
            if (metadata != null) {
                metadata.close(CloseOptions.timeout(Duration.ZERO));
                metadata = null;
            }
        }
        if (discovery != null) {
            discovery.close();
        }
        onDone.run();
    }

    /**
     * Adds a reader's restored position to the pool (both layouts: version 1 wrote a reader's own
     * partitions after the source's partition count; version 2 writes any set of partitions).
     */
    void restore(SnapshotInput in) {
        restoring = true;
        int version = in.readByte();
        if (version != POSITION_VERSION && version != POSITION_VERSION_STRIDED) {
            throw new StateFormatException("the checkpoint holds a position of " + description + " in layout version "
                + version + "; this version of Rivulet reads versions " + POSITION_VERSION_STRIDED + " and " + POSITION_VERSION);
        }
        if (version == POSITION_VERSION_STRIDED) {
            in.readVarInt();
        }
        int count = in.readVarInt();
        for (int i = 0; i < count; i++) {
            String topic = in.readString();
            int partition = in.readInt();
            restored.merge(new TopicPartition(topic, partition), in.readLong(), Math::max);
        }
    }

    static void writePosition(SnapshotOutput out, TopicPartition[] partitions, long[] next, int count) {
        out.writeByte(POSITION_VERSION).writeVarInt(count);
        for (int i = 0; i < count; i++) {
            out.writeString(partitions[i].topic()).writeInt(partitions[i].partition()).writeLong(next[i]);
        }
    }

    /**
     * Where each partition starts: on a restart, its offset in the checkpoint, or its earliest offset
     * for a partition the checkpoint does not know (added to the topic since, as Spark reads new
     * partitions); on a first start, {@code startingTimestamp}, then {@code startingOffsets}.
     *
     * @param consumer asks Kafka for the earliest, latest or by-time offsets
     * @param partitions the partitions to resolve
     * @return the next offset of each
     */
    Map<TopicPartition, Long> startOffsets(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        if (partitions.isEmpty()) {
            return starts;
        }
        if (restoring) {
            List<TopicPartition> added = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Long offset = restored.get(tp);
                if (offset != null) {
                    starts.put(tp, offset);
                } else {
                    added.add(tp);
                }
            }
            if (!added.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, description + ": partitions " + added + " are not in the checkpoint "
                    + "(added since): reading them from their earliest offsets");
                starts.putAll(consumer.beginningOffsets(added));
            }
            return starts;
        }
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> latest = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> byTime = null;
        if (settings.startingTimestampMs() >= 0) {
            Map<TopicPartition, Long> query = new HashMap<>();
            for (TopicPartition tp : partitions) {
                query.put(tp, settings.startingTimestampMs());
            }
            byTime = consumer.offsetsForTimes(query);
        }
        Map<TopicPartition, Long> json = settings.startingOffsetsJson();
        for (TopicPartition tp : partitions) {
            long offset;
            if (byTime != null) {
                OffsetAndTimestamp found = byTime.get(tp);
                offset = found != null ? found.offset() : latest.get(tp);
            } else if (json != null) {
                Long given = json.get(tp);
                offset = given == null || given == PartitionOffsets.LATEST ? latest.get(tp)
                    : given == PartitionOffsets.EARLIEST ? earliest.get(tp) : given;
            } else {
                offset = "earliest".equals(settings.startingOffsets()) ? earliest.get(tp) : latest.get(tp);
            }
            starts.put(tp, offset);
        }
        return starts;
    }

    /**
     * The ending offsets ({@code endingOffsets}) of the given partitions, or {@code null} when the source
     * is unbounded.
     */
    Map<TopicPartition, Long> endOffsets(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!bounded()) {
            return null;
        }
        Map<TopicPartition, Long> json = settings.endingOffsetsJson();
        Map<TopicPartition, Long> latest = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long given = json == null ? null : json.get(tp);
            ends.put(tp, given == null || given == PartitionOffsets.LATEST ? latest.get(tp) : given);
        }
        return ends;
    }

    /** @return whether the source has {@code endingOffsets} (a bounded run) */
    private boolean bounded() {
        return "latest".equals(settings.endingOffsets()) || settings.endingOffsetsJson() != null;
    }

    /**
     * A lost offset ({@code failOnDataLoss}, Spark's rule): the offsets from {@code offset} up to the
     * partition's earliest are gone (retention, {@code deleteRecords}, a re-created topic). Fails with
     * an error naming the topic-partition, the lost range and the option, or logs a warning and returns
     * the earliest available offset to go on from. Called on the reader's thread (continuous) or the
     * planning thread (micro-batch); slow path.
     *
     * @param tp the partition
     * @param offset the offset the query wanted to read next (its checkpointed or starting offset)
     * @param earliest the partition's earliest (log start) offset now, above {@code offset}
     * @return {@code earliest}, with {@code failOnDataLoss=false}
     * @throws IllegalStateException with {@code failOnDataLoss=true}
     */
    long dataLoss(TopicPartition tp, long offset, long earliest) {
        String message = description + ": offsets [" + offset + ", " + earliest + ") of topic-partition " + tp
            + " were lost: the query wanted offset " + offset + " next but the partition's earliest offset is now "
            + earliest + " (records deleted by retention, deleteRecords or with the topic)";
        if (settings.failOnDataLoss()) {
            throw new IllegalStateException(message + ". The query fails as failOnDataLoss is true; set the option "
                + "failOnDataLoss to false to go on from the earliest available offset instead");
        }
        LOG.log(System.Logger.Level.WARNING, message + "; going on from the earliest available offset " + earliest
            + " (failOnDataLoss=false)");
        return earliest;
    }

    // ---------------------------------------------------------------- micro-batch

    /**
     * The ranges source partition {@code reader} reads in this trigger. The first call of a trigger
     * (a reader that already took its share of the current plan asks again) plans the next batch.
     *
     * @param reader the source partition
     * @param nowMs the engine's wall clock of the trigger
     * @return its ranges, in offset order (possibly none), or {@code null} when a bounded source has
     *     read everything
     */
    List<KafkaOffsetRange> shareFor(int reader, long nowMs) {
        if (ended) {
            return null;
        }
        if (shares == null || taken[reader]) {
            plan(nowMs);
            if (ended) {
                return null;
            }
        }
        taken[reader] = true;
        return shares.get(reader);
    }

    /** Writes every Kafka partition's next offset, as far as the batch's readers got. */
    void writeAllPositions(SnapshotOutput out) {
        foldProgress();
        out.writeByte(POSITION_VERSION).writeVarInt(next.size());
        for (Map.Entry<TopicPartition, Long> position : next.entrySet()) {
            out.writeString(position.getKey().topic()).writeInt(position.getKey().partition()).writeLong(position.getValue());
        }
    }

    private void foldProgress() {
        for (KafkaOffsetRange range : planRanges) {
            if (range.position > range.from) {
                next.merge(range.partition, range.position, Math::max);
            }
        }
    }

    private void plan(long nowMs) {
        foldProgress();
        KafkaConsumer<byte[], byte[]> consumer = plannerConsumer();
        boolean first = shares == null;
        List<TopicPartition> partitions = first || discovers() ? listPartitions(consumer) : List.copyOf(next.keySet());
        if (first) {
            next.putAll(startOffsets(consumer, partitions));
            Map<TopicPartition, Long> ends = endOffsets(consumer, partitions);
            stops = ends != null ? ends : mode == ReadMode.AVAILABLE_NOW ? consumer.endOffsets(partitions) : null;
        } else {
            List<TopicPartition> added = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (!next.containsKey(tp)) {
                    added.add(tp);
                }
            }
            if (!added.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, description + ": new partitions " + added + ", read from their earliest offsets");
                next.putAll(consumer.beginningOffsets(added));
            }
        }
        List<TopicPartition> known = List.copyOf(next.keySet());
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(known);
        Map<TopicPartition, Long> latest = new HashMap<>(consumer.endOffsets(known));
        for (TopicPartition tp : known) {
            long from = next.get(tp);
            if (from < earliest.get(tp)) {
                next.put(tp, dataLoss(tp, from, earliest.get(tp)));
            }
        }
        if (stops != null) {
            boolean all = true;
            for (TopicPartition tp : known) {
                long stop = stops.getOrDefault(tp, next.get(tp));
                latest.put(tp, Math.min(latest.get(tp), stop));
                all &= next.get(tp) >= stop;
            }
            if (all && (settings.endingOffsets() != null || settings.endingOffsetsJson() != null)) {
                ended = true;
                return;
            }
        }
        Map<TopicPartition, Long> until = latest;
        if (mode != ReadMode.ONCE) {
            until = limit(until, nowMs);
        }
        List<KafkaOffsetRange> ranges = new ArrayList<>();
        for (TopicPartition tp : known) {
            ranges.add(new KafkaOffsetRange(tp, next.get(tp), until.get(tp)));
        }
        planRanges = OffsetRanges.split(ranges, settings.minPartitions());
        shares = OffsetRanges.assign(planRanges, known, readers);
        taken = new boolean[readers];
    }

    /** {@code minOffsetsPerTrigger} with {@code maxTriggerDelay}, then {@code maxOffsetsPerTrigger}. */
    private Map<TopicPartition, Long> limit(Map<TopicPartition, Long> latest, long nowMs) {
        if (settings.minOffsetsPerTrigger() > 0 && mode == ReadMode.MICRO_BATCH) {
            if (nowMs - lastTriggerMs >= settings.maxTriggerDelayMs()) {
                lastTriggerMs = nowMs;
            } else {
                long available = 0;
                for (Map.Entry<TopicPartition, Long> end : latest.entrySet()) {
                    available += end.getValue() - next.get(end.getKey());
                }
                if (available < settings.minOffsetsPerTrigger()) {
                    return next;
                }
                lastTriggerMs = nowMs;
            }
        }
        if (settings.maxOffsetsPerTrigger() == Long.MAX_VALUE) {
            return latest;
        }
        return OffsetRanges.rateLimit(settings.maxOffsetsPerTrigger(), next, latest);
    }

    /** Whether each batch lists the partitions again: subscriptions that are neither bounded nor availableNow. */
    private boolean discovers() {
        return settings.assignment() == null && stops == null;
    }

    private KafkaConsumer<byte[], byte[]> plannerConsumer() {
        if (metadata == null) {
            metadata = metadataConsumer("planner");
        }
        return metadata;
    }

    /** A consumer for metadata and offset look-ups only (assigns nothing, commits nothing). */
    private KafkaConsumer<byte[], byte[]> metadataConsumer(String role) {
        Map<String, Object> configs = settings.consumerConfigs();
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        configs.put(ConsumerConfig.CLIENT_ID_CONFIG, "rivulet-" + queryName + "-source-" + role);
        return new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** @return whether the partition was listed when the query planned the source */
    boolean planned(TopicPartition tp) {
        return plannedSet.contains(tp);
    }

    /**
     * Where partitions added while the query runs start: their offset in the restored checkpoint if it
     * has one (a run before the restart read them), else their earliest offset (Spark's rule). Called
     * on the discovery thread.
     */
    Map<TopicPartition, Long> addedPartitionStarts(Consumer<?, ?> consumer, List<TopicPartition> added) {
        Map<TopicPartition, Long> starts = new HashMap<>(consumer.beginningOffsets(added));
        for (TopicPartition tp : added) {
            Long restoredOffset = restored.get(tp);
            if (restoredOffset != null) {
                starts.put(tp, restoredOffset);
            }
        }
        LOG.log(System.Logger.Level.INFO, description + ": new partitions " + added + ", reading from " + starts);
        return starts;
    }

    /**
     * The partitions the source reads now, listed from the cluster (the planned ones for {@code assign}),
     * in topic and partition order.
     *
     * @param consumer asks the cluster (a metadata request for every topic)
     * @return the partitions
     */
    List<TopicPartition> listPartitions(Consumer<?, ?> consumer) {
        if (settings.assignment() != null) {
            return planned;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(30));
        Pattern pattern = settings.pattern();
        for (Map.Entry<String, List<PartitionInfo>> topic : topics.entrySet()) {
            boolean wanted = pattern != null ? pattern.matcher(topic.getKey()).matches() : settings.topics().contains(topic.getKey());
            if (wanted) {
                for (PartitionInfo p : topic.getValue()) {
                    // A scale-out task over a pattern reads one partition number of every matching topic.
                    if (settings.taskPartition() < 0 || p.partition() == settings.taskPartition()) {
                        partitions.add(new TopicPartition(p.topic(), p.partition()));
                    }
                }
            }
        }
        for (TopicPartition tp : planned) {
            if (!partitions.contains(tp)) {
                // Listing lags a deletion or a creation by the metadata's age: keep what the plan had.
                partitions.add(tp);
            }
        }
        partitions.sort(ORDER);
        return partitions;
    }
}
