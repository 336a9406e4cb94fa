package io.rivulet.engine.internal.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends blocks to one {@link StateFile}'s temporary file through a reused staging buffer, so a
 * checkpoint of many small key groups costs a few large writes and one force.
 *
 * <p>Not thread-safe; owned by the thread that builds the checkpoint.
 */
final class StateFileWriter {
    private final StateFile file;
    private final Path target;
    private final Path temp;
    private final ByteBuffer staging;
    private final CRC32C crc = new CRC32C();
    private final FileChannel channel;
    private long position;

    StateFileWriter(Path directory, StateFile file, ByteBuffer staging) throws IOException {
        this.file = file;
        this.target = directory.resolve(file.name);
        this.temp = CheckpointFiles.tempOf(target);
        this.staging = staging.clear();
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer header = ByteBuffer.allocate(StateFile.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(CheckpointFiles.STATE_MAGIC).putInt(CheckpointFiles.FORMAT_VERSION)
            .putLong(file.epochId).putLong(file.fileId);
        header.putInt(CheckpointFiles.crc(header.array(), 0, header.position()));
        staging.put(header.array());
        position = StateFile.HEADER_LENGTH;
    }

    StateFile file() {
        return file;
    }

    /**
     * @param bytes the block's content
     * @param offset first byte
     * @param length bytes
     * @return where the block lies
     * @throws IOException when the disk refuses
     */
    BlockRef append(byte[] bytes, int offset, int length) throws IOException {
        crc.reset();
        crc.update(bytes, offset, length);
        BlockRef ref = new BlockRef(file, position, length, (int) crc.getValue());
        int from = offset;
        int left = length;
        while (left > 0) {
            int n = Math.min(left, staging.remaining());
            staging.put(bytes, from, n);
            from += n;
            left -= n;
            if (!staging.hasRemaining()) {
                flush();
            }
        }
        position += length;
        return ref;
    }

    /**
     * Writes what is staged; the file's length is then final. No block may be appended after.
     *
     * @throws IOException when the disk refuses (the temporary file is then deleted)
     */
    void finish() throws IOException {
        try {
            flush();
        } catch (IOException e) {
            discard();
            throw e;
        }
        file.length = position;
    }

    /**
     * Forces the temporary file to disk and closes it. May run on another thread than the appends,
     * after {@link #finish}.
     *
     * @throws IOException when the disk refuses (the temporary file is then deleted)
     */
    void force() throws IOException {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            discard();
            throw e;
        }
    }

    /**
     * Renames the forced file into place; the caller forces the directory.
     *
     * @param faults the test seam
     * @throws IOException when the rename fails
     */
    void moveIntoPlace(FaultInjector faults) throws IOException {
        CheckpointFiles.moveIntoPlace(temp, target, faults);
    }

    /** Closes and deletes the temporary file; best effort. */
    void discard() {
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the next open deletes leftover temporary files
        }
    }

    private void flush() throws IOException {
        staging.flip();
        while (staging.hasRemaining()) {
            channel.write(staging);
        }
        staging.clear();
    }
}
