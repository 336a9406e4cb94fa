package io.rivulet.kafka.internal;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceContext.ReadMode;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.kafka.KafkaSource;
import io.rivulet.operators.state.SnapshotInput;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the readers of one {@link KafkaSource}, grouping those of one run of one query (active query
 * names are unique) around what they share ({@link KafkaSourceRun}). The runtime opens a source's
 * partitions in order on the query's starting thread: partition 0 starts a run, the others join the
 * run their query's partition 0 started; the run ends when its last reader closes. Thread-safe.
 */
public final class KafkaSourceRuns {
    private final Map<String, KafkaSourceRun> runs = new ConcurrentHashMap<>();

    /** A registry for one source object. */
    public KafkaSourceRuns() {
    }

    /**
     * Opens a reader: for continuous processing one that reads its own Kafka partitions
     * ({@code partitions} {@code p, p + n, ...}), for micro-batches one that reads its share of each
     * planned batch.
     *
     * @param description the source's description, for errors
     * @param settings the source's settings
     * @param partitions the Kafka partitions listed when the query planned the source
     * @param keys key deserializer
     * @param values value deserializer
     * @param context the source partition's context
     * @param <K> key type
     * @param <V> value type
     * @return the reader
     * @throws IllegalArgumentException for {@code minPartitions} in continuous mode
     */
    public <K, V> SourceReader<ConsumerRecord<K, V>> open(String description, KafkaSource.Settings settings,
                                                        List<TopicPartition> partitions, Deserializer<K> keys,
                                                        Deserializer<V> values, SourceContext context) {
        ReadMode mode = context.readMode();
        if (mode == ReadMode.CONTINUOUS && settings.minPartitions() > 0) {
            throw new IllegalArgumentException(description + ": option 'minPartitions' (" + settings.minPartitions()
                + ") applies to micro-batch triggers only (processingTime, once, availableNow), where it splits a batch's "
                + "offset ranges over source partitions; continuous processing reads each Kafka partition with one "
                + "reader: use 'numPartitions' to set the reader count");
        }
        String name = context.queryName();
        KafkaSourceRun run;
        if (context.partition() == 0) {
            KafkaSourceRun[] created = new KafkaSourceRun[1];
            created[0] = new KafkaSourceRun(description, name, settings, partitions, context.numPartitions(), mode,
                () -> runs.remove(name, created[0]));
            run = created[0];
            runs.put(name, run);
        } else {
            run = runs.get(name);
            if (run == null) {
                throw new IllegalStateException(description + ": partition " + context.partition() + " of query '" + name
                    + "' opened before partition 0");
            }
        }
        SnapshotInput restored = context.restoredPosition();
        if (restored != null) {
            run.restore(restored);
        }
        run.opened();
        try {
            if (mode == ReadMode.CONTINUOUS) {
                List<TopicPartition> mine = new ArrayList<>();
                for (int i = context.partition(); i < partitions.size(); i += context.numPartitions()) {
                    mine.add(partitions.get(i));
                }
                return new KafkaSourceReader<>(run, mine, keys, values, context);
            }
            return new KafkaMicroBatchReader<>(run, context, keys, values);
        } catch (RuntimeException e) {
            run.readerClosed();
            throw e;
        }
    }
}
