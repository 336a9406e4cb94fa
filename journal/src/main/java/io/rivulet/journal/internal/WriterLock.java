package io.rivulet.journal.internal;

import io.rivulet.journal.JournalException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive right of one process to append to a journal: an operating-system lock on
 * {@code writer.lock} in the journal directory. The kernel drops the lock when its process dies,
 * even by {@code kill -9}; so a process holding it knows any half-written record it finds was left
 * by a dead writer, never by a live one.
 *
 * <p>Thread-safe to release; acquired once by the journal that appends.
 */
public final class WriterLock implements AutoCloseable {
    /** Name of the lock file in the journal directory. */
    public static final String FILE_NAME = "writer.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @param directory the journal directory
     * @return the held lock
     * @throws JournalException naming the directory when another process (or another open journal
     *     on the same directory in this process) appends to it, or the lock file cannot be created
     */
    public static WriterLock acquire(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new JournalException("cannot create the writer lock of journal " + directory + ": " + e, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new JournalException("journal " + directory + " already has a writer in another process"
                    + " (it holds " + file + "); a journal has one writing process at a time");
            }
            return new WriterLock(file, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new JournalException("journal " + directory + " already has a writer in this process"
                + " (another open Journal holds " + file + "); share that Journal's appenders instead", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new JournalException("cannot lock " + file + ": " + e, e);
        } catch (JournalException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * @return the lock file
     */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held any more
        }
    }
}
