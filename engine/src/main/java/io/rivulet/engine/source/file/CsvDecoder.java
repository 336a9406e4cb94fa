package io.rivulet.engine.source.file;

import org.apache.commons.csv.CSVRecord;

/**
 * Turns one parsed CSV line into a record. With {@code header} on, the record's values are also
 * addressable by the names in its file's first line ({@code record.get("price")}).
 *
 * <p>Called on the source task's thread, one line at a time.
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface CsvDecoder<T> {
    /**
     * @param record the line's values, {@code null} where a value equals the source's {@code nullValue}
     * @return the record, or {@code null} to skip the line
     * @throws Exception when the line does not fit (too few values, a number that is not one): the
     *     source's {@link ParseMode} decides what follows
     */
    T decode(CSVRecord record) throws Exception;
}
