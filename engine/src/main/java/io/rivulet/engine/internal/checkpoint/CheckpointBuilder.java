package io.rivulet.engine.internal.checkpoint;

import io.rivulet.operators.state.SnapshotOutput;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Future;

/**
 * Collects the checkpoint of one epoch and makes it durable: {@link #putKeyGroup} and
 * {@link #putOperatorState} append to one new state file as they come, {@link #reuseKeyGroup}
 * points at a block an earlier checkpoint wrote, {@link #complete} seals the state file and then
 * writes the manifest. Until the manifest is in place, the checkpoint does not exist: a crash or
 * failure before leaves the previous checkpoint the latest.
 *
 * <p>Compaction: at {@link #complete}, an older state file that this checkpoint would keep alive for
 * less than half of its bytes has its reused blocks copied into the new file instead, so the state
 * files a checkpoint references never hold more than about twice its live bytes, and each byte is
 * copied at most about once for every byte that was replaced.
 *
 * <p>Not thread-safe; owned by the coordinator thread, like its {@link CheckpointStorage}. Ends with
 * exactly one of {@link #complete} or {@link #abort}; any call after that fails with
 * {@link IllegalStateException}.
 */
public final class CheckpointBuilder {
    /**
     * A checkpoint whose new blocks fit in this many bytes carries them in its manifest: no state
     * file, so two forces fewer (one file, one directory) per checkpoint.
     */
    static final int INLINE_LIMIT = 64 * 1024;

    private final CheckpointStorage storage;
    private final long epochId;
    private final Manifest base;
    private final Manifest manifest;
    private StateFileWriter writer;
    /** Blocks of a checkpoint small enough to go into its manifest, until they outgrow it. */
    private SnapshotOutput inline;
    private final StateFile inlineFile;
    private boolean ended;

    CheckpointBuilder(CheckpointStorage storage, long epochId, Manifest base) {
        this.storage = storage;
        this.epochId = epochId;
        this.base = base;
        this.manifest = new Manifest(epochId);
        this.inlineFile = StateFile.inline(epochId, new byte[0]);
        this.inline = storage.inlineBuffer();
    }

    /**
     * @return the epoch this checkpoint ends
     */
    public long epochId() {
        return epochId;
    }

    /**
     * Stores a key group's bytes (what a {@code KeyGroupWriter} produced for it). The bytes are copied
     * to the state file before this returns; the caller may reuse its array.
     *
     * @param operatorId the operator's id; not {@code null}
     * @param keyGroup {@code 0..maxParallelism-1}
     * @param bytes the content
     * @param offset the first byte
     * @param length bytes, {@code >= 0}
     * @return this
     * @throws IllegalArgumentException on a key group outside the range or a bad slice
     * @throws IllegalStateException if the key group is already in this checkpoint
     * @throws CheckpointException when the disk refuses; the checkpoint is then aborted
     */
    public CheckpointBuilder putKeyGroup(String operatorId, int keyGroup, byte[] bytes, int offset, int length) {
        BlockRef[] groups = groupsOf(operatorId, keyGroup);
        Objects.checkFromIndexSize(offset, length, bytes.length);
        groups[keyGroup] = append(bytes, offset, length);
        return this;
    }

    /**
     * Keeps a key group as the latest complete checkpoint holds it, without writing its bytes again:
     * for a key group that did not change since.
     *
     * @param operatorId the operator's id
     * @param keyGroup {@code 0..maxParallelism-1}
     * @return {@code true} if the latest checkpoint held the key group (now referenced by this one);
     *     {@code false} if it held nothing for it, so neither does this one
     * @throws IllegalStateException if there is no complete checkpoint to reuse from, or the key group
     *     is already in this checkpoint
     */
    public boolean reuseKeyGroup(String operatorId, int keyGroup) {
        BlockRef[] groups = groupsOf(operatorId, keyGroup);
        if (base == null) {
            throw new IllegalStateException("checkpoint " + epochId + " cannot reuse key group " + keyGroup
                + " of operator '" + operatorId + "': there is no complete checkpoint before it, so put every key group");
        }
        BlockRef[] previous = base.keyGroups.get(operatorId);
        BlockRef ref = previous == null ? null : previous[keyGroup];
        if (ref != null && ref.file().isInline()) {
            // The block lives in the base's manifest, which retention may delete: carry a copy.
            byte[] bytes = Checkpoint.readBlock(storage.stateDirectory(), ref, Checkpoint.keyGroupLabel(operatorId, keyGroup));
            ref = append(bytes, 0, bytes.length);
        }
        groups[keyGroup] = ref;
        return ref != null;
    }

