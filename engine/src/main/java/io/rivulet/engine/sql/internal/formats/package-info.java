/**
 * Spark's {@code json} (JSON lines) and {@code csv} row decoding: one line of bytes into a row of a
 * {@link io.rivulet.engine.types.StructType}, with Spark's conversions, options and corrupt-record rules.
 *
 * <pre>
 *   line bytes ──► JsonRowDecoder ── JsonLineScanner (bytes against the schema; declines what it cannot
 *              │                  │                    decode exactly as Jackson)
 *              │                  └─ declined: one reused Jackson non-blocking parser per reader, a fresh blocking
 *              │                     one for a line it does not end cleanly; field name → position, no databind
 *              └─► CsvRowDecoder  (own single-line tokenizer, Spark's univocity settings)
 *                        │ ok: a fresh PackedRow          │ bad: BadRecordException carrying the
 *                        ▼                                ▼ corrupt row (partial values + raw line)
 *                 FileSource emits it            ParseMode: PERMISSIVE emits it, DROPMALFORMED drops,
 *                                                FAILFAST fails naming file and line
 * </pre>
 *
 * {@link io.rivulet.engine.sql.internal.formats.CsvSchemaInference} and
 * {@link io.rivulet.engine.sql.internal.formats.JsonSchemaInference} infer a schema from files as Spark does, for a
 * read without one.
 *
 * Internal: users reach these through {@code FileSource.json(dir, schema)} / {@code FileSource.csv(dir, schema)}
 * and {@code option(name, value)}; {@link io.rivulet.engine.sql.internal.formats.RowFormatOptions} is the one
 * table of the row options.
 */
package io.rivulet.engine.sql.internal.formats;
