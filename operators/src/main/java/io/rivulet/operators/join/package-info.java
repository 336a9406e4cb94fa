/**
 * Joins: a stream with a static table, and two streams with each other (Spark's stream-static and
 * stream-stream joins, in micro-batch and continuous mode).
 *
 * <pre>
 *  stream-static (stateless, one input):
 *    record ─► keyOf ─► AtomicReference&lt;StaticTable&gt;.get().rows(key) ─► JoinFunction per row
 *                                        ▲ swapped by the runtime on refresh (immutable tables)
 *
 *  stream-stream (two-input keyed, StreamStreamJoinOperator):
 *    left row  ─► late? ─► match right rows of key (time range) ─► emit pairs ─► buffer (state "join": left)
 *    right row ─► late? ─► match left rows of key  (time range) ─► emit pairs ─► buffer (state "join": right)
 *    watermark w (continuous) / onEpoch (micro-batch):
 *        evict left  rows with time &lt;= leftStateWatermark(w)   ─► unmatched: (left, null) if outer
 *        evict right rows with time &lt;= rightStateWatermark(w)  ─► unmatched: (null, right) if outer
 * </pre>
 *
 * <p>{@link io.rivulet.operators.join.JoinType}, {@link io.rivulet.operators.join.JoinTimeRange} and
 * {@link io.rivulet.operators.join.JoinFunction} describe a join; {@link io.rivulet.operators.join.JoinSettings}
 * configures the stream-stream operator; its buffers live in a
 * {@link io.rivulet.operators.state.KeyedStateBackend} and are checkpointed per key group.
 *
 * <p>{@link io.rivulet.operators.join.StreamStreamLongJoinOperator} is the same join on a {@code long} key
 * with no allocation per record: {@code LongJoinTable} (key → each side's rows) over one {@code JoinSlab}
 * per side (rows as {@code long} columns through a {@link io.rivulet.operators.join.JoinRowLayout}, or
 * references), a {@code RowTimeIndex} per side for eviction, and snapshots by change log
 * ({@code JoinChangeLog}, replayed by the {@code LongJoinSnapshotImage} on the writer thread).
 */
package io.rivulet.operators.join;
