package io.rivulet.engine.internal.checkpoint;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of {@code offsets/<epoch>}: everything a checkpoint holds except the state bytes,
 * which it points at. Body layout (inside a {@link CheckpointFiles} frame; varints for counts):
 *
 * <pre>
 *   epoch: int64
 *   files:           n × (name: string, file id: int64, length: int64)
 *   key groups:      n × (operator: string, m × (key group: varint, file: varint, offset: int64, length: int32, crc: int32))
 *   operator states: n × (operator: string, m × (partition: varint, file: varint, offset: int64, length: int32, crc: int32))
 *   source positions: n × (source: string, m × (partition: varint, position: bytes))
 *   properties:      n × (key: string, value: string)
 *   inline blocks:   bytes (present when a block names file index n, one past the files: a small
 *                    checkpoint carries its blocks here instead of in a state file; offsets count from 32)
 * </pre>
 *
 * <p>Built by one {@link CheckpointBuilder}, then immutable.
 */
final class Manifest {
    static final String KIND = "checkpoint manifest";

    final long epochId;
    /** Operator id to key group to block; an array of {@code maxParallelism} entries, null where absent. */
    final TreeMap<String, BlockRef[]> keyGroups = new TreeMap<>();
    final TreeMap<String, TreeMap<Integer, BlockRef>> operatorStates = new TreeMap<>();
    final TreeMap<String, TreeMap<Integer, byte[]>> sourcePositions = new TreeMap<>();
    final TreeMap<String, String> properties = new TreeMap<>();

    Manifest(long epochId) {
        this.epochId = epochId;
    }

    /**
     * @return every block, key groups first, in operator and key group order
     */
    List<BlockRef> blocks() {
        List<BlockRef> blocks = new ArrayList<>();
        for (BlockRef[] groups : keyGroups.values()) {
            for (BlockRef ref : groups) {
                if (ref != null) {
                    blocks.add(ref);
                }
            }
        }
        for (TreeMap<Integer, BlockRef> states : operatorStates.values()) {
            blocks.addAll(states.values());
        }
        return blocks;
    }

    /**
     * @return the state files the blocks lie in, each once, by name
     */
    Map<String, StateFile> files() {
        Map<String, StateFile> files = new LinkedHashMap<>();
        for (BlockRef ref : blocks()) {
            if (!ref.file().isInline()) {
                files.putIfAbsent(ref.file().name, ref.file());
            }
        }
        return files;
    }

    /**
     * @return the bytes of the blocks this manifest carries inline, or {@code null}
     */
    byte[] inlineBytes() {
        for (BlockRef ref : blocks()) {
            if (ref.file().isInline()) {
                return ref.file().inlineBytes;
            }
        }
        return null;
    }

    ByteBuffer encode() {
        Map<String, StateFile> files = files();
        Map<String, Integer> index = new LinkedHashMap<>();
        byte[] inline = inlineBytes();
        SnapshotOutput out = new SnapshotOutput(4096 + (inline == null ? 0 : inline.length + 5));
        out.writeLong(epochId);
        out.writeVarInt(files.size());
        for (StateFile file : files.values()) {
            index.put(file.name, index.size());
            out.writeString(file.name).writeLong(file.fileId).writeLong(file.length);
        }
        out.writeVarInt(keyGroups.size());
        for (Map.Entry<String, BlockRef[]> e : keyGroups.entrySet()) {
            out.writeString(e.getKey());
            BlockRef[] groups = e.getValue();
            int present = 0;
            for (BlockRef ref : groups) {
                present += ref == null ? 0 : 1;
            }
            out.writeVarInt(present);
            for (int g = 0; g < groups.length; g++) {
                if (groups[g] != null) {
                    out.writeVarInt(g);
                    writeBlock(out, groups[g], index);
                }
            }
        }
        out.writeVarInt(operatorStates.size());
        for (Map.Entry<String, TreeMap<Integer, BlockRef>> e : operatorStates.entrySet()) {
            out.writeString(e.getKey()).writeVarInt(e.getValue().size());
            for (Map.Entry<Integer, BlockRef> p : e.getValue().entrySet()) {
                out.writeVarInt(p.getKey());
                writeBlock(out, p.getValue(), index);
            }
        }
        out.writeVarInt(sourcePositions.size());
        for (Map.Entry<String, TreeMap<Integer, byte[]>> e : sourcePositions.entrySet()) {
            out.writeString(e.getKey()).writeVarInt(e.getValue().size());
            for (Map.Entry<Integer, byte[]> p : e.getValue().entrySet()) {
                out.writeVarInt(p.getKey()).writeBytes(p.getValue());
            }
        }
        out.writeVarInt(properties.size());
        for (Map.Entry<String, String> e : properties.entrySet()) {
            out.writeString(e.getKey()).writeString(e.getValue());
        }
        if (inline != null) {
            out.writeBytes(inline);
        }
        return CheckpointFiles.frame(CheckpointFiles.MANIFEST_MAGIC, out);
    }