    /**
     * Stores the non-keyed state of one partition of an operator.
     *
     * @param operatorId the operator's id
     * @param partition the partition that wrote it, {@code >= 0}
     * @param bytes the content, copied before this returns
     * @return this
     * @throws IllegalStateException if that partition's state is already in this checkpoint
     * @throws CheckpointException when the disk refuses; the checkpoint is then aborted
     */
    public CheckpointBuilder putOperatorState(String operatorId, int partition, byte[] bytes) {
        checkOpen();
        Objects.requireNonNull(operatorId, "operatorId");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        TreeMap<Integer, BlockRef> states = manifest.operatorStates.computeIfAbsent(operatorId, k -> new TreeMap<>());
        if (states.containsKey(partition)) {
            throw new IllegalStateException("operator state of partition " + partition + " of operator '" + operatorId
                + "' is already in checkpoint " + epochId);
        }
        states.put(partition, append(bytes, 0, bytes.length));
        return this;
    }

    /**
     * Stores where a source partition stands at the end of the epoch: an opaque position its reader
     * resumes from.
     *
     * @param sourceId the source's id
     * @param partition the source partition, {@code >= 0}
     * @param position the position, copied
     * @return this
     * @throws IllegalStateException if that partition's position is already in this checkpoint
     */
    public CheckpointBuilder putSourcePosition(String sourceId, int partition, byte[] position) {
        checkOpen();
        Objects.requireNonNull(sourceId, "sourceId");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        TreeMap<Integer, byte[]> positions = manifest.sourcePositions.computeIfAbsent(sourceId, k -> new TreeMap<>());
        if (positions.putIfAbsent(partition, position.clone()) != null) {
            throw new IllegalStateException("position of partition " + partition + " of source '" + sourceId
                + "' is already in checkpoint " + epochId);
        }
        return this;
    }

