package io.rivulet.engine.internal.checkpoint;

/**
 * One data file of the {@code state} directory: the key group and operator state blocks one
 * checkpoint wrote, back to back after a header.
 *
 * <pre>
 *   [magic "RIVSTAT1": 8][format version: int32][epoch: int64][file id: int64][crc32c of the 28 bytes before: int32]
 *   [block][block]...                       (each block's offset, length and crc32c are in the manifest)
 * </pre>
 *
 * The file id is random: a manifest that names the file also names its id, so a file written again
 * under the same epoch (after a restart that fell back) never passes for the one a stale manifest meant.
 * Identity is the name; {@link #length} is set once the file is sealed.
 */
final class StateFile {
    /** Bytes before the first block. */
    static final int HEADER_LENGTH = 32;
    /** Suffix of state file names. */
    static final String SUFFIX = ".state";

    final String name;
    final long epochId;
    final long fileId;
    long length;

    StateFile(long epochId, long fileId, long length) {
        this.name = nameOf(epochId, fileId);
        this.epochId = epochId;
        this.fileId = fileId;
        this.length = length;
    }

    static String nameOf(long epochId, long fileId) {
        return epochId + "-" + String.format("%016x", fileId) + SUFFIX;
    }

    @Override
    public String toString() {
        return name;
    }
}
