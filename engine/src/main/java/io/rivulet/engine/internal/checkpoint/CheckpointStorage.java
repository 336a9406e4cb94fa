package io.rivulet.engine.internal.checkpoint;

import io.rivulet.operators.state.KeyGroups;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The files of a query's checkpoint location: metadata, the offsets log (one manifest per complete
 * checkpoint), the commit log and the state files. See the package documentation for the layout and
 * {@code docs/guarantees.md} for the write order and what a restart does.
 *
 * <p>The coordinator opens it once per run, loads {@link #latestComplete()} to restore, then per
 * epoch: {@link #begin} … {@link CheckpointBuilder#complete()} before the sink commits the epoch,
 * {@link #commit} after, and {@link #retain} now and then. Every call is synchronous and durable when
 * it returns.
 *
 * <p>Not thread-safe; owned by the coordinator thread, never a data thread. A location is used by one
 * storage at a time: {@link #open} takes a file lock that {@link #close()} releases.
 */
public final class CheckpointStorage implements AutoCloseable {
    /** Complete checkpoints {@link #retain} keeps when the query does not say (Spark's {@code minBatchesToRetain}). */
    public static final int DEFAULT_MIN_BATCHES_TO_RETAIN = 10;

    static final String METADATA = "metadata";
    static final String LOCK = "lock";
    static final String OFFSETS = "offsets";
    static final String COMMITS = "commits";
    static final String STATE = "state";
    private static final String COMMIT_KIND = "commit entry";
    private static final int IO_BUFFER_BYTES = 1 << 20;
    private static final System.Logger LOG = System.getLogger(CheckpointStorage.class.getName());

    private final Path location;
    private final Path offsets;
    private final Path commits;
    private final Path state;
    private final Metadata metadata;
    private final FaultInjector faults;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Epochs with a manifest in place (complete, not necessarily verified), ascending. */
    private final TreeSet<Long> completeEpochs;
    /** Parsed manifests of complete checkpoints, for retention; filled lazily. */
    private final Map<Long, Manifest> manifests = new HashMap<>();
    private long lastCommittedEpoch;
    /** Forces files beside the coordinator's thread; started on first use. */
    private ExecutorService io;
    /** Checkpoints whose new blocks fit in this many bytes carry them in their manifest. */
    private int inlineLimit = CheckpointBuilder.INLINE_LIMIT;
    private SnapshotOutput inlineBuffer;
    private Checkpoint latest;
    private boolean latestLoaded;
    private CheckpointBuilder building;
    private ByteBuffer staging;
    private ByteBuffer scratch;
    private boolean closed;

    private CheckpointStorage(Path location, Metadata metadata, FaultInjector faults, FileChannel lockChannel,
        FileLock lock) {
        this.location = location;
        this.offsets = location.resolve(OFFSETS);
        this.commits = location.resolve(COMMITS);
        this.state = location.resolve(STATE);
        this.metadata = metadata;
        this.faults = faults;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.completeEpochs = epochsIn(offsets);
        this.lastCommittedEpoch = readLastCommit();
    }

    /**
     * Opens a checkpoint location, creating it on a query's first start: its directories and a
     * metadata file with a new query id, {@code maxParallelism} and {@code fingerprint}. On a later
     * start the metadata is read and checked instead. Temporary files left by a crashed write are
     * deleted.
     *
     * @param location the query's {@code checkpointLocation} directory; created if missing
     * @param maxParallelism the query's number of key groups; must equal the stored one
     * @param fingerprint the stateful plan fingerprint, stored on first start only (compare with
     *     {@link #storedFingerprint()})
     * @return the storage, which holds the location's lock until {@link #close()}
     * @throws IllegalArgumentException on a {@code maxParallelism} outside {@code 1..32768}
     * @throws CheckpointException if the location was written with another {@code maxParallelism}, its
     *     metadata is damaged or missing beside existing checkpoints, another storage holds it, or the
     *     disk refuses
     */
    public static CheckpointStorage open(Path location, int maxParallelism, String fingerprint) {
        return open(location, maxParallelism, fingerprint, FaultInjector.NONE);
    }

    static CheckpointStorage open(Path location, int maxParallelism, String fingerprint, FaultInjector faults) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(fingerprint, "fingerprint");
        KeyGroups.checkMaxParallelism(maxParallelism);
        Path root = location.toAbsolutePath();
        try {
            Files.createDirectories(root.resolve(OFFSETS));
            Files.createDirectories(root.resolve(COMMITS));
            Files.createDirectories(root.resolve(STATE));
        } catch (IOException e) {
            throw new CheckpointException("cannot create checkpoint location " + root + ": " + e, e);
        }
        FileChannel lockChannel = null;
        FileLock lock = null;
        try {
            lockChannel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                throw new CheckpointException("checkpoint location " + root + " is in use by another process: one"
                    + " query runs per checkpointLocation");
            }
            deleteTemporaryFiles(root);
            Metadata metadata = openMetadata(root, maxParallelism, fingerprint, faults);
            return new CheckpointStorage(root, metadata, faults, lockChannel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(lockChannel);
            throw new CheckpointException("checkpoint location " + root + " is in use by another query in this JVM:"
                + " one query runs per checkpointLocation", e);
        } catch (IOException e) {
            release(lock, lockChannel);
            throw new CheckpointException("cannot open checkpoint location " + root + ": " + e, e);
        } catch (RuntimeException e) {
            release(lock, lockChannel);
            throw e;
        }
    }

    /**
     * @return the query's id: created on first start, the same on every restart from this location
     */
    public UUID queryId() {
        return metadata.queryId();
    }

    /**
     * @return the stateful plan fingerprint stored on the query's first start, for the coordinator to
     *     compare with the current plan's
     */
    public String storedFingerprint() {
        return metadata.fingerprint();
    }

    /**
     * @return the number of key groups state is kept in
     */
    public int maxParallelism() {
        return metadata.maxParallelism();
    }

    /**
     * @return the checkpoint location, absolute
     */
    public Path location() {
        return location;
    }

    /**
     * @return the epochs whose manifest is in place (complete checkpoints, not necessarily verified),
     *     ascending
     */
    public List<Long> completeEpochs() {
        return List.copyOf(completeEpochs);
    }

    /**
     * The newest complete checkpoint that verifies. Loaded on the first call (every manifest from the
     * newest down until one and all the state blocks it references pass their checksums), then the
     * one {@link CheckpointBuilder#complete()} last returned. Newer checkpoints that did not verify
     * are listed in {@link Checkpoint#skippedNewer()} and logged as warnings.
     *
     * @return the checkpoint, or empty if none was ever completed
     * @throws CheckpointException if there are complete checkpoints and none verifies; the message
     *     gives each one's reason
     */
    public Optional<Checkpoint> latestComplete() {
        checkOpen();
        if (!latestLoaded) {
            latest = load();
            latestLoaded = true;
        }
        return Optional.ofNullable(latest);
    }

    /**
     * Starts the checkpoint of an epoch. Stored checkpoints of this epoch or later (ones that failed
     * verification: a restart fell back behind them) are deleted, since the new run supersedes them.
     *
     * @param epochId the epoch the checkpoint ends; after {@link #latestComplete()}'s epoch
     * @return the builder, to be completed or aborted before the next {@code begin}
     * @throws IllegalArgumentException if {@code epochId} is negative or not after the latest complete
     *     checkpoint's epoch
     * @throws IllegalStateException if another checkpoint is being built
     * @throws CheckpointException as {@link #latestComplete()}
     */
    public CheckpointBuilder begin(long epochId) {
        checkOpen();
        if (building != null) {
            throw new IllegalStateException("the checkpoint of epoch " + building.epochId() + " is still being built:"
                + " complete() or abort() it before beginning epoch " + epochId);
        }
        if (epochId < 0) {
            throw new IllegalArgumentException("epochId must be >= 0, got " + epochId);
        }
        Checkpoint base = latestComplete().orElse(null);
        if (base != null && epochId <= base.epochId()) {
            throw new IllegalArgumentException("epochId " + epochId + " must be after the latest complete checkpoint's"
                + " epoch " + base.epochId());
        }
        NavigableSet<Long> superseded = completeEpochs.tailSet(epochId, true);
        for (long stale : List.copyOf(superseded)) {
            deleteQuietly(manifestFile(stale));
            manifests.remove(stale);
            LOG.log(System.Logger.Level.INFO, "checkpoint of epoch {0} in {1} did not verify and is superseded by"
                + " epoch {2}: deleted its manifest", stale, location, epochId);
        }
        superseded.clear();
        building = new CheckpointBuilder(this, epochId, base == null ? null : base.manifest());
        return building;
    }

    /**
     * Records in the commit log that the sink committed an epoch. Called after the sink's commit, for
     * an epoch whose checkpoint is complete; committing an epoch again (after a restart) rewrites it.
     * The entry is written atomically but not forced (as Spark writes its commit log on a local
     * file system): a process crash keeps it; an operating-system crash may lose the newest entries,
     * and then the restart asks the sinks to recover an epoch they had committed already, which
     * exactly-once sinks do idempotently ({@code Sink.recover}). Not forcing it keeps two forces
     * off every checkpoint's critical path.
     *
     * @param epochId the committed epoch
     * @throws IllegalStateException if the epoch has no complete checkpoint here
     * @throws CheckpointException when the disk refuses
     */
    public void commit(long epochId) {
        checkOpen();
        if (!completeEpochs.contains(epochId)) {
            throw new IllegalStateException("epoch " + epochId + " has no complete checkpoint in " + location
                + ": its checkpoint must be complete before the sink commits it");
        }
        SnapshotOutput body = new SnapshotOutput(16).writeLong(epochId);
        try {
            CheckpointFiles.writeAtomicallyUnforced(commits.resolve(Long.toString(epochId)),
                CheckpointFiles.frame(CheckpointFiles.COMMIT_MAGIC, body), faults);
        } catch (IOException e) {
            throw new CheckpointException("cannot write commit entry " + commits.resolve(Long.toString(epochId))
                + ": " + e, e);
        }
        lastCommittedEpoch = Math.max(lastCommittedEpoch, epochId);
    }

    /**
     * @return the highest epoch in the commit log, or -1 if none. After a restart that fell back
     *     past a damaged checkpoint this can be above the latest checkpoint's epoch: the sink did
     *     commit it, and will see it again
     */
    public long lastCommittedEpoch() {
        return lastCommittedEpoch;
    }

    /**
     * Deletes what the newest {@code minBatchesToRetain} complete checkpoints do not need: older
     * manifests, commit entries below the oldest one kept, and every state file no kept manifest
     * references. The latest verified checkpoint is always kept. If a kept manifest cannot be read, no
     * state file is deleted this time. Called by the coordinator off the data path.
     *
     * @param minBatchesToRetain complete checkpoints to keep, {@code >= 1}
     *     ({@link #DEFAULT_MIN_BATCHES_TO_RETAIN} by default)
     * @throws IllegalArgumentException if {@code minBatchesToRetain < 1}
     */
    public void retain(int minBatchesToRetain) {
        checkOpen();
        if (minBatchesToRetain < 1) {
            throw new IllegalArgumentException("minBatchesToRetain must be >= 1, got " + minBatchesToRetain);
        }
        List<Long> kept = new ArrayList<>(minBatchesToRetain + 1);
        for (long epoch : completeEpochs.descendingSet()) {
            if (kept.size() == minBatchesToRetain) {
                break;
            }
            kept.add(epoch);
        }
        if (latest != null && !kept.contains(latest.epochId())) {
            kept.add(latest.epochId());
        }
        if (kept.isEmpty()) {
            return;
        }
        long oldestKept = kept.stream().mapToLong(Long::longValue).min().getAsLong();
        // Manifests go before the state files they reference. Not forced: a manifest a crash brings
        // back is older than every kept one, and the next retain deletes it again.
        for (long epoch : List.copyOf(completeEpochs)) {
            if (!kept.contains(epoch)) {
                deleteQuietly(manifestFile(epoch));
                completeEpochs.remove(epoch);
                manifests.remove(epoch);
            }
        }
        for (long epoch : epochsIn(commits)) {
            if (epoch < oldestKept && epoch != lastCommittedEpoch) {
                deleteQuietly(commits.resolve(Long.toString(epoch)));
            }
        }
        Set<String> referenced = new HashSet<>();
        for (long epoch : kept) {
            Manifest manifest = manifests.get(epoch);
            if (manifest == null) {
                try {
                    manifest = Manifest.read(manifestFile(epoch), epoch, maxParallelism());
                    manifests.put(epoch, manifest);
                } catch (CheckpointException e) {
                    LOG.log(System.Logger.Level.WARNING, "retention deletes no state file this time: {0}",
                        e.getMessage());
                    return;
                }
            }
            referenced.addAll(manifest.files().keySet());
        }
        for (Path file : list(state)) {
            String name = file.getFileName().toString();
            if (name.endsWith(StateFile.SUFFIX) && !referenced.contains(name)) {
                deleteQuietly(file);
            }
        }
    }

    /**
     * Releases the location's lock; a checkpoint being built is aborted. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (building != null) {
            building.abort();
        }
        closed = true;
        if (io != null) {
            io.shutdown();
        }
        release(lock, lockChannel);
    }

    /**
     * Runs a blocking file operation (a force) on the storage's I/O thread, so that it overlaps with
     * one on the caller's thread.
     *
     * @param operation the operation
     * @return its future; {@link #await} it
     */
    Future<?> io(Callable<?> operation) {
        if (io == null) {
            io = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "rivulet-checkpoint-io-" + location.getFileName());
                thread.setDaemon(true);
                return thread;
            });
        }
        return io.submit(operation);
    }

    /**
     * Waits for an {@link #io} operation, rethrowing what it threw.
     *
     * @param future the operation's future
     * @throws IOException what the operation threw
     */
    static void await(Future<?> future) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    future.get();
                    return;
                } catch (InterruptedException e) {
                    // A force under way cannot be abandoned half-way: wait it out, then restore the flag.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    FaultInjector faults() {
        return faults;
    }

    /**
     * @param bytes the most new block bytes a checkpoint carries in its manifest; 0 puts every block in
     *     a state file (tests of the state file path)
     * @return this
     */
    CheckpointStorage inlineLimit(int bytes) {
        this.inlineLimit = bytes;
        return this;
    }

    int inlineLimit() {
        return inlineLimit;
    }

    /**
     * @return the buffer the checkpoint being built collects inline blocks in, emptied; reused from one
     *     checkpoint to the next (one is built at a time) so it does not grow again each time
     */
    SnapshotOutput inlineBuffer() {
        if (inlineBuffer == null) {
            inlineBuffer = new SnapshotOutput(4096);
        }
        inlineBuffer.reset();
        return inlineBuffer;
    }

    Path stateDirectory() {
        return state;
    }

    Path manifestFile(long epochId) {
        return offsets.resolve(Long.toString(epochId));
    }

    StateFileWriter newStateFile(long epochId) throws IOException {
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(IO_BUFFER_BYTES);
        }
        return new StateFileWriter(state, new StateFile(epochId, ThreadLocalRandom.current().nextLong(), 0), staging);
    }

    Checkpoint completed(CheckpointBuilder builder, Manifest manifest) {
        building = null;
        completeEpochs.add(manifest.epochId);
        manifests.put(manifest.epochId, manifest);
        latest = new Checkpoint(state, manifest, List.of());
        latestLoaded = true;
        return latest;
    }

    void aborted(CheckpointBuilder builder) {
        if (building == builder) {
            building = null;
        }
    }

    private Checkpoint load() {
        List<SkippedCheckpoint> skipped = new ArrayList<>();
        for (long epoch : completeEpochs.descendingSet()) {
            Path file = manifestFile(epoch);
            try {
                Manifest manifest = Manifest.read(file, epoch, maxParallelism());
                if (scratch == null) {
                    scratch = ByteBuffer.allocateDirect(IO_BUFFER_BYTES);
                }
                Checkpoint.verify(state, manifest, scratch);
                manifests.put(epoch, manifest);
                return new Checkpoint(state, manifest, skipped);
            } catch (CheckpointException e) {
                skipped.add(new SkippedCheckpoint(epoch, file, e.getMessage()));
                LOG.log(System.Logger.Level.WARNING, "skipping the checkpoint of epoch {0}: {1}", epoch,
                    e.getMessage());
            }
        }
        if (!skipped.isEmpty()) {
            StringBuilder reasons = new StringBuilder();
            for (SkippedCheckpoint s : skipped) {
                reasons.append("\n  epoch ").append(s.epochId()).append(": ").append(s.reason());
            }
            throw new CheckpointException("no checkpoint in " + location + " verifies, so the query cannot restart"
                + " from it (restore the damaged files or start over with a new checkpointLocation):" + reasons);
        }
        return null;
    }

    private long readLastCommit() {
        for (long epoch : epochsIn(commits).descendingSet()) {
            Path file = commits.resolve(Long.toString(epoch));
            try {
                SnapshotInput in = CheckpointFiles.readFrame(file, CheckpointFiles.COMMIT_MAGIC, COMMIT_KIND);
                if (in.readLong() == epoch) {
                    return epoch;
                }
                LOG.log(System.Logger.Level.WARNING, "ignoring commit entry {0}: it names another epoch", file);
            } catch (CheckpointException | StateFormatException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring commit entry {0}: {1}", file, e.getMessage());
            }
        }
        return -1;
    }

    private static Metadata openMetadata(Path root, int maxParallelism, String fingerprint, FaultInjector faults)
        throws IOException {
        Path file = root.resolve(METADATA);
        if (Files.exists(file)) {
            Metadata metadata = Metadata.read(file);
            if (metadata.maxParallelism() != maxParallelism) {
                throw new CheckpointException("checkpoint location " + root + " was written with maxParallelism "
                    + metadata.maxParallelism() + " but this query has maxParallelism " + maxParallelism + ": state is"
                    + " kept in maxParallelism key groups, which cannot change for a location; restart with"
                    + " maxParallelism " + metadata.maxParallelism() + " or use a new checkpointLocation");
            }
            return metadata;
        }
        if (!epochsIn(root.resolve(OFFSETS)).isEmpty()) {
            throw new CheckpointException("checkpoint location " + root + " holds checkpoints but no metadata file:"
                + " it was damaged; restore " + file + " or use a new checkpointLocation");
        }
        Metadata metadata = new Metadata(UUID.randomUUID(), CheckpointFiles.FORMAT_VERSION, maxParallelism,
            fingerprint);
        metadata.write(file, faults);
        return metadata;
    }

    private static void deleteTemporaryFiles(Path root) {
        for (Path directory : List.of(root, root.resolve(OFFSETS), root.resolve(COMMITS), root.resolve(STATE))) {
            for (Path file : list(directory)) {
                if (file.getFileName().toString().endsWith(CheckpointFiles.TEMP_SUFFIX)) {
                    LOG.log(System.Logger.Level.INFO, "deleting {0}, left by a write that did not finish", file);
                    deleteQuietly(file);
                }
            }
        }
    }

    private static TreeSet<Long> epochsIn(Path directory) {
        TreeSet<Long> epochs = new TreeSet<>();
        for (Path file : list(directory)) {
            String name = file.getFileName().toString();
            if (!name.isEmpty() && name.length() < 20 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
                epochs.add(Long.parseLong(name));
            }
        }
        return epochs;
    }

    private static List<Path> list(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + directory + ": " + e, e);
        }
        return files;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", file, e);
        }
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("checkpoint storage of " + location + " is closed");
        }
    }
}
