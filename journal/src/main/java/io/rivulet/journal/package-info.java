/**
 * Durable, replayable logs on Chronicle Queue: append a record and get its offset, read forward from
 * an offset by polling, roll and retain cycle files, detect torn and damaged records.
 *
 * <pre>
 *   Journal.open(JournalOptions) ─┬─ appender(codec) ─ append(r) ─► offset     (one writing process;
 *                                 │                                              one owner thread each)
 *   dir/                          ├─ reader(codec, start) ─ poll(handler, n) ─► n | 0 | END_OF_JOURNAL
 *     20260101-10F.cq4 ...        ├─ reader(name, codec, startIfNew) ─ commit() ─► readers/name.offset
 *     readers/NAME.offset         ├─ checkpoint(offset) ─► checkpoint.offset
 *     checkpoint.offset           └─ applyRetention(): delete whole cycles every named reader and the
 *     writer.lock                                      checkpoint have passed
 * </pre>
 *
 * <p>This module knows nothing of streams, operators or the engine's threads; its only thread is the
 * optional background pretoucher ({@link io.rivulet.journal.JournalPretouch#BACKGROUND}). Codecs
 * live in {@link io.rivulet.journal.codec}; framing, offset files, locks and pretouching in
 * {@code internal}. {@code docs/journal.md} describes the layout on disk and the guarantees.
 */
package io.rivulet.journal;
