package io.rivulet.kafka.internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of an exactly-once Kafka sink: the writers stage each epoch's records in a file forced to
 * disk when the epoch ends (before its checkpoint), and the commit of the epoch publishes each writer's
 * file in one Kafka transaction of that writer's transactional producer ({@code <prefix>-<writer>}),
 * together with a marker: the epoch, stored as the consumer-group offset of group
 * {@code <prefix>-<writer>} (the transactional id) for partition 0 of a topic the epoch wrote to,
 * committed atomically with the records ({@code sendOffsetsToTransaction}). Epochs only grow, so the
 * highest offset of the group is the writer's last committed epoch. (The broker accepts transactional
 * offsets for existing topics only, hence a topic the epoch wrote to.)
 *
 * <pre>
 *   stage/.w00003-&lt;run&gt;.open                  records of the epoch being written
 *   stage/epoch-00000000000000000042-w00003.stage  epoch 42 of writer 3, forced, awaiting its commit
 * </pre>
 *
 * <p>Recovery after a crash ({@link #recover}): for every writer with staged files, a new producer
 * with the same transactional id is initialised first, which fences the dead run's producer and
 * completes or aborts its pending transaction; then the marker says which epoch Kafka last committed
 * for that writer; files of later epochs the checkpoint covers are published, each in its own
 * transaction, and every other file is deleted. A {@code read_committed} consumer therefore sees each
 * record of each committed epoch once.
 *
 * <p>Writers ({@link #writer}) are owned by their task threads; {@link #commit}, {@link #recover} and
 * {@link #close} run on the query's commit thread, which owns the producers.
 */
public final class TransactionalEpochs {
    private static final Pattern STAGED = Pattern.compile("epoch-(\\d{20})-w(\\d{5})\\.stage");

    private final Path directory;
    private final String prefix;
    private final Map<String, Object> producerConfigs;
    private final String run = Long.toString(System.nanoTime(), 36);
    private final Map<Integer, KafkaProducer<byte[], byte[]>> producers = new HashMap<>();
    private final ConcurrentHashMap<Long, List<Path>> staged = new ConcurrentHashMap<>();

    /**
     * @param directory where epochs are staged; created if missing; one query at a time
     * @param prefix the transactional-id prefix, also the marker's consumer group
     * @param producerConfigs bootstrap servers and pass-through configs
     */
    public TransactionalEpochs(Path directory, String prefix, Map<String, Object> producerConfigs) {
        this.directory = directory;
        this.prefix = prefix;
        this.producerConfigs = producerConfigs;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka sink's staging directory " + directory, e);
        }
    }

    /** @return the transactional id of writer {@code w} */
    public String transactionalId(int w) {
        return prefix + "-" + w;
    }

    /**
     * Creates and initialises the producers of writers {@code 0..numWriters-1} now, when the query opens the
     * sink, rather than at their first commit: initialising fences any producer a dead run left with the same
     * transactional id and settles its pending transaction, and the first epoch's commit is not delayed by it.
     *
     * @param numWriters the query's writer count
     */
    public void prepare(int numWriters) {
        for (int w = 0; w < numWriters; w++) {
            producer(w);
        }
    }

    /** Stages one writer's records. Not thread-safe; owned by the writer's task thread. */
    public final class Writer {
        private final int index;
        private StagedRecords.Writer file;
        private Path path;

        private Writer(int index) {
            this.index = index;
        }

        /**
         * @param record the record to stage in the current epoch
         * @throws IOException if the staging file cannot be written
         */
        public void write(ProducerRecord<byte[], byte[]> record) throws IOException {
            if (file == null) {
                path = directory.resolve(String.format(Locale.ROOT, ".w%05d-%s.open", index, run));
                Files.deleteIfExists(path);
                file = new StagedRecords.Writer(path);
            }
            file.append(record);
        }

        /**
         * Forces the epoch's records to disk and hands the file to the epoch's commit.
         *
         * @param epochId the epoch that ends
         * @throws IOException if the file cannot be forced or renamed
         */
        public void endEpoch(long epochId) throws IOException {
            if (file == null) {
                return;
            }
            file.force();
            file.close();
            file = null;
            Path done = directory.resolve(stagedName(epochId, index));
            Files.move(path, done, StandardCopyOption.ATOMIC_MOVE);
            staged.computeIfAbsent(epochId, e -> Collections.synchronizedList(new ArrayList<>())).add(done);
        }

        /** Drops an epoch never ended (the run fails or stops mid-epoch). */
        public void close() throws IOException {
            if (file != null) {
                file.close();
                file = null;
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * @param index the writer's index
     * @return a new writer staging into this run
     */
    public Writer writer(int index) {
        return new Writer(index);
    }

    private static String stagedName(long epochId, int writer) {
        return String.format(Locale.ROOT, "epoch-%020d-w%05d.stage", epochId, writer);
    }

    /**
     * Publishes epoch {@code epochId}: one transaction per writer that staged records in it.
     *
     * @param epochId the epoch, every writer having ended it
     * @throws IOException if a staged file cannot be read or deleted
     */
    public void commit(long epochId) throws IOException {
        List<Path> files = staged.remove(epochId);
        if (files == null) {
            return;
        }
        List<Path> sorted = new ArrayList<>(files);
        sorted.sort(null);
        publish(epochId, sorted);
    }

    // A group this sink never joins has no consumer to take ConsumerGroupMetadata from: the id-only form is
    // the one that fits (generation and member unchecked), deprecated in kafka-clients 4.x but served.
    @SuppressWarnings("removal")
    private void publish(long epochId, List<Path> files) throws IOException {
        List<Integer> writers = new ArrayList<>();
        List<String> markerTopics = new ArrayList<>();
        for (Path file : files) {
            Matcher m = STAGED.matcher(file.getFileName().toString());
            if (!m.matches()) {
                throw new IllegalStateException("not a staged epoch file: " + file);
            }
            int w = Integer.parseInt(m.group(2));
            KafkaProducer<byte[], byte[]> producer = producer(w);
            producer.beginTransaction();
            String[] firstTopic = new String[1];
            StagedRecords.read(file, record -> {
                if (firstTopic[0] == null) {
                    firstTopic[0] = record.topic();
                }
                producer.send(record);
            });
            writers.add(w);
            markerTopics.add(firstTopic[0]);
        }
        for (int i = 0; i < writers.size(); i++) {
            int w = writers.get(i);
            KafkaProducer<byte[], byte[]> producer = producer(w);
            if (markerTopics.get(i) != null) {
                producer.sendOffsetsToTransaction(Map.of(new TopicPartition(markerTopics.get(i), 0),
                    new OffsetAndMetadata(epochId)), new ConsumerGroupMetadata(transactionalId(w)));
            }
            // Flushes the records; throws if one could not be written, and the query then fails and recovers.
            producer.commitTransaction();
        }
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Settles what a previous run left: fences its producers, publishes staged epochs the checkpoint
     * covers that Kafka has not committed, deletes the rest.
     *
     * @param checkpointedEpoch the epoch of the checkpoint the query restarts from
     * @throws Exception if Kafka or the staging directory fails
     */
    public void recover(long checkpointedEpoch) throws Exception {
        Map<Integer, TreeMap<Long, Path>> byWriter = new TreeMap<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                Matcher m = STAGED.matcher(name);
                if (m.matches()) {
                    byWriter.computeIfAbsent(Integer.parseInt(m.group(2)), w -> new TreeMap<>())
                        .put(Long.parseLong(m.group(1)), file);
                } else if (name.endsWith(".open")) {
                    // An epoch the dead run never ended: the restarted query produces it again.
                    Files.deleteIfExists(file);
                }
            }
        }
        if (byWriter.isEmpty()) {
            return;
        }
        for (int w : byWriter.keySet()) {
            // initTransactions fences the dead run's producer and settles its pending transaction first.
            producer(w);
        }
        for (Map.Entry<Integer, TreeMap<Long, Path>> writer : byWriter.entrySet()) {
            long done = committedEpoch(writer.getKey());
            for (Map.Entry<Long, Path> epoch : writer.getValue().entrySet()) {
                if (epoch.getKey() > done && epoch.getKey() <= checkpointedEpoch) {
                    publish(epoch.getKey(), List.of(epoch.getValue()));
                } else {
                    Files.deleteIfExists(epoch.getValue());
                }
            }
        }
    }

    /**
     * @param w a writer index
     * @return the newest epoch Kafka committed for writer {@code w} (its marker), or -1
     * @throws Exception if the group's offsets cannot be read
     */
    public long committedEpoch(int w) throws Exception {
        Map<String, Object> configs = new HashMap<>();
        configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, producerConfigs.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        for (Map.Entry<String, Object> config : producerConfigs.entrySet()) {
            if (config.getKey().startsWith("security.") || config.getKey().startsWith("sasl.")
                || config.getKey().startsWith("ssl.")) {
                configs.put(config.getKey(), config.getValue());
            }
        }
        long epoch = -1;
        try (Admin admin = Admin.create(configs)) {
            // requireStable: a marker whose transaction is still completing is waited for, never read as absent.
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(transactionalId(w),
                    new ListConsumerGroupOffsetsOptions().requireStable(true))
                .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            for (OffsetAndMetadata offset : offsets.values()) {
                if (offset != null) {
                    epoch = Math.max(epoch, offset.offset());
                }
            }
        }
        return epoch;
    }

    private KafkaProducer<byte[], byte[]> producer(int w) {
        KafkaProducer<byte[], byte[]> producer = producers.get(w);
        if (producer == null) {
            Map<String, Object> configs = new HashMap<>(producerConfigs);
            configs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(w));
            configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            configs.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId(w));
            producer = new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer());
            try {
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
            producers.put(w, producer);
        }
        return producer;
    }

    /** Closes the producers; a transaction left open (a failed commit) is aborted by the broker or the next run. */
    public void close() {
        for (KafkaProducer<byte[], byte[]> producer : producers.values()) {
            producer.close(Duration.ofSeconds(5));
        }
        producers.clear();
    }
}
