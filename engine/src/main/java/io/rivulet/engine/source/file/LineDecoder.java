package io.rivulet.engine.source.file;

/**
 * Turns one line of a file into a record: the pluggable part of a file source. The line is given as
 * bytes of the reader's buffer (UTF-8 as the file holds it, without the {@code \n} or {@code \r\n}
 * terminator), valid only during the call: a decoder that keeps them must copy.
 *
 * <p>Called on the source task's thread, one line at a time; an implementation need not be
 * thread-safe if each query gets its own, but the built-in ones are stateless.
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface LineDecoder<T> {
    /**
     * @param bytes the buffer holding the line
     * @param offset where the line starts in {@code bytes}
     * @param length its length in bytes, 0 for an empty line
     * @return the record, or {@code null} for a line that holds none (a blank line of a JSON file)
     * @throws Exception when the line is malformed: the source's {@link ParseMode} decides what follows
     */
    T decode(byte[] bytes, int offset, int length) throws Exception;
}
