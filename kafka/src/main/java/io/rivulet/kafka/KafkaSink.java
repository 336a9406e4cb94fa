package io.rivulet.kafka;

import io.rivulet.engine.sink.Delivery;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.SinkWriter;
import io.rivulet.kafka.internal.TransactionalEpochs;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Writes a query's records to Kafka, at least once or exactly once.
 *
 * <p><b>At least once</b> (the default, Spark's guarantee): each writer sends through its own idempotent
 * producer ({@code enable.idempotence}, {@code acks=all}) as records arrive; {@link #prepareCommit}, on the
 * query's commit thread, flushes every writer's producer before the epoch's checkpoint (the writers' task
 * threads never wait for the acknowledgements), so an epoch's records are in Kafka before a checkpoint covers
 * it. After a failure, what came after the last checkpoint is written again.
 *
 * <p><b>Exactly once</b> ({@link #exactlyOnce(Path)}): each writer stages an epoch's records in a file,
 * forced to disk by {@link #prepareCommit} on the query's commit thread (not by the writer's task thread) before
 * the epoch's checkpoint; each writer's records of the epoch go in one Kafka
 * transaction of that writer's producer, sent by a publisher thread of the writer's as they are staged (the
 * writer never waits for it: what it cannot take goes from the file at the epoch's end) and committed when the
 * epoch commits, whose {@code transactional.id} is
 * {@code <prefix>-<writer>} (prefix {@code rivulet-<queryName>} unless set): stable across restarts, so a
 * restarted query fences the dead run's producer. The transaction also holds a marker, a record of the epoch
 * keyed by the transactional id in a compacted topic the sink owns ({@link #epochMarkerTopic}), so a restart
 * tells published epochs from pending ones: it publishes the staged epochs the checkpoint covers that Kafka has
 * not committed and drops the rest.
 * Consumers with {@code isolation.level=read_committed} see every record once. Records become visible at
 * the epoch's commit: the visible latency is the epoch interval plus the checkpoint and the transaction's end.
 * Needs a checkpoint location; the staging directory belongs to one query (put it beside the checkpoint).
 *
 * <p>Immutable configuration: setters return copies; each run of a query gets its own producers in
 * {@link #open}. Writers are owned by their task threads; commits run on the query's commit thread.
 *
 * @param <T> record type
 */
public final class KafkaSink<T> implements Sink<T> {
    private static final Set<String> OWN_CONFIGS = Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private final String bootstrapServers;
    private final Function<? super T, ProducerRecord<byte[], byte[]>> toRecord;
    private final Map<String, Object> configs;
    private final Path stagingDirectory;
    private final String transactionalIdPrefix;
    private final String epochMarkerTopic;

    private volatile String queryName;
    private volatile TransactionalEpochs epochs;
    /** At least once: this run's writers, flushed by {@link #prepareCommit}. */
    private final List<IdempotentWriter> idempotentWriters = new CopyOnWriteArrayList<>();

    private KafkaSink(String bootstrapServers, Function<? super T, ProducerRecord<byte[], byte[]>> toRecord,
                      Map<String, Object> configs, Path stagingDirectory, String transactionalIdPrefix,
                      String epochMarkerTopic) {
        this.bootstrapServers = bootstrapServers;
        this.toRecord = toRecord;
        this.configs = configs;
        this.stagingDirectory = stagingDirectory;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.epochMarkerTopic = epochMarkerTopic;
    }

    /**
     * A sink that turns each record into a Kafka record with {@code toRecord}.
     *
     * @param bootstrapServers Kafka's {@code bootstrap.servers}
     * @param toRecord makes the record to send (topic, optional partition and timestamp, key, value,
     *     headers); called on the writer's thread, must not return {@code null}
     * @param <T> record type
     * @return an at-least-once sink
     */
    public static <T> KafkaSink<T> of(String bootstrapServers, Function<? super T, ProducerRecord<byte[], byte[]>> toRecord) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers must be set (host:port[,host:port...])");
        }
        return new KafkaSink<>(bootstrapServers, Objects.requireNonNull(toRecord, "toRecord"), Map.of(), null, null, null);
    }

    /**
     * A sink of strings: each becomes the UTF-8 value of a record of {@code topic}, without key.
     *
     * @param bootstrapServers Kafka's {@code bootstrap.servers}
     * @param topic the topic
     * @return an at-least-once sink
     */
    public static KafkaSink<String> strings(String bootstrapServers, String topic) {
        Objects.requireNonNull(topic, "topic");
        return of(bootstrapServers, s -> new ProducerRecord<>(topic, s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Makes the sink exactly-once: epochs are staged in {@code stagingDirectory} and sent in one Kafka
     * transaction per writer, committed when they commit (see the class comment).
     *
     * @param stagingDirectory a directory for this query alone; created if missing
     * @return an exactly-once copy
     */
    public KafkaSink<T> exactlyOnce(Path stagingDirectory) {
        Path dir = Objects.requireNonNull(stagingDirectory, "stagingDirectory").toAbsolutePath().normalize();
        return new KafkaSink<>(bootstrapServers, toRecord, configs, dir, transactionalIdPrefix, epochMarkerTopic);
    }

    /**
     * @param prefix the exactly-once producers' {@code transactional.id} prefix (writer {@code w} uses
     *     {@code prefix-w}, also its epoch markers' key); default {@code rivulet-<queryName>}. Two queries
     *     must not share one.
     * @return a copy with the prefix
     */
    public KafkaSink<T> transactionalIdPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("transactionalIdPrefix must not be blank");
        }
        return new KafkaSink<>(bootstrapServers, toRecord, configs, stagingDirectory, prefix, epochMarkerTopic);
    }

    /**
     * Names the topic the exactly-once sink marks its committed epochs in (default {@code <prefix>-epochs}, with
     * the {@link #transactionalIdPrefix prefix}). Whichever it is, the sink creates it when the query starts if
     * it is absent ({@code cleanup.policy=compact}, one partition, the cluster's default replication factor), and
     * refuses to start, naming the topic, if it cannot be created or is not compacted. Name an existing topic
     * where the sink may not create topics; queries (and scale-out tasks) may share one.
     *
     * @param topic an existing or creatable topic, {@code cleanup.policy=compact}; markers go to its partition 0
     * @return a copy with the marker topic
     */
    public KafkaSink<T> epochMarkerTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("epochMarkerTopic must not be blank");
        }
        return new KafkaSink<>(bootstrapServers, toRecord, configs, stagingDirectory, transactionalIdPrefix, topic);
    }

    /**
     * A Kafka producer config passed through (Spark's {@code kafka.*} options without the prefix), e.g.
     * {@code compression.type}, {@code linger.ms}, {@code security.protocol}.
     *
     * @param name the producer config
     * @param value its value
     * @return a copy with the config
     * @throws IllegalArgumentException for the serializers and {@code transactional.id}, which the sink sets
     */
    public KafkaSink<T> option(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (OWN_CONFIGS.contains(name)) {
            throw new IllegalArgumentException("Kafka option 'kafka." + name + "' is not supported: the sink sets it itself"
                + (name.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG) ? " (use transactionalIdPrefix)" : ""));
        }
        if (name.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            return new KafkaSink<>(value, toRecord, configs, stagingDirectory, transactionalIdPrefix, epochMarkerTopic);
        }
        Map<String, Object> copy = new LinkedHashMap<>(configs);
        copy.put(name, value);
        return new KafkaSink<>(bootstrapServers, toRecord, Map.copyOf(copy), stagingDirectory, transactionalIdPrefix,
            epochMarkerTopic);
    }

    @Override
    public String description() {
        return "kafka[" + bootstrapServers + (stagingDirectory == null ? "" : ", exactly-once") + "]";
    }

    @Override
    public Delivery delivery() {
        return stagingDirectory == null ? Delivery.AT_LEAST_ONCE : Delivery.EXACTLY_ONCE;
    }

    @Override
    public boolean requiresCheckpointLocation() {
        return stagingDirectory != null;
    }

    private Map<String, Object> producerConfigs() {
        Map<String, Object> all = new LinkedHashMap<>(configs);
        all.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return all;
    }

    @Override
    public void open(String queryName, int numWriters) throws Exception {
        this.queryName = queryName;
        idempotentWriters.clear();
        if (stagingDirectory != null) {
            String prefix = transactionalIdPrefix != null ? transactionalIdPrefix : "rivulet-" + queryName;
            TransactionalEpochs run = new TransactionalEpochs(stagingDirectory, prefix, epochMarkerTopic, producerConfigs());
            try {
                run.prepare(numWriters);
            } catch (Exception e) {
                run.close();
                throw e;
            }
            epochs = run;
        }
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        TransactionalEpochs run = epochs;
        if (run != null) {
            TransactionalEpochs.Writer staged = run.writer(writerIndex);
            return new SinkWriter<>() {
                @Override
                public void write(T record) throws Exception {
                    staged.write(record(record));
                }

                @Override
                public void endEpoch(long epochId) throws Exception {
                    staged.endEpoch(epochId);
                }

                @Override
                public void close() throws Exception {
                    staged.close();
                }
            };
        }
        IdempotentWriter writer = new IdempotentWriter(writerIndex);
        idempotentWriters.add(writer);
        return writer;
    }

    private ProducerRecord<byte[], byte[]> record(T record) {
        ProducerRecord<byte[], byte[]> out = toRecord.apply(record);
        if (out == null) {
            throw new NullPointerException("the Kafka sink's record function returned null for " + record);
        }
        return out;
    }

    /**
     * Exactly once: forces the writers' staging files of the epoch (and those before it) and their directory.
     * At least once: waits until Kafka has acknowledged every record the writers sent so far (the epoch's
     * and any of the next one's already sent), and fails if it refused one.
     */
    @Override
    public void prepareCommit(long epochId) throws Exception {
        TransactionalEpochs run = epochs;
        if (run != null) {
            run.prepareCommit(epochId);
        }
        for (IdempotentWriter writer : idempotentWriters) {
            writer.flush();
        }
    }

    @Override
    public void commit(long epochId) throws Exception {
        TransactionalEpochs run = epochs;
        if (run != null) {
            run.commit(epochId);
        }
    }

    @Override
    public void recover(long checkpointedEpoch, long lastCommittedEpoch) throws Exception {
        TransactionalEpochs run = epochs;
        if (run != null) {
            try {
                run.recover(checkpointedEpoch, lastCommittedEpoch);
            } catch (Exception e) {
                // The query does not start: nothing else closes this run's producers.
                close();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        TransactionalEpochs run = epochs;
        epochs = null;
        if (run != null) {
            run.close();
        }
    }

    /**
     * At least once: sends as records arrive; the commit thread flushes it before each checkpoint
     * ({@link #flush}). Owned by the writer's task thread; {@link #flush} and {@link #close} are guarded by the
     * writer's monitor (a flush must not meet a closed producer).
     */
    private final class IdempotentWriter implements SinkWriter<T>, Callback {
        private final KafkaProducer<byte[], byte[]> producer;
        private volatile Exception failure;
        /** Guarded by this. */
        private boolean closed;

        IdempotentWriter(int index) {
            Map<String, Object> all = producerConfigs();
            all.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            all.put(ProducerConfig.ACKS_CONFIG, "all");
            all.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "rivulet-" + queryName + "-sink-" + index);
            producer = new KafkaProducer<>(all, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void write(T record) throws Exception {
            check();
            producer.send(record(record), this);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null && failure == null) {
                failure = exception;
            }
        }

        private void check() throws Exception {
            Exception e = failure;
            if (e != null) {
                throw new IllegalStateException("Kafka refused a record of " + description() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void endEpoch(long epochId) throws Exception {
            check();
        }

        /** Commit thread: waits for every record sent so far; a closed writer's producer flushed at its close. */
        synchronized void flush() throws Exception {
            if (!closed) {
                producer.flush();
            }
            check();
        }

        @Override
        public synchronized void close() {
            closed = true;
            producer.close(Duration.ofSeconds(5));
        }
    }
}