    /**
     * Reads and checks a manifest (not the state files it points at).
     *
     * @param file {@code offsets/<epoch>}
     * @param epochId the epoch its name says
     * @param maxParallelism the location's number of key groups
     * @return the manifest
     * @throws CheckpointException naming the file when it is damaged or inconsistent
     */
    static Manifest read(Path file, long epochId, int maxParallelism) {
        SnapshotInput in = CheckpointFiles.readFrame(file, CheckpointFiles.MANIFEST_MAGIC, KIND);
        try {
            Manifest manifest = new Manifest(in.readLong());
            if (manifest.epochId != epochId) {
                throw damaged(file, "it holds epoch " + manifest.epochId + " but is named for epoch " + epochId);
            }
            int fileCount = in.readVarInt();
            // One more than the files: the inline blocks, whose bytes come last; sized once they are read.
            StateFile[] files = new StateFile[fileCount + 1];
            files[fileCount] = StateFile.inline(epochId, new byte[0]);
            files[fileCount].length = Long.MAX_VALUE;
            for (int i = 0; i < fileCount; i++) {
                String name = in.readString();
                long fileId = in.readLong();
                long length = in.readLong();
                long fileEpoch = epochOfStateFile(name);
                if (fileEpoch < 0 || !StateFile.nameOf(fileEpoch, fileId).equals(name)
                    || length < StateFile.HEADER_LENGTH) {
                    throw damaged(file, "state file entry " + i + " (" + name + ", " + length + " bytes) is invalid");
                }
                files[i] = new StateFile(fileEpoch, fileId, length);
            }
            int operators = in.readVarInt();
            for (int i = 0; i < operators; i++) {
                String operatorId = in.readString();
                BlockRef[] groups = new BlockRef[maxParallelism];
                int present = in.readVarInt();
                for (int j = 0; j < present; j++) {
                    int g = in.readVarInt();
                    if (g >= maxParallelism || groups[g] != null) {
                        throw damaged(file, "operator '" + operatorId + "' lists key group " + g
                            + " twice or outside 0.." + (maxParallelism - 1));
                    }
                    groups[g] = readBlock(in, files, file);
                }
                manifest.keyGroups.put(operatorId, groups);
            }
            operators = in.readVarInt();
            for (int i = 0; i < operators; i++) {
                String operatorId = in.readString();
                TreeMap<Integer, BlockRef> states = new TreeMap<>();
                int count = in.readVarInt();
                for (int j = 0; j < count; j++) {
                    states.put(in.readVarInt(), readBlock(in, files, file));
                }
                manifest.operatorStates.put(operatorId, states);
            }
            int sources = in.readVarInt();
            for (int i = 0; i < sources; i++) {
                String sourceId = in.readString();
                TreeMap<Integer, byte[]> positions = new TreeMap<>();
                int count = in.readVarInt();
                for (int j = 0; j < count; j++) {
                    positions.put(in.readVarInt(), in.readBytes());
                }
                manifest.sourcePositions.put(sourceId, positions);
            }
            int properties = in.readVarInt();
            for (int i = 0; i < properties; i++) {
                manifest.properties.put(in.readString(), in.readString());
            }
            StateFile inline = files[fileCount];
            if (in.hasRemaining()) {
                inline.inlineBytes = in.readBytes();
                inline.length = StateFile.HEADER_LENGTH + (long) inline.inlineBytes.length;
                if (in.hasRemaining()) {
                    throw damaged(file, in.remaining() + " bytes follow the inline blocks");
                }
            } else {
                inline.length = StateFile.HEADER_LENGTH;
            }
            for (BlockRef ref : manifest.blocks()) {
                if (ref.file() == inline && ref.offset() + ref.length() > inline.length) {
                    throw damaged(file, "an inline block at " + ref.offset() + "+" + ref.length() + " lies outside the "
                        + (inline.length - StateFile.HEADER_LENGTH) + " inline bytes");
                }
            }
            return manifest;
        } catch (StateFormatException e) {
            throw damaged(file, e.getMessage());
        }
    }

    /**
     * @param name a state file name
     * @return the epoch it was written for, or -1 if the name is not a state file's
     */
    static long epochOfStateFile(String name) {
        int dash = name.indexOf('-');
        if (dash <= 0 || !name.endsWith(StateFile.SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name, 0, dash, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void writeBlock(SnapshotOutput out, BlockRef ref, Map<String, Integer> index) {
        int file = ref.file().isInline() ? index.size() : index.get(ref.file().name);
        out.writeVarInt(file).writeLong(ref.offset()).writeInt(ref.length()).writeInt(ref.crc());
    }

    private static BlockRef readBlock(SnapshotInput in, StateFile[] files, Path manifest) {
        int index = in.readVarInt();
        long offset = in.readLong();
        int length = in.readInt();
        int crc = in.readInt();
        if (index >= files.length) {
            throw damaged(manifest, "a block names state file " + index + " of " + (files.length - 1));
        }
        StateFile file = files[index];
        if (length < 0 || offset < StateFile.HEADER_LENGTH || offset + length > file.length) {
            throw damaged(manifest, "a block at " + offset + "+" + length + " lies outside state file " + file.name
                + " of " + file.length + " bytes");
        }
        return new BlockRef(file, offset, length, crc);
    }

    private static CheckpointException damaged(Path file, String what) {
        return new CheckpointException(KIND + " " + file + " is damaged: " + what);
    }
}
