/**
 * Top-N: the N keys with the greatest values, kept incrementally, running or per event-time window.
 * The operators here run in one partition under one internal key (a global, {@code windowAll}-style
 * stage: the engine routes every row to it, the user supplies no constant key).
 *
 * <pre>
 *   (key, value) ──► Ranking: key → entry (HashMap)  +  entries sorted by value (TreeSet)
 *                        │  the key's previous entry is replaced: O(log keys), no re-sort
 *                        ▼
 *                    ranks 1..N compared with the ranks last emitted ──► changed ranks (RankedValue)
 * </pre>
 *
 * {@link io.rivulet.operators.topn.TopNOperator} ranks a running per-key aggregate;
 * {@link io.rivulet.operators.topn.WindowTopNOperator} ranks each window's rows and emits a window's
 * top N when the watermark closes it (append) or its changed ranks as they change (update). Ties are
 * broken by an optional key order, then by which key reached its current value first.
 */
package io.rivulet.operators.topn;
