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
 *        hold key → expiry (Agrona map; long keys unboxed), index by expiry ms, emit record
 *
 *  watermark w ─► evict every key whose expiry &lt;= w (ExpiryQueue: buckets per ms + a min-heap)
 *  barrier e   ─► hand the log of adds/evictions to DedupImage; written per key group later
 * </pre>
 *
 * <p>{@link io.rivulet.operators.dedup.DeduplicateOperator} is the operator; the rest is its state.
 */
package io.rivulet.operators.dedup;
