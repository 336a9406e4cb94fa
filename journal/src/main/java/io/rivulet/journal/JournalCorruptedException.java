package io.rivulet.journal;

import java.io.File;

/**
 * A journal file holds bytes that are not a record the journal wrote: a checksum mismatch, a
 * document the codec does not consume exactly, or a header Chronicle Queue cannot parse. Readers
 * throw it instead of returning garbage; the message names the file and the offset.
 */
public final class JournalCorruptedException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final transient File file;
    private final long offset;

    /**
     * @param file the damaged cycle file, or {@code null} if unknown
     * @param offset the offset of the damaged record, or {@link Journal#NO_OFFSET}
     * @param detail what is wrong
     * @param cause the underlying failure, or {@code null}
     */
    public JournalCorruptedException(File file, long offset, String detail, Throwable cause) {
        super("journal file " + file + " is damaged at offset " + Journal.formatOffset(offset) + ": " + detail, cause);
        this.file = file;
        this.offset = offset;
    }

    /**
     * @return the damaged cycle file, or {@code null} if unknown
     */
    public File file() {
        return file;
    }

    /**
     * @return the offset of the damaged record, or {@link Journal#NO_OFFSET}
     */
    public long offset() {
        return offset;
    }
}
