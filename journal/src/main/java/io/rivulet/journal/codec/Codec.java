package io.rivulet.journal.codec;

import net.openhft.chronicle.bytes.Bytes;

/**
 * Writes records of one type to Chronicle Bytes and reads them back.
 *
 * <p>A codec is derived once, at setup, and then called per record: {@link #write} must not allocate,
 * and {@link #read} should allocate no more than the record itself (a codec of a mutable type can
 * fill the {@code reuse} instance instead). Implementations are immutable and thread-safe: one codec
 * serves every appender and reader of a journal. Built-in codecs come from {@link Codecs}.
 *
 * <p>The journal frames each record and checks its length and checksum; a codec only writes and
 * reads its own fields, and must read exactly what it wrote.
 *
 * @param <T> record type
 */
public interface Codec<T> {
    /**
     * Writes one record at the output's write position.
     *
     * @param record the record, never {@code null}
     * @param out where to write; valid only during the call
     */
    void write(T record, Bytes<?> out);

    /**
     * Reads one record from the input's read position, consuming exactly the bytes {@link #write}
     * wrote for it.
     *
     * @param in what to read; valid only during the call
     * @param reuse a record this codec returned earlier that the caller no longer uses, or
     *     {@code null}; codecs of immutable types ignore it
     * @return the record
     */
    T read(Bytes<?> in, T reuse);
}
