/**
 * Codecs: how records of one type are written to and read from Chronicle Bytes inside a journal
 * record. {@link io.rivulet.journal.codec.Codecs} has the built-in ones (long, int, double, String,
 * byte[]) and derives a codec for any Java record from its components, once per class.
 *
 * <pre>
 *   append(r) ─► [checksum][ codec.write(r, out) ]        poll ─► verify checksum ─► codec.read(in, reuse)
 * </pre>
 */
package io.rivulet.journal.codec;
