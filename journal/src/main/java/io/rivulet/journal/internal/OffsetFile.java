package io.rivulet.journal.internal;

import io.rivulet.journal.JournalException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One durable offset in a small file, replaced atomically: the new value is written to a temporary
 * file beside it, forced to disk, moved over the old file with an atomic rename, and the directory
 * is forced. A crash at any point leaves either the old value or the new one, never a mix; a file
 * damaged some other way fails {@link #read} with a message naming it.
 *
 * <pre>
 *   [magic: int64 "RIVJOFF1"][offset: int64][crc32c of the 16 bytes before: int32]   (20 bytes)
 * </pre>
 *
 * <p>Static methods only; each call does its own I/O. Callers serialise writes to one file.
 */
public final class OffsetFile {
    /** File name suffix of offset files. */
    public static final String SUFFIX = ".offset";
    private static final long MAGIC = 0x5249564A_4F464631L;
    private static final int LENGTH = 20;

    private OffsetFile() {
    }

    /**
     * Reads the offset stored in {@code file}.
     *
     * @param file the offset file
     * @param absent returned when the file does not exist
     * @return the stored offset, or {@code absent}
     * @throws JournalException naming the file when it cannot be read or is damaged
     */
    public static long read(Path file, long absent) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return absent;
        } catch (IOException e) {
            throw new JournalException("cannot read offset file " + file + ": " + e, e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(content);
        if (content.length != LENGTH || buffer.getLong(0) != MAGIC) {
            throw new JournalException("offset file " + file + " is damaged: expected " + LENGTH
                + " bytes starting with the journal offset magic, found " + content.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(content, 0, 16);
        if ((int) crc.getValue() != buffer.getInt(16)) {
            throw new JournalException("offset file " + file + " is damaged: checksum mismatch");
        }
        return buffer.getLong(8);
    }

    /**
     * Replaces the offset stored in {@code file} durably and atomically.
     *
     * @param file the offset file; its directory must exist
     * @param offset the offset to store
     * @throws JournalException naming the file when it cannot be written (disk full, permissions)
     */
    public static void write(Path file, long offset) {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.putLong(MAGIC).putLong(offset);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, 16);
        buffer.putInt((int) crc.getValue()).flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new JournalException("cannot replace offset file " + file
                    + " atomically: the file system does not support atomic renames", e);
            }
            forceDirectory(file.getParent());
        } catch (IOException e) {
            throw new JournalException("cannot write offset file " + file + ": " + e, e);
        }
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a directory for reading; the rename itself is still atomic
        }
    }
}
