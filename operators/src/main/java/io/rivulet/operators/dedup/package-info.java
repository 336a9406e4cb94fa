/**
 * Streaming deduplication (Spark's {@code dropDuplicates} and {@code dropDuplicatesWithinWatermark}).
 *
 * <pre>
 *  (key, record) ─► late? (event time &lt;= watermark) ─yes─► late output, counted
 *                        │ no
 *                        ▼
 *                  key held? ─yes─► dropped (duplicate)
 *                        │ no
 *                        ▼
 *        hold key → expiry (long keys: LongExpiryTable; others: Agrona map), count/index by expiry ms, emit
 *
 *  watermark w ─► long keys with expiry &lt;= w read as absent at once (lazy expiry); the table sweeps its
 *                 slots in order, 8 per expired key; object keys are removed (TimeBuckets: buckets per ms
 *                 + a min-heap, which also counts the long keys per expiry)
 *  barrier e   ─► hand the log of adds/evictions to DedupImage; written per key group later
 * </pre>
 *
 * <p>{@link io.rivulet.operators.dedup.DeduplicateOperator} is the operator; the rest is its state.
 */
package io.rivulet.operators.dedup;
