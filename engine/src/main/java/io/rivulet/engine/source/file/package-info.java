/**
 * Spark's file source: new files of a directory as a stream, {@code text}, {@code json} lines or
 * {@code csv}, each file exactly once across restarts.
 *
 * <p>{@link io.rivulet.engine.source.file.FileSource} is the public description (factories, Spark's
 * options); the rest is its reader's machinery:
 *
 * <pre>
 *   FileSourceReader ── lists the directory ──► settled new files ──► batch of whole files
 *        │                                                              │
 *        │  SeenFiles: the files taken (Spark's FileStreamSourceLog),   LineReader: lines as byte ranges
 *        │  compacted by maxFileAge, in every checkpoint                 │
 *        └──────────────────────────────────────────── FileFormat.FileDecoder ──► LineDecoder / CsvDecoder ──► record
 * </pre>
 *
 * The per-line decoding is pluggable ({@link io.rivulet.engine.source.file.LineDecoder},
 * {@link io.rivulet.engine.source.file.CsvDecoder}), so a structured front end can produce rows of a
 * schema from the same source.
 */
package io.rivulet.engine.source.file;
