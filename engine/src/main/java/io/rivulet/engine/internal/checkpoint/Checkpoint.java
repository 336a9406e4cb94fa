package io.rivulet.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * A complete checkpoint: the source positions at the end of its epoch, the state written for it
 * (key group blocks and operator state per operator) and its properties.
 *
 * <p>One returned by {@link CheckpointStorage#latestComplete()} has been verified: its manifest and
 * every state block it references passed their checksums when it was loaded. Reads check each block's
 * checksum again, so a file damaged after loading fails the read with {@link CheckpointException}
 * rather than returning other bytes.
 *
 * <p>Immutable and thread-safe; reads do file I/O. Its state stays readable while the checkpoint is
 * retained: once {@link CheckpointStorage#retain} drops it, reads may fail with
 * {@link CheckpointException}.
 */
public final class Checkpoint {
    private static final int[] NONE = new int[0];

    private final Path stateDirectory;
    private final Manifest manifest;
    private final List<SkippedCheckpoint> skippedNewer;

    Checkpoint(Path stateDirectory, Manifest manifest, List<SkippedCheckpoint> skippedNewer) {
        this.stateDirectory = stateDirectory;
        this.manifest = manifest;
        this.skippedNewer = List.copyOf(skippedNewer);
    }

    /**
     * @return the epoch this checkpoint ends: restart resumes with epoch {@code epochId() + 1}
     */
    public long epochId() {
        return manifest.epochId;
    }

    /**
     * @return the ids of the sources with a stored position, sorted
     */
    public Set<String> sourceIds() {
        return Collections.unmodifiableSet(manifest.sourcePositions.keySet());
    }

    /**
     * @param sourceId a source id
     * @return the partitions of that source with a stored position, ascending; empty if none
     */
    public int[] sourcePartitions(String sourceId) {
        TreeMap<Integer, byte[]> positions = manifest.sourcePositions.get(sourceId);
        return positions == null ? NONE : positions.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param sourceId a source id
     * @param partition the source partition
     * @return a copy of the position stored for it at the end of the epoch, or {@code null} if none
     */
    public byte[] sourcePosition(String sourceId, int partition) {
        TreeMap<Integer, byte[]> positions = manifest.sourcePositions.get(sourceId);
        byte[] position = positions == null ? null : positions.get(partition);
        return position == null ? null : position.clone();
    }

    /**
     * @return the operators with key group or operator state in this checkpoint, sorted
     */
    public Set<String> operatorIds() {
        Set<String> ids = new TreeSet<>(manifest.keyGroups.keySet());
        ids.addAll(manifest.operatorStates.keySet());
        return Collections.unmodifiableSet(ids);
    }

    /**
     * @param operatorId an operator id
     * @return the key groups of the operator that hold bytes, ascending; empty if none
     */
    public int[] keyGroups(String operatorId) {
        BlockRef[] groups = manifest.keyGroups.get(operatorId);
        if (groups == null) {
            return NONE;
        }
        int[] present = new int[groups.length];
        int n = 0;
        for (int g = 0; g < groups.length; g++) {
            if (groups[g] != null) {
                present[n++] = g;
            }
        }
        return Arrays.copyOf(present, n);
    }

    /**
     * Reads one key group's bytes, as {@link CheckpointBuilder#putKeyGroup} received them.
     *
     * @param operatorId an operator id
     * @param keyGroup one of {@link #keyGroups}
     * @return the bytes, checksum verified
     * @throws IllegalArgumentException if the checkpoint holds no such key group
     * @throws CheckpointException naming the state file if it is missing or the block is damaged
     */
    public byte[] readKeyGroup(String operatorId, int keyGroup) {
        BlockRef[] groups = manifest.keyGroups.get(operatorId);
        BlockRef ref = groups == null || keyGroup < 0 || keyGroup >= groups.length ? null : groups[keyGroup];
        if (ref == null) {
            throw new IllegalArgumentException("checkpoint " + epochId() + " holds no key group " + keyGroup
                + " of operator '" + operatorId + "': keyGroups(operatorId) lists the key groups it holds");
        }
        return readBlock(stateDirectory, ref, keyGroupLabel(operatorId, keyGroup));
    }

    /**
     * @param operatorId an operator id
     * @return the operator state of each partition that stored one, in ascending partition order,
     *     checksum verified; empty if none
     * @throws CheckpointException naming the state file if it is missing or a block is damaged
     */
    public List<byte[]> operatorStates(String operatorId) {
        TreeMap<Integer, BlockRef> states = manifest.operatorStates.get(operatorId);
        if (states == null) {
            return List.of();
        }
        List<byte[]> bytes = new ArrayList<>(states.size());
        for (Map.Entry<Integer, BlockRef> e : states.entrySet()) {
            bytes.add(readBlock(stateDirectory, e.getValue(), operatorStateLabel(operatorId, e.getKey())));
        }
        return bytes;
    }

    /**
     * @param key a property key
     * @return its value, or {@code null} if the checkpoint has no such property
     */
    public String property(String key) {
        return manifest.properties.get(key);
    }

    /**
     * @return every property, sorted by key
     */
    public Map<String, String> properties() {
        return Collections.unmodifiableMap(manifest.properties);
    }

    /**
     * @return the newer complete checkpoints loading skipped because they did not verify, newest
     *     first, each with the reason; empty for a checkpoint just written
     */
    public List<SkippedCheckpoint> skippedNewer() {
        return skippedNewer;
    }

    Manifest manifest() {
        return manifest;
    }

    @Override
    public String toString() {
        return "Checkpoint[epoch " + epochId() + ", operators " + operatorIds() + ", sources " + sourceIds() + "]";
    }

    static String keyGroupLabel(String operatorId, int keyGroup) {
        return "key group " + keyGroup + " of operator '" + operatorId + "'";
    }

    static String operatorStateLabel(String operatorId, int partition) {
        return "operator state of partition " + partition + " of operator '" + operatorId + "'";
    }

    /**
     * Reads and verifies one block.
     *
     * @param stateDirectory the {@code state} directory
     * @param ref the block
     * @param what the block, for messages
     * @return its bytes
     * @throws CheckpointException naming the file when it is missing, short or the checksum fails
     */
    static byte[] readBlock(Path stateDirectory, BlockRef ref, String what) {
        if (ref.file().isInline()) {
            int from = (int) (ref.offset() - StateFile.HEADER_LENGTH);
            byte[] bytes = Arrays.copyOfRange(ref.file().inlineBytes, from, from + ref.length());
            int crc = CheckpointFiles.crc(bytes, 0, bytes.length);
            if (crc != ref.crc()) {
                throw new CheckpointException("the manifest of epoch " + ref.file().epochId + " is damaged: its inline "
                    + what + " fails its checksum (stored " + Integer.toHexString(ref.crc()) + ", computed "
                    + Integer.toHexString(crc) + ")");
            }
            return bytes;
        }
        Path path = stateDirectory.resolve(ref.file().name);
        byte[] bytes = new byte[ref.length()];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long position = ref.offset();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new CheckpointException("state file " + path + " is truncated: it ends at " + position
                        + ", inside the " + what + " (" + ref.offset() + "+" + ref.length() + ")");
                }
                position += n;
            }
        } catch (NoSuchFileException e) {
            throw new CheckpointException("state file " + path + " holding the " + what + " is missing", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read state file " + path + ": " + e, e);
        }
        int crc = CheckpointFiles.crc(bytes, 0, bytes.length);
        if (crc != ref.crc()) {
            throw blockDamaged(path, ref, what, crc);
        }
        return bytes;
    }

    /**
     * Verifies every state file and block a manifest references, reading each block once.
     *
     * @param stateDirectory the {@code state} directory
     * @param manifest the manifest
     * @param scratch a direct buffer to read through
     * @throws CheckpointException naming the first file that is missing, of the wrong size or identity,
     *     or holds a block that fails its checksum
     */
    static void verify(Path stateDirectory, Manifest manifest, ByteBuffer scratch) {
        Map<String, List<Labeled>> byFile = new LinkedHashMap<>();
        for (Map.Entry<String, BlockRef[]> e : manifest.keyGroups.entrySet()) {
            BlockRef[] groups = e.getValue();
            for (int g = 0; g < groups.length; g++) {
                if (groups[g] != null) {
                    byFile.computeIfAbsent(groups[g].file().name, k -> new ArrayList<>())
                        .add(new Labeled(groups[g], keyGroupLabel(e.getKey(), g)));
                }
            }
        }
        for (Map.Entry<String, TreeMap<Integer, BlockRef>> e : manifest.operatorStates.entrySet()) {
            for (Map.Entry<Integer, BlockRef> p : e.getValue().entrySet()) {
                byFile.computeIfAbsent(p.getValue().file().name, k -> new ArrayList<>())
                    .add(new Labeled(p.getValue(), operatorStateLabel(e.getKey(), p.getKey())));
            }
        }
        CRC32C crc = new CRC32C();
        for (List<Labeled> blocks : byFile.values()) {
            StateFile file = blocks.get(0).ref().file();
            if (file.isInline()) {
                for (Labeled block : blocks) {
                    readBlock(stateDirectory, block.ref(), block.what());
                }
                continue;
            }
            Path path = stateDirectory.resolve(file.name);
            blocks.sort(Comparator.comparingLong(b -> b.ref().offset()));
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = channel.size();
                if (size != file.length) {
                    throw new CheckpointException("state file " + path + " is " + (size < file.length ? "truncated" : "damaged")
                        + ": it has " + size + " bytes, the manifest of epoch " + manifest.epochId + " expects "
                        + file.length);
                }
                checkHeader(channel, path, file, scratch);
                for (Labeled block : blocks) {
                    BlockRef ref = block.ref();
                    crc.reset();
                    long position = ref.offset();
                    long end = position + ref.length();
                    while (position < end) {
                        scratch.clear().limit((int) Math.min(scratch.capacity(), end - position));
                        int n = channel.read(scratch, position);
                        if (n < 0) {
                            throw new CheckpointException("state file " + path + " is truncated at " + position);
                        }
                        scratch.flip();
                        crc.update(scratch);
                        position += n;
                    }
                    if ((int) crc.getValue() != ref.crc()) {
                        throw blockDamaged(path, ref, block.what(), (int) crc.getValue());
                    }
                }
            } catch (NoSuchFileException e) {
                throw new CheckpointException("state file " + path + " referenced by the manifest of epoch "
                    + manifest.epochId + " is missing", e);
            } catch (IOException e) {
                throw new CheckpointException("cannot read state file " + path + ": " + e, e);
            }
        }
    }

    private static void checkHeader(FileChannel channel, Path path, StateFile file, ByteBuffer scratch)
        throws IOException {
        ByteBuffer header = scratch.clear().limit(StateFile.HEADER_LENGTH).slice().order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining()) {
            if (channel.read(header, header.position()) < 0) {
                throw new CheckpointException("state file " + path + " is truncated inside its header");
            }
        }
        byte[] bytes = new byte[StateFile.HEADER_LENGTH];
        header.flip();
        header.get(bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getLong(0) != CheckpointFiles.STATE_MAGIC
            || CheckpointFiles.crc(bytes, 0, StateFile.HEADER_LENGTH - 4) != in.getInt(StateFile.HEADER_LENGTH - 4)) {
            throw new CheckpointException("state file " + path + " is damaged: its header fails its magic or checksum");
        }
        if (in.getLong(12) != file.epochId || in.getLong(20) != file.fileId) {
            throw new CheckpointException("state file " + path + " is another file than the manifest references: it"
                + " was written for epoch " + in.getLong(12) + " with id " + Long.toHexString(in.getLong(20)));
        }
    }

    private static CheckpointException blockDamaged(Path path, BlockRef ref, String what, int computed) {
        return new CheckpointException("state file " + path + " is damaged: the " + what + " at offset " + ref.offset()
            + " (" + ref.length() + " bytes) fails its checksum (stored " + Integer.toHexString(ref.crc())
            + ", computed " + Integer.toHexString(computed) + ")");
    }

    private record Labeled(BlockRef ref, String what) {
    }
}
