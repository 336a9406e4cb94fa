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
 * Small checkpoints put their blocks in the manifest instead ({@link #inline}).
 * The file id is random: a manifest that names the file also names its id, so a file written again
 * under the same epoch (after a restart that fell back) never passes for the one a stale manifest meant.
 * Identity is the name; {@link #length} is set once the file is sealed.
 */
final class StateFile {
    /** Bytes before the first block. */
    static final int HEADER_LENGTH = 32;
    /** Suffix of state file names. */
    static final String SUFFIX = ".state";

    /** The name of a manifest's inline blocks, never a file's (no file name lacks a dash and the suffix). */
    static final String INLINE = "(inline)";

    final String name;
    final long epochId;
    final long fileId;
    long length;
    /**
     * For the blocks a manifest carries inline ({@link #inline}), their bytes, laid out as a state file
     * would hold them after its header; {@code null} for a state file.
     */
    byte[] inlineBytes;

    StateFile(long epochId, long fileId, long length) {
        this.name = nameOf(epochId, fileId);
        this.epochId = epochId;
        this.fileId = fileId;
        this.length = length;
    }

    private StateFile(long epochId, byte[] inlineBytes) {
        this.name = INLINE;
        this.epochId = epochId;
        this.fileId = 0;
        this.inlineBytes = inlineBytes;
        this.length = HEADER_LENGTH + (long) inlineBytes.length;
    }

    /**
     * The pseudo-file of the blocks a manifest carries inline: small checkpoints need no state file
     * (and none of its forces). Block offsets count as in a state file, from {@link #HEADER_LENGTH}.
     *
     * @param epochId the manifest's epoch
     * @param bytes the inline blocks, back to back
     * @return the pseudo-file
     */
    static StateFile inline(long epochId, byte[] bytes) {
        return new StateFile(epochId, bytes);
    }

    /**
     * @return whether this is a manifest's inline blocks rather than a file
     */
    boolean isInline() {
        return inlineBytes != null;
    }

    static String nameOf(long epochId, long fileId) {
        return epochId + "-" + String.format("%016x", fileId) + SUFFIX;
    }

    @Override
    public String toString() {
        return name;
    }
}
