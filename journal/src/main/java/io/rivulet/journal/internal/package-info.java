/**
 * The journal's mechanics, not part of its API: the record framing and its xxHash64 checksum
 * ({@link io.rivulet.journal.internal.Framing}), atomically replaced offset files
 * ({@link io.rivulet.journal.internal.OffsetFile}), the single-writer lock
 * ({@link io.rivulet.journal.internal.WriterLock}), and pretouching pages ahead of the writer
 * ({@link io.rivulet.journal.internal.PageToucher}, {@link io.rivulet.journal.internal.PretouchThread}).
 */
package io.rivulet.journal.internal;
