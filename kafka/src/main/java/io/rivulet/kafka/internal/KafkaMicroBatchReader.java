package io.rivulet.kafka.internal;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
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
import java.util.List;
import java.util.Map;

/**
 * Reads one source partition's share of each micro-batch that {@link KafkaSourceRun} plans, as a
 * Spark Kafka task reads its offset range: every record of each range, waiting for the fetch as long
 * as it takes (at most {@code kafkaConsumer.pollTimeoutMs} without progress), so that a batch holds
 * exactly the planned offsets. The driver drains the readers in partition order: a reader returns 0 once its
 * share is read, and its next poll belongs to the next trigger.
 *
 * <p>Not thread-safe; opened on the query's starting thread, then owned by the micro-batch driver.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaMicroBatchReader<K, V> implements SourceReader<ConsumerRecord<K, V>> {
    private static final long POLL_WAIT_MS = 100;

    private final KafkaSourceRun run;
    private final int index;
    private final SourceContext context;
    private final KafkaConsumer<K, V> consumer;
    private List<KafkaOffsetRange> share;
    private int rangeIndex;
    /** Whether the share was read in an earlier call of this trigger: the next call returns 0. */
    private boolean drained;
    private TopicPartition assigned;
    private List<ConsumerRecord<K, V>> fetched = List.of();
    private int fetchedIndex;
    private long waitingSinceNs = -1;
    private long lastOffset = -1;
    private boolean closed;

    /**
     * @param run what the source's readers share in this run of the query
     * @param context the source partition's context
     * @param keys key deserializer
     * @param values value deserializer
     */
    KafkaMicroBatchReader(KafkaSourceRun run, SourceContext context, Deserializer<K> keys,
                          Deserializer<V> values) {
        this.run = run;
        this.index = context.partition();
        this.context = context;
        Map<String, Object> configs = run.settings().consumerConfigs();
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        configs.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "rivulet-" + context.queryName() + "-source-" + index);
        this.consumer = new KafkaConsumer<>(configs, keys, values);
    }

    @Override
    public int poll(SourceOutput<ConsumerRecord<K, V>> out, int limit) {
        if (share == null) {
            if (drained) {
                drained = false;
                return 0;
            }
            share = run.shareFor(index, context.epochMillis());
            if (share == null) {
                return END_OF_INPUT;
            }
            rangeIndex = 0;
            startRange();
        }
        int emitted = 0;
        while (emitted < limit && rangeIndex < share.size()) {
            KafkaOffsetRange range = share.get(rangeIndex);
            if (range.complete()) {
                rangeIndex++;
                startRange();
                continue;
            }
            if (fetchedIndex >= fetched.size()) {
                if (emitted > 0) {
                    return emitted;
                }
                fetch(range);
                continue;
            }
            ConsumerRecord<K, V> record = fetched.get(fetchedIndex++);
            if (record.offset() < range.position) {
                continue;
            }
            if (record.offset() >= range.until) {
                range.position = range.until;
                continue;
            }
            range.position = record.offset() + 1;
            lastOffset = record.offset();
            waitingSinceNs = -1;
            out.emit(record);
            emitted++;
        }
        if (rangeIndex >= share.size()) {
            share = null;
            drained = emitted > 0;
        }
        return emitted;
    }

    /** Points the consumer at the current range's next offset. */
    private void startRange() {
        fetched = List.of();
        fetchedIndex = 0;
        waitingSinceNs = -1;
        if (rangeIndex >= share.size()) {
            return;
        }
        KafkaOffsetRange range = share.get(rangeIndex);
        if (!range.partition.equals(assigned)) {
            consumer.assign(List.of(range.partition));
            assigned = range.partition;
        }
        consumer.seek(range.partition, range.position);
    }

    /** Fetches the range's next records, waiting for them; a gap (markers, compaction) ends it at its end. */
    private void fetch(KafkaOffsetRange range) {
        long now = System.nanoTime();
        if (waitingSinceNs < 0) {
            waitingSinceNs = now;
        } else if (now - waitingSinceNs > run.settings().pollTimeoutMs() * 1_000_000L) {
            throw new IllegalStateException(run.description() + ": no record of " + range + " (next offset " + range.position
                + ") arrived within kafkaConsumer.pollTimeoutMs = " + run.settings().pollTimeoutMs() + " ms");
        }
        ConsumerRecords<K, V> records;
        try {
            records = consumer.poll(Duration.ofMillis(POLL_WAIT_MS));
        } catch (OffsetOutOfRangeException e) {
            long earliest = consumer.beginningOffsets(List.of(range.partition)).get(range.partition);
            range.position = Math.min(range.until, run.dataLoss(range.partition, range.position, earliest));
            startRange();
            return;
        }
        fetched = records.records(range.partition);
        fetchedIndex = 0;
        if (fetched.isEmpty() && consumer.position(range.partition, Duration.ofSeconds(30)) >= range.until) {
            range.position = range.until;
        }
    }

    @Override
    public void writePosition(SnapshotOutput out) {
        if (index == 0) {
            run.writeAllPositions(out);
        } else {
            out.writeByte(KafkaSourceRun.POSITION_VERSION).writeVarInt(0);
        }
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
