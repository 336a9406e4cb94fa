package io.rivulet.engine.source.file;

import java.nio.file.Path;

/**
 * A line the decoder rejected, as the corrupt-record function of {@link ParseMode#PERMISSIVE} receives
 * it: what Spark puts in the {@code columnNameOfCorruptRecord} column, with where it came from.
 * Made only for a rejected line. Immutable.
 *
 * @param file the file the line is in
 * @param lineNumber its number in the file, from 1 (a header line counts)
 * @param line the raw line, decoded as UTF-8, without its line terminator
 * @param error what the decoder threw
 */
public record MalformedRecord(Path file, long lineNumber, String line, Exception error) {
}
