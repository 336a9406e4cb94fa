package io.rivulet.journal;

/**
 * Receives the records a {@link JournalReader} reads, one call per record, on the reader's thread.
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface JournalHandler<T> {
    /**
     * Handles one record.
     *
     * @param record the decoded record; with {@link JournalReader#reuseRecords} on, valid only
     *     during this call
     * @param offset the record's offset
     */
    void onRecord(T record, long offset);
}
