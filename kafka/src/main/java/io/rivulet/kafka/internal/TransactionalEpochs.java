package io.rivulet.kafka.internal;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of an exactly-once Kafka sink: the writers stage each epoch's records in a file forced to
 * disk when the epoch ends (before its checkpoint), and the commit of the epoch publishes each writer's
 * file in one Kafka transaction of that writer's transactional producer ({@code <prefix>-<writer>}),
 * together with a marker: one record in the same transaction, key the transactional id and value the epoch,
 * to partition 0 of the compacted marker topic ({@code <prefix>-epochs} unless named; {@code EpochMarkers}).
 * Epochs only grow, so a writer's newest committed marker is its last committed epoch.
 *
 * <pre>
 *   stage/.w00003-&lt;run&gt;.open                  records of the epoch being written
 *   stage/epoch-00000000000000000042-w00003.stage  epoch 42 of writer 3, forced, awaiting its commit
 *   stage/epoch-marker-topic.properties            the marker topic's name and id the staged epochs are marked in
 * </pre>
 *
 * <p>Recovery after a crash ({@link #recover}): for every writer with staged files, a new producer
 * with the same transactional id is initialised first, which fences the dead run's producer and
 * completes or aborts its pending transaction. Staged epochs up to the engine's commit log were committed;
 * for the writers holding later ones the checkpoint covers (in doubt: the crash came between the checkpoint
 * and the commit log), the newest committed marker, read backward from the end of the marker partition
 * with a {@code read_committed} consumer, says which epoch Kafka last committed (a writer without one falls
 * back to the consumer-group offset that versions before the marker topic committed). In-doubt files after
 * it are published, each in its own transaction, and every other file is deleted. A {@code read_committed}
 * consumer therefore sees each record of each committed epoch once.
 *
 * <p><b>Transactions begin ahead of their commit.</b> Each writer has a publisher thread of its own
 * ({@code <prefix>-publisher-<writer>}) that, as soon as the writer has staged an epoch, begins
 * the writer's transaction, sends the epoch's records and the marker into it, and then waits: only when
 * the query commits the epoch (after its checkpoint is durable) does it commit the transaction. Nothing
 * of a transaction is visible before that commit, and a run that dies leaves it open, to be aborted by
 * the next run's fencing; so what the commit waits for is the transaction's end alone, not its records'
 * round trips, and the writers' transactions end in parallel. A producer holds one transaction at a
 * time: an epoch staged while the writer's previous one awaits its commit waits behind it; epochs the
 * query already asked to commit when their transaction begins go into one transaction together, marked
 * with the newest of them.
 *
 * <pre>
 *   writer w: endEpoch(e) ─ force, rename ─► publisher w: begin, send e's records, marker e ─┐ (open, invisible)
 *   commit thread: checkpoint e ─► commit(e) ─ ask every publisher ─────────────────────────┴► commitTransaction ─► return
 * </pre>
 *
 * <p>Writers ({@link #writer}) are owned by their task threads; each writer's producer by its
 * publisher thread once the run is open, and by the query's commit thread during {@link #recover},
 * which runs before any writer stages; {@link #commit} and {@link #close} run on the commit thread.
 */
public final class TransactionalEpochs {
    private static final Pattern STAGED = Pattern.compile("epoch-(\\d{20})-w(\\d{5})\\.stage");

    private final Path directory;
    private final String prefix;
    private final Map<String, Object> producerConfigs;
    private final EpochMarkers markers;
    private final String run = Long.toString(System.nanoTime(), 36);
    private final Map<Integer, KafkaProducer<byte[], byte[]>> producers = new ConcurrentHashMap<>();
    /** By writer index; each made with its writer. */
    private final Map<Integer, Publisher> publishers = new ConcurrentHashMap<>();

    /**
     * A run marking its epochs in the default marker topic, {@code <prefix>-epochs}.
     *
     * @param directory where epochs are staged; created if missing; one query at a time
     * @param prefix the transactional-id prefix
     * @param producerConfigs bootstrap servers and pass-through configs
     */
    public TransactionalEpochs(Path directory, String prefix, Map<String, Object> producerConfigs) {
        this(directory, prefix, null, producerConfigs);
    }

    /**
     * @param directory where epochs are staged; created if missing; one query at a time
     * @param prefix the transactional-id prefix
     * @param markerTopic the epoch marker topic, or {@code null} for {@code <prefix>-epochs}
     * @param producerConfigs bootstrap servers and pass-through configs
     * @throws IllegalArgumentException if the marker topic's name is not a legal topic name
     */
    public TransactionalEpochs(Path directory, String prefix, String markerTopic, Map<String, Object> producerConfigs) {
        this.directory = directory;
        this.prefix = prefix;
        this.producerConfigs = producerConfigs;
        this.markers = new EpochMarkers(directory, markerTopic != null ? markerTopic : prefix + "-epochs",
            markerTopic != null, producerConfigs);
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

    /** @return the epoch marker topic */
    public String markerTopic() {
        return markers.topic();
    }

    /**
     * Checks the marker topic (creating it if absent), then creates and initialises the producers of writers
     * {@code 0..numWriters-1} now, when the query opens the sink, rather than at their first commit:
     * initialising fences any producer a dead run left with the same transactional id and settles its pending
     * transaction, and the first epoch's commit is not delayed by it. Call before {@link #writer}.
     *
     * @param numWriters the query's writer count
     * @throws IllegalStateException if the marker topic is missing and cannot be created, or is not compacted
     * @throws Exception if Kafka or the staging directory fails
     */
    public void prepare(int numWriters) throws Exception {
        markers.open(anythingStaged());
        for (int w = 0; w < numWriters; w++) {
            producer(w);
        }
    }

    private boolean anythingStaged() throws IOException {
        try (var files = Files.list(directory)) {
            return files.anyMatch(f -> STAGED.matcher(f.getFileName().toString()).matches());
        }
    }

    /** Stages one writer's records. Not thread-safe; owned by the writer's task thread. */
    public final class Writer {
        private final int index;
        private final Publisher publisher;
        private StagedRecords.Writer file;
        private Path path;

        private Writer(int index) {
            this.index = index;
            this.publisher = publishers.computeIfAbsent(index, w -> {
                Publisher made = new Publisher(w);
                made.thread.start();
                return made;
            });
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
            publisher.staged(epochId, done);
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
     * @return a new writer staging into this run, with its publisher thread started
     * @throws IllegalStateException if the run was not {@linkplain #prepare prepared}
     */
    public Writer writer(int index) {
        if (!markers.isOpen()) {
            throw new IllegalStateException("prepare the Kafka sink's run before creating its writers");
        }
        return new Writer(index);
    }

    private static String stagedName(long epochId, int writer) {
        return String.format(Locale.ROOT, "epoch-%020d-w%05d.stage", epochId, writer);
    }

    /**
     * Commits epoch {@code epochId} and any earlier one still open: every writer's transaction holding a
     * staged epoch up to it, in parallel, each begun ahead by the writer's publisher. Returns when they
     * are committed.
     *
     * @param epochId the epoch, every writer having ended it and its checkpoint durable
     * @throws IOException if a staged file could not be read or deleted
     * @throws InterruptedException if interrupted while waiting
     */
    public void commit(long epochId) throws IOException, InterruptedException {
        for (Publisher publisher : publishers.values()) {
            publisher.request(epochId);
        }
        for (Publisher publisher : publishers.values()) {
            publisher.await(epochId);
        }
    }

    /** An open or opening transaction of one writer: its staged epochs, oldest first. */
    private record Batch(List<Long> epochs, List<Path> files) {
        long first() {
            return epochs.get(0);
        }

        long last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    /**
     * One writer's transactions: begins each staged epoch's transaction as soon as it is staged and
     * commits it when the query commits the epoch. Its thread owns the writer's producer; the writer's
     * task thread hands it epochs ({@link #staged}), the commit thread asks for commits ({@link #request},
     * {@link #await}), both under the publisher's monitor.
     */
    private final class Publisher implements Runnable {
        private final int writer;
        private final Thread thread;
        /** Staged epochs whose transaction has not begun, oldest first. Guarded by this. */
        private final ArrayDeque<Long> epochs = new ArrayDeque<>();
        private final ArrayDeque<Path> files = new ArrayDeque<>();
        /** The transaction begun or beginning, or {@code null}. Guarded by this. */
        private Batch current;
        /** Whether {@link #current}'s records and marker are sent. Guarded by this. */
        private boolean currentSent;
        /** The newest epoch the query asked to commit. Guarded by this. */
        private long commitUpTo = -1;
        private boolean closing;
        private Throwable failure;

        Publisher(int writer) {
            this.writer = writer;
            this.thread = new Thread(this, prefix + "-publisher-" + writer);
            thread.setDaemon(true);
        }

        /** Writer's task thread: epoch {@code epochId} is staged in {@code file}. */
        synchronized void staged(long epochId, Path file) {
            epochs.addLast(epochId);
            files.addLast(file);
            notifyAll();
        }

        /** Commit thread: every staged epoch up to {@code epochId} may commit. */
        synchronized void request(long epochId) {
            if (epochId > commitUpTo) {
                commitUpTo = epochId;
                notifyAll();
            }
        }

        /** Commit thread: waits until no staged epoch up to {@code epochId} is uncommitted. */
        synchronized void await(long epochId) throws IOException, InterruptedException {
            while (failure == null && ((current != null && current.first() <= epochId)
                || (!epochs.isEmpty() && epochs.peekFirst() <= epochId))) {
                wait();
            }
            if (failure != null) {
                if (failure instanceof IOException e) {
                    throw e;
                }
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                throw new IllegalStateException("the Kafka sink's publisher of writer " + writer + " failed", failure);
            }
        }

        synchronized void close() {
            closing = true;
            notifyAll();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Batch begin = null;
                    Batch end = null;
                    synchronized (this) {
                        while (!closing && !(current == null && !epochs.isEmpty())
                            && !(current != null && currentSent && current.last() <= commitUpTo)) {
                            wait();
                        }
                        if (closing) {
                            return;
                        }
                        if (current == null) {
                            begin = take();
                            current = begin;
                            currentSent = false;
                        } else {
                            end = current;
                        }
                    }
                    if (begin != null) {
                        send(writer, begin.last(), begin.files());
                        synchronized (this) {
                            currentSent = true;
                        }
                    } else {
                        // Flushes the records; throws if one could not be written, and the query then fails and recovers.
                        producer(writer).commitTransaction();
                        for (Path file : end.files()) {
                            Files.deleteIfExists(file);
                        }
                        synchronized (this) {
                            current = null;
                            notifyAll();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                synchronized (this) {
                    failure = t;
                    notifyAll();
                }
            }
        }

        /**
         * The next transaction's epochs: the oldest staged one, with every later one the query already
         * asked to commit (they would commit one right after the other anyway). Under the monitor.
         */
        private Batch take() {
            List<Long> batchEpochs = new ArrayList<>();
            List<Path> batchFiles = new ArrayList<>();
            do {
                batchEpochs.add(epochs.pollFirst());
                batchFiles.add(files.pollFirst());
            } while (!epochs.isEmpty() && epochs.peekFirst() <= commitUpTo && batchEpochs.get(0) <= commitUpTo);
            return new Batch(batchEpochs, batchFiles);
        }

        /** Commit thread, at close: aborts a transaction begun for epochs that were never committed. */
        void abortOpen() {
            Batch open;
            synchronized (this) {
                open = current;
            }
            if (open != null) {
                try {
                    producer(writer).abortTransaction();
                } catch (RuntimeException e) {
                    // Fenced or failed: the next run's fencing aborts it.
                }
            }
        }
    }

    private void publish(long epochId, List<Path> files) throws IOException {
        for (Path file : files) {
            int w = writerOf(file);
            send(w, epochId, List.of(file));
            // Flushes the records; throws if one could not be written, and the query then fails and recovers.
            producer(w).commitTransaction();
            Files.deleteIfExists(file);
        }
    }

    private static int writerOf(Path file) {
        Matcher m = STAGED.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("not a staged epoch file: " + file);
        }
        return Integer.parseInt(m.group(2));
    }

    /**
     * Begins writer {@code w}'s transaction and sends the staged files' records and the marker
     * {@code markerEpoch} (the newest epoch among them) into it, uncommitted.
     */
    private void send(int w, long markerEpoch, List<Path> files) throws IOException {
        KafkaProducer<byte[], byte[]> producer = producer(w);
        producer.beginTransaction();
        for (Path file : files) {
            StagedRecords.read(file, producer::send);
        }
        producer.send(markers.marker(transactionalId(w), markerEpoch));
    }

    /**
     * Settles what a previous run left: fences its producers, publishes staged epochs the checkpoint
     * covers that Kafka has not committed, deletes the rest.
     *
     * @param checkpointedEpoch the epoch of the checkpoint the query restarts from
     * @param lastCommittedEpoch the newest epoch of the engine's commit log (committed for sure), or -1
     * @throws IllegalStateException if epochs are in doubt and the marker topic lost their markers
     * @throws Exception if Kafka or the staging directory fails
     */
    public void recover(long checkpointedEpoch, long lastCommittedEpoch) throws Exception {
        markers.open(true);
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
        for (int w : byWriter.keySet()) {
            // initTransactions fences the dead run's producer and settles its pending transaction first.
            producer(w);
        }
        List<Path> inDoubt = new ArrayList<>();
        Set<String> doubting = new HashSet<>();
        for (Map.Entry<Integer, TreeMap<Long, Path>> writer : byWriter.entrySet()) {
            for (Map.Entry<Long, Path> epoch : writer.getValue().entrySet()) {
                if (epoch.getKey() > lastCommittedEpoch && epoch.getKey() <= checkpointedEpoch) {
                    inDoubt.add(epoch.getValue());
                    doubting.add(transactionalId(writer.getKey()));
                }
            }
        }
        markers.checkNotLost(inDoubt);
        Map<String, Long> marked = doubting.isEmpty() ? Map.of() : markers.newest(doubting);
        for (Map.Entry<Integer, TreeMap<Long, Path>> writer : byWriter.entrySet()) {
            String id = transactionalId(writer.getKey());
            long done = lastCommittedEpoch;
            if (doubting.contains(id)) {
                Long marker = marked.get(id);
                done = Math.max(done, marker != null ? marker : markers.legacyGroupMarker(id));
            }
            for (Map.Entry<Long, Path> epoch : writer.getValue().entrySet()) {
                if (epoch.getKey() > done && epoch.getKey() <= checkpointedEpoch) {
                    publish(epoch.getKey(), List.of(epoch.getValue()));
                } else {
                    Files.deleteIfExists(epoch.getValue());
                }
            }
        }
        markers.record();
    }

    /**
     * @param w a writer index
     * @return the newest epoch Kafka committed for writer {@code w}: its newest marker, else the consumer-group
     *     offset an earlier version marked it with, else -1
     * @throws Exception if Kafka fails
     */
    public long committedEpoch(int w) throws Exception {
        markers.open(true);
        Long marker = markers.newest(Set.of(transactionalId(w))).get(transactionalId(w));
        return marker != null ? marker : markers.legacyGroupMarker(transactionalId(w));
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

    /**
     * Stops the publishers, aborts the transactions they began for epochs never committed, and closes the
     * producers; a transaction left open (a failed commit) is aborted by the broker or the next run.
     */
    public void close() {
        for (Publisher publisher : publishers.values()) {
            publisher.close();
        }
        for (Publisher publisher : publishers.values()) {
            try {
                publisher.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Publisher publisher : publishers.values()) {
            if (!publisher.thread.isAlive()) {
                publisher.abortOpen();
            }
        }
        publishers.clear();
        for (KafkaProducer<byte[], byte[]> producer : producers.values()) {
            producer.close(Duration.ofSeconds(5));
        }
        producers.clear();
        markers.close();
    }
}
