package io.rivulet.kafka.internal;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.kafka.KafkaSource;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Kafka partitions of one Rivulet source partition with a {@link KafkaConsumer} of its own
 * (assigned partitions, no group, nothing committed to Kafka). Its position is the next offset of each
 * partition, resolved to numbers when it opens, so every checkpoint holds concrete offsets.
 *
 * <p>Not thread-safe; opened on the query's starting thread, then owned by the partition's source task.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaSourceReader<K, V> implements SourceReader<ConsumerRecord<K, V>> {
    private static final int POSITION_VERSION = 1;
    private static final System.Logger LOG = System.getLogger(KafkaSourceReader.class.getName());

    private final String description;
    private final KafkaSource.Settings settings;
    private final TopicPartition[] partitions;
    /** How many Kafka partitions the whole source reads (all its readers). */
    private final int sourcePartitions;
    private final Map<TopicPartition, Integer> indexOf = new HashMap<>();
    /** Per partition: the offset of the next record to emit. */
    private final long[] next;
    /** Per partition: the offset to stop before (exclusive); {@link Long#MAX_VALUE} when unbounded. */
    private final long[] end;
    private final boolean[] ended;
    private final KafkaConsumer<K, V> consumer;
    private int endedCount;
    private ConsumerRecords<K, V> batch = ConsumerRecords.empty();
    private List<ConsumerRecord<K, V>> current = List.of();
    private int currentPartition = -1;
    private int currentIndex;
    private int batchPartition;
    private long lastOffset = -1;

    /**
     * Opens the consumer and resolves every partition's start (from the restored position, or the
     * starting offsets) and end.
     *
     * @param description the source's description, for errors
     * @param settings the source's settings
     * @param partitions the Kafka partitions this reader reads
     * @param sourcePartitions how many Kafka partitions the whole source reads
     * @param keys key deserializer
     * @param values value deserializer
     * @param context the source partition's context
     */
    public KafkaSourceReader(String description, KafkaSource.Settings settings, List<TopicPartition> partitions,
                             int sourcePartitions, Deserializer<K> keys, Deserializer<V> values, SourceContext context) {
        this.description = description;
        this.sourcePartitions = sourcePartitions;
        this.settings = settings;
        this.partitions = partitions.toArray(new TopicPartition[0]);
        this.next = new long[this.partitions.length];
        this.end = new long[this.partitions.length];
        this.ended = new boolean[this.partitions.length];
        for (int i = 0; i < this.partitions.length; i++) {
            indexOf.put(this.partitions[i], i);
        }
        Map<String, Object> configs = settings.consumerConfigs();
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        configs.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "rivulet-" + context.queryName() + "-source-" + context.partition());
        this.consumer = new KafkaConsumer<>(configs, keys, values);
        try {
            consumer.assign(partitions);
            resolveStart(context.restoredPosition());
            resolveEnd();
            for (int i = 0; i < this.partitions.length; i++) {
                consumer.seek(this.partitions[i], next[i]);
                if (next[i] >= end[i]) {
                    markEnded(i);
                }
            }
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    private void resolveStart(SnapshotInput restored) {
        List<TopicPartition> all = List.of(partitions);
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(all);
        Map<TopicPartition, Long> latest = consumer.endOffsets(all);
        if (restored != null) {
            int version = restored.readByte();
            if (version != POSITION_VERSION) {
                throw new StateFormatException("the checkpoint holds a position of " + description + " in layout version "
                    + version + "; this version of Rivulet reads version " + POSITION_VERSION);
            }
            int savedTotal = restored.readVarInt();
            if (savedTotal != sourcePartitions) {
                throw new IllegalStateException(description + " read " + savedTotal + " Kafka partitions when the "
                    + "checkpoint was taken and reads " + sourcePartitions + " now: a restart cannot follow a changed "
                    + "partition set (each reader's offsets would belong to other partitions)");
            }
            Map<TopicPartition, Long> saved = new HashMap<>();
            int count = restored.readVarInt();
            for (int i = 0; i < count; i++) {
                String topic = restored.readString();
                int partition = restored.readInt();
                saved.put(new TopicPartition(topic, partition), restored.readLong());
            }
            for (int i = 0; i < partitions.length; i++) {
                Long offset = saved.get(partitions[i]);
                if (offset == null) {
                    throw new IllegalStateException(description + ": the checkpoint has no offset for " + partitions[i]
                        + ": the topics' partitions changed since it was taken");
                }
                next[i] = offset;
            }
            return;
        }
        Map<TopicPartition, OffsetAndTimestamp> byTime = null;
        if (settings.startingTimestampMs() >= 0) {
            Map<TopicPartition, Long> query = new HashMap<>();
            for (TopicPartition tp : partitions) {
                query.put(tp, settings.startingTimestampMs());
            }
            byTime = consumer.offsetsForTimes(query);
        }
        Map<TopicPartition, Long> json = settings.startingOffsetsJson();
        for (int i = 0; i < partitions.length; i++) {
            TopicPartition tp = partitions[i];
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
            next[i] = offset;
        }
    }

    private void resolveEnd() {
        boolean latestEnd = "latest".equals(settings.endingOffsets());
        Map<TopicPartition, Long> json = settings.endingOffsetsJson();
        Map<TopicPartition, Long> latest = latestEnd || json != null ? consumer.endOffsets(List.of(partitions)) : Map.of();
        for (int i = 0; i < partitions.length; i++) {
            if (latestEnd) {
                end[i] = latest.get(partitions[i]);
            } else if (json != null) {
                Long given = json.get(partitions[i]);
                end[i] = given == null || given == PartitionOffsets.LATEST ? latest.get(partitions[i]) : given;
            } else {
                end[i] = Long.MAX_VALUE;
            }
        }
    }

    private void markEnded(int i) {
        if (!ended[i]) {
            ended[i] = true;
            endedCount++;
            consumer.pause(List.of(partitions[i]));
        }
    }

    @Override
    public int poll(SourceOutput<ConsumerRecord<K, V>> out, int limit) {
        if (partitions.length == 0 || endedCount == partitions.length) {
            return END_OF_INPUT;
        }
        int emitted = 0;
        while (emitted < limit) {
            if (currentIndex >= current.size() && !nextPartitionOfBatch()) {
                if (emitted > 0) {
                    return emitted;
                }
                fetch();
                if (!nextPartitionOfBatch()) {
                    return endedCount == partitions.length ? END_OF_INPUT : 0;
                }
            }
            ConsumerRecord<K, V> record = current.get(currentIndex++);
            int p = currentPartition;
            if (ended[p] || record.offset() < next[p]) {
                continue;
            }
            if (record.offset() >= end[p]) {
                markEnded(p);
                continue;
            }
            next[p] = record.offset() + 1;
            lastOffset = record.offset();
            out.emit(record);
            emitted++;
            if (next[p] >= end[p]) {
                markEnded(p);
            }
        }
        return emitted;
    }

    /** Moves to the next partition of the fetched batch that has records; false when the batch is used up. */
    private boolean nextPartitionOfBatch() {
        while (batchPartition < partitions.length) {
            int p = batchPartition++;
            List<ConsumerRecord<K, V>> records = batch.records(partitions[p]);
            if (!records.isEmpty()) {
                current = records;
                currentPartition = p;
                currentIndex = 0;
                return true;
            }
        }
        return false;
    }

    private void fetch() {
        try {
            batch = consumer.poll(Duration.ZERO);
        } catch (OffsetOutOfRangeException e) {
            dataLoss(e.offsetOutOfRangePartitions());
            batch = ConsumerRecords.empty();
        }
        batchPartition = 0;
        current = List.of();
        currentIndex = 0;
        // Positions seen at or past a partition's end end it even without records (transaction markers).
        for (int i = 0; i < partitions.length; i++) {
            if (!ended[i] && end[i] != Long.MAX_VALUE && batch.records(partitions[i]).isEmpty()
                && consumer.position(partitions[i], Duration.ZERO) >= end[i]) {
                markEnded(i);
            }
        }
    }

    private void dataLoss(Map<TopicPartition, Long> lost) {
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(lost.keySet());
        for (Map.Entry<TopicPartition, Long> partition : lost.entrySet()) {
            String message = description + ": offset " + partition.getValue() + " of " + partition.getKey()
                + " is no longer in Kafka (its earliest offset is now " + earliest.get(partition.getKey())
                + "): records were lost, deleted by retention or with the topic";
            if (settings.failOnDataLoss()) {
                throw new IllegalStateException(message + ". Set failOnDataLoss to false to go on from the earliest "
                    + "offset instead");
            }
            LOG.log(System.Logger.Level.WARNING, message + "; going on from the earliest offset (failOnDataLoss=false)");
            int i = indexOf.get(partition.getKey());
            next[i] = earliest.get(partition.getKey());
            consumer.seek(partition.getKey(), next[i]);
        }
    }

    @Override
    public void writePosition(SnapshotOutput out) {
        out.writeByte(POSITION_VERSION).writeVarInt(sourcePartitions).writeVarInt(partitions.length);
        for (int i = 0; i < partitions.length; i++) {
            out.writeString(partitions[i].topic()).writeInt(partitions[i].partition()).writeLong(next[i]);
        }
    }

    @Override
    public long lastEmittedOffset() {
        return lastOffset;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
    }
}