    /**
     * Stores a small property (a task's watermark, the run id, a timestamp); a later put of the same
     * key replaces the value.
     *
     * @param key the key
     * @param value the value
     * @return this
     */
    public CheckpointBuilder putProperty(String key, String value) {
        checkOpen();
        manifest.properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Makes the checkpoint durable: compacts, then writes the state file and the manifest, each to a
     * temporary file forced to disk, renames the state file then the manifest into place, and forces
     * both directories. The two files are forced at the same time (the state file on the storage's
     * I/O thread), and so are the two directories: a force costs milliseconds on most disks, and
     * nothing needs one to finish before the other. A crash part-way leaves either no manifest (the
     * previous checkpoint is the latest) or a manifest whose state file may be missing, which loading
     * detects, falling back to the previous checkpoint; nothing is committed on this checkpoint before
     * this method returns. When it returns, the checkpoint is complete, durable and the storage's latest.
     *
     * @return the checkpoint
     * @throws CheckpointException when a write fails or a block to compact is damaged; the checkpoint
     *     is then aborted and the previous one stays the latest
     */
    public Checkpoint complete() {
        checkOpen();
        try {
            compact();
            if (inline != null) {
                inlineFile.inlineBytes = inline.toByteArray();
                inlineFile.length = StateFile.HEADER_LENGTH + (long) inlineFile.inlineBytes.length;
            }
            Future<?> stateForced = null;
            if (writer != null) {
                writer.finish();
                StateFileWriter stateWriter = writer;
                stateForced = storage.io(() -> {
                    stateWriter.force();
                    return null;
                });
            }
            Path manifestFile = storage.manifestFile(epochId);
            Path manifestTemp = CheckpointFiles.writeTemp(manifestFile, manifest.encode(), true);
            if (stateForced != null) {
                CheckpointStorage.await(stateForced);
                writer.moveIntoPlace(storage.faults());
            }
            CheckpointFiles.moveIntoPlace(manifestTemp, manifestFile, storage.faults());
            Future<?> stateDirectoryForced = writer == null ? null : storage.io(() -> {
                CheckpointFiles.forceDirectory(storage.stateDirectory());
                return null;
            });
            CheckpointFiles.forceDirectory(manifestFile.getParent());
            if (stateDirectoryForced != null) {
                CheckpointStorage.await(stateDirectoryForced);
            }
        } catch (IOException | RuntimeException e) {
            fail();
            if (e instanceof CheckpointException c) {
                throw c;
            }
            throw new CheckpointException("cannot write the checkpoint of epoch " + epochId + " to "
                + storage.location() + ": " + e, e);
        }
        ended = true;
        return storage.completed(this, manifest);
    }

    /** Abandons the checkpoint: deletes what it wrote so far. Does nothing after {@link #complete}. */
    public void abort() {
        if (!ended) {
            fail();
        }
    }

    boolean ended() {
        return ended;
    }

    private void fail() {
        ended = true;
        if (writer != null) {
            writer.discard();
        }
        storage.aborted(this);
    }

    private BlockRef[] groupsOf(String operatorId, int keyGroup) {
        checkOpen();
        Objects.requireNonNull(operatorId, "operatorId");
        int maxParallelism = storage.maxParallelism();
        if (keyGroup < 0 || keyGroup >= maxParallelism) {
            throw new IllegalArgumentException("keyGroup must be in 0.." + (maxParallelism - 1) + ", got " + keyGroup);
        }
        BlockRef[] groups = manifest.keyGroups.computeIfAbsent(operatorId, k -> new BlockRef[maxParallelism]);
        if (groups[keyGroup] != null) {
            throw new IllegalStateException("key group " + keyGroup + " of operator '" + operatorId
                + "' is already in checkpoint " + epochId);
        }
        return groups;
    }

    private BlockRef append(byte[] bytes, int offset, int length) {
        try {
            if (writer == null) {
                if (inline != null && inline.length() + (long) length <= storage.inlineLimit()) {
                    BlockRef ref = new BlockRef(inlineFile, StateFile.HEADER_LENGTH + (long) inline.length(), length,
                        CheckpointFiles.crc(bytes, offset, length));
                    inline.writeRaw(bytes, offset, length);
                    return ref;
                }
                writer = storage.newStateFile(epochId);
                spillInline();
            }
            return writer.append(bytes, offset, length);
        } catch (IOException e) {
            fail();
            throw new CheckpointException("cannot write the state of epoch " + epochId + " to "
                + storage.stateDirectory() + ": " + e, e);
        }
    }

    /** The inline blocks outgrew the manifest: moves them into the state file just opened. */
    private void spillInline() throws IOException {
        SnapshotOutput spilled = inline;
        inline = null;
        if (spilled.length() == 0) {
            return;
        }
        byte[] bytes = spilled.buffer();
        for (BlockRef[] groups : manifest.keyGroups.values()) {
            for (int g = 0; g < groups.length; g++) {
                if (groups[g] != null && groups[g].file() == inlineFile) {
                    groups[g] = writer.append(bytes, (int) (groups[g].offset() - StateFile.HEADER_LENGTH), groups[g].length());
                }
            }
        }
        for (TreeMap<Integer, BlockRef> states : manifest.operatorStates.values()) {
            for (Map.Entry<Integer, BlockRef> e : states.entrySet()) {
                BlockRef ref = e.getValue();
                if (ref.file() == inlineFile) {
                    e.setValue(writer.append(bytes, (int) (ref.offset() - StateFile.HEADER_LENGTH), ref.length()));
                }
            }
        }
    }

    /**
     * Copies reused blocks out of older files this checkpoint would keep alive for less than half their
     * bytes (operator state is always written anew, so only key groups are reused).
     */
    private void compact() throws IOException {
        Map<String, long[]> liveBytes = new HashMap<>();
        StateFile own = writer == null ? null : writer.file();
        for (BlockRef[] groups : manifest.keyGroups.values()) {
            for (BlockRef ref : groups) {
                if (ref != null && ref.file() != own && !ref.file().isInline()) {
                    liveBytes.computeIfAbsent(ref.file().name, k -> new long[1])[0] += ref.length();
                }
            }
        }
        for (Map.Entry<String, BlockRef[]> e : manifest.keyGroups.entrySet()) {
            BlockRef[] groups = e.getValue();
            for (int g = 0; g < groups.length; g++) {
                BlockRef ref = groups[g];
                if (ref != null && ref.file() != own && !ref.file().isInline()
                    && worthCopying(ref.file(), liveBytes.get(ref.file().name)[0])) {
                    byte[] bytes = Checkpoint.readBlock(storage.stateDirectory(), ref,
                        Checkpoint.keyGroupLabel(e.getKey(), g));
                    groups[g] = append(bytes, 0, bytes.length);
                    own = writer == null ? null : writer.file();
                }
            }
        }
    }

    private static boolean worthCopying(StateFile file, long live) {
        return live * 2 < file.length - StateFile.HEADER_LENGTH;
    }

    private void checkOpen() {
        if (ended) {
            throw new IllegalStateException("the checkpoint of epoch " + epochId + " is already completed or aborted");
        }
    }
}
