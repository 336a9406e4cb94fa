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
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of an exactly-once Kafka sink: the writers stage each epoch's records in a file, closed and named
 * for the epoch when the epoch ends and forced to disk, with the staging directory, by {@link #prepareCommit}
 * on the query's commit thread before the epoch's checkpoint, and each writer's records of the epoch go in one Kafka
 * transaction of that writer's transactional producer ({@code <prefix>-<writer>}), committed when the
 * query commits the epoch,
 * together with a marker: one record in the same transaction, key the transactional id and value the epoch,
 * to partition 0 of the compacted marker topic ({@code <prefix>-epochs} unless named; {@code EpochMarkers}).
 * Epochs only grow, so a writer's newest committed marker is its last committed epoch.
 *
 * <pre>
 *   stage/.w00003-&lt;run&gt;.open                  records of the epoch being written
 *   stage/epoch-00000000000000000042-w00003.stage  epoch 42 of writer 3, ended (forced once prepared), awaiting its commit
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
 * consumer therefore sees each record of each committed epoch once. Recovery reads only files a checkpoint
 * covers, which {@link #prepareCommit} forced (with their names) before that checkpoint was written; a later
 * epoch's file, never forced, may have been cut short by an operating-system crash, and is deleted unread.
 *
 * <p><b>Records go to Kafka during their epoch.</b> Each writer has a publisher thread of its own
 * ({@code <prefix>-publisher-<writer>}). The writer appends each record to the staging file and offers it to
 * the publisher through a bounded ring ({@link OneToOneRecordRing}, {@value #RING_CAPACITY} records); the offer
 * never waits: once the ring refuses one of an epoch's records, the epoch's later records stay in the file only.
 * When the writer's producer is free, the publisher begins the writer's transaction at the epoch's first
 * record, with a marker of the epoch after the writer's last ended one (a floor of the epoch's id, so that the
 * marker partition joins the transaction early), and sends its records as they come; when the writer ends the
 * epoch, it sends the records the ring did not take from the file (closed: its bytes are in the page cache,
 * forced or not), and the epoch's own marker unless
 * the floor was it (the newest marker of a transaction is its largest), and then waits: only when the query commits the epoch
 * (after its checkpoint is durable) does it commit the transaction, which by then has mostly nothing left
 * to wait for but its own end. Nothing of a transaction is visible before that commit, and a run that dies
 * leaves it open, to be aborted by the next run's fencing; the staging file is the same whether or not
 * its records went early, so recovery does not depend on it. A producer holds one transaction at a time: the
 * records of an epoch written while the writer's previous transaction awaits its commit wait in the ring
 * (and, past its capacity, in the file), and the epoch goes once the producer is free; epochs the query
 * already asked to commit when their transaction begins go into one transaction together, marked with the
 * newest of them. A writer closed mid-epoch (the run failing or stopping) aborts what of that epoch was sent.
 *
 * <pre>
 *   writer w: write ─ append, offer ─► publisher w: begin at the first record, send each (open, invisible)
 *   writer w: endEpoch(e) ─ close, rename ─► publisher w: send the records the ring refused, marker e ─┐
 *   commit thread: prepareCommit(e) ─ force ..e's files, the directory ─► checkpoint e ─► commit(e) ─ ask every publisher ─┴► commitTransaction ─► return
 * </pre>
 *
 * <p>Writers ({@link #writer}) are owned by their task threads; each writer's producer by its
 * publisher thread once the run is open, and by the query's commit thread during {@link #recover},
 * which runs before any writer stages; {@link #prepareCommit}, {@link #commit} and {@link #close} run on the
 * commit thread. A writer hands each ended epoch's file to the commit thread for its force through a queue
 * of its own ({@code unforced}), before it reports the epoch ended to the query.
 */
public final class TransactionalEpochs {
    /** Records a writer's publisher holds before the writer leaves the rest of the epoch to its file. */
    private static final int RING_CAPACITY = 8192;
    private static final Pattern STAGED = Pattern.compile("epoch-(\\d{20})-w(\\d{5})\\.stage");

    private final Path directory;
    private final String prefix;
    private final Map<String, Object> producerConfigs;
    private final StagedRecords.Force force;
    private final EpochMarkers markers;
    private final String run = Long.toString(System.nanoTime(), 36);
    private final Map<Integer, KafkaProducer<byte[], byte[]>> producers = new ConcurrentHashMap<>();
    /** By writer index; each made with its writer. */
    private final Map<Integer, Publisher> publishers = new ConcurrentHashMap<>();
    /**
     * By writer index, made with its writer: the epochs it ended whose files {@link #prepareCommit} has not
     * forced, oldest first. The writer's task thread adds, the commit thread forces and removes.
     */
    private final Map<Integer, Queue<Staged>> unforced = new ConcurrentHashMap<>();

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
        this(directory, prefix, markerTopic, producerConfigs, StagedRecords.Force.DISK);
    }

    /**
     * @param force forces each staged file and the staging directory ({@link StagedRecords.Force#DISK} but in
     *     tests)
     */
    TransactionalEpochs(Path directory, String prefix, String markerTopic, Map<String, Object> producerConfigs,
                        StagedRecords.Force force) {
        this.directory = directory;
        this.prefix = prefix;
        this.producerConfigs = producerConfigs;
        this.force = force;
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

    /**
     * Stages one writer's records and hands each to the writer's publisher as it stages it (never waiting:
     * when the publisher's ring is full, the rest of the epoch goes from the staging file at the epoch's end).
     * Not thread-safe; owned by the writer's task thread.
     */
    public final class Writer {
        private final int index;
        private final Publisher publisher;
        private final Queue<Staged> unforced;
        private StagedRecords.Writer file;
        private Path path;
        /** Records of the current epoch handed to the publisher: the epoch's first ones. */
        private int handedOff;
        /** Whether the ring refused one of the current epoch's records: its later ones stay in the file only. */
        private boolean spilled;
        /** The epoch this writer last ended, with or without records, or -1. */
        private long lastEnded = -1;

        private Writer(int index) {
            this.index = index;
            this.publisher = publishers.computeIfAbsent(index, w -> {
                Publisher made = new Publisher(w);
                made.thread.start();
                return made;
            });
            this.unforced = TransactionalEpochs.this.unforced.computeIfAbsent(index, w -> new ConcurrentLinkedQueue<>());
        }

        /**
         * Stages a record in the current epoch and offers it to the publisher, which sends it into the
         * epoch's transaction if the writer's producer is free.
         *
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
            if (!spilled) {
                if (publisher.offer(record, lastEnded < 0 ? -1 : lastEnded + 1)) {
                    handedOff++;
                } else {
                    spilled = true;
                }
            }
        }

        /**
         * Writes the epoch's records to its file, closes it and names it for the epoch, and hands it to the
         * publisher and to {@link #prepareCommit}, which forces it on the commit thread: this thread never
         * waits for the disk.
         *
         * @param epochId the epoch that ends
         * @throws IOException if the file cannot be written or renamed
         */
        public void endEpoch(long epochId) throws IOException {
            lastEnded = epochId;
            if (file == null) {
                return;
            }
            file.close();
            file = null;
            Path done = directory.resolve(stagedName(epochId, index));
            Files.move(path, done, StandardCopyOption.ATOMIC_MOVE);
            unforced.add(new Staged(epochId, done));
            publisher.ended(epochId, done, handedOff);
            handedOff = 0;
            spilled = false;
        }

        /** Drops an epoch never ended (the run fails or stops mid-epoch), and the records of it already sent. */
        public void close() throws IOException {
            if (file != null) {
                file.close();
                file = null;
                Files.deleteIfExists(path);
                publisher.ended(-1, null, handedOff);
                handedOff = 0;
                spilled = false;
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
     * Makes every writer's staged epochs up to {@code epochId} durable: forces each of their files not forced
     * yet, then, if there was one, the staging directory, once (the files' names come from renames, which must
     * survive too). On the commit thread, every writer having ended {@code epochId}, before the checkpoint that
     * covers it is written: recovery publishes the staged epochs a checkpoint covers.
     *
     * @param epochId the epoch every writer has ended
     * @throws IOException if a file or the directory cannot be forced; the query fails before the checkpoint
     */
    public void prepareCommit(long epochId) throws IOException {
        boolean forced = false;
        for (Queue<Staged> writer : unforced.values()) {
            for (Staged staged = writer.peek(); staged != null && staged.epoch() <= epochId; staged = writer.peek()) {
                force.force(staged.file());
                writer.poll();
                forced = true;
            }
        }
        if (forced) {
            force.force(directory);
        }
    }

    /**
     * Commits epoch {@code epochId} and any earlier one still open: every writer's transaction holding a
     * staged epoch up to it, in parallel, each begun ahead by the writer's publisher. Returns when they
     * are committed.
     *
     * @param epochId the epoch, every writer having ended it, {@link #prepareCommit} done and its checkpoint durable
     * @throws IllegalStateException if a staged epoch up to {@code epochId} was not prepared (a sink wrapping the
     *     Kafka sink did not pass {@code prepareCommit} on): nothing is committed
     * @throws IOException if a staged file could not be read or deleted
     * @throws InterruptedException if interrupted while waiting
     */
    public void commit(long epochId) throws IOException, InterruptedException {
        for (Map.Entry<Integer, Queue<Staged>> writer : unforced.entrySet()) {
            Staged oldest = writer.getValue().peek();
            if (oldest != null && oldest.epoch() <= epochId) {
                throw new IllegalStateException("the Kafka sink was asked to commit epoch " + epochId + " before its"
                    + " prepareCommit forced writer " + writer.getKey() + "'s staged epoch " + oldest.epoch()
                    + " (a sink wrapping the Kafka sink must pass prepareCommit on)");
            }
        }
        for (Publisher publisher : publishers.values()) {
            publisher.request(epochId);
        }
        for (Publisher publisher : publishers.values()) {
            publisher.await(epochId);
        }
    }

    /** An epoch a writer ended, {@code file} its staged records, not forced yet. */
    private record Staged(long epoch, Path file) {
    }

    /**
     * An epoch a writer ended ({@code file} its staged records) or dropped ({@code file} null, {@code epoch} -1),
     * {@code handedOff} of its first records in the publisher's ring.
     */
    private record Ended(long epoch, Path file, int handedOff) {
    }

    /** A begun transaction of one writer: the ended epochs in it, oldest first. */
    private static final class Transaction {
        final List<Ended> epochs = new ArrayList<>();
        /** Whether it holds the epoch being written, whose records go into it as they come. */
        boolean live;
        /** Records of the live epoch sent. */
        int liveSent;
        /** Whether every epoch's records and the marker are sent: it may commit. */
        boolean sent;
        /** The epoch of the marker sent at the live epoch's first record, or -1. */
        long markedEarly = -1;

        long first() {
            return epochs.isEmpty() ? Long.MAX_VALUE : epochs.get(0).epoch();
        }

        long last() {
            return epochs.get(epochs.size() - 1).epoch();
        }
    }

    /** What the publisher does next; decided under its monitor, done outside it. */
    private enum Step { COMMIT, BEGIN_ENDED, END_LIVE, ABORT_LIVE, DROP, SEND_LIVE }

    /**
     * One writer's transactions. Its thread owns the writer's producer. When the producer is free and the
     * writer hands it the first record of an epoch ({@link #offer}, through a {@link OneToOneRecordRing}),
     * it begins the writer's transaction and sends the epoch's records as they come; when the writer ends
     * the epoch ({@link #ended}) it sends the records the ring did not take from the staging file, and the
     * marker. An epoch ended while the producer still held the previous transaction goes from its ring
     * prefix and file once the producer is free. The transaction commits when the query commits its epochs
     * ({@link #request}, {@link #await}, on the commit thread). The writer's task thread only offers to the
     * ring and appends to {@link #ended} under the monitor; the publisher parks when it has nothing to do
     * and is unparked by those calls (by {@link #offer} only when it waits for records it could send).
     */
    private final class Publisher implements Runnable {
        private final int writer;
        private final Thread thread;
        private final OneToOneRecordRing ring = new OneToOneRecordRing(RING_CAPACITY);
        /** Whether the publisher is about to park waiting for ring records it could send. */
        private volatile boolean idle;
        /**
         * The ordinal of the epoch the writer is writing: how many epochs it ended or dropped. Owned by the
         * writer's task thread.
         */
        private long writerOrdinal;
        /** The ordinal of the oldest epoch whose ring records the publisher has not finished. Publisher's. */
        private long ordinal;
        /** Ended epochs not yet in a transaction, oldest first. Guarded by this. */
        private final ArrayDeque<Ended> ended = new ArrayDeque<>();
        /** The begun transaction, or {@code null}. Guarded by this. */
        private Transaction current;
        /** The newest epoch the query asked to commit. Guarded by this. */
        private long commitUpTo = -1;
        private boolean closing;
        private Throwable failure;

        Publisher(int writer) {
            this.writer = writer;
            this.thread = new Thread(this, prefix + "-publisher-" + writer);
            thread.setDaemon(true);
        }

        /**
         * Writer's task thread: hands on the current epoch's next record.
         *
         * @param epochFloor a lower bound of the current epoch's id (epochs only grow), or -1
         * @return false if the ring is full
         */
        boolean offer(ProducerRecord<byte[], byte[]> record, long epochFloor) {
            if (!ring.offer(record, writerOrdinal, epochFloor)) {
                return false;
            }
            if (idle) {
                idle = false;
                LockSupport.unpark(thread);
            }
            return true;
        }

        /** Writer's task thread: the current epoch ended (staged in {@code file}) or was dropped ({@code file} null). */
        void ended(long epochId, Path file, int handedOff) {
            synchronized (this) {
                ended.addLast(new Ended(epochId, file, handedOff));
            }
            writerOrdinal++;
            LockSupport.unpark(thread);
        }

        /** Commit thread: every ended epoch up to {@code epochId} may commit. */
        void request(long epochId) {
            synchronized (this) {
                if (epochId <= commitUpTo) {
                    return;
                }
                commitUpTo = epochId;
            }
            LockSupport.unpark(thread);
        }

        /** Commit thread: waits until no ended epoch up to {@code epochId} is uncommitted. */
        synchronized void await(long epochId) throws IOException, InterruptedException {
            while (failure == null && (current != null && current.first() <= epochId || endedUpTo(epochId))) {
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

        /**
         * Whether an ended epoch up to {@code epochId} awaits its transaction; dropped ones do not count (one may
         * wait behind a transaction the query has not asked to commit yet). Under the monitor.
         */
        private boolean endedUpTo(long epochId) {
            for (Ended epoch : ended) {
                if (epoch.file() != null && epoch.epoch() <= epochId) {
                    return true;
                }
            }
            return false;
        }

        void close() {
            synchronized (this) {
                closing = true;
            }
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Step step;
                    Transaction tx;
                    Ended epoch = null;
                    synchronized (this) {
                        if (closing) {
                            return;
                        }
                        tx = current;
                        if (tx != null && tx.sent && tx.last() <= commitUpTo) {
                            step = Step.COMMIT;
                        } else if (tx == null && !ended.isEmpty()) {
                            if (ended.peekFirst().file() == null) {
                                epoch = ended.pollFirst();
                                step = Step.DROP;
                            } else {
                                tx = take();
                                current = tx;
                                step = Step.BEGIN_ENDED;
                            }
                        } else if (tx != null && tx.live && !ended.isEmpty()) {
                            epoch = ended.pollFirst();
                            if (epoch.file() != null) {
                                tx.epochs.add(epoch);
                                step = Step.END_LIVE;
                            } else {
                                step = Step.ABORT_LIVE;
                            }
                        } else {
                            step = tx == null || tx.live ? Step.SEND_LIVE : null;
                        }
                    }
                    if (step == null) {
                        LockSupport.park(this);
                        continue;
                    }
                    KafkaProducer<byte[], byte[]> producer = producer(writer);
                    switch (step) {
                        case COMMIT -> {
                            // Flushes the records; throws if one could not be written, and the query then fails and recovers.
                            producer.commitTransaction();
                            for (Ended committed : tx.epochs) {
                                Files.deleteIfExists(committed.file());
                            }
                            finish();
                        }
                        case BEGIN_ENDED -> {
                            producer.beginTransaction();
                            for (Ended staged : tx.epochs) {
                                sendRest(producer, staged, 0);
                            }
                            producer.send(markers.marker(transactionalId(writer), tx.last()));
                            synchronized (this) {
                                tx.sent = true;
                            }
                        }
                        case END_LIVE -> {
                            sendRest(producer, epoch, tx.liveSent);
                            if (tx.markedEarly != epoch.epoch()) {
                                producer.send(markers.marker(transactionalId(writer), epoch.epoch()));
                            }
                            synchronized (this) {
                                tx.live = false;
                                tx.sent = true;
                            }
                        }
                        case ABORT_LIVE -> {
                            drain(epoch.handedOff() - tx.liveSent, null);
                            producer.abortTransaction();
                            finish();
                        }
                        case DROP -> drain(epoch.handedOff(), null);
                        case SEND_LIVE -> sendLive(producer, tx);
                    }
                }
            } catch (Throwable t) {
                synchronized (this) {
                    failure = t;
                    notifyAll();
                }
            }
        }

        private synchronized void finish() {
            current = null;
            notifyAll();
        }

        /**
         * Sends the ring's records of the epoch being written, beginning the transaction at its first one
         * ({@code tx} null: the producer is free); parks if there are none.
         */
        private void sendLive(KafkaProducer<byte[], byte[]> producer, Transaction tx) {
            if (ring.isEmpty() || ring.peekOrdinal() != ordinal) {
                idle = true;
                // Re-read after announcing: a record offered before it is seen here, one after it unparks.
                if (ring.isEmpty() || ring.peekOrdinal() != ordinal) {
                    LockSupport.park(this);
                }
                idle = false;
                return;
            }
            if (tx == null) {
                producer.beginTransaction();
                tx = new Transaction();
                tx.live = true;
                long floor = ring.peekEpochFloor();
                if (floor >= 0) {
                    // The marker partition joins the transaction now rather than at the commit; a floor below the
                    // epoch is corrected by the epoch's own marker, sent after it (the newest marker is the larger).
                    producer.send(markers.marker(transactionalId(writer), floor));
                    tx.markedEarly = floor;
                }
                synchronized (this) {
                    current = tx;
                }
            }
            while (!ring.isEmpty() && ring.peekOrdinal() == ordinal) {
                producer.send(ring.poll());
                tx.liveSent++;
            }
        }

        /**
         * Sends an ended epoch's records from the {@code sent}-th on: its ring records, then those only in its file.
         */
        private void sendRest(KafkaProducer<byte[], byte[]> producer, Ended epoch, int sent) throws IOException {
            drain(epoch.handedOff() - sent, producer);
            StagedRecords.read(epoch.file(), epoch.handedOff(), producer::send);
        }

        /**
         * Takes the current epoch's {@code count} remaining ring records (all there: the writer offered them before
         * ending the epoch), sending them if {@code producer} is not null, and moves on to the next epoch.
         */
        private void drain(int count, KafkaProducer<byte[], byte[]> producer) {
            for (int i = 0; i < count; i++) {
                if (ring.isEmpty() || ring.peekOrdinal() != ordinal) {
                    throw new IllegalStateException("the Kafka sink's writer " + writer + " ended epoch ordinal " + ordinal
                        + " with " + (count - i) + " of its handed-off records missing from the ring");
                }
                ProducerRecord<byte[], byte[]> record = ring.poll();
                if (producer != null) {
                    producer.send(record);
                }
            }
            ordinal++;
        }

        /**
         * The next transaction's epochs: the oldest ended one, with every later one the query already asked to
         * commit (they would commit one right after the other anyway). Under the monitor.
         */
        private Transaction take() {
            Transaction tx = new Transaction();
            do {
                tx.epochs.add(ended.pollFirst());
            } while (!ended.isEmpty() && ended.peekFirst().file() != null && ended.peekFirst().epoch() <= commitUpTo
                && tx.first() <= commitUpTo);
            return tx;
        }

        /** Commit thread, at close: aborts a transaction begun for epochs that were never committed. */
        void abortOpen() {
            Transaction open;
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

    private void publish(long epochId, Path file) throws IOException {
        KafkaProducer<byte[], byte[]> producer = producer(writerOf(file));
        producer.beginTransaction();
        StagedRecords.read(file, 0, producer::send);
        producer.send(markers.marker(transactionalId(writerOf(file)), epochId));
        // Flushes the records; throws if one could not be written, and the query then fails and recovers.
        producer.commitTransaction();
        Files.deleteIfExists(file);
    }

    private static int writerOf(Path file) {
        Matcher m = STAGED.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("not a staged epoch file: " + file);
        }
        return Integer.parseInt(m.group(2));
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
                    publish(epoch.getKey(), epoch.getValue());
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
     * producers; a transaction left open (a failed commit) is aborted by the broker or the next run. Staged
     * files never prepared stay, unforced, for the next run's recovery to delete.
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
        // Files never forced: no checkpoint covers their epochs, and the next run's recovery deletes them.
        unforced.clear();
        for (KafkaProducer<byte[], byte[]> producer : producers.values()) {
            producer.close(Duration.ofSeconds(5));
        }
        producers.clear();
        markers.close();
    }
}
