package io.rivulet.journal.internal;

import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.io.ReferenceOwner;

import java.io.IOException;

/**
 * Touches the pages of a cycle file ahead of the writer, through the queue's own mapping, so the
 * writer finds them mapped and allocated instead of taking a page fault (and, on a fresh file, a
 * block allocation) in the middle of an append.
 *
 * <p>A page is touched by a compare-and-swap of an int from 0 to 0: it forces a write fault, never
 * changes a byte, and loses no concurrent write (a record already there makes the swap fail). So it
 * is safe ahead of a live writer in this process and does not disturb readers in others.
 *
 * <p>Chronicle Queue's own {@code ExcerptAppender.pretouch()} and pretoucher are in its enterprise
 * edition only (the open-source 2026.4 {@code pretouch()} recurses until the stack overflows), so
 * the journal does this itself.
 *
 * <p>Not thread-safe; owned by the appender's thread or by the journal's pretouch thread.
 */
public final class PageToucher implements AutoCloseable {
    /** Bytes per page touched. */
    public static final int PAGE_LENGTH = 4096;

    private final ReferenceOwner owner = ReferenceOwner.temporary("rivulet-journal-pretouch");
    private MappedFile file;
    private MappedBytesStore store;
    private long touchedTo;

    /**
     * Touches at most {@code maxPages} pages in {@code [writePosition, writePosition + aheadLength)}
     * that this toucher has not touched yet.
     *
     * @param file the cycle file the writer writes
     * @param writePosition the writer's position in the file, in bytes
     * @param aheadLength how far ahead of the writer to touch, in bytes
     * @param maxPages the most pages to touch in this call (bounds the call's duration)
     * @return the number of pages touched
     * @throws IOException when a chunk of the file cannot be mapped
     */
    public int touch(MappedFile file, long writePosition, long aheadLength, int maxPages) throws IOException {
        if (file != this.file) {
            releaseStore();
            this.file = file;
            touchedTo = 0;
        }
        long from = Math.max(touchedTo, (writePosition + PAGE_LENGTH - 1) & -PAGE_LENGTH);
        long to = writePosition + aheadLength;
        int pages = 0;
        for (long position = from; position < to && pages < maxPages; position += PAGE_LENGTH) {
            if (store == null || !store.inside(position, Integer.BYTES)) {
                releaseStore();
                store = file.acquireByteStore(owner, position);
            }
            store.compareAndSwapInt(position, 0, 0);
            touchedTo = position + PAGE_LENGTH;
            pages++;
        }
        return pages;
    }

    /**
     * @return the position up to which pages of the current file are touched
     */
    public long touchedTo() {
        return touchedTo;
    }

    private void releaseStore() {
        if (store != null) {
            MappedBytesStore released = store;
            store = null;
            try {
                released.release(owner);
            } catch (RuntimeException ignored) {
                // the file was closed under us; nothing left to release
            }
        }
    }

    /** Releases the mapped chunk this toucher holds. */
    @Override
    public void close() {
        releaseStore();
        file = null;
    }
}
