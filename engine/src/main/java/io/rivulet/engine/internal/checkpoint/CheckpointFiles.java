package io.rivulet.engine.internal.checkpoint;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The framing and the atomic write every checkpoint file shares.
 *
 * <p>A small file (metadata, manifest, commit entry) is one frame:
 * <pre>
 *   [magic: 8 bytes][format version: int32][body length: int32][body][crc32c of all bytes before: int32]
 * </pre>
 * all little-endian. A file is written to {@code NAME.tmp}, forced, renamed over {@code NAME} with
 * an atomic move, and its directory is forced: a crash leaves the old file, the new one or a
 * temporary file that {@link CheckpointStorage#open} deletes, never a half-written {@code NAME}.
 *
 * <p>Static methods only.
 */
final class CheckpointFiles {
    /** The on-disk format this code writes and the newest it reads. */
    /** 2: manifests may carry small checkpoints' blocks inline. A version-1 location is read as is. */
    static final int FORMAT_VERSION = 2;
    /** Suffix of a file being written; such a file is never part of a checkpoint. */
    static final String TEMP_SUFFIX = ".tmp";
    static final long METADATA_MAGIC = magic("RIVMETA1");
    static final long MANIFEST_MAGIC = magic("RIVCKPT1");
    static final long COMMIT_MAGIC = magic("RIVCMIT1");
    static final long STATE_MAGIC = magic("RIVSTAT1");
    /** Bytes a frame adds around its body. */
    static final int FRAME_OVERHEAD = 20;

    private CheckpointFiles() {
    }

    /**
     * @param magic the file kind's magic
     * @param body the content
     * @return the framed bytes, ready to write
     */
    static ByteBuffer frame(long magic, SnapshotOutput body) {
        ByteBuffer buffer = ByteBuffer.allocate(FRAME_OVERHEAD + body.length()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(magic).putInt(FORMAT_VERSION).putInt(body.length()).put(body.buffer(), 0, body.length());
        buffer.putInt(crc(buffer.array(), 0, buffer.position()));
        return buffer.flip();
    }

    /**
     * Reads a whole small file and checks its frame.
     *
     * @param file the file
     * @param magic the magic its kind must start with
     * @param kind what the file is, for messages ("manifest")
     * @return an input over the body
     * @throws CheckpointException naming the file: missing, unreadable, truncated, of another kind or
     *     version, or failing its checksum
     */
    static SnapshotInput readFrame(Path file, long magic, String kind) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(kind + " " + file + " is missing", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + kind + " " + file + ": " + e, e);
        }
        if (content.length < FRAME_OVERHEAD) {
            throw new CheckpointException(kind + " " + file + " is truncated: " + content.length
                + " bytes, shorter than the " + FRAME_OVERHEAD + "-byte frame");
        }
        ByteBuffer buffer = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.getLong(0) != magic) {
            throw new CheckpointException(kind + " " + file + " is damaged: it does not start with the " + kind
                + " magic");
        }
        int version = buffer.getInt(8);
        int bodyLength = buffer.getInt(12);
        if (bodyLength < 0 || (long) bodyLength + FRAME_OVERHEAD != content.length) {
            throw new CheckpointException(kind + " " + file + " is truncated or damaged: its header announces "
                + ((long) bodyLength + FRAME_OVERHEAD) + " bytes, the file has " + content.length);
        }
        int stored = buffer.getInt(content.length - 4);
        int computed = crc(content, 0, content.length - 4);
        if (stored != computed) {
            throw new CheckpointException(kind + " " + file + " is damaged: checksum mismatch (stored "
                + Integer.toHexString(stored) + ", computed " + Integer.toHexString(computed) + ")");
        }
        if (version < 1 || version > FORMAT_VERSION) {
            throw new CheckpointException(kind + " " + file + " has format version " + version + "; this Rivulet reads"
                + " versions 1.." + FORMAT_VERSION);
        }
        return new SnapshotInput(content, 16, bodyLength);
    }

    /**
     * Writes {@code content} to {@code file} atomically and durably (temporary file, force, atomic
     * rename, directory force).
     *
     * @param file the final name; its directory exists
     * @param content the bytes
     * @param faults the test seam
     * @throws IOException when the disk refuses; the temporary file is then deleted
     */
    static void writeAtomically(Path file, ByteBuffer content, FaultInjector faults) throws IOException {
        moveIntoPlace(writeTemp(file, content, true), file, faults);
        forceDirectory(file.getParent());
    }

    /**
     * Writes {@code content} to {@code file} atomically but not durably: temporary file and atomic
     * rename, nothing forced. A process crash keeps the file (the page cache survives it); an
     * operating-system crash may lose it, but never leaves a half-written one.
     *
     * @param file the final name; its directory exists
     * @param content the bytes
     * @param faults the test seam
     * @throws IOException when the disk refuses; the temporary file is then deleted
     */
    static void writeAtomicallyUnforced(Path file, ByteBuffer content, FaultInjector faults) throws IOException {
        moveIntoPlace(writeTemp(file, content, false), file, faults);
    }

    /**
     * Writes {@code content} to the temporary file of {@code file}, forced if asked.
     *
     * @param file the final name; its directory exists
     * @param content the bytes
     * @param force whether to force the temporary file to disk
     * @return the temporary file
     * @throws IOException when the disk refuses; the temporary file is then deleted
     */
    static Path writeTemp(Path file, ByteBuffer content, boolean force) throws IOException {
        Path temp = tempOf(file);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                channel.write(content);
            }
            if (force) {
                channel.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /**
     * Renames a written temporary file to its final name, atomically. The directory is not forced:
     * the caller forces it ({@link #forceDirectory}) when the rename must be durable.
     *
     * @param temp the temporary file, written (and forced, if the file must be durable)
     * @param file the final name
     * @param faults the test seam
     * @throws IOException when the rename fails (the temporary file is then deleted)
     */
    static void moveIntoPlace(Path temp, Path file, FaultInjector faults) throws IOException {
        try {
            faults.at(WriteStep.TEMP_FORCED, file);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("the file system of " + file + " cannot rename atomically; a checkpoint location"
                + " needs a local file system", e);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        faults.at(WriteStep.RENAMED, file);
    }

    /**
     * Forces a directory's entries (renames, new files) to disk.
     *
     * @param directory the directory
     */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // some file systems (Windows) cannot open a directory; the rename itself is still atomic there
        }
    }

    /**
     * @param file a final name
     * @return the temporary file it is written through
     */
    static Path tempOf(Path file) {
        return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
    }

    /**
     * @param bytes the content
     * @param offset first byte
     * @param length bytes to check
     * @return their CRC32C
     */
    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static long magic(String eightAscii) {
        byte[] bytes = eightAscii.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
