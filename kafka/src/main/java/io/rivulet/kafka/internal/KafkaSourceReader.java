package io.rivulet.kafka.internal;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.kafka.internal.PartitionDiscovery.Found;
import io.rivulet.kafka.internal.PartitionDiscovery.Inbox;
import io.rivulet.operators.state.SnapshotOutput;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Continuous processing: reads the Kafka partitions of one Rivulet source partition with a
 * {@link KafkaConsumer} of its own (assigned partitions, no group, nothing committed to Kafka). Its
 * position is the next offset of each partition, resolved to numbers at the first poll (once every
 * reader of the query has opened, so that a restart finds each partition's offset in whichever
 * reader's position the checkpoint saved it, and a partition the checkpoint does not know starts at
 * its earliest offset). Partitions added to an unbounded subscription while the query runs come from
 * the run's {@link PartitionDiscovery}, which lists them on its own thread: a poll only checks its
 * inbox (one volatile read), so no metadata request holds up the source task after the first poll.
 *
 * <p>Not thread-safe; opened on the query's starting thread, then owned by the partition's source task.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class KafkaSourceReader<K, V> implements SourceReader<ConsumerRecord<K, V>> {
    private final KafkaSourceRun run;
    private TopicPartition[] partitions;
    private final Map<TopicPartition, Integer> indexOf = new HashMap<>();
    /** Per partition: the offset of the next record to emit. */
    private long[] next;
    /** Per partition: the offset to stop before (exclusive); {@link Long#MAX_VALUE} when unbounded. */
    private long[] end;
    private boolean[] ended;
    private final KafkaConsumer<K, V> consumer;
    /** Where the run's discovery leaves this reader's added partitions; {@code null} when the partitions are fixed. */
    private final Inbox inbox;
    /** The inbox's content this reader took last. */
    private Found taken = Found.NONE;
    private boolean resolved;
    private boolean closed;
    private int endedCount;
    private ConsumerRecords<K, V> batch = ConsumerRecords.empty();
    private List<ConsumerRecord<K, V>> current = List.of();
    private int currentPartition = -1;
    private int currentIndex;
    private int batchPartition;
    private long lastOffset = -1;

    /**
     * Opens the consumer; the partitions' starts and ends are resolved at the first poll.
     *
     * @param run what the source's readers share in this run of the query
     * @param partitions the Kafka partitions this reader reads
     * @param keys key deserializer
     * @param values value deserializer
     * @param context the source partition's context
     */
    KafkaSourceReader(KafkaSourceRun run, List<TopicPartition> partitions, Deserializer<K> keys, Deserializer<V> values,
                      SourceContext context) {
        this.run = run;
        this.partitions = partitions.toArray(new TopicPartition[0]);
        this.next = new long[this.partitions.length];
        this.end = new long[this.partitions.length];
        this.ended = new boolean[this.partitions.length];
        for (int i = 0; i < this.partitions.length; i++) {
            indexOf.put(this.partitions[i], i);
        }
        Map<String, Object> configs = run.settings().consumerConfigs();
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        configs.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "rivulet-" + context.queryName() + "-source-" + context.partition());
        this.consumer = new KafkaConsumer<>(configs, keys, values);
        PartitionDiscovery discovery = run.discovery();
        this.inbox = discovery == null ? null : discovery.inbox(context.partition());
    }

    /**
     * Resolves every partition's start and end, once, on the task's thread (the one time its metadata
     * requests block it: a checkpoint needs the positions as numbers from the first epoch on), and
     * starts the run's discovery.
     */
    private void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        List<TopicPartition> all = List.of(partitions);
        consumer.assign(all);
        Map<TopicPartition, Long> starts = run.startOffsets(consumer, all);
        Map<TopicPartition, Long> ends = run.endOffsets(consumer, all);
        if (inbox != null) {
            run.discovery().start();
        }
        for (int i = 0; i < partitions.length; i++) {
            next[i] = starts.get(partitions[i]);
            end[i] = ends == null ? Long.MAX_VALUE : ends.get(partitions[i]);
            consumer.seek(partitions[i], next[i]);
            if (next[i] >= end[i]) {
                markEnded(i);
            }
        }
    }

    /**
     * Takes the partitions the run's discovery added for this reader since the last take, from the
     * starts it looked up (earliest, as Spark reads new partitions, or the restored checkpoint's), or
     * fails with the discovery's failure. Slow path: at most once per {@code partitionDiscoveryInterval}.
     */
    private void take(Found found) {
        if (found.failure != null) {
            throw new IllegalStateException(run.description() + ": partition discovery (listing the partitions of the "
                + "subscription and the earliest offsets of added ones) failed: " + found.failure, found.failure);
        }
        int from = taken.partitions.length;
        taken = found;
        int added = found.partitions.length - from;
        if (added == 0) {
            return;
        }
        int old = partitions.length;
        partitions = Arrays.copyOf(partitions, old + added);
        next = Arrays.copyOf(next, partitions.length);
        end = Arrays.copyOf(end, partitions.length);
        ended = Arrays.copyOf(ended, partitions.length);
        for (int i = old; i < partitions.length; i++) {
            partitions[i] = found.partitions[from + i - old];
            indexOf.put(partitions[i], i);
            next[i] = found.starts[from + i - old];
            end[i] = Long.MAX_VALUE;
        }
        consumer.assign(List.of(partitions));
        for (int i = old; i < partitions.length; i++) {
            consumer.seek(partitions[i], next[i]);
        }
        // The fetched batch may hold records of partitions assign() just reset: fetch afresh.
        batch = ConsumerRecords.empty();
        current = List.of();
        currentIndex = 0;
        batchPartition = 0;
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
        resolve();
        if (inbox != null) {
            Found found = inbox.found;
            if (found != taken) {
                take(found);
            }
            if (endedCount == partitions.length) {
                return 0;
            }
        } else if (endedCount == partitions.length) {
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
            int i = indexOf.get(partition.getKey());
            next[i] = run.dataLoss(partition.getKey(), partition.getValue(), earliest.get(partition.getKey()));
            consumer.seek(partition.getKey(), next[i]);
        }
    }

    @Override
    public void writePosition(SnapshotOutput out) {
        resolve();
        KafkaSourceRun.writePosition(out, partitions, next, partitions.length);
    }

    @Override
    public long lastEmittedOffset() {
        return lastOffset;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            run.readerClosed();
        }
    }
}
